"""Fixtures: the app on a clean, migrated database for each test, and an API client with auth.

Tests run on SQLite; those whose outcome depends on the database (queries, constraints,
transactions, migrations) are marked `every_database` and run on PostgreSQL as well. Each
database and the app on it are built once per session; each test starts on emptied tables.
"""

import shutil
import uuid
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import event

from api import create_app
from api.cache import current_cache
from api.extensions import db
from tests import imports_alone
from tests.databases import (
    REDIS_URL,
    empty_tables,
    fresh_postgres_database,
    redis_reachable,
    restore_rows,
    rows_of,
    sqlite_url,
)

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-long-enough-for-hs256!",
    "JWT_SECRET_KEY": "test-jwt-secret-key-long-enough-for-hs256!",
    # argon2's smallest cost keeps the suite fast; production keeps the library defaults.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8,
    "ARGON2_PARALLELISM": 1,
    # Off, so that a test may sign in and up as often as it likes; tests/test_limits.py turns
    # them on with small limits.
    "RATE_LIMITS_ENABLED": False,
}


def migrate(url: str) -> None:
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """A SQLite file migrated once, for apps of a test's own to copy."""
    path = tmp_path_factory.mktemp("template") / "conduit.sqlite3"
    migrate(sqlite_url(path))
    return path


def pytest_configure(config):
    """In the run's main process (not a pytest-xdist worker), the slow check of every module
    imported alone begins, to run beside the tests."""
    if not hasattr(config, "workerinput") and imports_alone.runs_the_check(config.args):
        config.stash[IMPORTS_ALONE] = imports_alone.start()


def pytest_unconfigure(config):
    if (results := config.stash.get(IMPORTS_ALONE, None)) is not None:
        imports_alone.clean_up(results)


IMPORTS_ALONE = pytest.StashKey[Path]()


def pytest_generate_tests(metafunc):
    """Run the tests marked `every_database` once per database, the others on SQLite alone
    (`one_database` takes a test of an `every_database` module back to SQLite alone)."""
    marks = {mark.name for mark in metafunc.definition.iter_markers()}
    on_each = "every_database" in marks and "one_database" not in marks
    if on_each and "database" in metafunc.fixturenames:
        metafunc.parametrize("database", ["sqlite", postgresql(metafunc.config)])


def postgresql(config):
    """PostgreSQL as a test's database. Coverage, when on, is traced in the test's SQLite run
    alone: the run on PostgreSQL goes through the same lines again, bar the few of its own
    dialect, at twice the cost under the tracer. (`no_cover` fails under `--no-cov`.)"""
    coverage = config.pluginmanager.getplugin("_cov")
    if coverage is None or coverage.cov_controller is None:
        return "postgresql"
    return pytest.param("postgresql", marks=pytest.mark.no_cover)


@pytest.fixture
def database() -> str:
    """The kind of database the test runs on; `every_database` tests get each in turn."""
    return "sqlite"


@pytest.fixture
def empty_database_url(database, tmp_path):
    """A database with no tables at all, of either kind, for tests that migrate it themselves."""
    if database == "sqlite":
        yield sqlite_url(tmp_path / "empty.sqlite3")
        return
    with fresh_postgres_database() as url:
        yield url


def app_on(url: str, **settings):
    """An app on this database, for the whole session: building one takes longer than most tests."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **settings})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def make_app(migrated_template, tmp_path):
    """Apps of the test's own, each on a copy of the migrated SQLite database: `make(**settings)`
    over TEST_CONFIG, or over another `base`."""
    apps = []

    def make(base=TEST_CONFIG, **settings):
        path = tmp_path / f"own{len(apps)}.sqlite3"
        shutil.copyfile(migrated_template, path)
        app = create_app({**base, "SQLALCHEMY_DATABASE_URI": sqlite_url(path), **settings})
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_app(migrated_template, tmp_path_factory):
    """The session's app on a SQLite database of its own, a copy of the template."""
    path = tmp_path_factory.mktemp("sqlite") / "conduit.sqlite3"
    shutil.copyfile(migrated_template, path)
    yield from app_on(sqlite_url(path))


@pytest.fixture(scope="session")
def postgresql_app():
    """The session's app on a PostgreSQL database of its own, migrated once, caching in Redis
    as in production (under a prefix of its own) when Redis is reachable."""
    with fresh_postgres_database() as url:
        migrate(url)
        cache = {"REDIS_URL": REDIS_URL, "CACHE_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}
        yield from app_on(url, **(cache if redis_reachable() else {}))


@pytest.fixture
def app(request, database):
    """The session's app on the test's database, its tables emptied for this test."""
    app = request.getfixturevalue(f"{database}_app")
    with app.app_context():
        empty_tables(db.engine, db.metadata)
        if (cache := current_cache()) is not None:
            cache.bump()  # the rows went behind the app's back: nothing cached may outlive them
    wsgi_app = app.wsgi_app
    yield app
    app.wsgi_app = wsgi_app  # a test may wrap it


class ApiClient:
    """The test client, speaking JSON and sending `Authorization: Token <jwt>` when given one."""

    def __init__(self, client, token: str | None = None):
        self._client = client
        self.token = token

    def as_user(self, user: dict | None) -> "ApiClient":
        """The same client, authenticated as a user object returned by the API (None: anonymous)."""
        return ApiClient(self._client, user["token"] if user else None)

    def request(self, method: str, path: str, json=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Token {self.token}"
        return self._client.open(path, method=method, json=json, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.request("PUT", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    # Builders for the data most tests need, through the API itself.

    def register(self, username: str, password: str = "password123") -> dict:
        body = {
            "user": {"username": username, "email": f"{username}@example.com", "password": password}
        }
        response = self.post("/api/users", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["user"]

    def create_article(
        self, author: dict, title: str = "How to train your dragon", **fields
    ) -> dict:
        article = {
            "title": title,
            "description": "Ever wonder how?",
            "body": "Very carefully.",
            **fields,
        }
        response = self.as_user(author).post("/api/articles", json={"article": article})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["article"]

    def comment(self, author: dict, slug: str, body: str = "Great read!") -> dict:
        response = self.as_user(author).post(
            f"/api/articles/{slug}/comments", json={"comment": {"body": body}}
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["comment"]


@pytest.fixture
def api(app):
    return ApiClient(app.test_client())


@pytest.fixture(scope="session")
def scenes() -> dict:
    """The rows each scene left, and what its builder returned, by database and builder."""
    return {}


@pytest.fixture
def scene(app, api, database, scenes):
    """`scene(build)`: what `build(api)` returns, on the rows it made. Built through the API on
    a database's first use; after that, its rows are put back in one transaction, ids
    included, instead of the requests that made them. Called before the test writes."""

    def use(build):
        key = (database, build.__module__, build.__qualname__)
        if key not in scenes:
            made = build(api)
            with app.app_context():
                scenes[key] = (rows_of(db.engine, db.metadata), made)
            return made
        rows, made = scenes[key]
        with app.app_context():
            assert not any(rows_of(db.engine, db.metadata).values()), "written before the scene"
            restore_rows(db.engine, db.metadata, rows)
            if (cache := current_cache()) is not None:
                cache.bump()  # the rows went behind the app's back
        return made

    return use


@pytest.fixture
def jake(api):
    return api.register("jake")


@pytest.fixture
def jane(api):
    return api.register("jane")


@pytest.fixture
def count_queries(app):
    """A context manager that counts the SQL statements run inside it."""

    class Counter:
        def __init__(self):
            self.count = 0

        def __enter__(self):
            event.listen(engine, "before_cursor_execute", self._count)
            return self

        def __exit__(self, *exc):
            event.remove(engine, "before_cursor_execute", self._count)

        def _count(self, *args, **kwargs):
            self.count += 1

    with app.app_context():
        engine = db.engine
    return Counter
