"""Hostile or broken input gets a 4xx in the error envelope, and nothing is stored."""

import pytest

from api.extensions import db
from models import Article, User
from schemas.common import MAX_OFFSET

pytestmark = pytest.mark.every_database

NESTED = "[" * 50_000 + "]" * 50_000
TOO_DEEP = {"errors": {"body": ["is nested too deeply"]}}


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return db.session.query(User).count(), db.session.query(Article).count()


@pytest.mark.parametrize(
    ("method", "path", "wrapper"),
    [
        ("POST", "/api/users", "user"),
        ("POST", "/api/users/login", "user"),
        ("PUT", "/api/user", "user"),
        ("POST", "/api/articles", "article"),
    ],
)
def test_deeply_nested_json_is_a_422_and_stores_nothing(app, api, jake, method, path, wrapper):
    before = counts(app)
    for body in (NESTED, f'{{"{wrapper}": {NESTED}}}', '{"a":' * 50_000 + "1" + "}" * 50_000):
        response = api.as_user(jake).request(
            method, path, data=body, headers={"Content-Type": "application/json"}
        )
        assert (response.status_code, response.get_json()) == (422, TOO_DEEP)
    assert counts(app) == before


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("offset=99999999999999999999", "offset"),
        (f"offset={MAX_OFFSET + 1}", "offset"),
        ("offset=-1", "offset"),
        ("limit=101", "limit"),
        ("limit=0", "limit"),
        ("limit=99999999999999999999", "limit"),
    ],
)
def test_out_of_range_paging_is_a_422(api, jake, query, key):
    for path in ("/api/articles", "/api/articles/feed"):
        response = api.as_user(jake).get(f"{path}?{query}")
        assert response.status_code == 422
        assert list(response.get_json()["errors"]) == [key]


def test_the_largest_offset_is_an_empty_page(api, jake):
    api.create_article(jake, "Dragons")

    response = api.get(f"/api/articles?offset={MAX_OFFSET}")

    assert response.status_code == 200
    assert response.get_json() == {"articles": [], "articlesCount": 1}


@pytest.mark.parametrize("title", ["Feed", "feed", "  FEED!  "])
def test_an_article_never_takes_the_slug_of_a_route(api, jake, title):
    slug = api.create_article(jake, title)["slug"]

    assert slug.startswith("feed-")
    assert api.get(f"/api/articles/{slug}").get_json()["article"]["title"] == title.strip()
    assert api.as_user(jake).get("/api/articles/feed").get_json()["articlesCount"] == 0
    renamed = api.as_user(jake).put(f"/api/articles/{slug}", json={"article": {"title": "Feed"}})
    assert renamed.get_json()["article"]["slug"].startswith("feed-")


def test_the_feed_path_offers_only_what_the_feed_does(api, jake):
    response = api.request("OPTIONS", "/api/articles/feed")

    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    for method in ("PUT", "DELETE"):
        refused = api.as_user(jake).request(method, "/api/articles/feed", json={"article": {}})
        assert refused.status_code == 405
