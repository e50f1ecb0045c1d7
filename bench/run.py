"""`make bench`: the two floors, then for each database and size: seed, count SQL, load."""

import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from bench import databases, load, report, server, targets
from bench.stack_app import PATH as STACK_PATH

QUICK = os.environ.get("QUICK", "") not in ("", "0")
SIZES = [
    int(n)
    for n in (os.environ.get("SIZES") or ("1000" if QUICK else "1000,10000,100000")).split(",")
]
SECONDS = int(os.environ.get("DURATION") or (3 if QUICK else 10))
PROJECT_APP = "api:create_app()"
# One pair of secrets for the whole run: a token from one server is good on the next.
SECRETS = {"SECRET_KEY": secrets.token_urlsafe(48), "JWT_SECRET_KEY": secrets.token_urlsafe(48)}
# Settings of the caller's shell that would make the servers differ from one run to another.
DROPPED = ("GUNICORN_CMD_ARGS", "GUNICORN_THREADS", "LOG_LEVEL", "LOG_JSON", "CORS_ORIGINS")
DROPPED += ("REDIS_URL", "CACHE_ENABLED", "CACHE_PREFIX", "CACHE_TTL")


def environment(url: str, count_sql: bool = False, cache: dict | None = None) -> dict:
    """The servers' environment; `cache` holds the cache's settings (REDIS_URL, ...)."""
    inherited = {name: value for name, value in os.environ.items() if name not in DROPPED}
    return (
        inherited
        | SECRETS
        | {
            "APP_ENV": "production",
            "DATABASE_URL": url,
            "BENCH_SQL_COUNT": "1" if count_sql else "0",
            # Limits stay on, as in production; the bench signs in a dozen times from one address.
            "LOGIN_LIMIT": "1000/minute",
        }
        | (cache or {})
    )


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


FLOOR_A = ("floor (a): bare Flask", "bench.floor_app:app", "/floor")
FLOOR_B = ("floor (b): project stack, no SQL", "bench.stack_app:create_app()", STACK_PATH)


def measure_floors(env: dict) -> dict:
    rows = []
    for name, app, path in (FLOOR_A, FLOOR_B):
        result, rss = floor(env, name, app, path)
        floor_rps = rows[0]["requests_per_s"] if rows else result.requests_per_s
        rows.append(report.row(name, result, floor_rps, None, rss))
    return {"title": "Floors", "database": None, "articles": None, "rows": rows}


def floor(env: dict, name: str, app: str, path: str):
    say(f"{name}: {SECONDS} s")
    with server.serving(app, env, path) as (base, master):
        return load.drive(base + path, SECONDS), server.workers_peak_rss_mib(master)


def measure(kind: str, size: int, url: str, floor_env: dict, cache: dict) -> dict:
    say(f"{kind}, {size} articles: migrating and seeding")
    email = databases.seed(environment(url, cache=cache), size)
    databases.settle(url)
    # The counting mode has servers of its own, so that it never weighs on the figures: one
    # that renders every answer (no cache), one worker that answers from its cache when it can.
    uncached = environment(url, count_sql=True, cache={"CACHE_ENABLED": "0"})
    with server.serving(PROJECT_APP, uncached, "/healthz") as (base, _):
        chosen = targets.choose(base, email)
        reads = targets.reads(chosen, base)
        rendered = {
            name: load.statements(base + path, token, tag=tag) for name, path, token, tag in reads
        }
        writes = [
            load.statements(base + p, chosen.token, m, b) for m, p, b in targets.writes(chosen)
        ]
    counted = environment(url, count_sql=True, cache=cache)
    with server.serving(PROJECT_APP, counted, "/healthz", workers=1) as (base, _):
        reads = targets.retagged(base, reads)
        sql = {
            name: [rendered[name], load.statements(base + path, token, again=True, tag=tag)]
            for name, path, token, tag in reads
        }
    # Floor (a) again, just before: on a shared machine, the table's ratios are to a floor
    # measured minutes apart from them at most.
    name, app, path = FLOOR_A
    name = f"{name}, again before this table"
    result, rss = floor(floor_env, name, app, path)
    floor_rps = result.requests_per_s
    rows = [report.row(name, result, floor_rps, None, rss)]
    with server.serving(PROJECT_APP, environment(url, cache=cache), "/healthz") as (base, master):
        reads = targets.retagged(base, reads)
        for _name, path, token, _tag in reads * 3:  # warm both workers' caches and connections
            targets.call(base, path, token)
        load.drive(base + reads[0][1], 2)  # and the machine: the first figure is not an outlier
        for name, path, token, tag in reads:
            say(f"  {name}: {SECONDS} s")
            result = load.drive(base + path, SECONDS, token, tag=tag)
            rss = server.workers_peak_rss_mib(master)
            rows.append(report.row(name, result, floor_rps, sql[name], rss))
        # Last: the writes add rows, which the reads above must not see.
        say(f"  writes: {SECONDS} s")
        mix = (chosen.token, chosen.slug, chosen.own_slug)
        result = load.drive(base + "/api/articles", SECONDS, writes=mix)
        name = "writes: create, favorite, comment, update"
        rows.append(
            report.row(name, result, floor_rps, writes, server.workers_peak_rss_mib(master))
        )
    title = f"{kind}, {size} articles, cache {databases.cache_kind(cache)}"
    return {"title": title, "database": kind, "articles": size, "rows": rows}


def main() -> int:
    if not shutil.which("wrk"):
        say("wrk is missing: install it (Debian: apt-get install wrk), or run `make bench` as root")
        return 1
    postgres = databases.postgres_version()
    kinds = [("SQLite", databases.sqlite_database, {})]
    if postgres:
        # PostgreSQL keeps its cache in Redis, as in production; without Redis it has none.
        kinds.append(("PostgreSQL", databases.postgres_database, databases.redis_cache()))
    else:
        say(f"PostgreSQL is not reachable at {databases.POSTGRES_URL}: SQLite only")
    with tempfile.TemporaryDirectory(prefix="conduit-bench-") as folder:
        folder = Path(folder)
        floor_env = environment(f"sqlite:///{folder / 'floor.sqlite3'}")
        tables = [measure_floors(floor_env)]
        for kind, database, cache in kinds:
            for size in SIZES:
                with database(folder, size) as url:
                    tables.append(measure(kind, size, url, floor_env, cache))
    settings = {"quick": QUICK, "seconds": SECONDS, "sizes": SIZES, "workers": server.WORKERS}
    settings |= {"connections": load.CONNECTIONS, "threads": load.THREADS}
    results = {"machine": report.machine(postgres), "settings": settings, "tables": tables}
    print(report.write(results).read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
