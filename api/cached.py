"""Serving a read from the cache (api/cache.py), with the caller's own flags laid over it."""

from collections.abc import Callable
from functools import wraps

from flask import current_app, request

from api.auth import caller_id
from api.cache import current_cache
from api.encoding import decode, encode

# Longer query strings are answered, but not kept: nobody may fill the cache with junk keys.
LONGEST_KEPT_QUERY = 512


def serve_cached(func, *, per_caller: bool, overlay: Callable | None):
    """Wrap a read whose 200 answer is the same for every caller but for the caller's flags.

    The view renders its answer for nobody in particular; it is kept under the URL (and the
    caller, when `per_caller`: the feed), and `overlay(body, caller)` sets the caller's flags
    on it, from the cache or not. Any other status passes through and is never kept.
    """

    @wraps(func)
    def cached(*args, **kwargs):
        caller = caller_id() if overlay or per_caller else None  # public: no token read
        cache = current_cache()
        key = _key(caller if per_caller else None)
        version, body = cache.fetch(key) if cache and key else (None, None)
        if body is None:
            response = func(*args, **kwargs)
            if response.status_code != 200:
                return response
            body = response.get_data()
            if version is not None:
                cache.put(key, version, body)
            if caller is None or overlay is None:
                return response
        if caller is not None and overlay is not None:
            body = encode(overlay(decode(body), caller)) + b"\n"
        return current_app.response_class(body, mimetype=current_app.json.mimetype)

    return cached


def _key(caller: int | None) -> str | None:
    query = request.query_string
    if len(query) > LONGEST_KEPT_QUERY:
        return None
    key = f"{request.path}?{query.decode('latin-1')}"
    return key if caller is None else f"{key}#{caller}"
