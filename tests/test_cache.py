"""The cache of rendered answers is never stale and never another caller's, and costs nothing.

The oracle: an app on the same database with the cache off. After every write of a scripted
session, every read by every caller must answer what the uncached app answers.
"""

import pytest
from sqlalchemy import update

from api import create_app
from api.cache import current_cache
from api.extensions import db
from models import Article
from tests.conftest import TEST_CONFIG, ApiClient
from tests.databases import require_redis

pytestmark = pytest.mark.every_database

CALLERS = ("anonymous", "jake", "jane")


@pytest.fixture(scope="module")
def uncached_apps():
    apps = {}
    yield apps
    for app in apps.values():
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def cached_app(app):
    with app.app_context():
        if current_cache() is None:
            require_redis()  # PostgreSQL caches only in Redis
            pytest.fail("Redis is reachable, yet the app on PostgreSQL has no cache")
    return app


@pytest.fixture
def uncached(cached_app, uncached_apps):
    url = cached_app.config["SQLALCHEMY_DATABASE_URI"]
    if url not in uncached_apps:
        config = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "CACHE_ENABLED": False}
        uncached_apps[url] = create_app(config)
    return ApiClient(uncached_apps[url].test_client())


def reads(slugs: list[str]) -> list[str]:
    paths = [
        "/api/articles",
        "/api/articles?limit=2",
        "/api/articles?offset=1",
        "/api/articles?tag=dragons",
        "/api/articles?author=jake",
        "/api/articles?favorited=jane",
        "/api/articles/feed",
        "/api/profiles/jake",
        "/api/profiles/jane",
        "/api/tags",
    ]
    for slug in slugs:
        paths += [f"/api/articles/{slug}", f"/api/articles/{slug}/comments"]
    return paths


def answers(client, users, slugs):
    return {
        (caller, path): (response.status_code, response.get_json())
        for caller in CALLERS
        for path in reads(slugs)
        for response in [client.as_user(users.get(caller)).get(path)]
    }


def test_every_write_is_seen_by_the_very_next_read(api, uncached, count_queries):
    users = {"jake": api.register("jake"), "jane": api.register("jane")}
    slugs = []

    def as_(name):
        return api.as_user(users[name])

    def create(name, title, tags):
        slugs.append(api.create_article(users[name], title, tagList=tags)["slug"])

    def retitle(index, title):
        response = as_("jake").put(
            f"/api/articles/{slugs[index]}", json={"article": {"title": title}}
        )
        slugs[index] = response.get_json()["article"]["slug"]

    def rename(name, username):
        body = {"user": {"username": username, "bio": f"now {username}"}}
        users[name] = as_(name).put("/api/user", json=body).get_json()["user"]

    comment_ids = []
    steps = [
        lambda: create("jake", "Dragons", ["dragons"]),
        lambda: create("jane", "Training", ["training", "dragons"]),
        lambda: as_("jane").post("/api/profiles/jake/follow"),
        lambda: as_("jane").post(f"/api/articles/{slugs[0]}/favorite"),
        lambda: as_("jake").post(f"/api/articles/{slugs[1]}/favorite"),
        lambda: comment_ids.append(api.comment(users["jane"], slugs[0])["id"]),
        lambda: retitle(0, "Dragons, revised"),
        lambda: as_("jake").put(f"/api/articles/{slugs[0]}", json={"article": {"tagList": []}}),
        lambda: rename("jake", "jake"),  # bio only
        lambda: as_("jane").delete(f"/api/articles/{slugs[0]}/comments/{comment_ids[0]}"),
        lambda: as_("jane").delete(f"/api/articles/{slugs[0]}/favorite"),
        lambda: as_("jane").delete("/api/profiles/jake/follow"),
        lambda: create("jake", "Dragons again", ["dragons"]),
        lambda: as_("jane").delete(f"/api/articles/{slugs[1]}"),
    ]
    for number, step in enumerate(steps):
        step()
        expected = answers(uncached, users, slugs)
        assert answers(api, users, slugs) == expected, f"after step {number}"
        # Asked again, every 200 comes from the cache, each caller's from their own copy: not
        # one query (the caller's row included).
        readable = {key: body for key, (status, body) in expected.items() if status == 200}
        with count_queries() as counter:
            again = {
                (caller, path): api.as_user(users.get(caller)).get(path).get_json()
                for caller, path in readable
            }
        assert (again, counter.count) == (readable, 0), f"after step {number}"


@pytest.mark.parametrize("first", CALLERS)
def test_each_caller_sees_their_own_flags_whoever_read_first(api, cached_app, first):
    jake, jane = api.register("jake"), api.register("jane")
    slug = api.create_article(jake, "Dragons")["slug"]
    api.comment(jake, slug)
    api.as_user(jane).post(f"/api/articles/{slug}/favorite")
    api.as_user(jane).post("/api/profiles/jake/follow")
    callers = {"anonymous": None, "jake": jake, "jane": jane}

    def flags(caller):
        client = api.as_user(callers[caller])
        listed = client.get("/api/articles").get_json()["articles"][0]
        article = client.get(f"/api/articles/{slug}").get_json()["article"]
        comment = client.get(f"/api/articles/{slug}/comments").get_json()["comments"][0]
        profile = client.get("/api/profiles/jake").get_json()["profile"]
        return [
            listed["favorited"],
            listed["author"]["following"],
            article["favorited"],
            article["author"]["following"],
            comment["author"]["following"],
            profile["following"],
        ]

    flags(first)  # whoever reads first renders what is kept
    for _ in range(2):  # then from the shared copy, then from each caller's own
        assert flags("jane") == [True] * 6
        assert flags("jake") == flags("anonymous") == [False] * 6


def test_the_feed_is_kept_for_each_caller_apart(api, cached_app):
    jake, jane, bob = (api.register(name) for name in ("jake", "jane", "bob"))
    slug = api.create_article(jake, "Dragons")["slug"]
    api.as_user(jane).post("/api/profiles/jake/follow")

    def feed(caller):
        return [
            a["slug"] for a in api.as_user(caller).get("/api/articles/feed").get_json()["articles"]
        ]

    assert feed(jane) == [slug]
    assert feed(bob) == []
    assert feed(jane) == [slug]


def test_answers_with_long_query_strings_are_not_kept(api, cached_app, count_queries):
    path = "/api/articles?tag=" + "x" * 600

    for _ in range(2):
        with count_queries() as counter:
            assert api.get(path).status_code == 200
        assert counter.count > 0


def test_a_starting_worker_forgets_what_a_killed_one_may_have_left(api, cached_app, jake):
    """A write committed by a process killed before it moved the version on: the bodies cached
    before it look current, until a worker starts (as gunicorn replaces the killed one)."""
    slug = api.create_article(jake, title="Before")["slug"]
    assert api.get(f"/api/articles/{slug}").get_json()["article"]["title"] == "Before"
    with cached_app.app_context(), db.engine.begin() as connection:  # no bump follows
        connection.execute(update(Article).where(Article.slug == slug).values(title="After"))
    assert api.get(f"/api/articles/{slug}").get_json()["article"]["title"] == "Before"

    url = cached_app.config["SQLALCHEMY_DATABASE_URI"]
    cache = {name: cached_app.config[name] for name in ("REDIS_URL", "CACHE_PREFIX")}
    started = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **cache})

    for client in (api, ApiClient(started.test_client())):
        assert client.get(f"/api/articles/{slug}").get_json()["article"]["title"] == "After"
    with started.app_context():
        db.engine.dispose()
