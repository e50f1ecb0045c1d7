"""Path converters: a slug never stands where a fixed segment of the same path does."""

import re

from flask import Flask
from werkzeug.routing import BaseConverter

from api.extensions import rest_api
from models.slug import ROUTE_SEGMENTS


class SlugConverter(BaseConverter):
    """Any path segment but the fixed ones beside slugs (`/api/articles/feed` is the feed)."""

    part_isolating = True  # one segment: its "/" is only in the class of what it refuses
    regex = "(?!(?:{})$)[^/]+".format("|".join(map(re.escape, sorted(ROUTE_SEGMENTS))))


def slug_schema(_converter) -> dict:
    # The refused segments are said in the parameter's description, not as `not: {enum}`: a
    # request with one is another operation's (the feed's), which the document already lists.
    return {"type": "string"}


def register_converters(app: Flask) -> None:
    """Before the resources: their rules and their documentation use the converters."""
    app.url_map.converters["slug"] = SlugConverter
    rest_api.register_converter(SlugConverter, slug_schema)
