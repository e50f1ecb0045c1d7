"""Opt-in count of the SQL statements each request runs, answered in `X-SQL-Statements`."""

from flask import Flask, g, has_request_context
from sqlalchemy import event

from api.extensions import db

SQL_COUNT_HEADER = "X-SQL-Statements"


def init_sql_count(app: Flask) -> None:
    """Count each request's statements when `SQL_COUNT_HEADER` is on (the benchmark's mode).

    Off, nothing is installed: no listener on the engine, no request hook.
    """
    if not app.config["SQL_COUNT_HEADER"]:
        return
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count_statement)
    app.before_request(_start_count)
    app.after_request(_send_count)


def _start_count() -> None:
    g.sql_statements = 0


def _count_statement(*_args) -> None:
    # Statements outside a request (a CLI command, a worker's start) are nobody's to report.
    if has_request_context() and "sql_statements" in g:
        g.sql_statements += 1


def _send_count(response):
    response.headers[SQL_COUNT_HEADER] = str(g.get("sql_statements", 0))
    return response
