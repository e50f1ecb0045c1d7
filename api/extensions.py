"""Unbound extension singletons; create_app binds them to an app."""

import weakref
from functools import wraps

import flask_limiter
import flask_smorest
from flask import current_app
from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so that migrations can refer to (and drop) each of them, and a
# broken unique constraint tells which field was taken (api/errors.py).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Api(flask_smorest.Api):
    """flask-smorest, documenting each error only where it occurs (api/docs.py adds the rest)."""

    DEFAULT_ERROR_RESPONSE_NAME = None  # each operation lists its own error statuses

    def register_converter(self, converter, func):
        """Once per converter, however many apps register it: this singleton outlives them."""
        if all(known is not converter for known, _ in self._converters):
            super().register_converter(converter, func)

    def _register_pagination_header(self):
        """Lists page with `limit`/`offset` and `articlesCount`, not an X-Pagination header."""

    def _register_responses(self):
        """No generic error responses: the one shared response is registered by api/docs.py."""


class AppLimiter(flask_limiter.Limiter):
    """One app's flask-limiter, which checks the limits of the views decorated alone."""

    def _check_request_limit(self, callable_name=None, in_middleware=True) -> None:
        # Its pass before every request looks for default and application-wide limits, which
        # this project has none of: skipped, every request saves tens of µs.
        if not in_middleware:
            super()._check_request_limit(callable_name, in_middleware)


class Limiter:
    """flask-limiter, with a limiter of its own in each app.

    flask-limiter keeps one app's storage, switch and key prefix on its instance, and a process
    may build several apps with other settings (the tests do): so `init_app` gives each app its
    own, and a limited view is decorated by that app's on its first request there.
    """

    EXTENSION = "conduit-limiter"  # flask-limiter itself uses "limiter"

    def init_app(self, app, **options) -> None:
        app_limiter = AppLimiter(get_remote_address, **options)
        app_limiter.init_app(app)
        app.extensions[self.EXTENSION] = app_limiter

    def current(self) -> AppLimiter | None:
        """The limiter of the app serving the request; None where limits are off."""
        return current_app.extensions.get(self.EXTENSION)

    def limit(self, func, limits: tuple[dict, ...]):
        """`func` under each of `limits` (flask-limiter's `limit` arguments), checked together."""
        decorated = weakref.WeakKeyDictionary()  # by app limiter: a finished test app's goes

        @wraps(func)
        def limited(*args, **kwargs):
            app_limiter = self.current()
            if app_limiter is None:
                return func(*args, **kwargs)
            if app_limiter not in decorated:
                view = func
                for arguments in limits:  # stacked: flask-limiter checks them all at once
                    view = app_limiter.limit(**arguments)(view)
                decorated[app_limiter] = view
            return decorated[app_limiter](*args, **kwargs)

        return limited


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
jwt = JWTManager()
cors = CORS()
rest_api = Api()
limiter = Limiter()
