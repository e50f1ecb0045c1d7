"""Fields and helpers every schema shares: texts, timestamps, request envelopes, paging."""

from copy import copy

from marshmallow import EXCLUDE, Schema, ValidationError, fields, missing, validate
from marshmallow_sqlalchemy import SQLAlchemySchema

from models.common import as_utc

BLANK = "can't be blank"
MAX_OFFSET = 2**31 - 1  # every database takes it; beyond, a page is empty anyway


class Text(fields.String):
    """A required string that may not be blank; trimmed unless `strip=False`."""

    default_error_messages = {"required": BLANK, "null": BLANK, "blank": BLANK}

    def __init__(self, *, strip: bool = True, **kwargs):
        self.strip = strip
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not text.strip():
            raise self.make_error("blank")
        return text.strip() if self.strip else text


class OptionalText(fields.String):
    """A trimmed string where blank or null both mean null."""

    def __init__(self, **kwargs):
        kwargs["allow_none"] = True
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip() or None

    def _validate(self, value):
        if value is not None:  # blank became null: nothing left to validate
            super()._validate(value)


class Email(Text):
    """A trimmed, lower-cased email address."""

    default_error_messages = {"invalid": "is invalid"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.insert(0, validate.Email(error=self.error_messages["invalid"]))

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).lower()


def fits(column) -> validate.Length:
    """The column's maximum length, as a validator with a readable message."""
    length = column.type.length
    return validate.Length(max=length, error=f"is too long (at most {length} characters)")


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


def at_most(largest: int):
    def check(value: int) -> None:
        if value > largest:
            raise ValidationError(f"must be at most {largest}")

    return check


class PageSchema(Schema):
    """`limit` and `offset` of a list."""

    limit = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "Page size (1 to 100)."},
    )
    offset = fields.Integer(
        load_default=0,
        # The upper bound in words only: as `maximum`, the contract run's stateful test draws
        # offsets that make its replays of a sequence disagree (hypothesis calls that flaky).
        validate=[validate.Range(min=0), at_most(MAX_OFFSET)],
        metadata={"description": f"How many matching articles to skip (at most {MAX_OFFSET})."},
    )
