"""What a caller has marked: the articles they favorited and the users they follow."""

from sqlalchemy import literal, select, union_all

from api.extensions import db
from models.article import Article, favorites
from models.user import User, follows

FAVORITED, FOLLOWED = "f", "u"


def caller_flags(caller: User, *, slugs=(), usernames=()) -> tuple[set[str], set[str]]:
    """Of these slugs, those the caller favorited; of these usernames, those they follow.

    One statement for both, whatever the number of each (none at all when both are empty).
    """
    parts = []
    if slugs:
        parts.append(
            select(literal(FAVORITED).label("kind"), Article.slug.label("name"))
            .join(favorites, favorites.c.article_id == Article.id)
            .where(favorites.c.user_id == caller.id, Article.slug.in_(list(slugs)))
        )
    if usernames:
        parts.append(
            select(literal(FOLLOWED).label("kind"), User.username.label("name"))
            .join(follows, follows.c.followed_id == User.id)
            .where(follows.c.follower_id == caller.id, User.username.in_(list(usernames)))
        )
    if not parts:
        return set(), set()
    rows = db.session.execute(parts[0] if len(parts) == 1 else union_all(*parts)).all()
    marked = {FAVORITED: set(), FOLLOWED: set()}
    for kind, name in rows:
        marked[kind].add(name)
    return marked[FAVORITED], marked[FOLLOWED]
