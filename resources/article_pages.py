"""The article lists' keyset links: next, prev and last as cursors, read off the rendered page.

A cursor names a millisecond and how many of its articles the walk has shown (a `Seek`), both
read from the page's first or last `createdAt`s: a cached answer gets its links without a
query or decoding its body. When a page is all one millisecond and the cursor it came from says
nothing of the articles before it, that link stays an offset link: right, only slower.
"""

from datetime import datetime

from api.paging import Page
from models.article_list import Seek
from schemas.article_list import CREATED, ArticleCursor, decode_cursor, encode_cursor

read = decode_cursor  # the position of a cursor page, for api/paging.py


def page_arguments(limit: int, offset: int, cursor: ArticleCursor | None) -> dict:
    """article_page's arguments: from `offset`, or where the cursor says (offset is ignored)."""
    if cursor is None:
        return {"limit": limit, "offset": offset}
    return {"limit": min(limit, cursor.take or limit), "seek": cursor.seek}


def links(body: bytes, page: Page, targets: dict[str, dict]) -> dict[str, dict]:
    """The offset links `targets`, with next, prev and last turned into cursors."""
    cursor: ArticleCursor | None = page.cursor
    rows = body.count(CREATED)
    if cursor is not None and cursor.count != page.count and cursor.seek.older:
        # Written to since the link was made: its position is an estimate, its rows are not.
        # A full page may have more after it; a short one has none.
        targets.pop("next", None)
        if rows == page.limit:
            targets["next"] = {"offset": page.offset + page.limit}
    last = targets["last"].get("offset", 0)
    made = {}
    if last:
        made["last"] = _cursor(page, last, Seek(None, 0, False), take=page.count - last)
    if "next" in targets:
        made["next"] = _edge(body, page, targets["next"]["offset"], older=True)
    if targets.get("prev"):
        prev = targets["prev"]["offset"]
        made["prev"] = made.get("last") if rows == 0 else _edge(body, page, prev, older=False)
    return targets | {rel: {"cursor": value} for rel, value in made.items() if value}


def _edge(body: bytes, page: Page, position: int, *, older: bool) -> str | None:
    """The cursor to the page after the last row (older) or before the first one."""
    found = _run(body, last=older)
    if found is None:
        return None
    moment, run, whole = found
    came_from = page.cursor.seek if page.cursor else None
    if whole:  # every row of the page is of that millisecond: were there any before?
        if not (came_from and came_from.older == older and came_from.moment == moment):
            return None
        run += came_from.skip
    return _cursor(page, position, Seek(moment, run, older))


def _run(body: bytes, *, last: bool):
    """The page's last (or first) millisecond, how many rows in a row have it from that end,
    and whether that is every row; None for an empty page."""
    at = body.rfind(CREATED) if last else body.find(CREATED)
    if at < 0:
        return None
    moment, run = _moment_at(body, at), 1
    while True:
        at = body.rfind(CREATED, 0, at) if last else body.find(CREATED, at + 1)
        if at < 0:
            return _parse(moment), run, True
        if _moment_at(body, at) != moment:
            return _parse(moment), run, False
        run += 1


def _moment_at(body: bytes, at: int) -> bytes:
    start = at + len(CREATED)
    return body[start : body.index(b'"', start)]


def _parse(moment: bytes) -> datetime:
    return datetime.fromisoformat(moment.decode())


def _cursor(page: Page, position: int, seek: Seek, take: int | None = None) -> str:
    return encode_cursor(ArticleCursor(position, seek, take, page.count))
