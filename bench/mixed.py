"""`make load`: a mixed read and write load on gunicorn for a fixed time; latency by kind."""

import json
import math
import os
import sys
import tempfile
from pathlib import Path

from bench import databases, mix, report, server, targets
from bench.run import PROJECT_APP, say

SECONDS = float(os.environ.get("DURATION") or 20)
DATABASE = os.environ.get("DATABASE") or "sqlite"
ARTICLES = int(os.environ.get("SIZE") or 1000)
# Two a worker: neither worker waits for work, and a request waits for at most one other.
CLIENTS = int(os.environ.get("CLIENTS") or 4)
WARMUP = 2.0  # seconds of load before the counted ones: connections opened, caches filled
WRITERS = 8  # users the clients write as, each client as one of them
COLUMNS = ("request", "count", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors")


def site_of(base: str, email: str) -> mix.Site:
    """The seeded articles, authors and tags the requests pick from, and the users who write."""
    chosen = targets.choose(base, email)
    page = targets.call(base, "/api/articles?limit=100")["articles"]
    authors = sorted({article["author"]["username"] for article in page} - {chosen.reader})
    writers = [mix.Writer(chosen.token, chosen.own_slug)]
    own = {"article": {"title": "Load own article", "description": "d", "body": "b"}}
    for name in authors[: WRITERS - 1]:  # seeded emails are the username at example.com
        token, _ = targets.login(base, f"{name}@example.com")
        slug = targets.call(base, "/api/articles", token, own)["article"]["slug"]
        writers.append(mix.Writer(token, slug))
    tags = targets.call(base, "/api/tags")["tags"][:10]
    return mix.Site([article["slug"] for article in page], authors, tags, writers)


def percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted latencies, in milliseconds."""
    if not ordered:
        return 0.0
    rank = max(math.ceil(share * len(ordered)), 1)
    return round(ordered[rank - 1] * 1000, 2)


def row(name: str, latencies: list[float], errors: int) -> dict:
    ordered = sorted(latencies)
    return {
        "request": name,
        "count": len(ordered),
        "requests_per_s": round(len(ordered) / SECONDS, 1),
        **{f"p{p}_ms": percentile(ordered, p / 100) for p in (50, 90, 99)},
        "max_ms": round(ordered[-1] * 1000, 2) if ordered else 0.0,
        "errors": errors,
    }


def table(timings: mix.Timings) -> list[dict]:
    failed = [kind for kind, _ in timings.errors]
    rows = [row(kind, timings.latencies[kind], failed.count(kind)) for kind in mix.KINDS]
    every = [latency for latencies in timings.latencies.values() for latency in latencies]
    reads = [latency for kind in mix.READS for latency in timings.latencies[kind]]
    writes = [latency for kind in mix.WRITES for latency in timings.latencies[kind]]
    rows.append(row("all reads", reads, sum(kind in mix.READS for kind in failed)))
    rows.append(row("all writes", writes, sum(kind in mix.WRITES for kind in failed)))
    rows.append(row("overall", every, len(failed)))
    return rows


def markdown(results: dict) -> str:
    m, s = results["machine"], results["settings"]
    lines = [
        f"# Mixed load, {s['database']}",
        "",
        f"{m['date']}: {m['cores']} cores ({m['cpu']}), Python {m['python']}, "
        f"SQLite {m['sqlite']}, PostgreSQL {m['postgresql']}.",
        "",
        f"gunicorn with gunicorn.conf.py, {s['workers']} sync workers, cache {s['cache']}; "
        f"{s['articles']} articles seeded; {s['clients']} clients, one request at a time each, "
        f"{s['seconds']:g} s after {s['warmup']:g} s of warm-up.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for r in results["rows"]:
        cells = [r["request"], r["count"], f"{r['requests_per_s']:.1f}"]
        cells += [f"{r[name]:.2f}" for name in ("p50_ms", "p90_ms", "p99_ms", "max_ms")]
        lines.append("| " + " | ".join(map(str, [*cells, r["errors"]])) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    if DATABASE not in ("sqlite", "postgres"):
        say(f"DATABASE={DATABASE}: sqlite or postgres")
        return 2
    postgres = databases.postgres_version()
    if DATABASE == "postgres" and not postgres:
        say(f"PostgreSQL is not reachable at {databases.POSTGRES_URL}")
        return 1
    database = databases.postgres_database if DATABASE == "postgres" else databases.sqlite_database
    # PostgreSQL keeps its cache in Redis, as in production; SQLite, in each worker.
    cache = databases.redis_cache() if DATABASE == "postgres" else {}
    folder = tempfile.TemporaryDirectory(prefix="conduit-load-")
    with folder, database(Path(folder.name), ARTICLES) as url:
        say(f"{DATABASE}, {ARTICLES} articles: migrating and seeding")
        env = server.environment(url, cache=cache)
        email = databases.seed(env, ARTICLES)
        databases.settle(url)
        with server.serving(PROJECT_APP, env, "/healthz") as (base, _):
            site = site_of(base, email)
            say(f"{CLIENTS} clients, {WARMUP:g} s of warm-up, then {SECONDS:g} s")
            timings = mix.drive(base, site, CLIENTS, SECONDS, WARMUP)
    settings = {"database": DATABASE, "articles": ARTICLES, "clients": CLIENTS}
    settings |= {"seconds": SECONDS, "warmup": WARMUP, "workers": server.WORKERS}
    settings["cache"] = databases.cache_kind(cache)
    results = {"machine": report.machine(postgres), "settings": settings, "rows": table(timings)}
    results["errors"] = [f"{kind}: {what}" for kind, what in timings.errors[:20]]
    report.RESULTS.mkdir(exist_ok=True)
    (report.RESULTS / f"load-{DATABASE}.json").write_text(json.dumps(results, indent=2) + "\n")
    text = markdown(results)
    (report.RESULTS / f"load-{DATABASE}.md").write_text(text)
    print(text)
    for line in results["errors"]:
        say(line)
    if timings.errors:
        say(f"{len(timings.errors)} errors")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
