"""Path converters: a slug never stands where a fixed segment of the same path does."""

import re

from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter

from api.extensions import rest_api
from models.slug import ROUTE_SEGMENTS

MAX_ID = 2**31 - 1  # the largest id a column of either database holds


class SlugConverter(BaseConverter):
    """Any path segment but the fixed ones beside slugs (`/api/articles/feed` is the feed)."""

    part_isolating = True  # one segment: its "/" is only in the class of what it refuses
    regex = "(?!(?:{})$)[^/]+".format("|".join(map(re.escape, sorted(ROUTE_SEGMENTS))))


def slug_schema(_converter) -> dict:
    # The refused segments are said in the parameter's description, not as `not: {enum}`: a
    # request with one is another operation's (the feed's), which the document already lists.
    return {"type": "string"}


class IdConverter(IntegerConverter):
    """`<int:...>`, but no larger than an id can be: a larger one is no route (404), where
    PostgreSQL would refuse to compare it with an id."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def id_schema(converter) -> dict:
    return {"type": "integer", "minimum": 0, "maximum": converter.max}


def register_converters(app: Flask) -> None:
    """Before the resources: their rules and their documentation use the converters."""
    app.url_map.converters["slug"] = SlugConverter
    app.url_map.converters["int"] = IdConverter
    rest_api.register_converter(SlugConverter, slug_schema)
    rest_api.register_converter(IdConverter, id_schema)
