"""Two requests racing for the same unique value: the loser runs again and answers properly."""

import pytest
from sqlalchemy import false

import models.slug

pytestmark = pytest.mark.every_database  # each database reports a broken unique value its own way


def losing_once(real_check):
    """A uniqueness check (SQL) that misses the competitor once, as a concurrent request would."""
    calls = []

    def check(*args, **kwargs):
        calls.append(args)
        return false() if len(calls) == 1 else real_check(*args, **kwargs)

    return check


def test_an_article_whose_slug_was_just_taken_gets_another(api, jake, monkeypatch):
    first = api.create_article(jake, title="Same title")
    monkeypatch.setattr(models.slug, "_slug_taken", losing_once(models.slug._slug_taken))

    second = api.create_article(jake, title="Same title")

    assert first["slug"] == "same-title"
    assert second["slug"].startswith("same-title-") and second["slug"] != first["slug"]
    assert api.get("/api/articles").get_json()["articlesCount"] == 2


def test_a_new_title_whose_slug_was_just_taken_gets_another(api, jake, monkeypatch):
    api.create_article(jake, title="Taken title")
    mine = api.create_article(jake, title="Draft")
    monkeypatch.setattr(models.slug, "_slug_taken", losing_once(models.slug._slug_taken))

    response = api.as_user(jake).put(
        f"/api/articles/{mine['slug']}", json={"article": {"title": "Taken title", "body": "New"}}
    )

    assert response.status_code == 200
    updated = response.get_json()["article"]
    assert updated["slug"].startswith("taken-title-")
    assert (updated["title"], updated["body"]) == ("Taken title", "New")
