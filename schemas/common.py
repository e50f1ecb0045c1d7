"""Fields and helpers every schema shares: timestamps, request envelopes, paging."""

from copy import copy

from marshmallow import EXCLUDE, Schema, fields, missing, validate
from marshmallow_sqlalchemy import SQLAlchemySchema

from models.common import as_utc

MAX_OFFSET = 2**31 - 1  # every database takes it; beyond, a page is empty anyway


class Timestamp(fields.DateTime):
    """UTC, ISO 8601 with milliseconds and `Z`: `2026-02-18T03:22:56.637Z`."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return as_utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ResponseSchema(SQLAlchemySchema):
    """What a model looks like in an answer: every field is always there, so documented required."""

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = True


class RequestSchema(Schema):
    """Request bodies ignore fields they do not know, as clients send whole objects back."""

    class Meta:
        unknown = EXCLUDE

    error_messages = {"type": "must be a JSON object"}


def every_field_optional(schema: type[Schema]) -> type[Schema]:
    """Class decorator: no field of `schema` is required or has a default.

    Makes the body of an update from the body of a create: only the fields sent change.
    """
    for name, field in list(schema._declared_fields.items()):
        loose = copy(field)  # the parent keeps its own field
        loose.required = False
        loose.load_default = missing
        schema._declared_fields[name] = loose
    return schema


def envelope(key: str, schema, *, name: str, base=Schema, **nested) -> type[Schema]:
    """A schema for `{key: schema}`: how every request and response body is wrapped."""
    wrapper = f'must be a JSON object with a "{key}" object'
    field = fields.Nested(
        schema,
        required=True,
        error_messages={"required": wrapper, "null": wrapper, "type": wrapper},
        **nested,
    )
    return base.from_dict({key: field}, name=name)


def request_envelope(key: str, schema, *, name: str) -> type[Schema]:
    return envelope(key, schema, name=name, base=RequestSchema)


class PageSchema(Schema):
    """`limit` and `offset` of a list."""

    limit = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "Page size (1 to 100)."},
    )
    offset = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_OFFSET),
        metadata={"description": f"How many matching articles to skip (at most {MAX_OFFSET})."},
    )
