"""How each read's p50 grows from the smallest size to the largest, both served at once.

Measured table by table, minutes apart, the machine's own drift passes for growth: a read
answered from the cache with no SQL at all came out 1.3x slower at 100k only because it was
among the last rows of its table. So here both sizes are served side by side, and each read
is driven on one, then at once on the other, for ROUNDS rounds; each side keeps its median p50.
"""

from statistics import median

from bench import load, server, targets

ROUNDS = 3
TARGET = 1.25  # the most a read's p50 may grow by, smallest size to largest


def measure(kind: str, small: dict, large: dict, seconds: int, app: str) -> dict:
    """`small` and `large`: a measured size's `articles`, `env` and `reads` (bench/run.py)."""
    with (
        server.serving(app, small["env"], "/healthz") as (small_base, _),
        server.serving(app, large["env"], "/healthz") as (large_base, _),
    ):
        sides = [
            (small_base, targets.retagged(small_base, small["reads"])),
            (large_base, targets.retagged(large_base, large["reads"])),
        ]
        for base, reads in sides:
            targets.warm(base, reads)
        rows = []
        for number, (name, *_) in enumerate(sides[0][1]):
            p50s, errors = ([], []), 0
            for _ in range(ROUNDS):
                for side, (base, reads) in enumerate(sides):
                    _name, path, token, tag = reads[number]
                    result = load.drive(base + path, seconds, token, tag=tag)
                    p50s[side].append(result.p50_ms)
                    errors += result.errors
            rows.append(row(name, median(p50s[0]), median(p50s[1]), errors))
    title = f"{kind}: p50 growth, {small['articles']} to {large['articles']} articles"
    return {"title": title, "database": kind, "growth": True, "rows": rows}


def row(name: str, small_ms: float, large_ms: float, errors: int) -> dict:
    growth = round(large_ms / small_ms, 2) if small_ms else None
    return {
        "endpoint": name,
        "p50_small_ms": small_ms,
        "p50_large_ms": large_ms,
        "growth": growth,
        "within_target": growth is not None and growth <= TARGET,
        "errors": errors,
    }


def markdown(table: dict) -> list[str]:
    lines = ["", f"## {table['title']}", ""]
    lines.append(f"Served side by side, driven in turns, {ROUNDS} rounds (median p50 of each).")
    lines += ["", "| endpoint | p50 ms, small | p50 ms, large | growth | at most 1.25x | errors |"]
    lines.append("|---|---|---|---|---|---|")
    for r in table["rows"]:
        cells = [
            r["endpoint"],
            f"{r['p50_small_ms']:.2f}",
            f"{r['p50_large_ms']:.2f}",
            "—" if r["growth"] is None else f"{r['growth']:.2f}x",
            "yes" if r["within_target"] else "**no**",
            str(r["errors"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines
