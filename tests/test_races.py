"""Two requests racing for the same unique value: the loser runs again and answers properly."""

import pytest
from sqlalchemy import delete, false, func, select

import models.slug
from api.extensions import db
from models import Article, Comment, favorites

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


def deleted_elsewhere(article_id: int) -> None:
    """The article deleted by another request, on a connection of its own."""
    with db.engine.begin() as other:
        other.execute(delete(Article).where(Article.id == article_id))


def vanishing_after_lookup(real_bare):
    """`Article.bare` that finds the article, which another request then deletes."""

    def bare(slug):
        article = real_bare(slug)
        deleted_elsewhere(article.id)
        return article

    return bare


def vanishing_before_reload(real_reloader):
    """A `reloader` whose article another request deletes between the commit and the reload."""

    def reloader(self, viewer):
        reload = real_reloader(self, viewer)
        article_id = self.article_id if isinstance(self, Comment) else self.id

        def reload_too_late():
            deleted_elsewhere(article_id)
            return reload()

        return reload_too_late

    return reloader


@pytest.mark.parametrize("when", ["after its lookup", "after the write"])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/articles/{slug}/favorite", None),
        ("POST", "/api/articles/{slug}/comments", {"comment": {"body": "Too late"}}),
    ],
)
def test_marking_an_article_deleted_meanwhile_is_a_404(
    app, api, jake, monkeypatch, method, path, body, when
):
    slug = api.create_article(jake)["slug"]
    if when == "after its lookup":
        monkeypatch.setattr(Article, "bare", vanishing_after_lookup(Article.bare))
    else:  # committed, then gone with its article before the answer is rendered
        model = Comment if path.endswith("/comments") else Article
        monkeypatch.setattr(model, "reloader", vanishing_before_reload(model.reloader))

    response = api.as_user(jake).request(method, path.format(slug=slug), json=body)

    assert (response.status_code, response.get_json()) == (
        404,
        {"errors": {"article": ["not found"]}},
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
        assert db.session.scalar(select(func.count()).select_from(favorites)) == 0


def test_deleting_a_comment_deleted_meanwhile_on_its_tag_is_a_404(app, api, jake, monkeypatch):
    slug = api.create_article(jake)["slug"]
    created = api.as_user(jake).post(
        f"/api/articles/{slug}/comments", json={"comment": {"body": "Twice"}}
    )
    comment_id = created.get_json()["comment"]["id"]
    real_reloader = Comment.reloader

    def reloader(self, viewer):  # the author's other tab deletes it after the checks
        with db.engine.begin() as other:
            other.execute(delete(Comment).where(Comment.id == comment_id))
        return real_reloader(self, viewer)

    monkeypatch.setattr(Comment, "reloader", reloader)

    response = api.as_user(jake).delete(
        f"/api/articles/{slug}/comments/{comment_id}", headers={"If-Match": created.headers["ETag"]}
    )

    assert (response.status_code, response.get_json()) == (
        404,
        {"errors": {"comment": ["not found"]}},
    )
