"""gunicorn's settings for production, from the environment: see the README's Production section."""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _cores() -> int:
    # The cores this process may use (a container's CPU set), not the host's.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{_int('PORT', 8000)}"

# Sync workers, one request each: 2 a core plus one is gunicorn's rule of thumb. The cap keeps a
# big host from opening more database connections than PostgreSQL allows (100 by default),
# once every instance is counted.
workers = _int("WEB_CONCURRENCY", min(2 * _cores() + 1, 8))
# More than 1 switches to the threaded worker (gthread): for clients that are slow to send or
# read, when no buffering proxy stands in front.
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)  # a worker silent this long is killed and replaced
graceful_timeout = 30  # on SIGTERM, in-flight requests get this long to finish
# Idle keep-alive connections (gthread only): keep it above the load balancer's idle timeout,
# or the balancer may reuse a connection the worker is closing, and answer 502.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Each worker imports and builds the app itself: no database connection is shared across a
# fork, and a HUP reloads the code.
preload_app = False

# The app logs one JSON access line a request (with its request id, api/logs.py); gunicorn's
# own, whose format cannot escape JSON, stays off. gunicorn's lifecycle lines (booting, worker
# exits) go to stderr in its text format.
accesslog = None
errorlog = "-"
loglevel = (os.environ.get("LOG_LEVEL") or "info").lower()

proc_name = "conduit-api"
# Workers' heartbeat files in memory: a container's /tmp may be a slow overlay.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn 25+ opens a control socket at one fixed path per user, on which several instances on
# one host would collide; nothing here uses `gunicornc`.
control_socket_disable = True
