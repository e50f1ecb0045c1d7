"""Who is calling: `Authorization: Token <jwt>` (or `Bearer`), checked by flask-jwt-extended.

The library decodes and verifies the token and loads its user; the callbacks below put its
failures in the error envelope. Ours is only that both `Token` and `Bearer` are accepted.
"""

from flask import current_app, request
from flask_jwt_extended import create_access_token, get_current_user, verify_jwt_in_request

from api.errors import TOKEN_ERRORS, abort, error_response
from api.extensions import db, jwt
from models import User

SCHEMES = ("token", "bearer")


def token_for(user: User) -> str:
    return create_access_token(identity=str(user.id))


def authenticate(*, required: bool) -> None:
    """Resolve the caller; 401 for a bad token, or for none where one is required."""
    header = request.headers.get("Authorization", "").strip()
    if header:
        scheme, _, token = header.partition(" ")
        # Unlike the library's optional mode, a header of another scheme is not anonymous.
        if scheme.lower() not in SCHEMES or not token.strip():
            abort(401, "token", TOKEN_ERRORS["invalid"])
        # Either scheme, as the one the library reads; the request's own headers follow environ.
        scheme = current_app.config["JWT_HEADER_TYPE"]
        request.environ["HTTP_AUTHORIZATION"] = f"{scheme} {token.strip()}"
    verify_jwt_in_request(optional=not required)


def current_user() -> User | None:
    """The caller resolved by `authenticate`, or None for anonymous requests."""
    return get_current_user()


@jwt.user_lookup_loader
def _load_user(_header: dict, claims: dict) -> User | None:
    try:
        user_id = int(claims["sub"])
    except (TypeError, ValueError):
        return None  # a subject that is no user id: "user_lookup_error" below
    return db.session.get(User, user_id)


@jwt.unauthorized_loader
def _missing(_reason: str):
    return error_response(401, {"token": [TOKEN_ERRORS["missing"]]})


@jwt.invalid_token_loader
def _invalid(_reason: str):
    return error_response(401, {"token": [TOKEN_ERRORS["invalid"]]})


@jwt.user_lookup_error_loader
def _unknown_user(_header: dict, _claims: dict):
    # A valid signature for a user who no longer exists (or never did).
    return error_response(401, {"token": [TOKEN_ERRORS["invalid"]]})


@jwt.expired_token_loader
def _expired(_header: dict, _claims: dict):
    return error_response(401, {"token": [TOKEN_ERRORS["expired"]]})
