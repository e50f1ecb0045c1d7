"""The demo data looks like a real site's: valid names, spread-out dates, skewed popularity."""

import re
from random import Random

import pytest
from sqlalchemy import delete, func, select

from api.demo import HISTORY, Sizes, seed_demo_data, text
from api.demo.draw import distinct_picks, zipf
from api.demo.text import TAGS, Writer
from api.extensions import db
from models import Article, Comment, User, article_tags, follows
from models.common import as_utc, utcnow

USERNAME = re.compile(r"[\w.-]{1,64}")

pytestmark = pytest.mark.every_database  # seeding writes through each database's SQL


@pytest.fixture
def seeded(app):
    with app.app_context():
        summary = seed_demo_data(Sizes(users=40, articles=120, comments=200), seed=3)
        yield summary


def test_users_have_valid_unique_names_and_sometimes_no_bio_or_image(seeded):
    users = db.session.scalars(select(User)).all()

    assert all(USERNAME.fullmatch(user.username) for user in users)
    assert len({user.email for user in users}) == len(users)
    assert all(user.email == user.email.lower() for user in users)
    assert {user.bio is None for user in users} == {True, False}
    assert {user.image is None for user in users} == {True, False}


def test_nobody_follows_themselves(seeded):
    pairs = db.session.execute(select(follows)).all()

    assert pairs and all(follower != followed for follower, followed in pairs)


def test_articles_are_spread_over_the_past_months_oldest_first(seeded):
    articles = db.session.scalars(select(Article).order_by(Article.id)).all()
    created = [as_utc(article.created_at) for article in articles]

    assert created == sorted(created)
    assert utcnow() - HISTORY <= created[0] < created[-1] <= utcnow()
    assert created[-1] - created[0] > HISTORY / 2
    assert all(as_utc(a.updated_at) >= as_utc(a.created_at) for a in articles)
    assert any(a.updated_at != a.created_at for a in articles)


def test_articles_carry_zero_to_four_known_tags(seeded):
    per_article = dict(
        db.session.execute(
            select(Article.id, func.count(article_tags.c.tag_id))
            .outerjoin(article_tags)
            .group_by(Article.id)
        ).all()
    )

    assert set(per_article.values()) <= {0, 1, 2, 3, 4}
    assert len(set(per_article.values())) > 1
    assert {tag.name for a in db.session.scalars(select(Article)) for tag in a.tags} <= set(TAGS)


def test_comments_come_after_their_article_in_the_order_they_were_written(seeded):
    comments = db.session.scalars(select(Comment).order_by(Comment.id)).all()
    written = [as_utc(comment.created_at) for comment in comments]

    assert written == sorted(written)
    assert all(as_utc(c.created_at) >= as_utc(c.article.created_at) for c in comments)
    assert len({comment.author_id for comment in comments}) > 10


def test_some_authors_write_much_more_than_others(seeded):
    counts = db.session.scalars(
        select(func.count(Article.id)).group_by(Article.author_id).order_by(func.count().desc())
    ).all()

    assert counts[0] >= 4 * counts[-1]


def test_distinct_picks_fill_up_even_when_the_weights_are_skewed():
    weights = [*zipf(3), 1e9]  # the last index is drawn almost every time

    picked = distinct_picks(Random(0), weights, 4)

    assert sorted(picked) == [0, 1, 2, 3]
    assert sorted(distinct_picks(Random(0), weights, 9, exclude=3)) == [0, 1, 2]


@pytest.mark.parametrize("sizes", [{"users": -1}, {"comments": -3}, {"follows": -1}])
def test_sizes_are_never_negative(sizes):
    with pytest.raises(ValueError, match="must be 0 or more"):
        Sizes(**sizes)


def test_seeded_users_share_one_password_hash(app):
    # argon2 is slow on purpose: hashing once is what keeps a large seed to seconds.
    with app.app_context():
        seed_demo_data(Sizes(users=300, articles=10, comments=0), seed=1)
        hashes = db.session.scalars(select(User.password_hash).distinct()).all()
    assert len(hashes) == 1


def written(sizes: Sizes, seed: int) -> dict:
    """Seed an empty database and read back the text Faker wrote, by row order."""
    seed_demo_data(sizes, seed)
    return {
        "users": db.session.execute(select(User.username, User.bio).order_by(User.id)).all(),
        "articles": db.session.execute(
            select(Article.title, Article.slug, Article.description, Article.body).order_by(
                Article.id
            )
        ).all(),
        "comments": db.session.scalars(select(Comment.body).order_by(Comment.id)).all(),
    }


def empty_everything() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def split_sentences(prose: str) -> list[str]:
    return [f"{sentence}." for sentence in prose.removesuffix(".").split(". ")]


def test_the_same_seed_writes_the_same_text_on_an_empty_database(app):
    sizes = Sizes(users=30, articles=40, comments=60)
    with app.app_context():
        first = written(sizes, seed=5)
        empty_everything()
        second = written(sizes, seed=5)
        empty_everything()
        other = written(sizes, seed=6)

    assert first == second
    assert len({name for name, _ in first["users"]}) == 30
    assert other["users"] != first["users"]
    assert other["articles"] != first["articles"]


def test_articles_have_markdown_bodies_of_several_paragraphs(seeded):
    bodies = db.session.scalars(select(Article.body)).all()

    assert all(body.count("\n\n") >= 1 for body in bodies)
    assert any(body.startswith("## ") or "\n\n## " in body for body in bodies)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_usernames_are_valid_lower_case_handles(seed):
    writer = Writer(seed)
    names = [writer.username() for _ in range(2000)]

    assert all(USERNAME.fullmatch(name) for name in names)
    assert all(name == name.lower() for name in names)
    assert len(set(names)) > 1500


def test_usernames_lose_the_characters_the_api_refuses(monkeypatch):
    writer = Writer(0)
    monkeypatch.setattr(writer.fake, "user_name", lambda: "Zoë O'Brien-Smith")
    assert writer.username() == "zoëobrien-smith"
    monkeypatch.setattr(writer.fake, "user_name", lambda: "'!'")
    assert writer.username() == "reader"


def test_past_the_pool_prose_reuses_the_sentences_already_written(monkeypatch):
    monkeypatch.setattr(text, "SENTENCE_POOL", 10)
    writer = Writer(0)
    fresh = [writer.description() for _ in range(10)]

    reused = [writer.comment() for _ in range(50)]

    assert len(set(fresh)) == 10
    assert {part for comment in reused for part in split_sentences(comment)} <= set(fresh)
