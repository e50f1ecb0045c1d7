"""Users, their passwords, and who follows whom."""

import time
from contextlib import suppress
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask import current_app
from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    exists,
    false,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, with_expression

from api.extensions import db
from models.common import Timestamped, insert_ignoring_duplicates

follows = Table(
    "follows",
    db.metadata,
    Column("follower_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("followed_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_follows_followed_id", "followed_id"),
)


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


class User(Timestamped, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("username", name="uq_users_username"),
        UniqueConstraint("email", name="uq_users_email"),
        # The suspended few, found from the index by every list that leaves them out.
        Index("ix_users_suspended_at", "suspended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    bio: Mapped[str | None] = mapped_column(Text)
    image: Mapped[str | None] = mapped_column(String(2048))
    # Tokens issued before this second (Unix time) are refused: a new password signs out the
    # tokens issued before it (to the second: one issued in the same second stays valid).
    tokens_valid_from: Mapped[int] = mapped_column(default=0, server_default="0")
    # Granted and withdrawn by `flask admin` alone, never through the API: may moderate.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set while suspended by an admin (models/moderation.py).
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Whether the viewer follows this user; filled in by `with_following(viewer)`.
    following: Mapped[bool] = query_expression(default_expr=false())

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher().hash(password)
        self.tokens_valid_from = int(time.time())

    def check_password(self, password: str) -> bool:
        """Whether it is the password; a hash of older parameters is redone (the caller commits)."""
        hasher = _hasher()
        try:
            hasher.verify(self.password_hash, password)
        except (VerifyMismatchError, InvalidHashError):
            return False
        if hasher.check_needs_rehash(self.password_hash):
            self.password_hash = hasher.hash(password)
        return True

    @staticmethod
    def check_no_password(password: str) -> None:
        """Spend what checking a password costs, for an email no one has: a login takes as long
        whether the email exists or not, so its time tells nobody which emails have accounts."""
        hasher = _hasher()
        key = ("argon2 decoy", hasher.time_cost, hasher.memory_cost, hasher.parallelism)
        if key not in current_app.extensions:  # one decoy hash an app and set of parameters
            current_app.extensions[key] = hasher.hash("decoy password")
        with suppress(VerifyMismatchError):
            hasher.verify(current_app.extensions[key], password)

    @classmethod
    def accepting(cls, issued):
        """SQL truth value: the user takes a token issued then (Unix seconds)."""
        return (cls.tokens_valid_from <= issued) & cls.suspended_at.is_(None)

    def accepts(self, issued: int) -> bool:
        """Whether a token of this user's issued then (Unix seconds) still works."""
        return self.tokens_valid_from <= issued and self.suspended_at is None

    @classmethod
    def by_username(cls, username: str, viewer: "User | None" = None) -> "User | None":
        """The user of that name as the viewer sees it; a suspended user is no one's to see."""
        stmt = select(cls).where(cls.username == username, cls.suspended_at.is_(None))
        stmt = stmt.options(with_following(viewer))
        return db.session.scalars(stmt.execution_options(populate_existing=True)).first()

    @classmethod
    def by_email(cls, email: str) -> "User | None":
        return db.session.scalars(select(cls).where(cls.email == email)).first()

    @classmethod
    def taken(cls, field: str, value: str, *, besides: "User | None" = None) -> bool:
        """Whether another user already has this username or email."""
        column = getattr(cls, field)
        stmt = select(cls.id).where(column == value)
        if besides is not None:
            stmt = stmt.where(cls.id != besides.id)
        return db.session.scalar(stmt) is not None

    def follow(self, other: "User") -> None:
        """Idempotent, also between concurrent requests."""
        db.session.execute(
            insert_ignoring_duplicates(follows).values(follower_id=self.id, followed_id=other.id)
        )

    def unfollow(self, other: "User") -> None:
        db.session.execute(
            follows.delete().where(
                follows.c.follower_id == self.id, follows.c.followed_id == other.id
            )
        )


def followed_by(viewer: User | None):
    """SQL truth value: the viewer follows `User` (false for anonymous viewers)."""
    if viewer is None:
        return false()
    return exists().where(follows.c.follower_id == viewer.id, follows.c.followed_id == User.id)


def with_following(viewer: User | None):
    """Loader option that fills `User.following` for this viewer."""
    return with_expression(User.following, followed_by(viewer))
