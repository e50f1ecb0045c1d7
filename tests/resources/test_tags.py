"""GET /api/tags: the tags in use, most used first, then by name."""

import pytest

pytestmark = pytest.mark.every_database  # counting, ordering by name and orphan cleanup are SQL


def tags(api) -> list[str]:
    response = api.get("/api/tags")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["tags"]


def test_tags_are_empty_on_a_fresh_database(api):
    response = api.get("/api/tags")

    assert response.status_code == 200
    assert response.get_json() == {"tags": []}


def test_tags_are_most_used_first_then_by_name(api, jake, jane):
    api.create_article(jake, "One", tagList=["zebra", "dragons"])
    api.create_article(jane, "Two", tagList=["dragons", "angular"])
    api.create_article(jake, "Three", tagList=["beta", "dragons", "zebra"])

    assert tags(api) == ["dragons", "zebra", "angular", "beta"]


def test_tags_are_listed_once_per_name(api, jake):
    api.create_article(jake, "One", tagList=["dragons", "dragons"])
    api.create_article(jake, "Two", tagList=["dragons"])

    assert tags(api) == ["dragons"]


def test_tags_of_deleted_articles_are_gone(api, jake):
    slug = api.create_article(jake, "Gone", tagList=["doomed", "shared"])["slug"]
    api.create_article(jake, "Kept", tagList=["shared"])

    assert api.as_user(jake).delete(f"/api/articles/{slug}").status_code == 204

    assert tags(api) == ["shared"]


def test_tags_of_cleared_tag_lists_are_gone(api, jake):
    slug = api.create_article(jake, tagList=["dragons", "training"])["slug"]

    response = api.as_user(jake).put(f"/api/articles/{slug}", json={"article": {"tagList": []}})

    assert response.status_code == 200
    assert tags(api) == []


def test_tags_follow_a_replaced_tag_list(api, jake):
    slug = api.create_article(jake, tagList=["dragons"])["slug"]

    api.as_user(jake).put(f"/api/articles/{slug}", json={"article": {"tagList": ["cats"]}})

    assert tags(api) == ["cats"]


def test_tags_of_a_rejected_article_are_not_stored(api, jake):
    response = api.as_user(jake).post(
        "/api/articles", json={"article": {"title": "", "tagList": ["dragons"]}}
    )

    assert response.status_code == 422
    assert tags(api) == []


def test_tags_need_no_token_and_accept_a_trailing_slash(api, jake):
    api.create_article(jake, tagList=["dragons"])

    response = api.get("/api/tags/")

    assert response.status_code == 200
    assert response.get_json() == {"tags": ["dragons"]}
