"""Serving a read from the cache (api/cache.py), with the caller's own flags laid over it.

A read is rendered for nobody in particular and kept under its URL; `overlay(body, caller)`
then sets the caller's flags (`favorited`, `following`) on it, and the result is kept under the
URL and the caller, so that the caller's next read of it costs no query either. The feed, whose
articles depend on the caller, is kept under the URL and the caller alone. Every entry goes out
of date at the next write (api/cache.py): a caller's copy is never older than the shared one.
Each entry keeps its body's strong tag (api/etags.py) before it, hashed once when kept, so that
a 304 from the cache costs no query, no rendering and no hashing.
"""

from collections.abc import Callable
from functools import wraps

from flask import current_app, request

from api.auth import caller_id, confirm_caller, token_issued
from api.cache import current_cache
from api.encoding import answer_body, decode
from api.etags import TAG_LENGTH, tag_of

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
        entry = found.get(shared)
        if entry is None:
            response = func(*args, **kwargs)
            if response.status_code != 200:
                return response
            entry = _tagged(response.get_data())
            if caller is None or overlay is None:
                _keep(cache, version, shared or own, entry)
                response.set_etag(entry[:TAG_LENGTH].decode())
                return response
            if shared:
                _keep(cache, version, shared, entry)
        if caller is not None and overlay is not None:
            entry = _tagged(answer_body(overlay(decode(entry[TAG_LENGTH:]), caller)))
            _keep(cache, version, own, entry)
        return _respond(entry)

    return cached


def _url() -> str | None:
    query = request.query_string
    if len(query) > LONGEST_KEPT_QUERY:
        return None
    return f"{request.path}?{query.decode('latin-1')}"


def _tagged(body: bytes) -> bytes:
    return tag_of(body).encode() + body


def _keep(cache, version: int | None, key: str | None, entry: bytes) -> None:
    if cache is not None and version is not None and key:
        cache.put(key, version, entry)


def _respond(entry: bytes):
    body = entry[TAG_LENGTH:]
    response = current_app.response_class(body, mimetype=current_app.json.mimetype)
    response.set_etag(entry[:TAG_LENGTH].decode())
    return response
