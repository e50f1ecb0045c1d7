"""Moderation, for admins alone: every user, suspensions, removing content, and the record."""

from api.auth import current_user
from api.errors import abort
from api.extensions import db
from api.rest import Blueprint, Resource
from models import Article, Comment
from models.moderation import Action, AuditEntry, any_user, record, restore, suspend, user_page
from resources.lookups import SLUG
from schemas.common import PageSchema
from schemas.moderation import AccountEnvelope, AccountListSchema, AuditListSchema

blp = Blueprint(
    "Moderation",
    __name__,
    url_prefix="/api/admin",
    description="For admins (made by the `flask admin grant` command, never through the API): "
    "every user, suspending and restoring them, removing any article or comment, and the "
    "record of every admin action. A suspended user cannot sign in, their tokens stop "
    "working, their profile is not found and what they wrote is left out of every list.",
)
USERNAME = {"in": "path", "name": "username", "description": "The user's name.", "example": "jake"}
COMMENT_ID = {"in": "path", "name": "comment_id", "description": "The comment's id."}


def find_account(username: str) -> dict:
    user = any_user(username)
    if user is None:
        abort(404, "user", "not found")
    return {"user": user}


def find_article(slug: str) -> dict:
    article = Article.bare(slug)
    if article is None:
        abort(404, "article", "not found")
    return {"article": article}


def find_comment(comment_id: int) -> dict:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404, "comment", "not found")
    return {"comment": comment}


@blp.route("/users")
class AccountList(Resource):
    @blp.operation("listAccounts")
    @blp.auth(required=True, admin=True)
    @blp.etag()
    @blp.paginated(count="usersCount")
    @blp.arguments(PageSchema, location="query", as_kwargs=True)
    @blp.response(200, AccountListSchema)
    def get(self, limit, offset):
        """List every user, suspended ones included, oldest account first.

        Each carries their email, whether they are an admin, and since when they are
        suspended (null while they are not). `usersCount` counts every user.
        """
        users, count = user_page(limit=limit, offset=offset)
        return {"users": users, "users_count": count}


@blp.route("/users/<username>/suspension", parameters=[USERNAME])
class Suspension(Resource):
    @blp.operation("suspendUser")
    @blp.auth(required=True, admin=True)
    @blp.lookup(find_account, errors={404: "user"})
    @blp.errors(422, "user", message="cannot suspend yourself")
    @blp.response(200, AccountEnvelope)
    def put(self, user):
        """Suspend a user.

        Their tokens stop working at once, they cannot sign in (the 401 of a wrong password),
        their profile answers 404 and their articles and comments leave every list. Suspending
        a suspended user changes nothing. Admins cannot suspend themselves.
        """
        if user.id == current_user().id:
            abort(422, "user", "cannot suspend yourself")
        suspend(user)
        record(current_user(), Action.SUSPEND_USER, user.username)
        db.session.commit()
        return {"user": user}

    @blp.operation("restoreUser")
    @blp.auth(required=True, admin=True)
    @blp.lookup(find_account, errors={404: "user"})
    @blp.response(200, AccountEnvelope)
    def delete(self, user):
        """Restore a suspended user.

        Everything suspending them took away comes back, their unexpired tokens included.
        """
        restore(user)
        record(current_user(), Action.RESTORE_USER, user.username)
        db.session.commit()
        return {"user": user}


@blp.route("/articles/<slug:slug>", parameters=[SLUG])
class ArticleRemoval(Resource):
    @blp.operation("removeArticle")
    @blp.auth(required=True, admin=True)
    @blp.lookup(find_article, errors={404: "article"})
    @blp.response(204)
    def delete(self, article):
        """Delete anyone's article.

        Its comments and favorites go with it; the record keeps its slug.
        """
        record(current_user(), Action.DELETE_ARTICLE, article.slug)
        db.session.delete(article)
        db.session.commit()


@blp.route("/comments/<int:comment_id>", parameters=[COMMENT_ID])
class CommentRemoval(Resource):
    @blp.operation("removeComment")
    @blp.auth(required=True, admin=True)
    @blp.lookup(find_comment, errors={404: "comment"})
    @blp.response(204)
    def delete(self, comment):
        """Delete anyone's comment.

        Comment ids are unique across articles; the record keeps the id.
        """
        record(current_user(), Action.DELETE_COMMENT, str(comment.id))
        db.session.delete(comment)
        db.session.commit()


@blp.route("/audit")
class AuditRecord(Resource):
    @blp.operation("listAuditEntries")
    @blp.auth(required=True, admin=True)
    @blp.etag()
    @blp.paginated(count="entriesCount")
    @blp.arguments(PageSchema, location="query", as_kwargs=True)
    @blp.response(200, AuditListSchema)
    def get(self, limit, offset):
        """List the admin actions, newest first.

        Each names the admin, the action and its target; `entriesCount` counts them all.
        """
        entries, count = AuditEntry.newest_first(limit=limit, offset=offset)
        return {"entries": entries, "entries_count": count}
