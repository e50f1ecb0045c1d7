"""Comments on an article."""

from api.auth import current_user
from api.encoding import answer_body
from api.errors import abort
from api.etags import tag_of
from api.extensions import db
from api.rest import Blueprint, Resource
from models import Comment
from resources import links, seen_by
from resources.lookups import SLUG, article_row, existing
from schemas.comment import CommentCreateRequest, CommentEnvelope, CommentListEnvelope

blp = Blueprint(
    "Comments",
    __name__,
    url_prefix="/api/articles/<slug:slug>/comments",
    description="Comments on articles.",
)
COMMENT_ID = {"in": "path", "name": "comment_id", "description": "The comment's id."}


def own_comment(slug: str, comment_id: int) -> dict:
    article, comment = Comment.find(slug, comment_id)
    existing(article)
    if comment is None:
        abort(404, "comment", "not found")
    if comment.author_id != current_user().id:
        abort(403, "comment", "forbidden")
    return {"comment": comment}


def still_there(comment: Comment | None, key: str) -> Comment:
    """The comment reloaded after a check or a commit: it, or its article, may have gone since."""
    if comment is None:
        abort(404, key, "not found")
    return comment


def comment_tag(comment: Comment) -> str:
    """The tag of the comment as its 201 answer showed its author (who alone may delete it)."""
    shown = CommentEnvelope().dump(
        {"comment": still_there(comment.reloader(current_user())(), "comment")}
    )
    return tag_of(answer_body(shown))


@blp.route("", parameters=[SLUG])
class CommentList(Resource):
    @blp.operation("listComments")
    @blp.auth(required=False)
    @blp.etag()
    @blp.cached(overlay=seen_by.on_comments)
    @blp.lookup(article_row, errors={404: "article"})
    @blp.response(200, CommentListEnvelope)
    def get(self, article):
        """List an article's comments, newest first.

        `author.following` is the caller's (false without a token).
        """
        return {"comments": Comment.on(article, viewer=None)}

    @blp.operation("createComment", links={201: links.FROM_COMMENT})
    @blp.auth(required=True)
    @blp.lookup(article_row, errors={404: "article"})
    @blp.etag()  # the comment's own tag, for If-Match on its deletion
    @blp.arguments(CommentCreateRequest)
    @blp.response(201, CommentEnvelope)
    def post(self, payload, article):
        """Comment on an article.

        Any signed-in user may comment on any article.
        """
        viewer = current_user()
        comment = Comment(article=article, author=viewer, body=payload["comment"]["body"])
        db.session.add(comment)
        reload = comment.reloader(viewer)
        db.session.commit()
        return {"comment": still_there(reload(), "article")}


@blp.route("/<int:comment_id>", parameters=[SLUG, COMMENT_ID])
class CommentDetail(Resource):
    @blp.operation("deleteComment")
    @blp.auth(required=True)
    @blp.lookup(own_comment, errors={404: ("article", "comment"), 403: "comment"})
    @blp.etag(of=comment_tag, key="comment")
    @blp.response(204)
    def delete(self, comment):
        """Delete the caller's comment.

        Only the comment's author may delete it; the article is checked first.
        """
        db.session.delete(comment)
        db.session.commit()
