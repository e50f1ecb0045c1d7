"""Probes for load balancers: `/healthz` (the process answers), `/readyz` (the database serves)."""

import logging
from functools import cache

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, has_request_context, jsonify, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.errors import error_response
from api.extensions import db

# Operational, not the Conduit API: a plain Blueprint keeps them out of the OpenAPI document.
blueprint = Blueprint("health", __name__)


class _QuietProbes(logging.Filter):
    """Drop what alembic says on every MigrationContext ("Context impl ...") when probed."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (has_request_context() and request.blueprint == blueprint.name)


logging.getLogger("alembic.runtime.migration").addFilter(_QuietProbes())


@blueprint.get("/healthz")
def healthz():
    """Alive: the process answers."""
    # No database here: an outage must not get every instance restarted by its orchestrator.
    return jsonify(status="ok")


@blueprint.get("/readyz")
def readyz():
    """Ready: the database answers and its schema is at the migrations' head."""
    heads = migration_heads(current_app.extensions["migrate"].directory)
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = MigrationContext.configure(connection).get_current_heads()
    except SQLAlchemyError as error:
        # The driver's message, not SQLAlchemy's (which repeats the statement and adds a link).
        reason = getattr(error, "orig", None) or error
        current_app.logger.warning("readyz: database unreachable: %s", reason)
        return error_response(503, {"database": ["unreachable"]})
    if set(current) != set(heads):
        at, head = _revisions(current), _revisions(heads)
        return error_response(503, {"migrations": [f"not current: at {at}, head is {head}"]})
    return jsonify(status="ready", database="ok", migrations=_revisions(heads))


@blueprint.after_request
def _no_store(response):
    # A cached "ready" would keep traffic flowing to an instance that has since lost its database.
    response.headers["Cache-Control"] = "no-store"
    return response


@cache
def migration_heads(directory: str) -> tuple[str, ...]:
    """The revisions the code expects; read once, since they only change with a new release."""
    return tuple(ScriptDirectory(directory).get_heads())


def _revisions(revisions) -> str:
    return ", ".join(sorted(revisions)) or "base"
