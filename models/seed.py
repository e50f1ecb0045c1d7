"""Reproducible demo data: users, follows, articles with tags, favorites and comments."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from sqlalchemy import Table, func, insert, select

from api.extensions import db
from models import seed_text as text
from models.article import Article, favorites, slug_base
from models.comment import Comment
from models.common import utcnow
from models.tag import Tag, article_tags
from models.user import User, follows

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
    rng = random.Random(seed)
    now = utcnow()
    users = _insert(User, _users(rng, sizes.users, now - HISTORY))
    follow_rows = _follows(rng, users, sizes.follows)
    articles, tag_rows = _articles(rng, users, sizes.articles, now)
    # Some articles draw far more favorites and comments than others, as on a real site.
    popularity = list(accumulate(rng.lognormvariate(0, 1) for _ in articles))
    favorite_rows = _favorites(rng, users, articles, popularity, sizes.favorites)
    comments = _insert(Comment, _comments(rng, users, articles, popularity, sizes.comments, now))
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


def _insert(table, rows: list[dict]) -> list[dict]:
    """Rows inserted in bulk (executemany, not one ORM object each); a model's gain their `id`."""
    if not rows:
        return rows
    if isinstance(table, Table):
        db.session.execute(insert(table), rows)
        return rows
    stmt = insert(table).returning(table.id, sort_by_parameter_order=True)
    for row, row_id in zip(rows, db.session.scalars(stmt, rows), strict=True):
        row["id"] = row_id
    return rows


def _users(rng: random.Random, count: int, start: datetime) -> list[dict]:
    # argon2 is slow on purpose; every demo user has the same password, so hash it once.
    probe = User()
    probe.set_password(DEMO_PASSWORD)
    taken_names = set(db.session.scalars(select(User.username)))
    taken_emails = set(db.session.scalars(select(User.email)))
    users = []
    for fraction in sorted(rng.random() for _ in range(count)):
        name = text.username(rng)
        while name in taken_names or f"{name}@example.com" in taken_emails:
            name = f"{name}{rng.randint(0, 9)}"
        taken_names.add(name)
        joined = _moment(start - timedelta(days=30), timedelta(days=30), fraction)
        users.append(
            {
                "username": name,
                "email": f"{name}@example.com",
                "password_hash": probe.password_hash,
                "bio": text.bio(rng) if rng.random() < 0.6 else None,
                "image": _avatar(name) if rng.random() < 0.5 else None,
                "created_at": joined,
                "updated_at": joined,
            }
        )
    return users


def _follows(rng: random.Random, users: list[dict], average: int) -> list[dict]:
    fame = _zipf(len(users))  # the first users are the most followed and the most prolific
    rows = []
    for index, follower in enumerate(users):
        count = rng.randint(0, 2 * average)
        if index == 0 and average:
            count = max(count, 3)  # the demo user, whose feed a newcomer opens first
        rows += [
            {"follower_id": follower["id"], "followed_id": users[followed]["id"]}
            for followed in _distinct(rng, fame, count, exclude=index)
        ]
    return _insert(follows, rows)


def _articles(rng: random.Random, users: list[dict], count: int, now: datetime):
    """The articles, oldest first so that ids and dates grow together, and their tag rows."""
    if not count:
        return [], []
    tag_ids = {tag.name: tag.id for tag in Tag.named(list(text.TAGS))}
    tag_weights = _zipf(len(text.TAGS))
    taken = set(db.session.scalars(select(Article.slug)))
    authors = rng.choices(users, cum_weights=_zipf(len(users)), k=count)
    articles, tag_names = [], []
    for author, fraction in zip(authors, sorted(rng.random() for _ in range(count)), strict=True):
        title = text.title(rng)
        created = _moment(now - HISTORY, HISTORY, fraction)
        edited = rng.random() < 0.2
        tag_count = rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4))
        tag_names.append([text.TAGS[index] for index in _distinct(rng, tag_weights, tag_count)])
        articles.append(
            {
                "slug": _free_slug(rng, title, taken),
                "title": title,
                "description": text.sentence(rng),
                "body": text.body(rng),
                "author_id": author["id"],
                "created_at": created,
                "updated_at": _moment(created, now - created, rng.random()) if edited else created,
            }
        )
    _insert(Article, articles)
    tag_rows = [
        {"article_id": article["id"], "tag_id": tag_ids[name]}
        for article, names in zip(articles, tag_names, strict=True)
        for name in names
    ]
    return articles, _insert(article_tags, tag_rows)


def _favorites(rng, users, articles, popularity, average: int) -> list[dict]:
    if not articles:
        return []
    rows = [
        {"article_id": articles[article]["id"], "user_id": user["id"]}
        for user in users
        for article in _distinct(rng, popularity, rng.randint(0, 2 * average))
    ]
    return _insert(favorites, rows)


def _comments(rng, users, articles, popularity, count: int, now: datetime) -> list[dict]:
    if not count:
        return []
    comments = []
    for article, author in zip(
        rng.choices(articles, cum_weights=popularity, k=count),
        rng.choices(users, k=count),
        strict=True,
    ):
        published = article["created_at"]
        written = _moment(published, now - published, rng.random())
        comments.append(
            {
                "body": text.comment(rng),
                "article_id": article["id"],
                "author_id": author["id"],
                "created_at": written,
                "updated_at": written,
            }
        )
    # Ids in the order the comments were written, as the API would have given them.
    return sorted(comments, key=lambda comment: comment["created_at"])


def _free_slug(rng: random.Random, title: str, taken: set[str]) -> str:
    # The slug `free_slug` gives, with the suffix drawn from the seeded rng to stay reproducible.
    base = slug_base(title)
    slug = base
    while slug in taken:
        slug = f"{base}-{rng.getrandbits(24):06x}"
    taken.add(slug)
    return slug


def _distinct(rng: random.Random, cum_weights: list[float], count: int, exclude=None) -> list:
    """Up to `count` different indexes into the weights, heavier ones likelier; never `exclude`."""
    size = len(cum_weights)
    wanted = min(count, size - (exclude is not None))
    picked: dict = {}  # a dict keeps the order of the draws
    for _ in range(3):  # weighted draws repeat, so a few rounds almost always suffice
        for index in rng.choices(range(size), cum_weights=cum_weights, k=2 * wanted):
            if index != exclude and len(picked) < wanted:
                picked[index] = None
        if len(picked) == wanted:
            return list(picked)
    rest = [index for index in range(size) if index != exclude and index not in picked]
    return list(picked) + rng.sample(rest, wanted - len(picked))


def _zipf(count: int) -> list[float]:
    """Cumulative weights where the first members are much likelier than the last."""
    return list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(count)))


def _moment(start: datetime, span: timedelta, fraction: float) -> datetime:
    """`fraction` of the way into `span` after `start`, to the millisecond the API shows."""
    return start + timedelta(milliseconds=int(span / timedelta(milliseconds=1) * fraction))


def _avatar(name: str) -> str:
    return f"https://api.dicebear.com/9.x/initials/svg?seed={name}"
