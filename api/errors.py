"""The one error envelope, `{"errors": {key: [messages]}}`, for every way a request can fail."""

import re
from typing import NoReturn

import flask_smorest
from flask import Flask, jsonify
from marshmallow import Schema, fields
from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from api.extensions import db

# What routing and the server say when nobody passed a more precise key and message.
DEFAULT_ERRORS = {
    404: {"path": ["not found"]},
    405: {"method": ["not allowed"]},
    413: {"body": ["is too large"]},
    500: {"server": ["internal error"]},
}
# What each documented error status says, and the message it carries for a given key.
DOCUMENTED_ERRORS = {
    401: ("Authentication failed: {keys}.", "is invalid"),
    403: ("The caller does not own the {keys}.", "forbidden"),
    404: ("No such {keys}.", "not found"),
    409: ("The {keys} is already taken.", "has already been taken"),
    412: ("The {keys} has changed since the tag sent in If-Match.", "has changed"),
    422: ("The request is not valid: {keys}.", "is invalid"),
}
TOKEN_ERRORS = {"missing": "is missing", "invalid": "is invalid", "expired": "has expired"}
FOREIGN_KEY_VIOLATION = "23503"  # PostgreSQL's SQLSTATE
# SQLite names the columns of a broken unique constraint, not the constraint.
SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (\w+)\.(\w+)")


class ErrorSchema(Schema):
    """Field or resource names, each with what is wrong with it."""

    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={"example": {"article": ["not found"]}},
    )


def abort(status: int, key: str, message: str) -> NoReturn:
    """Stop the request with `{"errors": {key: [message]}}`."""
    flask_smorest.abort(status, errors={key: [message]})


def error_response(status: int, errors: dict, headers=None):
    response = jsonify(errors=errors)
    response.status_code = status
    response.headers.update(headers or {})
    if status == 401:
        response.headers["WWW-Authenticate"] = "Token"
    return response


def handle_http_exception(error: HTTPException):
    data = getattr(error, "data", None) or {}
    if "errors" in data:
        errors = data["errors"]
    elif "messages" in data:  # webargs validation
        errors = validation_errors(data["messages"])
    else:
        errors = DEFAULT_ERRORS.get(error.code, {"request": [error.description or error.name]})
    headers = dict(data.get("headers") or {})
    if getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(error.code, errors, headers)


def handle_integrity_error(error: IntegrityError):
    """A race that the explicit checks could not see: a unique value taken meanwhile, or a row
    referred to deleted meanwhile."""
    db.session.rollback()
    if refers_to_a_missing_row(error):
        # Of the rows others refer to, the API deletes articles alone: this was a favorite or
        # a comment of an article deleted after it was looked up.
        return error_response(404, {"article": ["not found"]})
    return error_response(409, {taken_field(error) or "request": ["has already been taken"]})


def refers_to_a_missing_row(error: IntegrityError) -> bool:
    if getattr(error.orig, "sqlstate", None) == FOREIGN_KEY_VIOLATION:  # psycopg
        return True
    return str(error.orig) == "FOREIGN KEY constraint failed"  # SQLite says no more


def taken_field(error: IntegrityError) -> str | None:
    """The field whose unique constraint the statement broke, found by the constraint's name."""
    name = getattr(getattr(error.orig, "diag", None), "constraint_name", None)  # psycopg
    if name is None:
        match = SQLITE_UNIQUE.search(str(error.orig))
        return match and unique_columns().get((match[1], match[2]))
    return unique_columns().get(name)


def unique_columns() -> dict:
    """Each one-column unique constraint of the models, by its name and by (table, column)."""
    found = {}
    for table in db.metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint) and len(constraint.columns) == 1:
                (column,) = constraint.columns
                found[str(constraint.name)] = found[table.name, column.name] = column.name
    return found


def validation_errors(messages: dict) -> dict:
    """webargs' `{location: {...}}` as the envelope's flat `{field: [messages]}`."""
    errors: dict[str, list[str]] = {}
    for location, problems in messages.items():
        if not isinstance(problems, dict):
            errors.setdefault("body" if location == "json" else location, []).extend(problems)
            continue
        for key, value in problems.items():
            if location == "json" and isinstance(value, dict):
                # Inside the request's wrapper object: report each field by name.
                for field, field_problems in value.items():
                    name = "body" if field == "_schema" else field  # the wrapper's own type
                    errors.setdefault(name, []).extend(_flatten(field_problems))
            else:
                name = "body" if location == "json" else key
                errors.setdefault(name, []).extend(_flatten(value))
    return errors


def _flatten(problems, prefix: str = "") -> list[str]:
    if isinstance(problems, dict):
        return [
            message
            for index, nested in problems.items()
            for message in _flatten(nested, f"{prefix}[{index}] ")
        ]
    return [f"{prefix}{message}" for message in problems]


def register_error_handlers(app: Flask) -> None:
    # Registered after flask-smorest's, so these replace its HTTPException handler.
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, handle_integrity_error)
