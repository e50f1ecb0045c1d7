"""Who is calling: `Authorization: Token <jwt>` (or `Bearer`), checked by flask-jwt-extended.

The library decodes and verifies the token (`decode_token`); the callbacks below put its
failures in the error envelope. Ours: both `Token` and `Bearer` are accepted; a token already
verified by this process is not decoded again until it expires (the library decodes each token
three times, which costs more than a cached read); and the caller's row is read only when it
is needed: a cached read confirms that the caller exists in the one query that fetches the
caller's flags (resources/seen_by.py), and anything else loads the user.
"""

import time
from collections import OrderedDict

from flask import current_app, g, request
from flask_jwt_extended import create_access_token, decode_token

from api.errors import TOKEN_ERRORS, abort, error_response
from api.extensions import db, jwt
from models import User

SCHEMES = ("token", "bearer")
SIGNED_IN_CLAIM = "auth_time"  # OpenID Connect's name for when the user gave their password
VERIFIED = "conduit_verified_tokens"  # in app.extensions: token -> (caller id, expiry)
REMEMBERED_TOKENS = 4096


def token_for(user: User) -> str:
    """A token for the user. Its session began when the user last gave their password: now,
    unless this request came with a token, whose session the new one continues. A session's
    tokens expire `JWT_ACCESS_TOKEN_EXPIRES` after they are issued but never later than
    `JWT_SESSION_MAX_AGE` after the session began, so that a stolen token cannot be renewed
    for ever (a new password does not begin a session: it needs no old one)."""
    now = int(time.time())
    signed_in = g.get("token_signed_in") or now
    lifetime = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds()
    ends = signed_in + current_app.config["JWT_SESSION_MAX_AGE"].total_seconds()
    claims = {SIGNED_IN_CLAIM: signed_in, "exp": int(min(now + lifetime, ends))}
    return create_access_token(identity=str(user.id), additional_claims=claims)


def authenticate(*, required: bool) -> None:
    """Check the token; 401 for a bad one, or for none where one is required."""
    header = request.environ.get("HTTP_AUTHORIZATION", "").strip()  # as request.headers would
    if not header:
        if required:
            abort(401, "token", TOKEN_ERRORS["missing"])
        return  # anonymous
    scheme, _, token = header.partition(" ")
    # A header of another scheme is not anonymous: it is a token we cannot read.
    if scheme.lower() not in SCHEMES or not token.strip():
        reject()
    g.caller_id, g.token_issued, g.token_signed_in = _verified(token.strip())


def _verified(token: str) -> tuple[int, int, int]:
    """The id of the user the token names, when it was issued and when its session began,
    once the library has verified it (401 otherwise)."""
    remembered = current_app.extensions.setdefault(VERIFIED, OrderedDict())
    if (known := remembered.get(token)) and known[1] > time.time():
        return known[0]
    claims = decode_token(token)  # its errors are answered by the library's callbacks below
    try:
        if claims.get("type") != "access":
            raise ValueError("not an access token")
        issued = int(claims["iat"])
        caller = (
            int(claims[current_app.config["JWT_IDENTITY_CLAIM"]]),
            issued,
            int(claims.get(SIGNED_IN_CLAIM, issued)),  # tokens from before sessions: issued
        )
    except (KeyError, TypeError, ValueError):
        reject()  # signed, but no access token of a user id
    # The session's end is as final as the token's own: tokens cannot outlive it.
    session_ends = caller[2] + current_app.config["JWT_SESSION_MAX_AGE"].total_seconds()
    if session_ends <= time.time():
        abort(401, "token", TOKEN_ERRORS["expired"])
    expires = claims.get("exp", float("inf")) + current_app.config["JWT_DECODE_LEEWAY"]
    expires = min(expires, session_ends)
    remembered[token] = (caller, expires)
    while len(remembered) > REMEMBERED_TOKENS:
        remembered.popitem(last=False)
    return caller


def caller_id() -> int | None:
    """The id the token names, or None for anonymous requests; not yet known to exist."""
    return g.get("caller_id")


def token_issued() -> int | None:
    """When the caller's token was issued (Unix seconds), or None for anonymous requests."""
    return g.get("token_issued")


def current_user() -> User | None:
    """The caller, loaded on first use; a token of a user who no longer exists, is suspended,
    or issued before their latest password, is a 401."""
    if "caller" not in g:
        found = None if caller_id() is None else db.session.get(User, caller_id())
        confirm_caller(found is not None and found.accepts(token_issued()))
        g.caller = found
    return g.caller


def require_admin() -> None:
    """403 unless the caller may moderate (granted by `flask admin grant` alone)."""
    if not current_user().is_admin:
        abort(403, "user", "is not an admin")


def confirm_caller(exists: bool) -> None:
    """Record what a query found of the caller's row: a 401 if it is gone (or the token is
    older than the password)."""
    if caller_id() is not None and not exists:
        reject()
    g.caller_confirmed = True


def ensure_caller() -> None:
    """After a view: make sure the caller it served exists, if nothing looked yet."""
    if caller_id() is not None and not g.get("caller_confirmed"):
        current_user()


def reject():
    abort(401, "token", TOKEN_ERRORS["invalid"])


@jwt.invalid_token_loader
def _invalid(_reason: str):
    return error_response(401, {"token": [TOKEN_ERRORS["invalid"]]})


@jwt.expired_token_loader
def _expired(_header: dict, _claims: dict):
    return error_response(401, {"token": [TOKEN_ERRORS["expired"]]})
