"""Favoriting and unfavoriting articles: flags, exact counts, idempotence and errors."""

import pytest

from tests.expected import ARTICLE_FIELDS, ARTICLE_NOT_FOUND, TOKEN_MISSING

pytestmark = pytest.mark.every_database  # idempotent inserts and exact counts are SQL


def favorite_url(slug: str) -> str:
    return f"/api/articles/{slug}/favorite"


def article_of(response) -> dict:
    assert response.status_code == 200, response.get_json()
    return response.get_json()["article"]


def favorites_count(api, slug: str) -> int:
    return api.get(f"/api/articles/{slug}").get_json()["article"]["favoritesCount"]


def test_favorite_returns_the_article_favorited(api, jake, jane):
    created = api.create_article(jake, tagList=["dragons"])

    article = article_of(api.as_user(jane).post(favorite_url(created["slug"])))

    assert set(article) == ARTICLE_FIELDS
    assert article["favorited"] is True
    assert article["favoritesCount"] == 1
    assert article["slug"] == created["slug"]
    assert article["body"] == created["body"]
    assert article["tagList"] == ["dragons"]
    assert article["author"]["username"] == "jake"


def test_favorite_twice_counts_once(api, jake, jane):
    slug = api.create_article(jake)["slug"]
    api.as_user(jane).post(favorite_url(slug))

    article = article_of(api.as_user(jane).post(favorite_url(slug)))

    assert (article["favorited"], article["favoritesCount"]) == (True, 1)
    assert favorites_count(api, slug) == 1


def test_favorites_count_is_exact_across_users(api, jake, jane):
    slug = api.create_article(jake)["slug"]
    bob = api.register("bob")
    api.as_user(jane).post(favorite_url(slug))

    article = article_of(api.as_user(bob).post(favorite_url(slug)))

    assert (article["favorited"], article["favoritesCount"]) == (True, 2)


def test_author_can_favorite_own_article(api, jake):
    slug = api.create_article(jake)["slug"]

    article = article_of(api.as_user(jake).post(favorite_url(slug)))

    assert (article["favorited"], article["favoritesCount"]) == (True, 1)


def test_unfavorite_returns_the_article_unfavorited(api, jake, jane):
    slug = api.create_article(jake)["slug"]
    api.as_user(jane).post(favorite_url(slug))

    article = article_of(api.as_user(jane).delete(favorite_url(slug)))

    assert set(article) == ARTICLE_FIELDS
    assert (article["favorited"], article["favoritesCount"]) == (False, 0)
    assert favorites_count(api, slug) == 0


def test_unfavorite_twice_stays_at_zero(api, jake, jane):
    slug = api.create_article(jake)["slug"]
    api.as_user(jane).post(favorite_url(slug))
    api.as_user(jane).delete(favorite_url(slug))

    article = article_of(api.as_user(jane).delete(favorite_url(slug)))

    assert (article["favorited"], article["favoritesCount"]) == (False, 0)


def test_unfavorite_keeps_other_users_favorites(api, jake, jane):
    slug = api.create_article(jake)["slug"]
    api.as_user(jake).post(favorite_url(slug))
    api.as_user(jane).post(favorite_url(slug))

    article = article_of(api.as_user(jane).delete(favorite_url(slug)))

    assert (article["favorited"], article["favoritesCount"]) == (False, 1)
    assert article_of(api.as_user(jake).get(f"/api/articles/{slug}"))["favorited"] is True


@pytest.mark.parametrize(("method", "favorited"), [("POST", True), ("DELETE", False)])
def test_favorite_with_json_content_type_and_empty_body(api, jake, jane, method, favorited):
    slug = api.create_article(jake)["slug"]

    response = api.as_user(jane).request(
        method, favorite_url(slug), data=b"", content_type="application/json"
    )

    assert article_of(response)["favorited"] is favorited


@pytest.mark.one_database  # the token is refused before any query
@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_favorite_requires_a_token(api, jake, jane, method):
    slug = api.create_article(jake)["slug"]
    api.as_user(jane).post(favorite_url(slug))

    response = api.request(method, favorite_url(slug))

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING
    assert favorites_count(api, slug) == 1


@pytest.mark.one_database  # the token is refused before any query
@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_favorite_with_an_invalid_token_is_401(api, jake, method):
    slug = api.create_article(jake)["slug"]

    response = api.request(method, favorite_url(slug), headers={"Authorization": "Token forged"})

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is invalid"]}}
    assert favorites_count(api, slug) == 0


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_favorite_unknown_article_is_404(api, jane, method):
    response = api.as_user(jane).request(method, favorite_url("no-such-article"))

    assert response.status_code == 404
    assert response.get_json() == ARTICLE_NOT_FOUND


@pytest.mark.one_database  # the token is refused before any query
@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_favorite_checks_the_token_before_existence(api, method):
    response = api.request(method, favorite_url("no-such-article"))

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING


def test_favorite_accepts_a_trailing_slash(api, jake, jane):
    slug = api.create_article(jake)["slug"]

    article = article_of(api.as_user(jane).post(f"{favorite_url(slug)}/"))

    assert (article["favorited"], article["favoritesCount"]) == (True, 1)


def test_favorited_flag_in_lists_is_per_viewer(api, jake, jane):
    liked = api.create_article(jake, "Liked")["slug"]
    api.create_article(jake, "Not liked")
    api.as_user(jane).post(favorite_url(liked))

    def flags(client) -> dict:
        articles = client.get("/api/articles").get_json()["articles"]
        return {a["slug"]: (a["favorited"], a["favoritesCount"]) for a in articles}

    assert flags(api.as_user(jane)) == {"liked": (True, 1), "not-liked": (False, 0)}
    assert flags(api.as_user(jake)) == {"liked": (False, 1), "not-liked": (False, 0)}
    assert flags(api) == {"liked": (False, 1), "not-liked": (False, 0)}


def test_favorited_flag_in_the_feed(api, jake, jane):
    slug = api.create_article(jane)["slug"]
    api.as_user(jake).post("/api/profiles/jane/follow")
    api.as_user(jake).post(favorite_url(slug))

    [article] = api.as_user(jake).get("/api/articles/feed").get_json()["articles"]

    assert (article["favorited"], article["favoritesCount"]) == (True, 1)


def test_unfavorite_removes_it_from_the_favorited_filter(api, jake, jane):
    slug = api.create_article(jake)["slug"]
    api.as_user(jane).post(favorite_url(slug))
    assert api.get("/api/articles?favorited=jane").get_json()["articlesCount"] == 1

    api.as_user(jane).delete(favorite_url(slug))

    response = api.get("/api/articles?favorited=jane")
    assert response.get_json() == {"articles": [], "articlesCount": 0}
