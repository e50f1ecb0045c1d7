"""The migrations build exactly the models' schema, and can be undone and redone."""

import re
from datetime import UTC, datetime

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from api import create_app
from api.extensions import db
from tests.conftest import TEST_CONFIG

pytestmark = pytest.mark.every_database  # the migrations must build the same schema on each


def schema_differences() -> list:
    with db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), db.metadata)


def test_upgrade_from_empty_matches_the_models(app):
    with app.app_context():
        assert schema_differences() == []


def test_downgrade_then_upgrade_again(empty_database_url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        flask_migrate.upgrade()
        assert schema_differences() == []
        db.engine.dispose()


def test_unique_and_indexed_columns_live_in_the_migrations(app):
    with app.app_context():
        inspector = inspect(db.engine)
        unique = {
            table: {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}
            for table in ("users", "articles", "tags")
        }
        assert unique == {
            "users": {("username",), ("email",)},
            "articles": {("slug",)},
            "tags": {("name",)},
        }
        assert inspector.get_pk_constraint("follows")["constrained_columns"] == [
            "follower_id",
            "followed_id",
        ]
        assert inspector.get_pk_constraint("favorites")["constrained_columns"] == [
            "article_id",
            "user_id",
        ]
        indexed = {
            (table, tuple(index["column_names"]))
            for table in ("articles", "follows", "favorites", "article_tags", "comments")
            for index in inspector.get_indexes(table)
        }
        assert {
            ("articles", ("author_id", "created_at", "id")),
            ("articles", ("created_at", "id")),
            ("follows", ("followed_id",)),
            ("favorites", ("user_id", "article_id")),
            ("article_tags", ("tag_id", "article_id")),
            ("comments", ("article_id",)),
        } <= indexed


def test_an_article_whose_slug_is_a_route_gets_a_readable_one(empty_database_url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        flask_migrate.upgrade(revision="0002")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, username, email, password_hash, created_at, updated_at)"
                    " VALUES (1, 'jake', 'jake@example.com', 'x', :now, :now)"
                ),
                {"now": datetime(2026, 1, 1, tzinfo=UTC)},
            )
            for number, slug in enumerate(["feed", "feed-up", "dragons"]):
                connection.execute(
                    text(
                        "INSERT INTO articles (id, slug, title, description, body, author_id,"
                        " created_at, updated_at) VALUES (:id, :slug, 'T', 'd', 'b', 1, :now, :now)"
                    ),
                    {"id": number + 1, "slug": slug, "now": datetime(2026, 1, 1, tzinfo=UTC)},
                )
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            slugs = connection.execute(text("SELECT slug FROM articles ORDER BY id")).scalars()
            renamed, *kept = slugs.all()
        db.engine.dispose()

    assert re.fullmatch(r"feed-[0-9a-f]{6}", renamed)
    assert kept == ["feed-up", "dragons"]
