"""Pagination links: an RFC 8288 `Link` header (first, prev, next, last) on every list page.

Made outside the cache from the request's query string and the answer's count alone, so that a
cached answer gets them as cheaply as a fresh one: the count is read off the end of the body,
where the list schemas put it, without decoding the page. URLs are root-relative (the request's
own path and query string): a client resolves them against the URL it called, so they stay right
behind a proxy whatever host and scheme it answers on.
"""

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from flask import request

from schemas.common import PageSchema

PAGING = ("limit", "offset", "cursor")
DEFAULT_LIMIT = PageSchema._declared_fields["limit"].load_default
EXAMPLES = {
    # With cursors: the article lists.
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
        """Send the `Link` header of a list's page, and document it; outside the cache, from
        the query string and the answer's `count` field. `keyset` makes cursor links."""

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
    """The page an answer holds: its size, where it is in the list, the list's length, and the
    cursor it was asked with (decoded), if any."""

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


def add_links(response, count_key: str, keyset=None) -> None:
    """Set the `Link` header of a 200 list answer; `keyset` turns some links into cursors."""
    body = response.get_data()
    page = _page(body, count_key, keyset)
    if page is None:
        return
    targets = page.targets()
    if keyset is not None:
        targets = keyset.links(body, page, targets)
    url = _url(page.limit)
    response.headers["Link"] = ", ".join(
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
    if start < 0:
        return None
    start += len(key) + 3
    end = start
    while body[end : end + 1].isdigit():
        end += 1
    return int(body[start:end])


def _url(limit: int) -> str:
    """This list's URL with its filters and `limit`; each link adds an offset or a cursor, both
    of characters that need no quoting."""
    kept = [(name, value) for name, value in request.args.items(multi=True) if name not in PAGING]
    query = urlencode([*kept, ("limit", limit)])
    return f"{request.script_root}{request.path}?{query}"
