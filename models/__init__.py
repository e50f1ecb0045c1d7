"""The domain: SQLAlchemy models and the queries that belong to them."""

from models.article import Article, favorites
from models.comment import Comment
from models.moderation import AuditEntry
from models.tag import Tag, article_tags
from models.user import User, follows

__all__ = [
    "Article",
    "AuditEntry",
    "Comment",
    "Tag",
    "User",
    "article_tags",
    "favorites",
    "follows",
]
