"""flask-smorest and Flask-RESTful, wrapped once: the project's Blueprint and Resource."""

from functools import wraps

import flask_restful
import flask_smorest
from webargs.flaskparser import FlaskParser

from api.auth import authenticate
from api.errors import abort
from schemas.error import ErrorSchema

TOKEN_SCHEME = "Token"
ERROR_DESCRIPTIONS = {
    401: "The token is missing, invalid or expired.",
    403: "The caller does not own the resource.",
    404: "The resource does not exist.",
    409: "The username or email is already taken.",
}


class Parser(FlaskParser):
    """webargs, answering a body that is not JSON with the envelope's 422."""

    DEFAULT_VALIDATION_STATUS = 422

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(422, "body", "is not valid JSON")


class Resource(flask_restful.Resource):
    """Base of every resource; the Blueprint routes it as it would a MethodView."""


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()

    def auth(self, *, required: bool):
        """Resolve the caller from the token before anything else, and document that."""
        security = [{TOKEN_SCHEME: []}] if required else [{}, {TOKEN_SCHEME: []}]

        def decorator(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                authenticate(required=required)
                return func(*args, **kwargs)

            return self.errors(401)(self.doc(security=security)(wrapper))

        return decorator

    def lookup(self, resolve, *, errors=(404,)):
        """Turn path parameters into objects before the body is parsed (404/403 precede 422).

        `resolve` takes the view's keyword arguments and returns the ones to call it with.
        """

        def decorator(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                return func(*args, **resolve(**kwargs))

            return self.errors(*errors)(wrapper)

        return decorator

    def errors(self, *statuses: int):
        """Document error responses an operation can give, in the error envelope."""

        def decorator(func):
            for status in statuses:
                func = self.alt_response(
                    status, schema=ErrorSchema, description=ERROR_DESCRIPTIONS.get(status)
                )(func)
            return func

        return decorator
