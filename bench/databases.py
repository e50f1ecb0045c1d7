"""The databases measured: a fresh SQLite file, or a PostgreSQL database of the run's own."""

import os
import re
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "api"]
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/0"


def flask(environ: dict, *args: str) -> str:
    """Run a `flask` command on this checkout; its stdout, or its whole output on failure."""
    done = subprocess.run(
        [*FLASK, *args], cwd=ROOT, env=environ, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def seed(environ: dict, articles: int) -> str:
    """Migrate, then seed in realistic proportions; the email of the user seed names."""
    flask(environ, "db", "upgrade")
    output = flask(
        environ,
        "seed",
        *("--users", str(max(articles // 5, 1))),
        *("--articles", str(articles)),
        *("--comments", str(2 * articles)),
    )
    return re.search(r"Log in as (\S+),", output).group(1)


def settle(url: str) -> None:
    """After seeding, what a database in steady use has: PostgreSQL's statistics and visibility
    map, so that autovacuum does not run in the middle of a measurement."""
    if url.startswith("postgresql"):
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as connection:
            connection.execute("VACUUM ANALYZE")


def postgres_version() -> str | None:
    """The server's version, or None when it is not reachable (then only SQLite runs)."""
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except psycopg.OperationalError:
        return None


def redis_cache() -> dict:
    """The cache's settings for PostgreSQL: Redis under a prefix of the run's own, if reachable."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError:
        return {"CACHE_ENABLED": "0"}
    finally:
        client.close()
    return {"REDIS_URL": REDIS_URL, "CACHE_PREFIX": f"conduit-bench-{uuid.uuid4().hex[:12]}"}


def cache_of_size(cache: dict, articles: int) -> dict:
    """The cache's settings for one size: a prefix of its own in Redis, if in Redis."""
    if "CACHE_PREFIX" not in cache:
        return cache
    return cache | {"CACHE_PREFIX": f"{cache['CACHE_PREFIX']}-{articles}"}


def cache_kind(cache: dict) -> str:
    if cache.get("CACHE_ENABLED") == "0":
        return "off"
    return "in Redis" if "REDIS_URL" in cache else "in each worker"


@contextmanager
def sqlite_database(folder: Path, articles: int):
    yield f"sqlite:///{folder / f'bench-{articles}.sqlite3'}"


@contextmanager
def postgres_database(_folder: Path, _articles: int):
    """A database of its own on the server, dropped afterwards (even when the run fails)."""
    name = f"conduit_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
