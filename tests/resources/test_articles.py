"""Articles: create, list, feed, read, update and delete, for each kind of caller."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from api.extensions import db
from models import Comment
from tests.expected import (
    ARTICLE_FIELDS,
    ARTICLE_FORBIDDEN,
    ARTICLE_NOT_FOUND,
    TIMESTAMP,
    TOKEN_MISSING,
)

pytestmark = pytest.mark.every_database  # filters, ordering, slugs, counts and cascades are SQL

MISSING = object()


def new_article(**overrides) -> dict:
    article = {"title": "How to train your dragon", "description": "Ever wonder how?"}
    article["body"] = "Very carefully."
    article.update(overrides)
    return {key: value for key, value in article.items() if value is not MISSING}


def listed(response) -> list[str]:
    """The slugs of a list response, in order."""
    assert response.status_code == 200, response.get_json()
    return [article["slug"] for article in response.get_json()["articles"]]


def count_of(response) -> int:
    return response.get_json()["articlesCount"]


def follow(api, follower: dict, username: str) -> None:
    response = api.as_user(follower).post(f"/api/profiles/{username}/follow")
    assert response.status_code == 200, response.get_json()


def favorite(api, user: dict, slug: str) -> None:
    response = api.as_user(user).post(f"/api/articles/{slug}/favorite")
    assert response.status_code == 200, response.get_json()


def comment_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Comment))


# POST /api/articles


def test_create_returns_201_with_every_article_field(api, jake):
    response = api.as_user(jake).post(
        "/api/articles", json={"article": new_article(tagList=["training", "dragons"])}
    )

    assert response.status_code == 201
    assert response.is_json
    article = response.get_json()["article"]
    assert set(article) == ARTICLE_FIELDS
    assert article["slug"] == "how-to-train-your-dragon"
    assert article["title"] == "How to train your dragon"
    assert article["description"] == "Ever wonder how?"
    assert article["body"] == "Very carefully."
    assert article["tagList"] == ["dragons", "training"]
    assert article["favorited"] is False
    assert article["favoritesCount"] == 0
    assert article["author"] == {"username": "jake", "bio": None, "image": None, "following": False}


def test_create_timestamps_are_utc_milliseconds_and_equal(api, jake):
    article = api.create_article(jake)

    assert TIMESTAMP.match(article["createdAt"])
    assert TIMESTAMP.match(article["updatedAt"])
    assert article["createdAt"] == article["updatedAt"]


def test_create_sorts_and_deduplicates_tags(api, jake):
    article = api.create_article(jake, tagList=["zebra", "angular", "zebra", "dragons"])

    assert article["tagList"] == ["angular", "dragons", "zebra"]
    assert api.get(f"/api/articles/{article['slug']}").get_json()["article"]["tagList"] == [
        "angular",
        "dragons",
        "zebra",
    ]


def test_create_without_tag_list_has_no_tags(api, jake):
    response = api.as_user(jake).post("/api/articles", json={"article": new_article()})

    assert response.status_code == 201
    assert response.get_json()["article"]["tagList"] == []


@pytest.mark.one_database  # the token is refused before any query
def test_create_requires_a_token(api):
    response = api.post("/api/articles", json={"article": new_article()})

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING
    assert count_of(api.get("/api/articles")) == 0


@pytest.mark.one_database  # the token is refused before any query
def test_create_with_an_invalid_token_is_401(api):
    response = api.post(
        "/api/articles",
        json={"article": new_article()},
        headers={"Authorization": "Token not-a-jwt"},
    )

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is invalid"]}}


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    "value", [MISSING, "", "   ", None], ids=["missing", "empty", "spaces", "null"]
)
@pytest.mark.parametrize("field", ["title", "description", "body"])
def test_create_without_a_required_field_is_422(api, jake, field, value):
    response = api.as_user(jake).post(
        "/api/articles", json={"article": new_article(**{field: value})}
    )

    assert response.status_code == 422
    assert response.get_json() == {"errors": {field: ["can't be blank"]}}
    assert count_of(api.get("/api/articles")) == 0


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_create_reports_every_missing_field(api, jake):
    response = api.as_user(jake).post("/api/articles", json={"article": {}})

    assert response.status_code == 422
    assert response.get_json() == {
        "errors": {field: ["can't be blank"] for field in ("title", "description", "body")}
    }


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_create_with_too_long_title_is_422_keyed_title(api, jake):
    response = api.as_user(jake).post(
        "/api/articles", json={"article": new_article(title="x" * 256)}
    )

    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"title"}


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_create_with_non_string_title_is_422_keyed_title(api, jake):
    response = api.as_user(jake).post("/api/articles", json={"article": new_article(title=5)})

    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"title"}


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_create_with_tag_list_not_a_list_is_422_keyed_tag_list(api, jake):
    response = api.as_user(jake).post(
        "/api/articles", json={"article": new_article(tagList="dragons")}
    )

    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"tagList"}


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_create_with_invalid_json_is_422_keyed_body(api, jake):
    response = api.as_user(jake).post(
        "/api/articles", data='{"article": {', content_type="application/json"
    )

    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"body"}
    assert count_of(api.get("/api/articles")) == 0


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    "payload",
    [new_article(), {"article": "How to train your dragon"}, {"article": None}, []],
    ids=["unwrapped", "string", "null", "array"],
)
def test_create_without_the_article_wrapper_is_422_keyed_body(api, jake, payload):
    response = api.as_user(jake).post("/api/articles", json=payload)

    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"body"}
    assert count_of(api.get("/api/articles")) == 0


def test_same_title_twice_gives_distinct_slugs(api, jake, jane):
    first = api.create_article(jake, "Dragons")
    second = api.create_article(jane, "Dragons")

    assert first["slug"] == "dragons"
    assert second["slug"] != first["slug"]
    assert second["slug"].startswith("dragons")
    assert (
        api.get(f"/api/articles/{second['slug']}").get_json()["article"]["author"]["username"]
        == "jane"
    )
    assert count_of(api.get("/api/articles")) == 2


def test_create_accepts_a_trailing_slash(api, jake):
    response = api.as_user(jake).post("/api/articles/", json={"article": new_article()})

    assert response.status_code == 201
    assert response.get_json()["article"]["slug"] == "how-to-train-your-dragon"


# GET /api/articles


def test_list_is_empty_on_a_fresh_database(api):
    response = api.get("/api/articles")

    assert response.status_code == 200
    assert response.get_json() == {"articles": [], "articlesCount": 0}


def test_list_items_are_articles_without_body(api, jake):
    created = api.create_article(jake, tagList=["dragons"])

    [item] = api.get("/api/articles").get_json()["articles"]

    assert set(item) == ARTICLE_FIELDS - {"body"}
    assert item == {key: value for key, value in created.items() if key != "body"}


def test_list_is_newest_first(api, jake, jane):
    slugs = [
        api.create_article(author, title)["slug"]
        for author, title in [(jake, "First"), (jane, "Second"), (jake, "Third")]
    ]

    assert listed(api.get("/api/articles")) == slugs[::-1]


def test_list_count_is_all_matches_not_the_page(api, jake):
    for title in ("One", "Two", "Three"):
        api.create_article(jake, title)

    response = api.get("/api/articles?limit=1&offset=1")

    assert listed(response) == ["two"]
    assert count_of(response) == 3


def test_list_offset_past_the_end_is_empty_with_count(api, jake):
    api.create_article(jake, "One")

    response = api.get("/api/articles?offset=5")

    assert listed(response) == []
    assert count_of(response) == 1


def test_list_defaults_to_20_newest(api, jake):
    slugs = [api.create_article(jake, f"Article {n}")["slug"] for n in range(21)]

    response = api.get("/api/articles")

    assert listed(response) == slugs[:0:-1]
    assert count_of(response) == 21


@pytest.mark.parametrize("limit", [1, 100])
def test_list_accepts_limits_within_range(api, jake, limit):
    api.create_article(jake, "One")
    api.create_article(jake, "Two")

    response = api.get(f"/api/articles?limit={limit}")

    assert listed(response) == ["two", "one"][:limit]
    assert count_of(response) == 2


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=-1", "limit"),
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
    ],
)
def test_list_rejects_invalid_paging(api, query, key):
    response = api.get(f"/api/articles?{query}")

    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {key}


def test_list_filters_by_tag(api, jake):
    api.create_article(jake, "Dragons", tagList=["dragons"])
    api.create_article(jake, "Cats", tagList=["cats"])
    api.create_article(jake, "Both", tagList=["cats", "dragons"])

    response = api.get("/api/articles?tag=dragons")

    assert listed(response) == ["both", "dragons"]
    assert count_of(response) == 2


def test_list_filters_by_author(api, jake, jane):
    api.create_article(jake, "By jake")
    api.create_article(jane, "By jane")

    response = api.get("/api/articles?author=jane")

    assert listed(response) == ["by-jane"]
    assert count_of(response) == 1


def test_list_filters_by_favoriting_user(api, jake, jane):
    liked = api.create_article(jake, "Liked")
    api.create_article(jake, "Ignored")
    favorite(api, jane, liked["slug"])

    response = api.get("/api/articles?favorited=jane")

    assert listed(response) == ["liked"]
    assert count_of(response) == 1


def test_list_filters_combine_with_and(api, jake, jane):
    match = api.create_article(jake, "Match", tagList=["dragons"])
    other_tag = api.create_article(jake, "Other tag", tagList=["cats"])
    other_author = api.create_article(jane, "Other author", tagList=["dragons"])
    api.create_article(jake, "Not favorited", tagList=["dragons"])
    for article in (match, other_tag, other_author):
        favorite(api, jane, article["slug"])

    response = api.get("/api/articles?tag=dragons&author=jake&favorited=jane")

    assert listed(response) == ["match"]
    assert count_of(response) == 1


def test_list_filters_with_paging_count_all_matches(api, jake, jane):
    for title in ("One", "Two", "Three"):
        api.create_article(jake, title, tagList=["dragons"])
    api.create_article(jane, "Four", tagList=["dragons"])

    response = api.get("/api/articles?author=jake&tag=dragons&limit=2")

    assert listed(response) == ["three", "two"]
    assert count_of(response) == 3


@pytest.mark.parametrize("query", ["tag=nope", "author=nobody", "favorited=nobody"])
def test_list_filter_on_unknown_value_is_empty(api, jake, query):
    api.create_article(jake, tagList=["dragons"])

    response = api.get(f"/api/articles?{query}")

    assert response.status_code == 200
    assert response.get_json() == {"articles": [], "articlesCount": 0}


def test_list_shows_following_for_the_caller(api, jake, jane):
    api.create_article(jake)
    follow(api, jane, "jake")

    as_jane = api.as_user(jane).get("/api/articles").get_json()["articles"][0]
    anonymous = api.get("/api/articles").get_json()["articles"][0]

    assert as_jane["author"]["following"] is True
    assert anonymous["author"]["following"] is False


@pytest.mark.one_database  # the token is refused before any query
def test_list_with_an_invalid_token_is_401(api, jake):
    api.create_article(jake)

    response = api.get("/api/articles", headers={"Authorization": "Token forged"})

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is invalid"]}}


def test_list_accepts_a_trailing_slash(api, jake):
    api.create_article(jake)

    response = api.get("/api/articles/?author=jake")

    assert listed(response) == ["how-to-train-your-dragon"]


def test_list_query_count_does_not_grow_with_articles(api, jake, jane, count_queries):
    api.create_article(jake, "First", tagList=["dragons"])
    with count_queries() as few:
        api.as_user(jane).get("/api/articles")
    for n in range(4):
        author = jane if n % 2 else jake
        api.create_article(author, f"More {n}", tagList=[f"tag{n}", "dragons"])
        favorite(api, jane, f"more-{n}")

    with count_queries() as many:
        response = api.as_user(jane).get("/api/articles")

    assert len(listed(response)) == 5
    assert many.count == few.count


# GET /api/articles/feed


@pytest.mark.one_database  # the token is refused before any query
def test_feed_requires_a_token(api):
    response = api.get("/api/articles/feed")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING


def test_feed_of_a_new_user_is_empty(api, jake):
    api.create_article(jake)
    newcomer = api.register("newcomer")

    response = api.as_user(newcomer).get("/api/articles/feed")

    assert response.status_code == 200
    assert response.get_json() == {"articles": [], "articlesCount": 0}


def test_feed_holds_only_followed_authors_newest_first(api, jake, jane):
    bob = api.register("bob")
    api.create_article(jane, "By jane")
    api.create_article(bob, "By bob")
    api.create_article(jake, "By jake himself")
    api.create_article(jane, "Again by jane")
    follow(api, jake, "jane")

    response = api.as_user(jake).get("/api/articles/feed")

    assert listed(response) == ["again-by-jane", "by-jane"]
    assert count_of(response) == 2
    [item, _] = response.get_json()["articles"]
    assert "body" not in item
    assert item["author"]["following"] is True


def test_feed_drops_authors_after_unfollowing(api, jake, jane):
    api.create_article(jane)
    follow(api, jake, "jane")
    api.as_user(jake).delete("/api/profiles/jane/follow")

    response = api.as_user(jake).get("/api/articles/feed")

    assert response.get_json() == {"articles": [], "articlesCount": 0}


def test_feed_pages_with_total_count(api, jake, jane):
    for title in ("One", "Two", "Three"):
        api.create_article(jane, title)
    follow(api, jake, "jane")

    response = api.as_user(jake).get("/api/articles/feed?limit=1&offset=1")

    assert listed(response) == ["two"]
    assert count_of(response) == 3


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(("query", "key"), [("limit=0", "limit"), ("offset=-1", "offset")])
def test_feed_rejects_invalid_paging(api, jake, query, key):
    response = api.as_user(jake).get(f"/api/articles/feed?{query}")

    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {key}


def test_feed_accepts_a_trailing_slash(api, jake, jane):
    api.create_article(jane)
    follow(api, jake, "jane")

    response = api.as_user(jake).get("/api/articles/feed/")

    assert listed(response) == ["how-to-train-your-dragon"]


def test_feed_query_count_does_not_grow_with_articles(api, jake, jane, count_queries):
    follow(api, jake, "jane")
    api.create_article(jane, "First", tagList=["dragons"])
    with count_queries() as few:
        api.as_user(jake).get("/api/articles/feed")
    for n in range(4):
        api.create_article(jane, f"More {n}", tagList=[f"tag{n}"])

    with count_queries() as many:
        response = api.as_user(jake).get("/api/articles/feed")

    assert len(listed(response)) == 5
    assert many.count == few.count


# GET /api/articles/{slug}


def test_get_article_anonymously(api, jake):
    created = api.create_article(jake, tagList=["dragons"])

    response = api.get(f"/api/articles/{created['slug']}")

    assert response.status_code == 200
    article = response.get_json()["article"]
    assert article == created
    assert article["favorited"] is False
    assert article["author"]["following"] is False


def test_get_article_reflects_the_caller(api, jake, jane):
    slug = api.create_article(jake)["slug"]
    follow(api, jane, "jake")
    favorite(api, jane, slug)

    as_jane = api.as_user(jane).get(f"/api/articles/{slug}").get_json()["article"]
    as_jake = api.as_user(jake).get(f"/api/articles/{slug}").get_json()["article"]
    anonymous = api.get(f"/api/articles/{slug}").get_json()["article"]

    assert (as_jane["favorited"], as_jane["author"]["following"]) == (True, True)
    assert (as_jake["favorited"], as_jake["author"]["following"]) == (False, False)
    assert (anonymous["favorited"], anonymous["author"]["following"]) == (False, False)
    assert as_jane["favoritesCount"] == as_jake["favoritesCount"] == anonymous["favoritesCount"]
    assert anonymous["favoritesCount"] == 1


def test_get_unknown_article_is_404(api):
    response = api.get("/api/articles/no-such-article")

    assert response.status_code == 404
    assert response.get_json() == ARTICLE_NOT_FOUND


@pytest.mark.one_database  # the token is refused before any query
def test_get_article_with_an_invalid_token_is_401_even_if_unknown(api):
    response = api.get("/api/articles/no-such-article", headers={"Authorization": "Token bad"})

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is invalid"]}}


def test_get_article_accepts_a_trailing_slash(api, jake):
    slug = api.create_article(jake)["slug"]

    response = api.get(f"/api/articles/{slug}/")

    assert response.status_code == 200
    assert response.get_json()["article"]["slug"] == slug


# PUT /api/articles/{slug}


def test_update_only_body_keeps_slug_and_created_at(api, jake):
    created = api.create_article(jake, tagList=["dragons"])

    response = api.as_user(jake).put(
        f"/api/articles/{created['slug']}", json={"article": {"body": "With patience."}}
    )

    assert response.status_code == 200
    article = response.get_json()["article"]
    assert article["body"] == "With patience."
    assert article["slug"] == created["slug"]
    assert article["title"] == created["title"]
    assert article["description"] == created["description"]
    assert article["tagList"] == ["dragons"]
    assert article["createdAt"] == created["createdAt"]
    assert TIMESTAMP.match(article["updatedAt"])
    assert datetime.fromisoformat(article["updatedAt"]) > datetime.fromisoformat(
        created["updatedAt"]
    )
    assert api.get(f"/api/articles/{created['slug']}").get_json()["article"] == article


def test_update_moves_updated_at_forward_every_time(api, jake):
    slug = api.create_article(jake)["slug"]
    url = f"/api/articles/{slug}"

    first = api.as_user(jake).put(url, json={"article": {"body": "One"}}).get_json()["article"]
    second = api.as_user(jake).put(url, json={"article": {"body": "Two"}}).get_json()["article"]

    assert datetime.fromisoformat(second["updatedAt"]) > datetime.fromisoformat(first["updatedAt"])
    assert second["createdAt"] == first["createdAt"]


def test_update_title_changes_the_slug(api, jake):
    old_slug = api.create_article(jake)["slug"]

    response = api.as_user(jake).put(
        f"/api/articles/{old_slug}", json={"article": {"title": "Taming dragons"}}
    )

    assert response.status_code == 200
    article = response.get_json()["article"]
    assert (article["title"], article["slug"]) == ("Taming dragons", "taming-dragons")
    assert api.get(f"/api/articles/{old_slug}").status_code == 404
    assert api.get("/api/articles/taming-dragons").get_json()["article"]["title"] == (
        "Taming dragons"
    )


def test_update_to_another_articles_title_gives_a_distinct_slug(api, jake):
    api.create_article(jake, "Dragons")
    slug = api.create_article(jake, "Cats")["slug"]

    response = api.as_user(jake).put(
        f"/api/articles/{slug}", json={"article": {"title": "Dragons"}}
    )

    assert response.status_code == 200
    assert response.get_json()["article"]["slug"] not in ("dragons", "cats")
    assert api.get("/api/articles/dragons").get_json()["article"]["title"] == "Dragons"


def test_update_without_tag_list_keeps_the_tags(api, jake):
    slug = api.create_article(jake, tagList=["dragons", "training"])["slug"]

    response = api.as_user(jake).put(
        f"/api/articles/{slug}", json={"article": {"description": "New"}}
    )

    assert response.get_json()["article"]["tagList"] == ["dragons", "training"]


def test_update_with_empty_tag_list_clears_the_tags(api, jake):
    slug = api.create_article(jake, tagList=["dragons", "training"])["slug"]

    response = api.as_user(jake).put(f"/api/articles/{slug}", json={"article": {"tagList": []}})

    assert response.status_code == 200
    assert response.get_json()["article"]["tagList"] == []
    assert api.get(f"/api/articles/{slug}").get_json()["article"]["tagList"] == []


def test_update_tag_list_is_sorted_and_deduplicated(api, jake):
    slug = api.create_article(jake, tagList=["dragons"])["slug"]

    response = api.as_user(jake).put(
        f"/api/articles/{slug}", json={"article": {"tagList": ["zebra", "cats", "zebra"]}}
    )

    assert response.get_json()["article"]["tagList"] == ["cats", "zebra"]


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_update_with_null_tag_list_is_422_and_keeps_the_tags(api, jake):
    slug = api.create_article(jake, tagList=["dragons"])["slug"]

    response = api.as_user(jake).put(f"/api/articles/{slug}", json={"article": {"tagList": None}})

    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"tagList"}
    assert api.get(f"/api/articles/{slug}").get_json()["article"]["tagList"] == ["dragons"]


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize("value", ["", "  ", None], ids=["empty", "spaces", "null"])
@pytest.mark.parametrize("field", ["title", "description", "body"])
def test_update_with_blank_field_is_422_and_changes_nothing(api, jake, field, value):
    created = api.create_article(jake)

    response = api.as_user(jake).put(
        f"/api/articles/{created['slug']}", json={"article": {field: value}}
    )

    assert response.status_code == 422
    assert response.get_json() == {"errors": {field: ["can't be blank"]}}
    assert api.get(f"/api/articles/{created['slug']}").get_json()["article"] == created


def test_update_accepts_the_article_as_returned(api, jake):
    created = api.create_article(jake)

    response = api.as_user(jake).put(
        f"/api/articles/{created['slug']}", json={"article": {**created, "body": "Edited."}}
    )

    assert response.status_code == 200
    article = response.get_json()["article"]
    assert (article["slug"], article["body"]) == (created["slug"], "Edited.")


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    "payload", [{"body": "Unwrapped"}, {"article": "Edited."}], ids=["unwrapped", "string"]
)
def test_update_without_the_wrapper_is_422_keyed_body(api, jake, payload):
    slug = api.create_article(jake)["slug"]

    response = api.as_user(jake).put(f"/api/articles/{slug}", json=payload)

    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"body"}


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_update_with_invalid_json_is_422_keyed_body(api, jake):
    slug = api.create_article(jake)["slug"]

    response = api.as_user(jake).put(
        f"/api/articles/{slug}", data="not json", content_type="application/json"
    )

    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"body"}


def test_update_by_another_user_is_403_and_changes_nothing(api, jake, jane):
    created = api.create_article(jake)

    response = api.as_user(jane).put(
        f"/api/articles/{created['slug']}", json={"article": {"title": "Hijacked"}}
    )

    assert response.status_code == 403
    assert response.get_json() == ARTICLE_FORBIDDEN
    assert api.get(f"/api/articles/{created['slug']}").get_json()["article"] == created


@pytest.mark.one_database  # the token is refused before any query
def test_update_requires_a_token(api, jake):
    created = api.create_article(jake)

    response = api.put(f"/api/articles/{created['slug']}", json={"article": {"body": "Anon"}})

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING
    assert api.get(f"/api/articles/{created['slug']}").get_json()["article"] == created


def test_update_unknown_article_is_404(api, jake):
    response = api.as_user(jake).put("/api/articles/nope", json={"article": {"body": "x"}})

    assert response.status_code == 404
    assert response.get_json() == ARTICLE_NOT_FOUND


def test_update_checks_existence_before_validation(api, jake):
    response = api.as_user(jake).put("/api/articles/nope", json={"article": {"title": ""}})

    assert response.status_code == 404
    assert response.get_json() == ARTICLE_NOT_FOUND


def test_update_checks_ownership_before_validation(api, jake, jane):
    slug = api.create_article(jake)["slug"]

    response = api.as_user(jane).put(
        f"/api/articles/{slug}", data="{", content_type="application/json"
    )

    assert response.status_code == 403
    assert response.get_json() == ARTICLE_FORBIDDEN


@pytest.mark.one_database  # the token is refused before any query
def test_update_checks_the_token_before_existence(api):
    response = api.put("/api/articles/nope", json={"article": {"title": ""}})

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING


# DELETE /api/articles/{slug}


def test_delete_returns_204_and_the_article_is_gone(api, jake):
    slug = api.create_article(jake, tagList=["dragons"])["slug"]

    response = api.as_user(jake).delete(f"/api/articles/{slug}")

    assert response.status_code == 204
    assert response.data == b""
    assert api.get(f"/api/articles/{slug}").get_json() == ARTICLE_NOT_FOUND
    assert api.get("/api/articles").get_json() == {"articles": [], "articlesCount": 0}


def test_delete_twice_is_404(api, jake):
    slug = api.create_article(jake)["slug"]
    api.as_user(jake).delete(f"/api/articles/{slug}")

    response = api.as_user(jake).delete(f"/api/articles/{slug}")

    assert response.status_code == 404
    assert response.get_json() == ARTICLE_NOT_FOUND


def test_delete_removes_the_comments(app, api, jake, jane):
    slug = api.create_article(jake)["slug"]
    api.comment(jane, slug)
    api.comment(jake, slug)
    assert comment_rows(app) == 2

    assert api.as_user(jake).delete(f"/api/articles/{slug}").status_code == 204

    assert comment_rows(app) == 0
    assert api.get(f"/api/articles/{slug}/comments").status_code == 404


def test_delete_removes_it_from_favorites(api, jake, jane):
    slug = api.create_article(jake)["slug"]
    favorite(api, jane, slug)

    api.as_user(jake).delete(f"/api/articles/{slug}")

    assert api.get("/api/articles?favorited=jane").get_json() == {
        "articles": [],
        "articlesCount": 0,
    }


def test_delete_with_json_content_type_and_empty_body(api, jake):
    slug = api.create_article(jake)["slug"]

    response = api.as_user(jake).delete(f"/api/articles/{slug}", content_type="application/json")

    assert response.status_code == 204
    assert api.get(f"/api/articles/{slug}").status_code == 404


def test_delete_by_another_user_is_403_and_keeps_it(api, jake, jane):
    created = api.create_article(jake)

    response = api.as_user(jane).delete(f"/api/articles/{created['slug']}")

    assert response.status_code == 403
    assert response.get_json() == ARTICLE_FORBIDDEN
    assert api.get(f"/api/articles/{created['slug']}").get_json()["article"] == created


@pytest.mark.one_database  # the token is refused before any query
def test_delete_requires_a_token(api, jake):
    slug = api.create_article(jake)["slug"]

    response = api.delete(f"/api/articles/{slug}")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING
    assert api.get(f"/api/articles/{slug}").status_code == 200


def test_delete_unknown_article_is_404(api, jake):
    response = api.as_user(jake).delete("/api/articles/nope")

    assert response.status_code == 404
    assert response.get_json() == ARTICLE_NOT_FOUND


@pytest.mark.one_database  # the token is refused before any query
def test_delete_checks_the_token_before_existence(api):
    response = api.delete("/api/articles/nope")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING
