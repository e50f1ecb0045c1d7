"""The two databases the suite runs on (SQLite files, and PostgreSQL when it is reachable), and
the Redis that caches answers beside PostgreSQL."""

import os
import uuid
from contextlib import contextmanager

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from api.config import database_uri

# The server CI provides (trust auth); TEST_POSTGRES_URL points elsewhere.
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"


def sqlite_url(path) -> str:
    return f"sqlite:///{path}"


def postgres_admin_engine():
    """A connection to the server's maintenance database, or a skip (a failure in CI)."""
    url = make_url(database_uri(POSTGRES_URL))
    engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        engine.dispose()
        reason = f"PostgreSQL is not reachable at {url.render_as_string()}: {error.orig}"
        if REQUIRE_POSTGRES:
            pytest.fail(reason)
        pytest.skip(reason)
    return engine


@contextmanager
def fresh_postgres_database():
    """An empty database of its own on the PostgreSQL server, dropped afterwards."""
    admin = postgres_admin_engine()
    name = f"conduit_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            make_url(database_uri(POSTGRES_URL))
            .set(database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def empty_tables(engine, metadata) -> None:
    """Remove every row and restart the ids, so that the next test starts from a clean database."""
    tables = reversed(metadata.sorted_tables)  # the rows that refer to others first
    with engine.begin() as connection:
        if engine.dialect.name != "postgresql":
            # SQLite numbers an emptied table from 1 again by itself (no table is AUTOINCREMENT).
            for table in tables:
                connection.execute(table.delete())
            return
        # One round trip, not one a statement (7.6 ms down to 0.7): it runs before every test.
        deletes = [f'DELETE FROM "{table.name}"' for table in tables]
        restart = (
            "SELECT setval(quote_ident(schemaname) || '.' || quote_ident(sequencename), 1, false)"
            " FROM pg_sequences"
        )
        connection.exec_driver_sql("; ".join([*deletes, restart]))


def rows_of(engine, metadata) -> dict:
    """Every row of every table, to put back with `restore_rows`."""
    with engine.connect() as connection:
        return {
            table.name: [dict(row) for row in connection.execute(table.select()).mappings()]
            for table in metadata.sorted_tables
        }


def restore_rows(engine, metadata, rows: dict) -> None:
    """Empty the tables and put `rows` back, ids included: the database as `rows_of` found it,
    in one transaction instead of the requests that made it."""
    empty_tables(engine, metadata)
    with engine.begin() as connection:
        for table in metadata.sorted_tables:  # the rows others refer to first
            if rows[table.name]:
                connection.execute(table.insert(), rows[table.name])
        if engine.dialect.name == "postgresql":  # the next id follows the restored ones
            for table in metadata.sorted_tables:
                if "id" in table.c and rows[table.name]:
                    connection.execute(
                        text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                        {"table": table.name, "last": max(row["id"] for row in rows[table.name])},
                    )


# Redis as CI provides it; TEST_REDIS_URL points elsewhere. REQUIRE_REDIS=1 makes it mandatory.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_REDIS = os.environ.get("REQUIRE_REDIS") == "1"


def redis_reachable() -> bool:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def require_redis() -> str:
    """Redis' URL, or a skip (a failure where REQUIRE_REDIS=1)."""
    if not redis_reachable():
        reason = f"Redis is not reachable at {REDIS_URL}"
        if REQUIRE_REDIS:
            pytest.fail(reason)
        pytest.skip(reason)
    return REDIS_URL
