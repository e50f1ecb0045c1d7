"""`/healthz` answers while the process lives; `/readyz` only while the database serves."""

import pytest
from sqlalchemy import text

from api import create_app
from api.extensions import db
from tests.conftest import TEST_CONFIG
from tests.databases import sqlite_url

HEAD = "0005"


def probe(url: str, path: str = "/readyz"):
    """What an app on this database answers to a probe."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    try:
        return app.test_client().get(path)
    finally:
        with app.app_context():
            db.engine.dispose()


def test_healthz_answers_without_the_database(api, count_queries):
    with count_queries() as queries:
        response = api.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert queries.count == 0


def test_healthz_answers_even_when_the_database_is_gone(tmp_path):
    response = probe(sqlite_url(tmp_path / "missing" / "conduit.sqlite3"), "/healthz")

    assert response.status_code == 200


@pytest.mark.every_database  # the check reads each database's migration state
def test_readyz_on_a_migrated_database(api):
    response = api.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok", "migrations": HEAD}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.every_database  # a missing alembic_version table fails differently on each
def test_readyz_refuses_a_database_that_was_never_migrated(empty_database_url):
    response = probe(empty_database_url)

    assert response.status_code == 503
    assert response.get_json() == {
        "errors": {"migrations": [f"not current: at base, head is {HEAD}"]}
    }
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.every_database  # the check reads each database's migration state
def test_readyz_refuses_a_database_at_another_revision(app, api):
    with app.app_context():
        set_revision("0000_older")
        try:
            response = api.get("/readyz")
        finally:
            set_revision(HEAD)  # the PostgreSQL database is shared by the session's tests

    assert response.status_code == 503
    assert response.get_json() == {
        "errors": {"migrations": [f"not current: at 0000_older, head is {HEAD}"]}
    }


def set_revision(revision: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


@pytest.mark.parametrize(
    "url",
    [
        # A file in a directory that does not exist: SQLite cannot open it.
        "sqlite:///{tmp_path}/missing/conduit.sqlite3",
        # Nothing listens on port 1.
        "postgresql+psycopg://postgres@127.0.0.1:1/test",
    ],
    ids=["sqlite", "postgresql"],
)
def test_readyz_refuses_an_unreachable_database(tmp_path, url):
    response = probe(url.format(tmp_path=tmp_path))

    assert response.status_code == 503
    assert response.get_json() == {"errors": {"database": ["unreachable"]}}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_not_part_of_the_api_document(api, path):
    spec = api.get("/openapi.json").get_json()

    assert path not in spec["paths"]
    assert api.request("HEAD", path).status_code == 200
