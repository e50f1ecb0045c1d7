"""What the sign-in limits count a failed attempt against: the account it tried."""

import hashlib

from flask import request
from werkzeug.exceptions import HTTPException


def attempted_account() -> str:
    """The account a sign-in is for, as the login finds it (the body's email, trimmed and
    lower-cased), hashed: a key of fixed size, and no email kept in the limits' storage."""
    try:
        body = request.get_json(silent=True)
    except (RecursionError, HTTPException):  # too deep, too large: the parser refuses it next
        body = None  # and an error here would make flask-limiter take its storage for down
    user = body.get("user") if isinstance(body, dict) else None
    email = user.get("email") if isinstance(user, dict) else None
    if not isinstance(email, str):
        return "-"  # a 422, never a failed sign-in: nothing counts there
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def failed_sign_in(response) -> bool:
    return response.status_code == 401
