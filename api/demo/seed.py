"""Seeding the demo data in one transaction: the sizes asked for, bulk inserts, a summary."""

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Table, func, insert, select

from api.demo import draw, rows, text
from api.extensions import db
from models import Article, Comment, Tag, User, article_tags, favorites, follows
from models.common import utcnow

DEMO_PASSWORD = "password123"
HISTORY = timedelta(days=180)


@dataclass(frozen=True)
class Sizes:
    """How much to seed; each user follows and favorites 0 to twice the average."""

    users: int = 20
    articles: int = 100
    comments: int = 300
    follows: int = 5  # users each user follows, on average
    favorites: int = 5  # articles each user favorites, on average

    def __post_init__(self):
        for name, value in vars(self).items():
            if value < 0:
                raise ValueError(f"{name} must be 0 or more, not {value}")
        if self.users == 0 and self.articles:
            raise ValueError("articles need at least one user to write them")
        if self.articles == 0 and self.comments:
            raise ValueError("comments need at least one article to go under")


@dataclass(frozen=True)
class Summary:
    """How much was seeded, and whom a newcomer can log in as."""

    users: int
    follows: int
    articles: int
    tags: int
    favorites: int
    comments: int
    demo_email: str | None


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def seed_demo_data(sizes: Sizes, seed: int = 0) -> Summary:
    """Add the demo data in one transaction; the same seed and sizes give the same data."""
    # Two streams, so that the text Faker writes does not shift who follows or writes what.
    rng, writer = random.Random(seed), text.Writer(seed)
    now = utcnow()
    taken = _taken(User.username, User.email)
    users = _insert(
        User, rows.user_rows(rng, writer, sizes.users, now - HISTORY, _password_hash(), *taken)
    )
    follow_rows = _insert(follows, rows.follow_rows(rng, users, sizes.follows))
    articles, tag_names = rows.article_rows(
        rng, writer, users, sizes.articles, now, HISTORY, *_taken(Article.slug)
    )
    _insert(Article, articles)
    tag_ids = {tag.name: tag.id for tag in Tag.named(list(text.TAGS))} if articles else {}
    tag_rows = _insert(article_tags, rows.tag_rows(articles, tag_names, tag_ids))
    # Some articles draw far more favorites and comments than others, as on a real site.
    popularity = draw.popularity(rng, len(articles))
    favorite_rows = _insert(
        favorites, rows.favorite_rows(rng, users, articles, popularity, sizes.favorites)
    )
    comments = _insert(
        Comment, rows.comment_rows(rng, writer, users, articles, popularity, sizes.comments, now)
    )
    summary = Summary(
        users=len(users),
        follows=len(follow_rows),
        articles=len(articles),
        tags=len({row["tag_id"] for row in tag_rows}),
        favorites=len(favorite_rows),
        comments=len(comments),
        demo_email=users[0]["email"] if users else None,
    )
    db.session.commit()
    return summary


def _taken(*columns) -> list[set]:
    """The values each unique column already holds (with `--append`), for new rows to avoid."""
    return [set(db.session.scalars(select(column))) for column in columns]


def _password_hash() -> str:
    # argon2 is slow on purpose; every demo user has the same password, so hash it once.
    probe = User()
    probe.set_password(DEMO_PASSWORD)
    return probe.password_hash


def _insert(table, values: list[dict]) -> list[dict]:
    """Rows inserted in bulk (executemany, not one ORM object each); a model's gain their `id`."""
    if not values:
        return values
    if isinstance(table, Table):
        db.session.execute(insert(table), values)
        return values
    stmt = insert(table).returning(table.id, sort_by_parameter_order=True)
    for row, row_id in zip(values, db.session.scalars(stmt, values), strict=True):
        row["id"] = row_id
    return values
