"""The demo data looks like a real site's: valid names, spread-out dates, skewed popularity."""

import re
from random import Random

import pytest
from sqlalchemy import func, select

from api.extensions import db
from models import Article, Comment, User, article_tags, follows
from models.common import as_utc, utcnow
from models.seed import HISTORY, Sizes, _distinct, _zipf, seed_demo_data
from models.seed_text import TAGS


@pytest.fixture
def seeded(app):
    with app.app_context():
        summary = seed_demo_data(Sizes(users=40, articles=120, comments=200), seed=3)
        yield summary


def test_users_have_valid_unique_names_and_sometimes_no_bio_or_image(seeded):
    users = db.session.scalars(select(User)).all()

    assert all(re.fullmatch(r"[\w.-]{1,64}", user.username) for user in users)
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
    weights = [*_zipf(3), 1e9]  # the last index is drawn almost every time

    picked = _distinct(Random(0), weights, 4)

    assert sorted(picked) == [0, 1, 2, 3]
    assert sorted(_distinct(Random(0), weights, 9, exclude=3)) == [0, 1, 2]


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
