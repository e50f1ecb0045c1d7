"""Comments on an article."""

from api.auth import current_user
from api.errors import abort
from api.extensions import db
from api.rest import Blueprint, Resource
from models import Article, Comment
from resources.articles import existing
from schemas.comment import CommentCreateRequest, CommentEnvelope, CommentListEnvelope

blp = Blueprint(
    "comments",
    __name__,
    url_prefix="/api/articles/<slug>/comments",
    description="Comments on articles.",
)


def find_article(slug: str) -> dict:
    return {"article": existing(Article.bare(slug))}


def own_comment(slug: str, comment_id: int) -> dict:
    found = find_article(slug)
    comment = Comment.find(found["article"], comment_id)
    if comment is None:
        abort(404, "comment", "not found")
    if comment.author_id != current_user().id:
        abort(403, "comment", "forbidden")
    return {"comment": comment}


@blp.route("")
class CommentList(Resource):
    @blp.auth(required=False)
    @blp.lookup(find_article)
    @blp.response(200, CommentListEnvelope)
    def get(self, article):
        """The article's comments, newest first."""
        return {"comments": Comment.on(article, viewer=current_user())}

    @blp.auth(required=True)
    @blp.lookup(find_article)
    @blp.arguments(CommentCreateRequest)
    @blp.response(201, CommentEnvelope)
    def post(self, payload, article):
        """Comment on an article."""
        comment = Comment(article=article, author=current_user(), body=payload["comment"]["body"])
        db.session.add(comment)
        db.session.commit()
        return {"comment": comment}


@blp.route("/<int:comment_id>")
class CommentDetail(Resource):
    @blp.auth(required=True)
    @blp.lookup(own_comment, errors=(404, 403))
    @blp.response(204)
    def delete(self, comment):
        """Delete the caller's comment."""
        db.session.delete(comment)
        db.session.commit()
