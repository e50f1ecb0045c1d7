"""flask-smorest and Flask-RESTful, wrapped once: the project's Blueprint and Resource."""

from functools import wraps

import flask_restful
import flask_smorest
from sqlalchemy.exc import IntegrityError

from api.auth import authenticate, ensure_caller, require_admin
from api.cached import serve_cached
from api.docs import record_only
from api.errors import DOCUMENTED_ERRORS, TOKEN_ERRORS, ErrorSchema
from api.etags import Conditional
from api.extensions import db
from api.limits import Limiting
from api.paging import Paginating
from api.parsing import Parser

TOKEN_SCHEME = "Token"

# Required or optional auth: the security documented, what the 401 says, and its reasons.
BAD_TOKEN = ("invalid", "expired")
AUTH_DOCS = {
    True: ([{TOKEN_SCHEME: []}], "The token is missing, invalid or expired.", TOKEN_ERRORS),
    False: ([{}, {TOKEN_SCHEME: []}], "The token sent is invalid or expired.", BAD_TOKEN),
}
# The keywords of flask-smorest's `arguments` that only document; webargs takes the others.
DOCUMENTING_ONLY = ("content_type", "required", "description", "example", "examples")


class Resource(flask_restful.Resource):
    """Base of every resource; the Blueprint routes it as it would a MethodView."""


class Blueprint(Paginating, Limiting, Conditional, flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()

    def operation(self, operation_id: str, *, links: dict[int, dict] | None = None):
        """Name the operation, and say where its answer leads (OpenAPI links, by operationId)."""
        responses = {status: {"links": named} for status, named in (links or {}).items()}
        return self.doc(operationId=operation_id, **({"responses": responses} if links else {}))

    def doc(self, **kwargs):
        """flask-smorest's `doc`, recorded without a wrapper."""
        return lambda func: record_only(super(Blueprint, self).doc(**kwargs), func)

    def arguments(self, schema, **kwargs):
        """Parse and validate with webargs, as flask-smorest does, in one wrapper."""
        parsing = {"location": "json"} | {
            name: value for name, value in kwargs.items() if name not in DOCUMENTING_ONLY
        }

        def decorator(func):
            record_only(super(Blueprint, self).arguments(schema, **kwargs), func)
            return self.ARGUMENTS_PARSER.use_args(schema, **parsing)(func)

        return decorator

    def auth(self, *, required: bool, admin: bool = False):
        """Check the token before anything else, and document that. Required: no token is a
        401. Optional: none means anonymous. A bad token, or one of a gone user, is a 401.
        Admin: a token is required, and a caller who may not moderate gets a 403."""
        security, description, reasons = AUTH_DOCS[required or admin]
        examples = {reason: {"token": [TOKEN_ERRORS[reason]]} for reason in reasons}

        def decorator(func):
            @wraps(func)
            def authenticated(*args, **kwargs):
                authenticate(required=required or admin)
                if admin:
                    require_admin()
                response = func(*args, **kwargs)
                ensure_caller()  # unless the view did, check that the caller exists
                return response

            self.doc(security=security)(authenticated)
            if admin:
                refusal = {"notAdmin": {"user": ["is not an admin"]}}
                self.errors(403, description="The caller is not an admin.", examples=refusal)(
                    authenticated
                )
            return self.errors(401, description=description, examples=examples)(authenticated)

        return decorator

    def public(self, func):
        """Document that the operation takes no token (one sent is ignored)."""
        func.takes_no_token = True  # so its answer does not vary by caller (api/etags.py)
        return self.doc(security=[])(func)

    def cached(self, *, overlay=None, per_caller: bool = False):
        """Serve the 200 answer from the shared cache; `overlay` sets the caller's flags on it."""
        return lambda func: serve_cached(func, per_caller=per_caller, overlay=overlay)

    def lookup(self, resolve, *, errors: dict[int, str | tuple[str, ...]]):
        """Turn path parameters into objects before the body is parsed (404/403 precede 422):
        `resolve` takes the view's keyword arguments and returns the ones to call it with;
        `errors` documents what it may answer, e.g. `{404: "article", 403: "article"}`."""

        def decorator(func):
            @wraps(func)
            def resolved(*args, **kwargs):
                return func(*args, **resolve(**kwargs))

            for status, keys in errors.items():
                self.errors(status, *((keys,) if isinstance(keys, str) else keys))(resolved)
            return resolved

        return decorator

    def conflicts(self, *keys: str):
        """Run the view once more when its commit breaks a unique constraint; document 409.

        Two requests can both find a username, email or slug free and both insert it. The
        loser's transaction is rolled back whole, so running it again is safe; its checks now
        see the winner, and it answers the precise 409 or picks another slug."""

        def decorator(func):
            @wraps(func)
            def retried(*args, **kwargs):
                try:
                    return func(*args, **kwargs)
                except IntegrityError:
                    db.session.rollback()
                return func(*args, **kwargs)

            return self.errors(409, *keys)(retried)

        return decorator

    def errors(self, status: int, *keys: str, message=None, description=None, examples=None):
        """Document an error status an operation can give, with an example for each key."""
        summary, default_message = DOCUMENTED_ERRORS[status]
        examples = examples or {key: {key: [message or default_message]} for key in keys}
        documenting = self.alt_response(
            status,
            schema=ErrorSchema,
            description=description or summary.format(keys=" or ".join(keys)),
            examples={name: {"value": {"errors": body}} for name, body in examples.items()},
        )
        return lambda func: record_only(documenting, func)
