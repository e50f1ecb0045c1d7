"""The tag list."""

from marshmallow import Schema, fields


class TagListSchema(Schema):
    """Tags in use, the most used first."""

    tags = fields.List(fields.String(), required=True, metadata={"example": ["dragons", "reactjs"]})
