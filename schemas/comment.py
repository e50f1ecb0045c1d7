"""Comments and the body that creates one."""

from marshmallow import fields
from marshmallow_sqlalchemy import auto_field

from models import Comment
from schemas.common import (
    RequestSchema,
    ResponseSchema,
    Timestamp,
    envelope,
    request_envelope,
)
from schemas.text import (
    Text,
    at_most_characters,
)
from schemas.user import ProfileSchema

MAX_COMMENT = 10_000


class CommentSchema(ResponseSchema):
    """A comment on an article."""

    class Meta:
        model = Comment
        ordered = True

    id = auto_field(metadata={"example": 1})
    created_at = Timestamp(data_key="createdAt", metadata={"example": "2026-02-18T03:22:56.637Z"})
    updated_at = Timestamp(data_key="updatedAt", metadata={"example": "2026-02-18T03:22:56.637Z"})
    body = auto_field(metadata={"example": "It takes a Jacobian"})
    author = fields.Nested(ProfileSchema)


class CommentCreateSchema(RequestSchema):
    """What a new comment says."""

    body = Text(
        strip=False,
        required=True,
        validate=at_most_characters(MAX_COMMENT),
        metadata={"example": "Thank you so much!"},
    )


CommentEnvelope = envelope("comment", CommentSchema, name="CommentResponse")
CommentListEnvelope = envelope("comments", CommentSchema, name="CommentListResponse", many=True)
CommentCreateRequest = request_envelope("comment", CommentCreateSchema, name="CommentCreateRequest")
