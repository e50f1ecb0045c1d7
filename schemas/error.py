"""The error envelope, as the docs describe every error response."""

from marshmallow import Schema, fields


class ErrorSchema(Schema):
    """Field or resource names, each with what is wrong with it."""

    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={"example": {"article": ["not found"]}},
    )
