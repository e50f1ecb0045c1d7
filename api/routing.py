"""Path converters: a slug never stands where a fixed segment of the same path does."""

import re

from flask import Flask
from werkzeug.routing import BaseConverter

from api.extensions import rest_api
from models.slug import ROUTE_SEGMENTS


class SlugConverter(BaseConverter):
    """Any path segment but the fixed ones beside slugs (`/api/articles/feed` is the feed)."""

    regex = "(?!(?:{})$)[^/]+".format("|".join(map(re.escape, sorted(ROUTE_SEGMENTS))))


def slug_schema(_converter) -> dict:
    return {"type": "string", "minLength": 1, "not": {"enum": sorted(ROUTE_SEGMENTS)}}


def register_converters(app: Flask) -> None:
    """Before the resources: their rules and their documentation use the converters."""
    app.url_map.converters["slug"] = SlugConverter
    rest_api.register_converter(SlugConverter, slug_schema)
