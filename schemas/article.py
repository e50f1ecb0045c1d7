"""An article in full, and the bodies that create and change one."""

from marshmallow import fields, validate
from marshmallow_sqlalchemy import auto_field

from models import Article, Tag
from schemas.common import (
    RequestSchema,
    ResponseSchema,
    Timestamp,
    envelope,
    every_field_optional,
    request_envelope,
)
from schemas.text import (
    Text,
    at_most_characters,
    fits,
)
from schemas.user import ProfileSchema

MAX_TAGS = 20
MAX_BODY = 100_000


class ArticleSchema(ResponseSchema):
    """An article as the caller sees it."""

    class Meta:
        model = Article
        ordered = True

    slug = auto_field(metadata={"example": "how-to-train-your-dragon"})
    title = auto_field(metadata={"example": "How to train your dragon"})
    description = auto_field(metadata={"example": "Ever wonder how?"})
    body = auto_field(metadata={"example": "It takes a Jacobian"})
    tag_list = fields.List(
        fields.String(),
        data_key="tagList",
        metadata={"description": "Sorted alphabetically.", "example": ["dragons", "training"]},
    )
    created_at = Timestamp(data_key="createdAt", metadata={"example": "2026-02-18T03:22:56.637Z"})
    updated_at = Timestamp(data_key="updatedAt", metadata={"example": "2026-02-18T03:48:35.824Z"})
    favorited = fields.Boolean(metadata={"description": "Whether the caller favorited it."})
    favorites_count = fields.Integer(data_key="favoritesCount", metadata={"example": 0})
    author = fields.Nested(ProfileSchema)


class ArticleCreateSchema(RequestSchema):
    """A new article; `tagList` is optional."""

    title = Text(required=True, validate=fits(Article.title), metadata={"example": "Dragons"})
    description = Text(
        required=True, validate=fits(Article.description), metadata={"example": "Ever wonder?"}
    )
    body = Text(
        strip=False,
        required=True,
        validate=at_most_characters(MAX_BODY),
        metadata={"example": "You have to believe"},
    )
    tag_list = fields.List(
        Text(validate=fits(Tag.name), metadata={"description": "Trimmed."}),
        data_key="tagList",
        load_default=list,
        validate=validate.Length(max=MAX_TAGS, error=f"may hold at most {MAX_TAGS} tags"),
        error_messages={"null": "must be a list (send [] to clear it)"},
        metadata={"example": ["dragons", "training"]},
    )


@every_field_optional
class ArticleUpdateSchema(ArticleCreateSchema):
    """Any of the article's fields; an omitted `tagList` keeps the tags, `[]` clears them."""


ArticleEnvelope = envelope("article", ArticleSchema, name="ArticleResponse")
ArticleCreateRequest = request_envelope("article", ArticleCreateSchema, name="ArticleCreateRequest")
ArticleUpdateRequest = request_envelope("article", ArticleUpdateSchema, name="ArticleUpdateRequest")
