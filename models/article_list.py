"""The article list: its filters, and one page of it with the number of all matches."""

from sqlalchemy import exists, func, select

from api.extensions import db
from models.article import Article, favorites
from models.tag import Tag
from models.user import User, follows


def article_filters(*, tag=None, author=None, favorited=None, feed_of: User | None = None):
    """WHERE clauses for the article list; they combine with AND."""
    clauses = []
    if tag is not None:
        clauses.append(Article.tags.any(Tag.name == tag))
    if author is not None:
        clauses.append(Article.author.has(User.username == author))
    if favorited is not None:
        fan = select(User.id).where(User.username == favorited).scalar_subquery()
        clauses.append(
            exists().where(favorites.c.article_id == Article.id, favorites.c.user_id == fan)
        )
    if feed_of is not None:
        clauses.append(
            exists().where(
                follows.c.follower_id == feed_of.id, follows.c.followed_id == Article.author_id
            )
        )
    return clauses


def article_page(clauses, *, viewer: User | None, limit: int, offset: int):
    """One page of matching articles, newest first, and the total number of matches."""
    count = db.session.scalar(select(func.count(Article.id)).where(*clauses))
    stmt = (
        Article.select(viewer)
        .where(*clauses)
        .order_by(Article.created_at.desc(), Article.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return db.session.scalars(stmt).all(), count
