"""Rate limits on signing in and up: flask-limiter, its storage, and its 429 in the envelope."""

import math
import time

from flask import Flask, current_app, request
from flask_limiter import RateLimitExceeded
from limits import parse_many

from api.docs import record_only
from api.errors import ErrorSchema, error_response
from api.extensions import limiter

KEY = "attempts"
# The 429 as the OpenAPI document shows it (flask-smorest's `alt_response` arguments).
REFUSAL_DOC = {
    "schema": ErrorSchema,
    "description": "Too many attempts: retry after `Retry-After` seconds.",
    "examples": {"tooMany": {"value": {"errors": {KEY: ["too many, retry in 60 seconds"]}}}},
    "headers": {
        "Retry-After": {
            "description": "Seconds until the limit reached lets requests through again.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}


def init_rate_limits(app: Flask) -> None:
    """Bind the limiter: counts in Redis when REDIS_URL is set, shared by every worker and
    instance, otherwise in this process's memory. Off, the limited views run unchecked."""
    if not app.config["RATE_LIMITS_ENABLED"]:
        return
    for name in ("LOGIN_LIMIT", "LOGIN_ACCOUNT_LIMIT", "REGISTRATION_LIMIT"):
        parse_many(app.config[name])  # a bad setting refuses to start, not every request
    redis_url = app.config["REDIS_URL"]
    redis_options = {
        "key_prefix": f"{app.config['CACHE_PREFIX']}:limits",
        # A Redis that does not answer costs a request a second at most, not a worker.
        "socket_timeout": 1,
        "socket_connect_timeout": 1,
    }
    limiter.init_app(
        app,
        storage_uri=redis_url or "memory://",
        storage_options=redis_options if redis_url else {},
        # While the storage fails, count in this process's memory rather than answer 500 or
        # let every attempt through; flask-limiter tries the storage again now and then.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    app.register_error_handler(RateLimitExceeded, refuse)


def refuse(error: RateLimitExceeded):
    """429 in the envelope, saying when the limit that was reached lets requests through."""
    reached = limiter.current().current_limit
    try:
        seconds = max(1, math.ceil(reached.window.reset_time - time.time()))
    except Exception:  # the storage failed since it counted: the whole window is a safe bound
        seconds = reached.limit.get_expiry()
    return error_response(
        429, {KEY: [f"too many, retry in {seconds} seconds"]}, {"Retry-After": str(seconds)}
    )


def setting(name: str):
    """A limit read from the serving app's settings at each request."""
    return lambda: current_app.config[name]


def per_address(name: str) -> dict:
    """Every request counts against the client's address (behind PROXY_COUNT proxies)."""
    return {"limit_value": setting(name), "key_func": lambda: request.remote_addr, "scope": name}


def per_account(name: str, account, *, counting) -> dict:
    """The requests that `counting` picks by their response count against `account()`."""
    return per_address(name) | {"key_func": account, "deduct_when": counting}


class Limiting:
    """The project Blueprint's `limited` decorator (api/rest.py)."""

    def limited(self, *limits: dict):
        """Refuse a caller over any of `limits` with a 429 before parsing the body; document it."""
        documenting = self.alt_response(429, **REFUSAL_DOC)
        return lambda func: record_only(documenting, limiter.limit(func, limits))
