"""Comments on articles."""

from collections.abc import Callable

from sqlalchemy import ForeignKey, Select, Text, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from api.extensions import db
from models.article import Article
from models.common import Timestamped
from models.moderation import suspended_ids
from models.user import User, with_following


class Comment(Timestamped, db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    article: Mapped[Article] = relationship()
    author: Mapped[User] = relationship()

    @classmethod
    def select(cls, viewer: User | None) -> Select:
        """Comments with their author's profile as this viewer sees it, joined in."""
        return (
            select(cls)
            .options(joinedload(cls.author, innerjoin=True).options(with_following(viewer)))
            .execution_options(populate_existing=True)
        )

    @classmethod
    def on(cls, article: Article, viewer: User | None) -> list["Comment"]:
        """The article's comments, newest first; none of suspended users."""
        stmt = (
            cls.select(viewer)
            .where(cls.article_id == article.id, cls.author_id.not_in(suspended_ids()))
            .order_by(cls.created_at.desc(), cls.id.desc())
        )
        return list(db.session.scalars(stmt))

    @classmethod
    def find(cls, slug: str, comment_id: int) -> tuple[Article | None, "Comment | None"]:
        """The article of this slug and its comment of this id (None for either not found),
        in one statement."""
        on_article = (cls.article_id == Article.id) & (cls.id == comment_id)
        stmt = select(Article, cls).outerjoin(cls, on_article).where(Article.slug == slug)
        return tuple(db.session.execute(stmt).first() or (None, None))

    def reloader(self, viewer: User | None) -> Callable[[], "Comment | None"]:
        """What reloads this comment as the viewer sees it, in one statement, after a commit.

        Built before the commit, which expires the ids it needs. None if the comment is gone
        (its article deleted meanwhile takes it along).
        """
        db.session.flush()  # a new comment gets its id
        stmt = Comment.select(viewer).where(Comment.id == self.id)
        return lambda: db.session.scalars(stmt).first()
