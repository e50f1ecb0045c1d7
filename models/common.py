"""Pieces every model shares: the clock and the created/updated timestamps."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db

ONE_MILLISECOND = timedelta(milliseconds=1)


def utcnow() -> datetime:
    """Now, in UTC, at the millisecond precision the API shows."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored moment is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _same_as_created(context) -> datetime:
    return context.get_current_parameters()["created_at"]


class Timestamped:
    """`created_at` is set once; `updated_at` moves forward on every `touch()`."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_same_as_created)

    def touch(self) -> None:
        # Strictly later than before, even for two updates within one millisecond.
        previous = self.updated_at and as_utc(self.updated_at)
        now = utcnow()
        self.updated_at = now if previous is None or now > previous else previous + ONE_MILLISECOND


def insert_ignoring_duplicates(table: Table):
    """INSERT that leaves an existing row alone (idempotent even between concurrent requests)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()
