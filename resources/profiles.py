"""Profiles, and following their users."""

from api.auth import current_user
from api.errors import abort
from api.extensions import db
from api.rest import Blueprint, Resource
from models import User
from resources import links, seen_by
from schemas.user import ProfileEnvelope

blp = Blueprint(
    "Profiles",
    __name__,
    url_prefix="/api/profiles",
    description="Users as others see them, and following them.",
)
USERNAME = {"in": "path", "name": "username", "description": "The user's name.", "example": "jake"}


def find_profile(username: str) -> dict:
    user = User.by_username(username)
    if user is None:
        abort(404, "profile", "not found")
    return {"user": user}


def profile_of(user: User) -> dict:
    """The user as the caller now sees it."""
    return {"profile": User.by_username(user.username, viewer=current_user())}


@blp.route("/<username>", parameters=[USERNAME])
class ProfileDetail(Resource):
    @blp.operation("getProfile", links={200: links.from_user("profile")})
    @blp.auth(required=False)
    @blp.etag()
    @blp.cached(overlay=seen_by.on_profile)
    @blp.lookup(find_profile, errors={404: "profile"})
    @blp.response(200, ProfileEnvelope)
    def get(self, user):
        """Read a user's profile.

        `following` tells whether the caller follows the user (false without a token).
        """
        return {"profile": user}


@blp.route("/<username>/follow", parameters=[USERNAME])
class ProfileFollow(Resource):
    @blp.operation("followUser")
    @blp.auth(required=True)
    @blp.lookup(find_profile, errors={404: "profile"})
    @blp.errors(422, "profile", message="cannot follow yourself")
    @blp.response(200, ProfileEnvelope)
    def post(self, user):
        """Follow a user.

        Following a user already followed changes nothing. No body is needed. The user's
        articles then appear in the caller's feed.
        """
        if user.id == current_user().id:
            abort(422, "profile", "cannot follow yourself")
        current_user().follow(user)
        db.session.commit()
        return profile_of(user)

    @blp.operation("unfollowUser")
    @blp.auth(required=True)
    @blp.lookup(find_profile, errors={404: "profile"})
    @blp.response(200, ProfileEnvelope)
    def delete(self, user):
        """Stop following a user.

        Unfollowing a user not followed changes nothing.
        """
        current_user().unfollow(user)
        db.session.commit()
        return profile_of(user)
