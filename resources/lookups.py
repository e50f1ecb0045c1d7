"""An article's path parameter, and turning it into the article a view works on."""

from api.auth import current_user
from api.errors import abort
from api.extensions import db
from models import Article

SLUG = {
    "in": "path",
    "name": "slug",
    "description": "The article's slug, derived from its title; never `feed` (that path is the "
    "feed's), nor any other fixed segment.",
    "example": "how-to-train-your-dragon",
}


def existing(article: Article | None) -> Article:
    if article is None:
        abort(404, "article", "not found")
    return article


def find_article(slug: str) -> dict:
    """The article as anyone sees it (a cached read lays the caller's flags over it)."""
    return {"article": existing(Article.by_slug(slug))}


def article_row(slug: str) -> dict:
    """The article's row alone, for views that need only its id: no counts or flags."""
    return {"article": existing(Article.bare(slug))}


def own_article(slug: str) -> dict:
    article = existing(Article.bare(slug))
    if article.author_id != current_user().id:
        abort(403, "article", "forbidden")
    return {"article": article}


def commit_as_seen(article: Article) -> dict:
    """Commit the change, then the article as the caller now sees it, reloaded in one statement
    (a 404 if it was deleted meanwhile)."""
    reload = article.reloader(current_user())
    db.session.commit()
    return {"article": existing(reload())}
