"""Request ids on every response, and logs as one JSON object a line with an access line each."""

import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

import orjson
from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
# What a load balancer or a client may pass on: short and safe to log and to echo in a header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
HANDLER_NAME = "conduit-json"
# Load balancers probe every few seconds on every instance: a healthy answer is not news.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})
# What every LogRecord carries by itself; anything else was passed in `extra` and is logged.
RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

access_log = logging.getLogger("api.access")


def init_request_ids(app: Flask) -> None:
    """Give each request an id (`g.request_id`) and echo it in `X-Request-ID`."""
    app.before_request(_start_request)
    app.after_request(_echo_request_id)


def current_request_id() -> str:
    """The request's id: the caller's `X-Request-ID` when sane, else a new one."""
    if "request_id" not in g:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    return g.request_id


def _start_request() -> None:
    g.request_started = time.perf_counter()
    current_request_id()


def _echo_request_id(response):
    # Lazy: a request that failed before `_start_request` ran still gets an id.
    response.headers[REQUEST_ID_HEADER] = current_request_id()
    return response


def init_logging(app: Flask) -> None:
    """JSON lines on stderr for the whole process, and an access line for each request.

    On unless TESTING (so tests stay quiet); `LOG_JSON` forces it on or off.
    """
    enabled = app.config["LOG_JSON"]
    if enabled is None:
        enabled = not app.testing
    if not enabled:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.name = HANDLER_NAME
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    # Idempotent: a second app in the same process replaces the handler, never doubles it.
    for existing in [h for h in root.handlers if h.name == HANDLER_NAME]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    # Flask's own stderr handler would print each app.logger line a second time, as text.
    app.logger.removeHandler(default_handler)
    app.after_request(_log_access)


def _log_access(response):
    started = g.get("request_started")
    duration_ms = None if started is None else round((time.perf_counter() - started) * 1e3, 1)
    quiet = request.path in QUIET_PATHS and response.status_code < 400
    access_log.log(
        logging.DEBUG if quiet else logging.INFO,
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            # The path only: query strings and headers (Authorization) are never logged.
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "remote_addr": request.remote_addr,
        },
    )
    return response


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request it was logged in, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, then the record's extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        attributes = vars(record)
        entry.update((key, attributes[key]) for key in attributes.keys() - RECORD_ATTRIBUTES)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: an odd extra value must not cost the whole line.
        return orjson.dumps(entry, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
