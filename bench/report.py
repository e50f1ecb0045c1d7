"""The machine described, and the results written as Markdown and JSON to bench/results/."""

import json
import os
import platform
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bench import growth

RESULTS = Path(__file__).resolve().parent / "results"
COLUMNS = (
    *("endpoint", "req/s", "p50 ms", "p99 ms", "(a) req/s", "ratio to (a)", "errors", "SQL/req"),
    "RSS MiB",
)


def machine(postgres_version: str | None) -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    meminfo = Path("/proc/meminfo").read_text().split()
    # `make load` runs without wrk.
    wrk = shutil.which("wrk") and subprocess.run(
        ["wrk", "--version"], capture_output=True, text=True
    )
    wrk = wrk.stdout if wrk else ""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": len(os.sched_getaffinity(0)),
        "ram_gib": round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 2**20, 1),
        "cpu": model,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version or "not reachable",
        "wrk": wrk.split(" [")[0].strip() or "unknown",
    }


def row(name: str, load, floor_rps: float, sql, rss) -> dict:
    return {
        "endpoint": name,
        "requests_per_s": round(load.requests_per_s, 1),
        "p50_ms": load.p50_ms,
        "p99_ms": load.p99_ms,
        "floor_a_requests_per_s": round(floor_rps, 1),
        "ratio_to_floor_a": round(load.requests_per_s / floor_rps, 3),
        "errors": load.errors,
        "requests": load.requests,
        "sql_statements": sql,
        "worker_peak_rss_mib": rss,
    }


def markdown(results: dict) -> str:
    m, s = results["machine"], results["settings"]
    lines = [
        "# Benchmark results",
        "",
        f"{m['date']}: {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, {m['os']}; "
        f"Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL {m['postgresql']}, {m['wrk']}.",
        "",
        f"gunicorn with gunicorn.conf.py, {s['workers']} sync workers, APP_ENV=production; "
        f"wrk -t{s['threads']} -c{s['connections']}, {s['seconds']} s an endpoint"
        f"{' (QUICK)' if s['quick'] else ''}. Ratio to (a): requests/s over floor (a)'s; in "
        "the tables of a database, floor (a), served beside the app, is driven again before and "
        "after each row, and the row's ratio is to the mean of the two ((a) req/s), so that "
        "each ratio holds on a shared machine whose speed moves from minute to minute.",
        "SQL/req: of a read, rendered / answered from the cache; of the write mix, create / "
        "favorite / comment / update.",
    ]
    for table in results["tables"]:
        if table.get("growth"):
            lines += growth.markdown(table)
            continue
        lines += ["", f"## {table['title']}", "", "| " + " | ".join(COLUMNS) + " |"]
        lines.append("|" + "---|" * len(COLUMNS))
        for r in table["rows"]:
            cells = [
                r["endpoint"],
                f"{r['requests_per_s']:.0f}",
                f"{r['p50_ms']:.2f}",
                f"{r['p99_ms']:.2f}",
                f"{r['floor_a_requests_per_s']:.0f}",
                f"{r['ratio_to_floor_a']:.3f}",
                str(r["errors"]),
                _statements(r["sql_statements"]),
                f"{r['worker_peak_rss_mib']:.1f}",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _statements(sql) -> str:
    # A floor runs none; the write mix has one figure a kind of request, in the mix's order.
    if sql is None:
        return "—"
    return "/".join(map(str, sql)) if isinstance(sql, list) else str(sql)


def write(results: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    path = RESULTS / "latest.md"
    path.write_text(markdown(results))
    return path
