"""Registration, login and the signed-in user."""

from api.auth import current_user, token_for
from api.encoding import encode
from api.errors import abort
from api.etags import tag_of
from api.extensions import db
from api.limits import per_account, per_address
from api.rest import Blueprint, Resource
from models import User
from resources import links
from resources.attempts import attempted_account, failed_sign_in
from schemas.user import LoginRequest, RegistrationRequest, UserEnvelope, UserUpdateRequest

blp = Blueprint(
    "Users",
    __name__,
    url_prefix="/api",
    description="Sign up, sign in, and read or change the signed-in user. Every user object "
    "carries a fresh token.",
)


class SignedIn:
    """A user as the answer shows it: the account's fields, and the token it hands over."""

    def __init__(self, user: User):
        self.user = user
        self.token = token_for(user)

    def __getattr__(self, name: str):
        return getattr(self.user, name)


def user_tag(**_) -> str:
    """The caller's tag: of every field their user object shows but the token, which is new in
    every answer (a tag of it would never repeat). GET answers with it are `no-store`."""
    user = current_user()
    return tag_of(encode([user.id, user.username, user.email, user.bio, user.image]))


def ensure_free(fields: dict, *, besides: User | None = None) -> None:
    """409 when another user already has the username or email."""
    for name in ("username", "email"):
        if name in fields and User.taken(name, fields[name], besides=besides):
            abort(409, name, "has already been taken")


@blp.route("/users")
class UserRegistration(Resource):
    @blp.operation("registerUser", links={201: links.from_user("user")})
    @blp.public
    @blp.limited(per_address("REGISTRATION_LIMIT"))
    @blp.arguments(RegistrationRequest)
    @blp.conflicts("username", "email")
    @blp.response(201, UserEnvelope)
    def post(self, payload):
        """Register a new user.

        Usernames are 1 to 64 letters, digits, `_`, `-` or `.`; emails are stored lower-cased;
        passwords have 8 to 128 characters. The answer carries the token to send as
        `Authorization: Token <jwt>`.
        """
        fields = payload["user"]
        ensure_free(fields)
        user = User(username=fields["username"], email=fields["email"])
        user.set_password(fields["password"])
        db.session.add(user)
        db.session.commit()
        return {"user": SignedIn(user)}


@blp.route("/users/login")
class UserLogin(Resource):
    @blp.operation("login", links={200: links.from_user("user")})
    @blp.public
    @blp.limited(
        per_address("LOGIN_LIMIT"),
        per_account("LOGIN_ACCOUNT_LIMIT", attempted_account, counting=failed_sign_in),
    )
    @blp.arguments(LoginRequest)
    @blp.errors(401, "credentials", message="invalid")
    @blp.response(200, UserEnvelope)
    def post(self, payload):
        """Sign in with email and password.

        The email is matched case-insensitively. A wrong email or password is a 401 that
        does not say which of the two was wrong.
        """
        credentials = payload["user"]
        user = User.by_email(credentials["email"].lower())
        if user is None:
            User.check_no_password(credentials["password"])
            abort(401, "credentials", "invalid")
        # A suspended user is refused as a wrong password is, after the same check.
        if not user.check_password(credentials["password"]) or user.suspended_at is not None:
            abort(401, "credentials", "invalid")
        db.session.commit()  # the hash, if it was redone with today's parameters
        return {"user": SignedIn(user)}


@blp.route("/user")
class CurrentUser(Resource):
    @blp.operation("getCurrentUser")
    @blp.auth(required=True)
    @blp.etag(of=user_tag)
    @blp.response(200, UserEnvelope)
    def get(self):
        """Read the signed-in user.

        The answer carries a fresh token.
        """
        return {"user": SignedIn(current_user())}

    @blp.operation("updateCurrentUser")
    @blp.auth(required=True)
    @blp.etag(of=user_tag, key="user")
    @blp.arguments(UserUpdateRequest)
    @blp.conflicts("username", "email")
    @blp.response(200, UserEnvelope)
    def put(self, payload):
        """Change the signed-in user.

        Only the fields sent change. `bio` and `image` sent as `""` or `null` become null;
        re-sending the user's own email or username is not a conflict.
        """
        user = current_user()
        changes = dict(payload["user"])  # a retry after a lost race needs it unchanged
        ensure_free(changes, besides=user)
        password = changes.pop("password", None)
        if password is not None:
            user.set_password(password)
        for name, value in changes.items():
            setattr(user, name, value)
        user.touch()
        db.session.commit()
        return {"user": SignedIn(user)}
