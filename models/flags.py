"""What a caller has marked: the articles they favorited and the users they follow."""

from sqlalchemy import Integer, bindparam, literal_column, select, union_all

from api.extensions import db
from models.article import Article, favorites
from models.user import User, follows

CALLER = bindparam("caller", type_=Integer)
# Built once: whether the caller exists, which of the slugs they favorited, which of the
# usernames they follow. One round trip, whatever the number of slugs and usernames.
MARKS = union_all(
    select(literal_column("'me'").label("kind"), User.username.label("name")).where(
        User.id == CALLER, User.accepting(bindparam("issued", type_=Integer))
    ),
    select(literal_column("'f'"), Article.slug)
    .join(favorites, favorites.c.article_id == Article.id)
    .where(favorites.c.user_id == CALLER, Article.slug.in_(bindparam("slugs", expanding=True))),
    select(literal_column("'u'"), User.username)
    .join(follows, follows.c.followed_id == User.id)
    .where(
        follows.c.follower_id == CALLER,
        User.username.in_(bindparam("usernames", expanding=True)),
    ),
)


def caller_flags(
    caller_id: int, issued: int, *, slugs=(), usernames=()
) -> tuple[set[str], set[str]] | None:
    """Of these slugs, those the caller favorited; of these usernames, those they follow.

    None when there is no user of that id (any more), or their token, `issued` then, no
    longer works (a new password since, or a suspension).
    """
    params = {"caller": caller_id, "issued": issued, "slugs": list(slugs)}
    params["usernames"] = list(usernames)
    # A connection of its own in autocommit: a read served from the cache opens no transaction
    # (on PostgreSQL, a BEGIN and a ROLLBACK: two round trips more than the query itself).
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        rows = connection.execute(MARKS, params).all()
    marked = {"me": set(), "f": set(), "u": set()}
    for kind, name in rows:
        marked[kind].add(name)
    return (marked["f"], marked["u"]) if marked["me"] else None
