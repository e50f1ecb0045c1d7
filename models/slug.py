"""Slugs: the name of an article in its URL, derived from its title, unique among articles."""

import secrets
from typing import TYPE_CHECKING

from slugify import slugify
from sqlalchemy import ColumnElement, case, exists, literal
from sqlalchemy.orm import aliased

if TYPE_CHECKING:
    from models.article import Article


# The fixed path segments beside slugs under /api/articles/: an article never takes one, or its
# URL would lead elsewhere (tests/test_routes.py checks that the routes have no other).
ROUTE_SEGMENTS = frozenset({"feed"})


def slug_base(title: str) -> str:
    """The slug a title gives before any suffix makes it unique."""
    return slugify(title, max_length=200, word_boundary=True) or "article"


def free_slug(title: str, *, besides: "Article") -> ColumnElement[str]:
    """The slug for this title as SQL, for the INSERT or UPDATE that stores it: the plain one
    if no other row than `besides` (the article being titled) has it, else a suffixed one.

    Deciding it in that statement saves a query. Two requests that both find a slug free
    still meet at the unique constraint, where `conflicts` runs the loser again.
    """
    base = slug_base(title)
    suffixed = f"{base}-{secrets.token_hex(3)}"
    if base in ROUTE_SEGMENTS:
        return literal(suffixed)
    return case((_slug_taken(base, besides), suffixed), else_=base)


def _slug_taken(slug: str, besides: "Article") -> ColumnElement[bool]:
    # An alias: the subquery reads the other articles, never the row an UPDATE is writing.
    other = aliased(type(besides))
    taken = exists().where(other.slug == slug)
    return taken if besides.id is None else taken.where(other.id != besides.id)
