"""Database connection settings that the URL alone cannot express."""

from flask import Flask
from sqlalchemy import event

from api.extensions import db


def configure_database(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(connection, _record) -> None:
    # SQLite leaves foreign keys (and so ON DELETE CASCADE) off unless asked, per connection;
    # WAL lets readers go on while one request writes.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()
