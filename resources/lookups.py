"""An article's path parameter, and turning it into the article a view works on."""

from api.auth import current_user
from api.errors import abort
from models import Article

SLUG = {
    "in": "path",
    "name": "slug",
    "description": "The article's slug, derived from its title.",
    "example": "how-to-train-your-dragon",
}


def existing(article: Article | None) -> Article:
    if article is None:
        abort(404, "article", "not found")
    return article


def find_article(slug: str) -> dict:
    """The article as anyone sees it (a cached read lays the caller's flags over it)."""
    return {"article": existing(Article.by_slug(slug))}


def own_article(slug: str) -> dict:
    article = existing(Article.bare(slug))
    if article.author_id != current_user().id:
        abort(403, "article", "forbidden")
    return {"article": article}


def as_seen(article: Article) -> dict:
    """The article reloaded with its counts and flags as the caller now sees them."""
    return {"article": Article.by_slug(article.slug, viewer=current_user())}
