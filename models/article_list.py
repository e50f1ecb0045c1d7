"""The article list: its filters, and one page of it with the number of all matches."""

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import exists, func, select
from sqlalchemy.orm import load_only, selectinload

from api.extensions import db
from models.article import Article, favorites
from models.common import ONE_MILLISECOND
from models.moderation import suspended_ids
from models.tag import Tag
from models.user import User, follows

# What a list item shows: no body, and of its author only the profile (no email or hash).
LISTED = (
    *(Article.slug, Article.title, Article.description),
    *(Article.author_id, Article.created_at, Article.updated_at),
)
PROFILE = (User.username, User.bio, User.image)


def article_filters(*, tag=None, author=None, favorited=None, feed_of: int | None = None):
    """WHERE clauses for the article list; they combine with AND. `feed_of`: a user's id.
    The articles of suspended users are left out of every list."""
    clauses = [Article.author_id.not_in(suspended_ids())]
    if tag is not None:
        clauses.append(Article.tags.any(Tag.name == tag))
    if author is not None:
        # A comparison with the author's id, not EXISTS: the page then walks the index of the
        # author's articles in order.
        clauses.append(Article.author_id == _user_id(author))
    if favorited is not None:
        fan = _user_id(favorited)
        clauses.append(
            exists().where(favorites.c.article_id == Article.id, favorites.c.user_id == fan)
        )
    if feed_of is not None:
        clauses.append(
            exists().where(
                follows.c.follower_id == feed_of, follows.c.followed_id == Article.author_id
            )
        )
    return clauses


def _user_id(username: str):
    """The id of the user of that name, unless suspended, as a subquery."""
    stmt = select(User.id).where(User.username == username, User.suspended_at.is_(None))
    return stmt.scalar_subquery()


class Seek(NamedTuple):
    """Where a keyset page starts: beside the articles written in the millisecond `moment`,
    `skip` of which the pages walked so far showed, going on to older articles (`older`) or
    back to newer ones; back from the oldest article of all when `moment` is None.

    A millisecond, not a row's exact key: it is what a rendered page shows (`createdAt`), so a
    cached answer's links need no query; within it, ties are taken in the list's own order.
    """

    moment: datetime | None
    skip: int
    older: bool


NEWEST_FIRST = (Article.created_at.desc(), Article.id.desc())


def article_page(clauses, *, limit: int, offset: int = 0, seek: Seek | None = None):
    """One page of matching articles as anyone sees them, newest first, and the number of all
    matches (the caller's flags are laid over it by the resource): four statements. With
    `seek`, the page starts there instead of at `offset`: it walks an index from that moment
    on rather than past every article before it."""
    count = db.session.scalar(select(func.count(Article.id)).where(*clauses))
    stmt = (
        # Its counts and (no one's) flags, with only what a list item shows of it and its author.
        Article.select(None)
        .options(load_only(*LISTED), selectinload(Article.author).load_only(*PROFILE))
        .where(*clauses)
    )
    if seek is None:
        stmt = stmt.order_by(*NEWEST_FIRST).offset(offset)
    elif seek.older:
        stmt = stmt.where(Article.created_at < seek.moment + ONE_MILLISECOND)
        stmt = stmt.order_by(*NEWEST_FIRST).offset(seek.skip)
    else:
        if seek.moment is not None:
            stmt = stmt.where(Article.created_at >= seek.moment)
        stmt = stmt.order_by(Article.created_at, Article.id).offset(seek.skip)
    articles = db.session.scalars(stmt.limit(limit)).all()
    return (articles[::-1] if seek and not seek.older else articles), count
