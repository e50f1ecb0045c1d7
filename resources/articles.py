"""Articles: the list, the feed, and each article."""

from api.auth import caller_id, current_user
from api.extensions import db
from api.rest import Blueprint, Resource
from models import Article
from models.article_list import article_filters, article_page
from resources import article_pages, links, seen_by
from resources.lookups import SLUG, commit_as_seen, find_article, own_article
from schemas.article import ArticleCreateRequest, ArticleEnvelope, ArticleUpdateRequest
from schemas.article_list import ArticleFilterSchema, ArticleListSchema, ArticlePageSchema

blp = Blueprint(
    "Articles",
    __name__,
    url_prefix="/api/articles",
    description="Articles: the global list with its filters, the caller's feed, and each article.",
)


@blp.route("")
class ArticleList(Resource):
    @blp.operation("listArticles")
    @blp.auth(required=False)
    @blp.etag()
    @blp.paginated(count="articlesCount", keyset=article_pages)
    @blp.cached(overlay=seen_by.on_articles)
    @blp.arguments(ArticleFilterSchema, location="query", as_kwargs=True)
    @blp.response(200, ArticleListSchema)
    def get(self, limit, offset, cursor=None, **filters):
        """List articles, newest first.

        Filters combine with AND; an unknown tag or user gives an empty list.
        `articlesCount` counts every match, not just this page. Items carry no `body`.
        """
        page = article_pages.page_arguments(limit, offset, cursor)
        articles, count = article_page(article_filters(**filters), **page)
        return {"articles": articles, "articles_count": count}

    @blp.operation("createArticle", links={201: links.from_article()})
    @blp.auth(required=True)
    @blp.arguments(ArticleCreateRequest)
    @blp.conflicts("slug")
    @blp.response(201, ArticleEnvelope)
    def post(self, payload):
        """Write an article.

        The slug derives from the title; a title already used gets a suffixed slug. Tags
        are trimmed, de-duplicated and sorted. A 409 is left only for the rare request that
        loses the race for a slug twice in a row: send it again.
        """
        fields = payload["article"]
        article = Article(
            author=current_user(), description=fields["description"], body=fields["body"]
        )
        article.retitle(fields["title"])
        db.session.add(article)
        article.retag(fields["tag_list"])
        return commit_as_seen(article)


@blp.route("/feed")
class ArticleFeed(Resource):
    @blp.operation("getFeed")
    @blp.auth(required=True)
    @blp.etag()
    @blp.paginated(count="articlesCount", keyset=article_pages)
    @blp.cached(overlay=seen_by.on_articles, per_caller=True)
    @blp.arguments(ArticlePageSchema, location="query", as_kwargs=True)
    @blp.response(200, ArticleListSchema)
    def get(self, limit, offset, cursor=None):
        """List the caller's feed, newest first.

        The articles of the users the caller follows; empty for a user who follows nobody.
        """
        clauses = article_filters(feed_of=caller_id())  # its flags confirm the caller exists
        articles, count = article_page(
            clauses, **article_pages.page_arguments(limit, offset, cursor)
        )
        return {"articles": articles, "articles_count": count}


@blp.route("/<slug:slug>", parameters=[SLUG])
class ArticleDetail(Resource):
    @blp.operation("getArticle")
    @blp.auth(required=False)
    @blp.etag()
    @blp.cached(overlay=seen_by.on_article)
    @blp.lookup(find_article, errors={404: "article"})
    @blp.response(200, ArticleEnvelope)
    def get(self, article):
        """Read an article.

        `favorited` and `author.following` are the caller's (false without a token).
        """
        return {"article": article}

    @blp.operation("updateArticle", links={200: links.from_article()})
    @blp.auth(required=True)
    @blp.lookup(own_article, errors={404: "article", 403: "article"})
    @blp.etag(key="article")
    @blp.arguments(ArticleUpdateRequest)
    @blp.conflicts("slug")
    @blp.response(200, ArticleEnvelope)
    def put(self, payload, article):
        """Change the caller's article.

        Only the fields sent change. A new title brings a new slug; an omitted `tagList`
        keeps the tags and `[]` clears them. `createdAt` never changes, `updatedAt` always.
        """
        changes = dict(payload["article"])  # a retry after a lost race needs it unchanged
        tag_list = changes.pop("tag_list", None)  # None: omitted (null is a 422)
        if "title" in changes:
            article.retitle(changes.pop("title"))
        for name, value in changes.items():
            setattr(article, name, value)
        article.touch()
        if tag_list is not None:
            article.retag(tag_list)
        return commit_as_seen(article)

    @blp.operation("deleteArticle")
    @blp.auth(required=True)
    @blp.lookup(own_article, errors={404: "article", 403: "article"})
    @blp.etag(key="article")
    @blp.response(204)
    def delete(self, article):
        """Delete the caller's article.

        Its comments and favorites go with it.
        """
        db.session.delete(article)
        db.session.commit()
