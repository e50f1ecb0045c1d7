"""flask-smorest and Flask-RESTful, wrapped once: the project's Blueprint and Resource."""

from functools import wraps

import flask_restful
import flask_smorest
from sqlalchemy.exc import IntegrityError
from webargs.flaskparser import FlaskParser

from api.auth import authenticate
from api.errors import abort
from api.extensions import db
from schemas.error import ErrorSchema

TOKEN_SCHEME = "Token"

# What each documented error status says, and the message it carries for a given key.
ERRORS = {
    401: ("Authentication failed: {keys}.", "is invalid"),
    403: ("The caller does not own the {keys}.", "forbidden"),
    404: ("No such {keys}.", "not found"),
    409: ("The {keys} is already taken.", "has already been taken"),
    422: ("The request is not valid: {keys}.", "is invalid"),
}
TOKEN_ERRORS = {"missing": "is missing", "invalid": "is invalid", "expired": "has expired"}


class Parser(FlaskParser):
    """webargs, answering a body that is not JSON with the envelope's 422."""

    DEFAULT_VALIDATION_STATUS = 422

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(422, "body", "is not valid JSON")


def retry_lost_race(method):
    """Run a request once more when its commit breaks a unique constraint.

    Two requests can both find a username, an email or a slug free and then both insert it.
    The loser's transaction is rolled back whole, so running it again is safe, and its checks
    now see the winner: it answers the precise 409, or picks another slug.
    """

    @wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except IntegrityError:
            db.session.rollback()
            return method(*args, **kwargs)

    return wrapper


class Resource(flask_restful.Resource):
    """Base of every resource; the Blueprint routes it as it would a MethodView."""

    method_decorators = [retry_lost_race]


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()

    def operation(self, operation_id: str, *, links: dict[int, dict] | None = None):
        """Name the operation, and say where its answer leads (OpenAPI links, by operationId)."""
        responses = {
            status: {"links": named_links} for status, named_links in (links or {}).items()
        }
        return self.doc(operationId=operation_id, **({"responses": responses} if links else {}))

    def auth(self, *, required: bool):
        """Resolve the caller from the token before anything else, and document that.

        Required: no token is a 401. Optional: no token means anonymous. Either way a bad
        token is a 401.
        """
        if required:
            security = [{TOKEN_SCHEME: []}]
            description = "The token is missing, invalid or expired."
            reasons = ("missing", "invalid", "expired")
        else:
            security = [{}, {TOKEN_SCHEME: []}]
            description = "The token sent is invalid or expired."
            reasons = ("invalid", "expired")

        def decorator(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                authenticate(required=required)
                return func(*args, **kwargs)

            documented = self.doc(security=security)(wrapper)
            examples = {reason: {"token": [TOKEN_ERRORS[reason]]} for reason in reasons}
            return self._document_error(documented, 401, description, examples)

        return decorator

    def public(self, func):
        """Document that the operation takes no token (one sent is ignored)."""
        return self.doc(security=[])(func)

    def lookup(self, resolve, *, errors: dict[int, str | tuple[str, ...]]):
        """Turn path parameters into objects before the body is parsed (404/403 precede 422).

        `resolve` takes the view's keyword arguments and returns the ones to call it with;
        `errors` documents what it may answer, e.g. `{404: "article", 403: "article"}`.
        """

        def decorator(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                return func(*args, **resolve(**kwargs))

            documented = wrapper
            for status, keys in errors.items():
                keys = (keys,) if isinstance(keys, str) else keys
                documented = self.errors(status, *keys)(documented)
            return documented

        return decorator

    def errors(self, status: int, *keys: str, message: str | None = None):
        """Document an error status an operation can give, with an example for each key."""
        description, default_message = ERRORS[status]
        examples = {key: {key: [message or default_message]} for key in keys}

        def decorator(func):
            return self._document_error(
                func, status, description.format(keys=" or ".join(keys)), examples
            )

        return decorator

    def _document_error(self, func, status: int, description: str, examples: dict):
        return self.alt_response(
            status,
            schema=ErrorSchema,
            description=description,
            examples={name: {"value": {"errors": body}} for name, body in examples.items()},
        )(func)
