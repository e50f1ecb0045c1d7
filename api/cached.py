"""Serving a read from the cache (api/cache.py), with the caller's own flags laid over it.

A read is rendered for nobody in particular and kept under its URL; `overlay(body, caller)`
then sets the caller's flags (`favorited`, `following`) on it, and the result is kept under the
URL and the caller, so that the caller's next read of it costs no query either. The feed, whose
articles depend on the caller, is kept under the URL and the caller alone. Every entry goes out
of date at the next write (api/cache.py): a caller's copy is never older than the shared one.
"""

from collections.abc import Callable
from functools import wraps

from flask import current_app, request

from api.auth import caller_id, confirm_caller, token_issued
from api.cache import current_cache
from api.encoding import decode, encode

# Longer query strings are answered, but not kept: nobody may fill the cache with junk keys.
LONGEST_KEPT_QUERY = 512


def serve_cached(func, *, per_caller: bool, overlay: Callable | None):
    """Wrap a read whose 200 answer is the same for every caller but for the caller's flags;
    any other status passes through and is never kept."""

    @wraps(func)
    def cached(*args, **kwargs):
        caller = caller_id() if overlay or per_caller else None  # public: no token read
        url = _url()
        cache = current_cache() if url else None
        # Kept per token, not only per caller: a token a new password has revoked never finds
        # an answer that the token issued with that password left.
        own = f"{url}#{caller}@{token_issued()}" if url and caller is not None else None
        shared = None if per_caller else url
        keys = [key for key in (own, shared) if key]
        version, bodies = cache.fetch_all(keys) if cache and keys else (None, [None] * len(keys))
        found = dict(zip(keys, bodies, strict=True))
        if found.get(own) is not None:
            confirm_caller(True)  # it was there at this version: so was the caller
            return _respond(found[own])
        body = found.get(shared)
        if body is None:
            response = func(*args, **kwargs)
            if response.status_code != 200:
                return response
            body = response.get_data()
            if caller is None or overlay is None:
                _keep(cache, version, shared or own, body)
                return response
            if shared:
                _keep(cache, version, shared, body)
        if caller is not None and overlay is not None:
            body = encode(overlay(decode(body), caller)) + b"\n"
            _keep(cache, version, own, body)
        return _respond(body)

    return cached


def _url() -> str | None:
    query = request.query_string
    if len(query) > LONGEST_KEPT_QUERY:
        return None
    return f"{request.path}?{query.decode('latin-1')}"


def _keep(cache, version: int | None, key: str | None, body: bytes) -> None:
    if cache is not None and version is not None and key:
        cache.put(key, version, body)


def _respond(body: bytes):
    return current_app.response_class(body, mimetype=current_app.json.mimetype)
