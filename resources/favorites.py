"""Favorites: marking an article, and taking the mark back."""

from api.auth import current_user
from api.rest import Blueprint, Resource
from resources import links
from resources.lookups import SLUG, article_row, commit_as_seen
from schemas.article import ArticleEnvelope

blp = Blueprint(
    "Favorites",
    __name__,
    url_prefix="/api/articles",
    description="Favoriting articles; each article shows how many users favorited it.",
)


@blp.route("/<slug:slug>/favorite", parameters=[SLUG])
class ArticleFavorite(Resource):
    @blp.operation("favoriteArticle", links={200: links.from_article()})
    @blp.auth(required=True)
    @blp.lookup(article_row, errors={404: "article"})
    @blp.response(200, ArticleEnvelope)
    def post(self, article):
        """Favorite an article.

        Favoriting twice changes nothing. No body is needed.
        """
        article.favorite_by(current_user())
        return commit_as_seen(article)

    @blp.operation("unfavoriteArticle")
    @blp.auth(required=True)
    @blp.lookup(article_row, errors={404: "article"})
    @blp.response(200, ArticleEnvelope)
    def delete(self, article):
        """Stop favoriting an article.

        Unfavoriting an article not favorited changes nothing.
        """
        article.unfavorite_by(current_user())
        return commit_as_seen(article)
