"""Conditional requests: strong entity tags, If-None-Match answered by 304, If-Match by 412.

A tag is a hash of the exact bytes a caller is answered, so it changes whenever they do and
two callers share one only when their answers are byte for byte the same. A cached read keeps
its tag with its body (api/cached.py): a 304 from the cache costs no SQL and no rendering.
"""

import hashlib
from collections.abc import Callable
from copy import deepcopy
from functools import wraps

from flask import current_app, request

from api.errors import DOCUMENTED_ERRORS, abort

TAG_LENGTH = 32  # hex digits of a 16-byte BLAKE2b digest
READS = ("GET", "HEAD")
HEADER = {"in": "header", "required": False, "schema": {"type": "string"}}
IF_NONE_MATCH = HEADER | {
    "name": "If-None-Match",
    "description": "Tags of answers the client holds (`*`, a list, `W/` tags alike): when one "
    "is the current answer's, a 304 with no body.",
}
IF_MATCH = HEADER | {
    "name": "If-Match",
    "description": "Go ahead only if the resource is still as the tag says (strong comparison; "
    "`*`: as long as it exists); otherwise a 412 and nothing changes. Optional.",
}
ETAG = {"description": "The answer's strong entity tag.", "schema": {"type": "string"}}
NOT_MODIFIED = {"description": "The tag sent in If-None-Match is still current: no body."}


def tag_of(body: bytes) -> str:
    """The strong tag (unquoted) of exactly these bytes."""
    return hashlib.blake2b(body, digest_size=TAG_LENGTH // 2).hexdigest()


def conditional(func, *, of: Callable | None, key: str | None, errors: Callable):
    """Tag a read's 200 and answer a matching If-None-Match with 304; check a write's If-Match
    (412 under `key`) and tag its answer. `of(**kwargs)` gives the tag without rendering;
    without it a read's tag is its answer's, and a write's what the GET of its URL gives now."""
    read = func.__name__ == "get"

    @wraps(func)
    def checked(*args, **kwargs):
        if read:
            return _read(checked, func, args, kwargs, of)
        if key and request.if_match:  # no header, or a blank one: as before
            current = of(**kwargs) if of else _read_now(args[0])
            if current is None or not request.if_match.contains(current):
                abort(412, key, DOCUMENTED_ERRORS[412][1])
        response = func(*args, **kwargs)
        if response.status_code in (200, 201):
            response.set_etag(of(**kwargs) if of else tag_of(response.get_data()))
        return response

    checked._apidoc = deepcopy(getattr(func, "_apidoc", {})) | {
        "etag": {"read": read, "if_match": bool(key)}
    }
    return errors(412, key)(checked) if key else checked


def _read(view, func, args, kwargs, of):
    # A tag of the resource's state (the current user's: its token is new in every answer)
    # is known before rendering; HTTP caches must not revalidate such an answer on their own.
    tag = of(**kwargs) if of else None
    if tag is not None and _held(tag):
        return _not_modified(current_app.response_class(), tag, view, of)
    response = func(*args, **kwargs)
    if response.status_code != 200:
        return response
    tag = tag or response.get_etag()[0] or tag_of(response.get_data())
    return (
        _not_modified(response, tag, view, of) if _held(tag) else _tagged(response, tag, view, of)
    )


def _held(tag: str) -> bool:
    return request.method in READS and request.if_none_match.contains_weak(tag)


def _not_modified(response, tag: str, view, of):
    response.status_code = 304
    response.set_data(b"")
    return _tagged(response, tag, view, of)


def _tagged(response, tag: str, view, of):
    response.set_etag(tag)
    if not getattr(view, "takes_no_token", False):
        response.vary.add("Authorization")  # the answer, and so its tag, is the caller's
    if of is not None:
        response.cache_control.no_store = True
    return response


def _read_now(resource) -> str | None:
    """The tag the GET of this URL would give the caller now (from the cache when kept)."""
    response = type(resource).get(resource, **request.view_args)
    return response.get_etag()[0] if response.status_code == 200 else None


def document(doc: dict, doc_info: dict, *, method: str, **_) -> dict:
    """flask-smorest's hook for its own ETag feature, documenting this one instead."""
    if "etag" not in doc_info:
        return doc
    read = doc_info["etag"]["read"]
    # Copies: an object shared by two places in the document is an alias in its YAML.
    if read or doc_info["etag"]["if_match"]:  # a write without a `key` only tags its answer
        doc.setdefault("parameters", []).append(deepcopy(IF_NONE_MATCH if read else IF_MATCH))
    for status in doc_info.get("success_status_codes", []):
        if status != 204:
            doc["responses"][status].setdefault("headers", {})["ETag"] = deepcopy(ETAG)
    if read:
        doc["responses"][304] = NOT_MODIFIED | {"headers": {"ETag": deepcopy(ETAG)}}
    return doc


class Conditional:
    """The project Blueprint's `etag` decorator (api/rest.py)."""

    # flask-smorest's hook for documenting its own ETag feature documents this one instead.
    _prepare_etag_doc = staticmethod(document)

    def etag(self, *, of=None, key: str | None = None):
        """Conditional requests: ETag, 304; If-Match, a 412 under `key`."""
        return lambda func: conditional(func, of=of, key=key, errors=self.errors)
