"""gunicorn as `make serve` runs it (gunicorn.conf.py), 2 workers, in the environment the bench
gives every server; and its workers' peak memory."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
WORKERS = 2

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(app: str, environ: dict, ready_path: str, workers: int = WORKERS):
    """Serve `app` with `workers` workers until the block ends; yields (base URL, master pid)."""
    port = free_port()
    env = {**environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers)}
    # Logs go to /dev/null: written (their cost is the production one), but never to a terminal.
    master = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(master, base + ready_path, workers)
        yield base, master.pid
    finally:
        master.terminate()
        master.wait(timeout=60)


def _wait_until_ready(master: subprocess.Popen, url: str, workers: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if master.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited ({master.returncode}): try `make serve` to see why"
            )
        if len(worker_pids(master.pid)) == workers and _answers(url):
            # Each worker builds the app itself: give the second one time to finish too.
            time.sleep(1)
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within 60 s")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def worker_pids(master_pid: int) -> list[int]:
    """The master's children, found by their parent pid in /proc."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The name, in parentheses, may hold spaces: the fields after it are fixed.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == master_pid:
            pids.append(int(stat.parent.name))
    return pids


def workers_peak_rss_mib(master_pid: int) -> float:
    """The largest VmHWM (peak resident memory since start) among the workers, in MiB."""
    peaks = []
    for pid in worker_pids(master_pid):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return round(max(peaks, default=0.0), 1)
