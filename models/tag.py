"""Tags, and which articles carry them."""

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db
from models.common import insert_ignoring_duplicates

article_tags = Table(
    "article_tags",
    db.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    # A tag's articles from the index alone: a page of any tag costs about what its count
    # does, where walking the newest articles would read them all for a rare or unknown tag.
    Index("ix_article_tags_tag_id_article_id", "tag_id", "article_id"),
)


def alphabetical(name: str) -> tuple[str, str]:
    """Sort key: case-insensitive, the same on every database (collations differ)."""
    return name.casefold(), name


class Tag(db.Model):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("name", name="uq_tags_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))

    @classmethod
    def create_missing(cls, names: list[str]) -> list[str]:
        """Create the tags of these names that do not exist yet; the names, deduplicated.

        In a fixed order, so that two requests creating the same tags cannot deadlock.
        """
        names = sorted(set(names))
        if names:
            rows = [{"name": name} for name in names]
            db.session.execute(insert_ignoring_duplicates(cls.__table__), rows)
        return names

    @classmethod
    def link(cls, article_id: int, names: list[str]) -> None:
        """Tag the article with these names, creating the missing tags."""
        names = cls.create_missing(names)
        if names:
            tag_ids = select(literal(article_id), cls.id).where(cls.name.in_(names))
            db.session.execute(article_tags.insert().from_select(["article_id", "tag_id"], tag_ids))

    @classmethod
    def named(cls, names: list[str]) -> list["Tag"]:
        """The tags with these names, creating the missing ones."""
        names = cls.create_missing(names)
        return list(db.session.scalars(select(cls).where(cls.name.in_(names))))

    @classmethod
    def popular(cls) -> list[str]:
        """Names of the tags in use, most used first, then by name."""
        uses = func.count(article_tags.c.article_id).label("uses")
        stmt = (
            select(cls.name, uses)
            .join(article_tags, article_tags.c.tag_id == cls.id)
            .group_by(cls.id, cls.name)
        )
        rows = db.session.execute(stmt).all()
        return [
            row.name for row in sorted(rows, key=lambda row: (-row.uses, *alphabetical(row.name)))
        ]
