"""The OpenAPI document's shared parts, and the interactive docs' assets served from here."""

import openapi_ui_bundles
from flask import Blueprint, abort, send_from_directory

from api.errors import ErrorSchema


def record_only(decorate, func):
    """Apply a flask-smorest decorator that only documents: keep its record (`_apidoc`), drop
    its wrapper, so that a request passes only through wrappers that work."""
    func._apidoc = decorate(func)._apidoc
    return func


ASSETS_URL = "/docs/assets"
BUNDLES = {
    "swagger-ui": openapi_ui_bundles.swagger_ui.static_path,
    "redoc": openapi_ui_bundles.redoc.static_path,
    "rapidoc": openapi_ui_bundles.rapidoc.static_path,
}

DESCRIPTION = """\
The RealWorld **Conduit** API (version 2): users, profiles and follows, articles with tags,
favorites, the feed, and comments. JSON in and out; every body is wrapped in one key
(`{"user": {...}}`, `{"article": {...}}`, `{"comment": {...}}`).

## Authentication

Register (`POST /api/users`) or sign in (`POST /api/users/login`), then send the `token` of
the user object as `Authorization: Token <jwt>` (`Bearer <jwt>` works too). In this page,
**Authorize** takes `Token <jwt>` and keeps it across reloads. Each operation says whether a
token is required, optional (without one, `favorited` and `following` are false) or unused.
A missing token where one is required, or a bad or expired token anywhere, is a 401.

## Pagination

Lists take `limit` (1 to 100, default 20) and `offset` (default 0) and are newest first.
`articlesCount` is the number of all matching articles, not the length of the page.

## Errors

Every error has one shape, an object of message lists keyed by the field or the resource
concerned: `{"errors": {"title": ["can't be blank"]}}`. Checks run in the order
401 (token), 404 (article, then comment), 403 (ownership), 422 (the body and query).
A body that is not JSON, or lacks its wrapper object, is a 422 keyed `body`.
"""

blueprint = Blueprint("docs_assets", __name__)


def document_shared_parts(spec) -> None:
    """The token scheme, and what @blp.arguments answers when validation fails."""
    spec.components.security_scheme(
        "Token",
        {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <jwt>` (or `Bearer <jwt>`), the token of a user object.",
        },
    )
    spec.components.response(
        "UNPROCESSABLE_ENTITY",
        {
            "description": "The body or the query is not valid, keyed by field "
            "(`body` when it is not JSON or lacks its wrapper object).",
            "content": {
                "application/json": {
                    "schema": ErrorSchema,
                    "examples": {
                        "blank": {"value": {"errors": {"title": ["can't be blank"]}}},
                        "wrapper": {
                            "value": {
                                "errors": {"body": ['must be a JSON object with a "user" object']}
                            }
                        },
                    },
                }
            },
        },
        lazy=True,
    )


@blueprint.get(f"{ASSETS_URL}/<tool>/<path:filename>")
def asset(tool: str, filename: str):
    if tool not in BUNDLES:
        abort(404)
    return send_from_directory(BUNDLES[tool], filename, max_age=86400)
