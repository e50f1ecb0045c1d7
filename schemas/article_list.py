"""A page of the article list, and the filters and paging it takes."""

from marshmallow import Schema, fields

from schemas.article import ArticleSchema
from schemas.common import PageSchema


class ArticleListItemSchema(ArticleSchema):
    """An article in a list: everything but the body."""

    class Meta(ArticleSchema.Meta):
        exclude = ("body",)


class ArticleListSchema(Schema):
    """A page of articles and the number of all that match."""

    articles = fields.List(fields.Nested(ArticleListItemSchema), required=True)
    articles_count = fields.Integer(data_key="articlesCount", required=True)


class ArticleFilterSchema(PageSchema):
    """Filters of the article list; they combine with AND."""

    tag = fields.String(metadata={"description": "Only articles with this tag."})
    author = fields.String(metadata={"description": "Only articles by this username."})
    favorited = fields.String(metadata={"description": "Only articles this username favorited."})
