"""Moderation: admins suspend and restore users and delete anyone's content, each on the record."""

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from api.extensions import db
from models.common import utcnow
from models.user import User


class Action(enum.StrEnum):
    SUSPEND_USER = "suspendUser"
    RESTORE_USER = "restoreUser"
    DELETE_ARTICLE = "deleteArticle"
    DELETE_COMMENT = "deleteComment"


class AuditEntry(db.Model):
    """One admin action: who, when, what, and on what (a username, slug or comment id)."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The record outlives an admin's account: then it names no one.
    admin_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[Action] = mapped_column(
        Enum(
            Action,
            name="audit_action",
            native_enum=False,
            length=32,
            validate_strings=True,
            values_callable=lambda actions: [action.value for action in actions],
        )
    )
    target: Mapped[str] = mapped_column(String(255))

    admin: Mapped[User | None] = relationship()

    @classmethod
    def newest_first(cls, *, limit: int, offset: int) -> tuple[list["AuditEntry"], int]:
        """A page of the record, newest first (ids grow with time), and its length."""
        count = db.session.scalar(select(func.count(cls.id)))
        stmt = select(cls).options(selectinload(cls.admin)).order_by(cls.id.desc())
        return db.session.scalars(stmt.limit(limit).offset(offset)).all(), count


def record(admin: User, action: Action, target: str) -> None:
    """Put the action on the record, in the transaction that does it."""
    db.session.add(AuditEntry(admin=admin, action=action, target=target))


def user_page(*, limit: int, offset: int) -> tuple[list[User], int]:
    """Every user, suspended ones included, oldest account first, and how many there are."""
    count = db.session.scalar(select(func.count(User.id)))
    stmt = select(User).order_by(User.id).limit(limit).offset(offset)
    return db.session.scalars(stmt).all(), count


def any_user(username: str) -> User | None:
    """The user of that name, suspended or not."""
    return db.session.scalars(select(User).where(User.username == username)).first()


def suspended_ids():
    """The ids of the suspended users, as a subquery: what they wrote is left out of lists."""
    return select(User.id).where(User.suspended_at.is_not(None))


def suspend(user: User) -> None:
    """Their tokens stop working, they cannot sign in, and what they wrote leaves the lists."""
    if user.suspended_at is None:
        user.suspended_at = utcnow()


def restore(user: User) -> None:
    user.suspended_at = None
