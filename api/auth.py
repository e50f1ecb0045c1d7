"""Who is calling: `Authorization: Token <jwt>` (or `Bearer`), checked by flask-jwt-extended."""

from flask import g, request
from flask_jwt_extended import create_access_token, decode_token
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt import ExpiredSignatureError, InvalidTokenError

from api.errors import abort
from api.extensions import db
from models import User

SCHEMES = ("token", "bearer")


def token_for(user: User) -> str:
    return create_access_token(identity=str(user.id))


def authenticate(*, required: bool) -> User | None:
    """Resolve the caller; 401 for a bad token, or for none where one is required."""
    header = request.headers.get("Authorization", "").strip()
    g.current_user = None
    if not header:
        if required:
            abort(401, "token", "is missing")
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() not in SCHEMES or not token.strip():
        abort(401, "token", "is invalid")
    g.current_user = _user_from(token.strip())
    return g.current_user


def _user_from(token: str) -> User:
    try:
        user_id = int(decode_token(token)["sub"])
    except ExpiredSignatureError:
        abort(401, "token", "has expired")
    except (InvalidTokenError, JWTExtendedException, KeyError, ValueError, TypeError):
        abort(401, "token", "is invalid")
    user = db.session.get(User, user_id)
    if user is None:  # a valid token for a user who no longer exists
        abort(401, "token", "is invalid")
    return user


def current_user() -> User | None:
    """The caller resolved by `authenticate`, or None for anonymous requests."""
    return g.get("current_user")
