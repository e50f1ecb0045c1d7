"""Pagination links: an RFC 8288 `Link` header (first, prev, next, last) on every list page.

Made outside the cache from the request's query string and the answer's body alone: the count
is read off the end of the body, where the list schemas put it, without decoding the page. So
the links of a URL and a tagged body (every cached answer; the tag is a hash of the body) are
kept in each process for its next answer of that tag: never stale, as another body has another
tag. URLs are root-relative (the request's own path and query string): a client resolves them
against the URL it called, so they stay right behind a proxy whatever host and scheme it uses.
"""

import re
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from flask import request

from schemas.common import PageSchema

PAGING = ("limit", "offset", "cursor")
DIGITS = re.compile(rb"\d+")
DEFAULT_LIMIT = PageSchema._declared_fields["limit"].load_default
EXAMPLES = {  # by whether the links are cursors (the article lists)
    True: '</api/articles?tag=dragons&limit=20>; rel="first", '
    "</api/articles?tag=dragons&limit=20&cursor=MjAuMTc3MTQ2ODU3NjYzNy4xLjEuLS40Mg.CXFEEgdYjTWBDSe->;"
    ' rel="next", </api/articles?tag=dragons&limit=20&cursor=NDAuLS4wLjAuMi40Mg.60Pqy8ZLUcS--hes>;'
    ' rel="last"',
    False: '</api/admin/users?limit=20>; rel="first", </api/admin/users?limit=20&offset=20>;'
    ' rel="next", </api/admin/users?limit=20&offset=40>; rel="last"',
}


def link_header(*, cursors: bool) -> dict:
    """The `Link` header, as the OpenAPI document describes it."""
    walked = "a `cursor` (next, prev, last) or `limit` alone (first)" if cursors else "an offset"
    return {
        "description": "RFC 8288 links to the first, previous, next and last pages, as URLs "
        "relative to the server's root that keep every filter and the `limit`: no `prev` on "
        f"the first page, no `next` on the last. Each page is reached by {walked}.",
        "schema": {"type": "string"},
        "example": EXAMPLES[cursors],
    }


class Paginating:
    """The project Blueprint's `paginated` decorator (api/rest.py)."""

    def paginated(self, *, count: str, keyset=None):
        """Send the `Link` header of a list's page (its count under `count`), and document it;
        `keyset` makes cursor links."""

        def decorator(func):
            @wraps(func)
            def linked(*args, **kwargs):
                response = func(*args, **kwargs)
                if response.status_code == 200:
                    add_links(response, count, keyset)
                return response

            header = link_header(cursors=keyset is not None)
            return self.doc(responses={200: {"headers": {"Link": header}}})(linked)

        return decorator


@dataclass(frozen=True)
class Page:
    """An answer's page: its size, place and list's length, and its cursor (decoded), if any."""

    limit: int
    offset: int
    count: int
    cursor: object | None = None

    def targets(self) -> dict[str, dict]:
        """Each link's paging arguments, by offset: past the end, prev is the last page."""
        last = max(0, (self.count - 1) // self.limit * self.limit)
        found = {"first": {}}
        if self.offset > 0:
            found["prev"] = _at(min(max(0, self.offset - self.limit), last))
        if self.offset + self.limit < self.count:
            found["next"] = _at(self.offset + self.limit)
        found["last"] = _at(last)
        return found


def _at(offset: int) -> dict:
    return {"offset": offset} if offset else {}


_made: dict[tuple, str | None] = {}  # by URL and tag; past MADE_AT_MOST, afresh
MADE_AT_MOST, NOT_MADE = 2048, object()


def add_links(response, count_key: str, keyset=None) -> None:
    """Set the `Link` header of a 200 list answer; `keyset` turns some links into cursors."""
    tag, _ = response.get_etag()
    key = (request.script_root, request.path, request.query_string, tag) if tag else None
    header = _made.get(key, NOT_MADE)
    if header is NOT_MADE:
        header = _link_header(response.get_data(), count_key, keyset)
        if key is not None:
            if len(_made) >= MADE_AT_MOST:
                _made.clear()
            _made[key] = header
    if header is not None:
        response.headers["Link"] = header


def _link_header(body: bytes, count_key: str, keyset) -> str | None:
    page = _page(body, count_key, keyset)
    if page is None:
        return None
    targets = page.targets()
    if keyset is not None:
        targets = keyset.links(body, page, targets)
    url = _url(page.limit)
    return ", ".join(
        f'<{url}{"".join(f"&{name}={value}" for name, value in arguments.items())}>; rel="{rel}"'
        for rel, arguments in targets.items()
    )


def _page(body: bytes, count_key: str, keyset) -> Page | None:
    # A 200 answer's arguments were valid, as marshmallow read them: int() reads them alike.
    args = request.args
    count = _count(body, count_key)
    if count is None:
        return None
    try:
        limit = int(args.get("limit", DEFAULT_LIMIT))
        if keyset is not None and "cursor" in args:
            cursor = keyset.read(args["cursor"])
            return Page(limit, cursor.position, count, cursor)
        return Page(limit, int(args.get("offset", 0)), count)
    except (TypeError, ValueError):
        return None


def _count(body: bytes, key: str) -> int | None:
    start = body.rfind(f'"{key}":'.encode())
    digits = DIGITS.match(body, start + len(key) + 3) if start >= 0 else None
    return int(digits[0]) if digits else None


def _url(limit: int) -> str:
    """This list's URL with its filters and `limit` (a link's offset or cursor needs no quoting)."""
    kept = [(name, value) for name, value in request.args.items(multi=True) if name not in PAGING]
    query = urlencode([*kept, ("limit", limit)])
    return f"{request.script_root}{request.path}?{query}"
