"""wrk at a fixed concurrency, its report parsed; one curl a request for its SQL statements."""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONNECTIONS = 32
THREADS = 2
UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}
SQL_COUNT_HEADER = "x-sql-statements"


@dataclass
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int  # answers that are not 2xx, plus socket errors
    requests: int


def drive(
    url: str, seconds: int, token: str | None = None, writes: tuple = (), tag: str | None = None
) -> Load:
    """Run wrk on `url`; with `writes` (token, slug, own slug), the write mix instead; with
    `tag`, each request sends it in If-None-Match and must be answered 304."""
    script = HERE / ("writes.lua" if writes else "count.lua")
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    command += ["--timeout", "10s", "-s", str(script)]
    if token and not writes:
        command += ["-H", f"Authorization: Token {token}"]
    if tag:
        command += ["-H", f"If-None-Match: {tag}"]
    command += [url, "--", *(writes or (["304"] if tag else []))]
    report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse(report)


def parse(report: str) -> Load:
    """The figures of wrk's `--latency` report, plus the scripts' `non-2xx:` line."""
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    return Load(
        requests_per_s=float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1)),
        p50_ms=_latency(report, "50"),
        p99_ms=_latency(report, "99"),
        errors=int(re.search(r"non-2xx: (\d+)", report).group(1))
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
        requests=int(re.search(r"(\d+) requests in", report).group(1)),
    )


def _latency(report: str, percentile: str) -> float:
    value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", report, re.M).groups()
    return round(float(value) * UNITS_MS[unit], 2)


def statements(
    url: str, token=None, method="GET", body="", *, again: bool = False, tag: str | None = None
) -> int:
    """One request's SQL statements, from `X-SQL-Statements`; it must answer a 2xx (a 304 when
    it sends `tag` in If-None-Match). `again`: of the second of two identical requests (the
    first has left its answer in the cache)."""
    if again:
        statements(url, token, method, body, tag=tag)
    command = ["curl", "-sS", "-o", "/dev/null", "-D", "-", "-X", method, url]
    if token:
        command += ["-H", f"Authorization: Token {token}"]
    if tag:
        command += ["-H", f"If-None-Match: {tag}"]
    if body:
        command += ["-H", "Content-Type: application/json", "--data", body]
    headers = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    status = int(headers.split()[1])
    if status != 304 if tag else not 200 <= status < 300:
        raise RuntimeError(f"{method} {url} answered {status}")
    for line in headers.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == SQL_COUNT_HEADER:
            return int(value)
    raise RuntimeError(f"{method} {url} sent no {SQL_COUNT_HEADER} header")
