"""Articles: the list, the feed, each article, and favorites."""

from api.auth import current_user
from api.errors import abort
from api.extensions import db
from api.rest import Blueprint, Resource
from models import Article
from models.article import article_filters, article_page
from schemas.article import (
    ArticleCreateRequest,
    ArticleEnvelope,
    ArticleFilterSchema,
    ArticleListSchema,
    ArticleUpdateRequest,
)
from schemas.common import PageSchema

blp = Blueprint(
    "articles", __name__, url_prefix="/api/articles", description="Articles and favorites."
)


def existing(article: Article | None) -> Article:
    if article is None:
        abort(404, "article", "not found")
    return article


def find_article(slug: str) -> dict:
    return {"article": existing(Article.by_slug(slug, viewer=current_user()))}


def own_article(slug: str) -> dict:
    article = existing(Article.bare(slug))
    if article.author_id != current_user().id:
        abort(403, "article", "forbidden")
    return {"article": article}


def as_seen(article: Article) -> dict:
    """The article reloaded with its counts and flags as the caller now sees them."""
    return {"article": Article.by_slug(article.slug, viewer=current_user())}


@blp.route("")
class ArticleList(Resource):
    @blp.auth(required=False)
    @blp.arguments(ArticleFilterSchema, location="query", as_kwargs=True)
    @blp.response(200, ArticleListSchema)
    def get(self, limit, offset, **filters):
        """Recent articles, filtered by tag, author or favoriting user."""
        clauses = article_filters(**filters)
        articles, count = article_page(clauses, viewer=current_user(), limit=limit, offset=offset)
        return {"articles": articles, "articles_count": count}

    @blp.auth(required=True)
    @blp.arguments(ArticleCreateRequest)
    @blp.errors(409)
    @blp.response(201, ArticleEnvelope)
    def post(self, payload):
        """Write an article."""
        fields = payload["article"]
        article = Article(
            author=current_user(), description=fields["description"], body=fields["body"]
        )
        article.retitle(fields["title"])
        article.tag_list = fields["tag_list"]
        db.session.add(article)
        db.session.commit()
        return as_seen(article)


@blp.route("/feed")
class ArticleFeed(Resource):
    @blp.auth(required=True)
    @blp.arguments(PageSchema, location="query", as_kwargs=True)
    @blp.response(200, ArticleListSchema)
    def get(self, limit, offset):
        """Recent articles by the users the caller follows."""
        viewer = current_user()
        clauses = article_filters(feed_of=viewer)
        articles, count = article_page(clauses, viewer=viewer, limit=limit, offset=offset)
        return {"articles": articles, "articles_count": count}


@blp.route("/<slug>")
class ArticleDetail(Resource):
    @blp.auth(required=False)
    @blp.lookup(find_article)
    @blp.response(200, ArticleEnvelope)
    def get(self, article):
        """One article."""
        return {"article": article}

    @blp.auth(required=True)
    @blp.lookup(own_article, errors=(404, 403))
    @blp.arguments(ArticleUpdateRequest)
    @blp.response(200, ArticleEnvelope)
    def put(self, payload, article):
        """Change any of the caller's article's fields; a new title brings a new slug."""
        changes = payload["article"]
        if "title" in changes:
            article.retitle(changes.pop("title"))
        for name, value in changes.items():
            setattr(article, name, value)
        article.touch()
        db.session.commit()
        return as_seen(article)

    @blp.auth(required=True)
    @blp.lookup(own_article, errors=(404, 403))
    @blp.response(204)
    def delete(self, article):
        """Delete the caller's article, with its comments and favorites."""
        db.session.delete(article)
        db.session.commit()


@blp.route("/<slug>/favorite")
class ArticleFavorite(Resource):
    @blp.auth(required=True)
    @blp.lookup(find_article)
    @blp.response(200, ArticleEnvelope)
    def post(self, article):
        """Favorite an article (idempotent)."""
        article.favorite_by(current_user())
        db.session.commit()
        return as_seen(article)

    @blp.auth(required=True)
    @blp.lookup(find_article)
    @blp.response(200, ArticleEnvelope)
    def delete(self, article):
        """Stop favoriting an article (idempotent)."""
        article.unfavorite_by(current_user())
        db.session.commit()
        return as_seen(article)
