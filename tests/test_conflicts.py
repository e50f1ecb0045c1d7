"""A broken unique constraint tells which field was taken by the constraint's name."""

import sqlite3

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

import models  # noqa: F401  (the models' tables are what the constraints are read from)
from api.errors import taken_field, unique_columns
from api.extensions import db


class PostgresError(Exception):
    """What psycopg raises: the message in the server's words, the constraint in `diag`."""

    def __init__(self, message: str, constraint: str):
        super().__init__(message)
        self.diag = type("Diagnostic", (), {"constraint_name": constraint})()


def integrity_error(orig: Exception) -> IntegrityError:
    return IntegrityError("INSERT INTO ...", {}, orig)


@pytest.mark.parametrize(
    ("constraint", "field"),
    [("uq_users_username", "username"), ("uq_users_email", "email"), ("uq_articles_slug", "slug")],
)
def test_postgresql_names_the_constraint(constraint, field):
    # The message mentions another field on purpose: only the constraint's name counts.
    orig = PostgresError("duplicate key value violates unique constraint (email, slug)", constraint)

    assert taken_field(integrity_error(orig)) == field


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("UNIQUE constraint failed: users.username", "username"),
        ("UNIQUE constraint failed: users.email", "email"),
        ("UNIQUE constraint failed: articles.slug", "slug"),
    ],
)
def test_sqlite_names_the_table_and_column(message, field):
    assert taken_field(integrity_error(sqlite3.IntegrityError(message))) == field


@pytest.mark.parametrize(
    "orig",
    [
        PostgresError("violates foreign key constraint", "fk_comments_article_id_articles"),
        sqlite3.IntegrityError("FOREIGN KEY constraint failed"),
        sqlite3.IntegrityError("NOT NULL constraint failed: users.email"),
    ],
)
def test_other_integrity_errors_name_no_field(orig):
    assert taken_field(integrity_error(orig)) is None


@pytest.mark.every_database  # each database reflects the names its migrations gave
def test_the_migrated_database_has_the_models_constraint_names(app):
    named = {name for name in unique_columns() if isinstance(name, str)}

    with app.app_context():
        inspector = inspect(db.engine)
        in_database = {
            constraint["name"]
            for table in ("users", "articles", "tags")
            for constraint in inspector.get_unique_constraints(table)
        }

    assert (
        named
        == in_database
        == {
            "uq_users_username",
            "uq_users_email",
            "uq_articles_slug",
            "uq_tags_name",
        }
    )
