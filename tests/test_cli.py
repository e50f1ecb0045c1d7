"""`flask seed`: demo data the API serves, the same for the same seed, never doubled by accident."""

import re
import shutil

import pytest
from sqlalchemy import func, select

from api import create_app
from api.demo import DEMO_PASSWORD
from api.demo.text import TAGS
from api.extensions import db
from models import Article, Comment, User, favorites, follows
from tests.conftest import TEST_CONFIG, ApiClient, sqlite_url

pytestmark = pytest.mark.every_database  # seeding writes through each database's SQL

SMALL = ["--users", "12", "--articles", "30", "--comments", "45"]


@pytest.fixture
def other_app(migrated_template, tmp_path):
    """A second app, on a fresh SQLite database of its own (whatever the `app` fixture's)."""
    path = tmp_path / "other.sqlite3"
    shutil.copyfile(migrated_template, path)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url(path)})
    yield app
    with app.app_context():
        db.engine.dispose()


def seed(app, *options):
    return app.test_cli_runner().invoke(args=["seed", *options])


def seeded(app, *options) -> str:
    result = seed(app, *options)
    assert result.exit_code == 0, result.output
    return result.output


def rows(app, what) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(what))


def summary(output: str) -> dict[str, int]:
    return {kind: int(n) for kind, n in re.findall(r"^ +(\w+) +(\d+)$", output, re.MULTILINE)}


def demo_login(output: str) -> dict:
    email = re.search(r"Log in as (\S+), password (\S+)", output)
    assert email.group(2) == DEMO_PASSWORD
    return {"email": email.group(1), "password": DEMO_PASSWORD}


def all_articles(api, path="/api/articles") -> dict:
    body = api.get(f"{path}?limit=100").get_json()
    assert len(body["articles"]) == body["articlesCount"]
    return body


def snapshot(app) -> dict:
    """What the seed wrote, by name rather than id, less the timestamps (they follow the clock)."""
    api = ApiClient(app.test_client())
    articles = all_articles(api)["articles"]
    with app.app_context():
        users = dict(db.session.execute(select(User.id, User.username)).all())
        slugs = dict(db.session.execute(select(Article.id, Article.slug)).all())
        profiles = db.session.execute(
            select(User.username, User.email, User.bio, User.image).order_by(User.id)
        )
        comments = db.session.execute(
            select(Comment.article_id, Comment.author_id, Comment.body).order_by(Comment.id)
        )
        return {
            "users": profiles.all(),
            "follows": sorted(
                (users[follower], users[followed])
                for follower, followed in db.session.execute(select(follows))
            ),
            "comments": [(slugs[on], users[by], body) for on, by, body in comments],
            "articles": [
                (a["slug"], a["title"], a["tagList"], a["favoritesCount"], a["author"]["username"])
                for a in articles
            ],
        }


def test_seed_fills_the_requested_sizes(app):
    output = seeded(app, *SMALL)

    assert (rows(app, User), rows(app, Article), rows(app, Comment)) == (12, 30, 45)
    assert summary(output) == {
        "users": 12,
        "follows": rows(app, follows),
        "articles": 30,
        "tags": summary(output)["tags"],
        "favorites": rows(app, favorites),
        "comments": 45,
    }
    assert 0 < summary(output)["tags"] <= len(TAGS)
    assert rows(app, follows) > 0 and rows(app, favorites) > 0
    assert f'password is "{DEMO_PASSWORD}"' in output


def test_seed_has_defaults(app):
    output = seeded(app)

    assert summary(output)["users"] == 20
    assert summary(output)["articles"] == 100
    assert summary(output)["comments"] == 300


def test_the_api_serves_the_seeded_data(app, api):
    output = seeded(app, *SMALL)

    articles = all_articles(api)
    assert articles["articlesCount"] == 30
    favorite_counts = [article["favoritesCount"] for article in articles["articles"]]
    assert sum(favorite_counts) == rows(app, favorites) == summary(output)["favorites"]
    tags = api.get("/api/tags").get_json()["tags"]
    assert tags and set(tags) <= set(TAGS)
    assert len(tags) == summary(output)["tags"]
    commented = max(articles["articles"], key=lambda article: article["favoritesCount"])
    assert api.get(f"/api/articles/{commented['slug']}").status_code == 200


def test_the_demo_user_logs_in_and_has_a_feed(app, api):
    login = demo_login(seeded(app, *SMALL))

    response = api.post("/api/users/login", json={"user": login})

    assert response.status_code == 200, response.get_json()
    user = response.get_json()["user"]
    with app.app_context():
        followed = select(follows.c.followed_id).where(
            follows.c.follower_id
            == select(User.id).where(User.username == user["username"]).scalar_subquery()
        )
        expected = db.session.scalar(
            select(func.count(Article.id)).where(Article.author_id.in_(followed))
        )
    feed = all_articles(api.as_user(user), "/api/articles/feed")
    assert feed["articlesCount"] == expected > 0


def test_every_seeded_user_shares_the_documented_password(app, api):
    seeded(app, "--users", "5", "--articles", "0", "--comments", "0")
    with app.app_context():
        emails = db.session.scalars(select(User.email)).all()

    for email in emails:
        login = {"user": {"email": email, "password": DEMO_PASSWORD}}
        assert api.post("/api/users/login", json=login).status_code == 200


def test_the_same_seed_gives_the_same_data(app, other_app):
    seeded(app, *SMALL, "--seed", "7")
    seeded(other_app, *SMALL, "--seed", "7")

    assert snapshot(app) == snapshot(other_app)


def test_another_seed_gives_other_data(app, other_app):
    seeded(app, *SMALL, "--seed", "7")
    seeded(other_app, *SMALL, "--seed", "8")

    first, second = snapshot(app), snapshot(other_app)
    assert first["users"] != second["users"]
    assert first["articles"] != second["articles"]


def test_a_database_with_users_is_left_alone(app, api, jake):
    result = seed(app, *SMALL)

    assert result.exit_code == 1
    assert "already has users (1)" in result.output
    assert "--append" in result.output
    assert (rows(app, User), rows(app, Article)) == (1, 0)


def test_append_adds_to_the_existing_users(app, api, jake):
    seeded(app, *SMALL, "--append")

    assert rows(app, User) == 13
    assert (
        api.post(
            "/api/users/login", json={"user": {"email": jake["email"], "password": "password123"}}
        ).status_code
        == 200
    )


def test_appending_the_same_seed_again_keeps_names_and_slugs_unique(app, api):
    seeded(app, *SMALL)
    seeded(app, *SMALL, "--append")

    assert (rows(app, User), rows(app, Article), rows(app, Comment)) == (24, 60, 90)
    with app.app_context():
        emails = db.session.scalars(select(User.email)).all()
    assert len(set(emails)) == 24
    assert all_articles(api)["articlesCount"] == 60


def test_nothing_to_seed_seeds_nothing(app):
    output = seeded(app, "--users", "0", "--articles", "0", "--comments", "0")

    assert set(summary(output).values()) == {0}
    assert "Log in as" not in output
    assert rows(app, User) == 0


@pytest.mark.parametrize(
    "option", ["--users", "--articles", "--comments", "--follows", "--favorites"]
)
def test_negative_sizes_are_rejected(app, option):
    result = seed(app, option, "-1")

    assert result.exit_code == 2
    assert f"Invalid value for '{option}': -1 is not in the range x>=0" in result.output
    assert rows(app, User) == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--users", "0", "--articles", "3"], "articles need at least one user"),
        (["--articles", "0", "--comments", "3"], "comments need at least one article"),
        (["--users", "many"], "'many' is not a valid integer"),
        (["--seed", "x"], "'x' is not a valid integer"),
    ],
)
def test_impossible_sizes_are_rejected(app, options, message):
    result = seed(app, *options)

    assert result.exit_code == 2
    assert message in result.output
    assert rows(app, User) == 0
