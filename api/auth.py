"""Who is calling: `Authorization: Token <jwt>` (or `Bearer`), checked by flask-jwt-extended.

The library decodes and verifies the token; the callbacks below put its failures in the error
envelope. Ours is that both `Token` and `Bearer` are accepted, and that the caller's row is
read only when it is needed: a cached read confirms that the caller exists in the one query
that fetches the caller's flags (resources/seen_by.py), and anything else loads the user.
"""

from flask import current_app, g, request
from flask_jwt_extended import create_access_token, get_jwt_identity, verify_jwt_in_request

from api.errors import TOKEN_ERRORS, abort, error_response
from api.extensions import db, jwt
from models import User

SCHEMES = ("token", "bearer")


def token_for(user: User) -> str:
    return create_access_token(identity=str(user.id))


def authenticate(*, required: bool) -> None:
    """Check the token; 401 for a bad one, or for none where one is required."""
    header = request.headers.get("Authorization", "").strip()
    if not header and not required:
        return  # anonymous: nothing for the library to read
    if header:
        scheme, _, token = header.partition(" ")
        # Unlike the library's optional mode, a header of another scheme is not anonymous.
        if scheme.lower() not in SCHEMES or not token.strip():
            reject()
        # Either scheme, as the one the library reads; the request's own headers follow environ.
        scheme = current_app.config["JWT_HEADER_TYPE"]
        request.environ["HTTP_AUTHORIZATION"] = f"{scheme} {token.strip()}"
    verify_jwt_in_request(optional=not required)
    try:
        g.caller_id = int(get_jwt_identity())
    except (TypeError, ValueError):
        reject()  # signed, but its subject is no user id


def caller_id() -> int | None:
    """The id the token names, or None for anonymous requests; not yet known to exist."""
    return g.get("caller_id")


def current_user() -> User | None:
    """The caller, loaded on first use; a token of a user who no longer exists is a 401."""
    if "caller" not in g:
        found = None if caller_id() is None else db.session.get(User, caller_id())
        confirm_caller(found is not None)
        g.caller = found
    return g.caller


def confirm_caller(exists: bool) -> None:
    """Record what a query found of the caller's row: a 401 if it is gone."""
    if caller_id() is not None and not exists:
        reject()
    g.caller_confirmed = True


def ensure_caller() -> None:
    """After a view: make sure the caller it served exists, if nothing looked yet."""
    if caller_id() is not None and not g.get("caller_confirmed"):
        current_user()


def reject():
    abort(401, "token", TOKEN_ERRORS["invalid"])


@jwt.unauthorized_loader
def _missing(_reason: str):
    return error_response(401, {"token": [TOKEN_ERRORS["missing"]]})


@jwt.invalid_token_loader
def _invalid(_reason: str):
    return error_response(401, {"token": [TOKEN_ERRORS["invalid"]]})


@jwt.expired_token_loader
def _expired(_header: dict, _claims: dict):
    return error_response(401, {"token": [TOKEN_ERRORS["expired"]]})
