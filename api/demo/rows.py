"""The demo rows, as dicts for bulk inserts: who joined, follows, writes, favorites, comments."""

import random
from datetime import datetime, timedelta

from api.demo.draw import distinct_picks, fractions, moment, zipf
from api.demo.text import TAGS, Writer
from models.article import slug_base

# How many tags an article carries: one entry drawn evenly, so two is the commonest.
TAG_COUNTS = (0, 1, 1, 2, 2, 2, 3, 3, 4)


def user_rows(
    rng: random.Random,
    writer: Writer,
    count: int,
    start: datetime,
    password_hash: str,
    taken_names: set[str],
    taken_emails: set[str],
) -> list[dict]:
    """Users who joined in the month before `start`, under names and emails not yet taken."""
    rows = []
    for fraction in fractions(rng, count):
        name = writer.username()
        while name in taken_names or f"{name}@example.com" in taken_emails:
            name = f"{name}{rng.randint(0, 9)}"
        taken_names.add(name)
        joined = moment(start - timedelta(days=30), timedelta(days=30), fraction)
        rows.append(
            {
                "username": name,
                "email": f"{name}@example.com",
                "password_hash": password_hash,
                "bio": writer.bio() if rng.random() < 0.6 else None,
                "image": _avatar(name) if rng.random() < 0.5 else None,
                "created_at": joined,
                "updated_at": joined,
            }
        )
    return rows


def follow_rows(rng: random.Random, users: list[dict], average: int) -> list[dict]:
    fame = zipf(len(users))  # the first users are the most followed and the most prolific
    rows = []
    for index, follower in enumerate(users):
        count = rng.randint(0, 2 * average)
        if index == 0 and average:
            count = max(count, 3)  # the demo user, whose feed a newcomer opens first
        rows += [
            {"follower_id": follower["id"], "followed_id": users[followed]["id"]}
            for followed in distinct_picks(rng, fame, count, exclude=index)
        ]
    return rows


def article_rows(
    rng: random.Random,
    writer: Writer,
    users: list[dict],
    count: int,
    now: datetime,
    history: timedelta,
    taken: set[str],
) -> tuple[list[dict], list[list[str]]]:
    """The articles, oldest first so that ids and dates grow together, and each one's tag names."""
    if not count:
        return [], []
    tag_weights = zipf(len(TAGS))
    authors = rng.choices(users, cum_weights=zipf(len(users)), k=count)
    articles, tag_names = [], []
    for author, fraction in zip(authors, fractions(rng, count), strict=True):
        title = writer.title()
        created = moment(now - history, history, fraction)
        edited = rng.random() < 0.2
        picks = distinct_picks(rng, tag_weights, rng.choice(TAG_COUNTS))
        tag_names.append([TAGS[index] for index in picks])
        articles.append(
            {
                "slug": _free_slug(rng, title, taken),
                "title": title,
                "description": writer.description(),
                "body": writer.body(),
                "author_id": author["id"],
                "created_at": created,
                "updated_at": moment(created, now - created, rng.random()) if edited else created,
            }
        )
    return articles, tag_names


def tag_rows(articles: list[dict], tag_names: list[list[str]], tag_ids: dict) -> list[dict]:
    return [
        {"article_id": article["id"], "tag_id": tag_ids[name]}
        for article, names in zip(articles, tag_names, strict=True)
        for name in names
    ]


def favorite_rows(rng, users, articles, popularity, average: int) -> list[dict]:
    if not articles:
        return []
    return [
        {"article_id": articles[article]["id"], "user_id": user["id"]}
        for user in users
        for article in distinct_picks(rng, popularity, rng.randint(0, 2 * average))
    ]


def comment_rows(rng, writer, users, articles, popularity, count: int, now: datetime) -> list[dict]:
    if not count:
        return []
    comments = []
    for article, author in zip(
        rng.choices(articles, cum_weights=popularity, k=count),
        rng.choices(users, k=count),
        strict=True,
    ):
        published = article["created_at"]
        written = moment(published, now - published, rng.random())
        comments.append(
            {
                "body": writer.comment(),
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


def _avatar(name: str) -> str:
    return f"https://api.dicebear.com/9.x/initials/svg?seed={name}"
