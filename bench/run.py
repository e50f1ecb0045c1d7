"""`make bench`: the two floors, then for each database and size: seed, count SQL, load; then
each read's p50 growth from the smallest size to the largest (bench/growth.py)."""

import os
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench import databases, growth, load, report, server, targets
from bench.stack_app import PATH as STACK_PATH

QUICK = os.environ.get("QUICK", "") not in ("", "0")
SIZES = [
    int(n)
    for n in (os.environ.get("SIZES") or ("1000" if QUICK else "1000,10000,100000")).split(",")
]
SECONDS = int(os.environ.get("DURATION") or (3 if QUICK else 10))
# Floor (a) is driven again before and after each row of a table, this long: the row's ratio is
# to the mean of the two, so that a machine whose speed moves within minutes skews no row.
BESIDE_SECONDS = max(1, SECONDS // 3)
PROJECT_APP = "api:create_app()"


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


def beside(floor_base: str) -> float:
    """Floor (a)'s requests/s, driven now, for the rows on either side."""
    return load.drive(floor_base + FLOOR_A[2], BESIDE_SECONDS).requests_per_s


def measure(kind: str, size: int, url: str, floor_env: dict, cache: dict) -> tuple[dict, list]:
    """The size's table, and its reads (name, path, token, tag) for the growth stage."""
    say(f"{kind}, {size} articles: migrating and seeding")
    email = databases.seed(server.environment(url, cache=cache), size)
    databases.settle(url)
    # The counting mode has servers of its own, so that it never weighs on the figures: one
    # that renders every answer (no cache), one worker that answers from its cache when it can.
    uncached = server.environment(url, count_sql=True, cache={"CACHE_ENABLED": "0"})
    with server.serving(PROJECT_APP, uncached, "/healthz") as (base, _):
        chosen = targets.choose(base, email)
        reads = targets.reads(chosen, base)
        rendered = {
            name: load.statements(base + path, token, tag=tag) for name, path, token, tag in reads
        }
        writes = [
            load.statements(base + p, chosen.token, m, b) for m, p, b in targets.writes(chosen)
        ]
    counted = server.environment(url, count_sql=True, cache=cache)
    with server.serving(PROJECT_APP, counted, "/healthz", workers=1) as (base, _):
        reads = targets.retagged(base, reads)
        sql = {
            name: [rendered[name], load.statements(base + path, token, again=True, tag=tag)]
            for name, path, token, tag in reads
        }
    rows = []
    with ExitStack() as serving:
        # Floor (a) served beside the app, idle but for its bursts between the rows.
        floor_base, _ = serving.enter_context(server.serving(FLOOR_A[1], floor_env, FLOOR_A[2]))
        base, master = serving.enter_context(
            server.serving(PROJECT_APP, server.environment(url, cache=cache), "/healthz")
        )
        reads = targets.retagged(base, reads)
        targets.warm(base, reads)
        load.drive(base + reads[0][1], 2)  # and the machine: the first figure is not an outlier
        floors, measured = [beside(floor_base)], []
        for name, path, token, tag in reads:
            say(f"  {name}: {SECONDS} s")
            result = load.drive(base + path, SECONDS, token, tag=tag)
            measured.append((name, result, sql[name], server.workers_peak_rss_mib(master)))
            floors.append(beside(floor_base))
        # Last: the writes add rows, which the reads above must not see.
        say(f"  writes: {SECONDS} s")
        mix = (chosen.token, chosen.slug, chosen.own_slug)
        result = load.drive(base + "/api/articles", SECONDS, writes=mix)
        name = "writes: create, favorite, comment, update"
        measured.append((name, result, writes, server.workers_peak_rss_mib(master)))
        floors.append(beside(floor_base))
    # Each row's floor is the mean of the bursts just before and just after it.
    for (name, result, sql_statements, rss), before, after in zip(
        measured, floors[:-1], floors[1:], strict=True
    ):
        rows.append(report.row(name, result, (before + after) / 2, sql_statements, rss))
    title = f"{kind}, {size} articles, cache {databases.cache_kind(cache)}"
    return {"title": title, "database": kind, "articles": size, "rows": rows}, reads


def measure_kind(kind: str, database, cache: dict, folder: Path, floor_env: dict) -> list[dict]:
    """A table a size, then the growth from the smallest to the largest: every size is kept
    until then, each with a cache prefix of its own (the growth stage serves two at once)."""
    tables, sized = [], []
    with ExitStack() as kept:
        for size in SIZES:
            url = kept.enter_context(database(folder, size))
            own = databases.cache_of_size(cache, size)
            table, reads = measure(kind, size, url, floor_env, own)
            tables.append(table)
            sized.append(
                {"articles": size, "env": server.environment(url, cache=own), "reads": reads}
            )
        if len(sized) > 1:
            small, large = sized[0], sized[-1]
            say(f"{kind}: p50 growth, {small['articles']} to {large['articles']} articles")
            seconds = max(2, SECONDS // 2)
            tables.append(growth.measure(kind, small, large, seconds, PROJECT_APP))
    return tables


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
        floor_env = server.environment(f"sqlite:///{folder / 'floor.sqlite3'}")
        tables = [measure_floors(floor_env)]
        for kind, database, cache in kinds:
            tables += measure_kind(kind, database, cache, folder, floor_env)
    settings = {"quick": QUICK, "seconds": SECONDS, "sizes": SIZES, "workers": server.WORKERS}
    settings |= {"connections": load.CONNECTIONS, "threads": load.THREADS}
    results = {"machine": report.machine(postgres), "settings": settings, "tables": tables}
    print(report.write(results).read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
