"""Unbound extension singletons; create_app binds them to an app."""

import flask_smorest
from flask_cors import CORS
from flask_jwt_extended import JWTManager
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


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
jwt = JWTManager()
cors = CORS()
rest_api = Api()
