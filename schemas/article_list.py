"""A page of the article list, the filters and paging it takes, and its keyset cursors."""

import hmac
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import UTC, datetime
from typing import NamedTuple

from flask import current_app
from marshmallow import Schema, fields

from models.article_list import Seek
from models.common import ONE_MILLISECOND
from schemas.article import ArticleSchema
from schemas.common import PageSchema

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LONGEST_CURSOR = 200
CREATED = b'"createdAt":"'  # in a rendered page, only each article's own: strings escape `"`


class ArticleListItemSchema(ArticleSchema):
    """An article in a list: everything but the body."""

    class Meta(ArticleSchema.Meta):
        exclude = ("body",)


class ArticleListSchema(Schema):
    """A page of articles and the number of all that match."""

    articles = fields.List(fields.Nested(ArticleListItemSchema), required=True)
    articles_count = fields.Integer(data_key="articlesCount", required=True)


class ArticleCursor(NamedTuple):
    """A page a link leads to: where it is in the list (for the next links, an estimate once
    the list changed), where its rows start, at most how many (the last page), and the length
    of the list when the link was made."""

    position: int
    seek: Seek
    take: int | None
    count: int


def _signature(payload: bytes) -> bytes:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.digest(key, b"article-cursor:" + payload, "sha256")[:12]


def _b64(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def encode_cursor(cursor: ArticleCursor) -> str:
    """`<payload>.<signature>`, both base64url: the six numbers, and their HMAC by SECRET_KEY."""
    moment = cursor.seek.moment
    at = None if moment is None else (moment - EPOCH) // ONE_MILLISECOND
    numbers = (cursor.position, at, cursor.seek.skip, int(cursor.seek.older), cursor.take)
    payload = ".".join("-" if n is None else str(n) for n in (*numbers, cursor.count)).encode()
    return f"{_b64(payload)}.{_b64(_signature(payload))}"


def decode_cursor(text: str) -> ArticleCursor:
    """The cursor this server signed; ValueError for anything else."""
    try:
        payload, signature = (
            urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in text.split(".")
        )
        fields_ = payload.decode("ascii").split(".")
    except (TypeError, ValueError) as error:  # binascii.Error and UnicodeError are ValueErrors
        raise ValueError(text) from error
    if not hmac.compare_digest(signature, _signature(payload)) or len(fields_) != 6:
        raise ValueError(text)
    position, at, skip, older, take, count = (None if f == "-" else int(f) for f in fields_)
    if None in (position, skip, older, count) or older not in (0, 1):
        raise ValueError(text)
    moment = None if at is None else EPOCH + at * ONE_MILLISECOND
    if moment is None and older:
        raise ValueError(text)
    return ArticleCursor(position, Seek(moment, skip, bool(older)), take, count)


class Cursor(fields.String):
    """A keyset cursor from a `Link` header, decoded and checked."""

    default_error_messages = {"invalid": "is not a cursor this server gave"}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if len(text) > LONGEST_CURSOR:
                raise ValueError(text)
            return decode_cursor(text)
        except ValueError:
            raise self.make_error("invalid") from None


class ArticlePageSchema(PageSchema):
    """`limit` and `offset`, or `limit` and a cursor."""

    cursor = Cursor(
        metadata={
            "description": "Where the page starts, instead of `offset` (then ignored): the "
            "opaque value in the URLs of a `Link` header's next, prev and last links, "
            f"signed by the server, at most {LONGEST_CURSOR} characters. Walking by cursor "
            "reads no row before the page however deep it is, and shows each article once "
            "even while new ones are written. A value the server did not give is a 422.",
            "example": "MjAuMTc3MTQ2ODU3NjYzNy4xLjEuLS40Mg.CXFEEgdYjTWBDSe-",
        }
    )


class ArticleFilterSchema(ArticlePageSchema):
    """Filters of the article list; they combine with AND."""

    tag = fields.String(metadata={"description": "Only articles with this tag."})
    author = fields.String(metadata={"description": "Only articles by this username."})
    favorited = fields.String(metadata={"description": "Only articles this username favorited."})
