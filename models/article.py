"""Articles, and who favorited them."""

from collections.abc import Callable

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Select,
    String,
    Table,
    Text,
    UniqueConstraint,
    exists,
    false,
    func,
    select,
)
from sqlalchemy.orm import (
    Mapped,
    joinedload,
    mapped_column,
    query_expression,
    relationship,
    selectinload,
    with_expression,
)

from api.extensions import db
from models.common import Timestamped, insert_ignoring_duplicates
from models.slug import free_slug
from models.slug import slug_base as slug_base  # where api/demo reads it
from models.tag import Tag, alphabetical, article_tags
from models.user import User, with_following

favorites = Table(
    "favorites",
    db.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    # `?favorited=` reads a user's favorites from the index alone.
    Index("ix_favorites_user_id_article_id", "user_id", "article_id"),
)


class Article(Timestamped, db.Model):
    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("slug", name="uq_articles_slug"),
        Index("ix_articles_created_at_id", "created_at", "id"),
        # Counts an author's (or a feed's) articles from the index alone; in the list's order.
        Index("ix_articles_author_id_created_at_id", "author_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(String(1024))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))

    author: Mapped[User] = relationship()
    # Deleting an article leaves its tag links to the database's ON DELETE CASCADE.
    tags: Mapped[list[Tag]] = relationship(secondary=article_tags, passive_deletes=True)

    # Filled in per viewer by `Article.select(viewer)`.
    favorites_count: Mapped[int] = query_expression()
    favorited: Mapped[bool] = query_expression(default_expr=false())

    @property
    def tag_list(self) -> list[str]:
        return sorted((tag.name for tag in self.tags), key=alphabetical)

    def retitle(self, title: str) -> None:
        """Set the title; the slug follows it."""
        if title != self.title or not self.slug:
            self.slug = free_slug(title, besides=self)
        self.title = title

    def retag(self, names: list[str]) -> None:
        """Replace the tags with those of these names, creating the missing tags.

        In SQL of its own, not through `tags`, which would load the old tags first.
        """
        if self.id is not None:  # a new article has none to drop
            db.session.execute(article_tags.delete().where(article_tags.c.article_id == self.id))
        db.session.flush()  # a new article gets its id
        Tag.link(self.id, names)

    def favorite_by(self, user: User) -> None:
        db.session.execute(
            insert_ignoring_duplicates(favorites).values(article_id=self.id, user_id=user.id)
        )

    def unfavorite_by(self, user: User) -> None:
        db.session.execute(
            favorites.delete().where(
                favorites.c.article_id == self.id, favorites.c.user_id == user.id
            )
        )

    @classmethod
    def select(cls, viewer: User | None, *, one: bool = False) -> Select:
        """Articles with their author, tags, favorite count and the viewer's flags.

        `one`: for a single article, its author joined into the statement.
        """
        favorite_count = (
            select(func.count())
            .where(favorites.c.article_id == cls.id)
            .correlate(cls)
            .scalar_subquery()
        )
        favorited = (
            exists().where(favorites.c.article_id == cls.id, favorites.c.user_id == viewer.id)
            if viewer
            else false()
        )
        load = joinedload if one else selectinload
        return (
            select(cls)
            .options(
                with_expression(cls.favorites_count, favorite_count),
                with_expression(cls.favorited, favorited),
                selectinload(cls.tags),  # joined, SQLite would scan all articles' tags
                load(cls.author).options(with_following(viewer)),
            )
            # Expressions must be recomputed for objects this session already holds.
            .execution_options(populate_existing=True)
        )

    def reloader(self, viewer: User | None) -> Callable[[], "Article | None"]:
        """What reloads this article as the viewer sees it, in one statement, after a commit.

        Built before the commit, which expires the ids it needs. None if the article is gone.
        """
        db.session.flush()  # a new article gets its id
        stmt = Article.select(viewer, one=True).where(Article.id == self.id)
        return lambda: db.session.scalars(stmt).unique().first()

    @classmethod
    def by_slug(cls, slug: str, viewer: User | None = None) -> "Article | None":
        """The article with its counts and the viewer's flags, in one statement."""
        stmt = cls.select(viewer, one=True).where(cls.slug == slug)
        return db.session.scalars(stmt).unique().first()

    @classmethod
    def bare(cls, slug: str) -> "Article | None":
        """Just the article's row, for when only its existence and owner matter."""
        return db.session.scalars(select(cls).where(cls.slug == slug)).first()
