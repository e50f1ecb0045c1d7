"""At 100,000 articles on PostgreSQL, every page the API serves reads through indexes: EXPLAIN
shows no sequential scan of a table that grows with the site.

The statements are the ones requests run: each request goes through the test client, its
SELECTs are captured as sent to the database and explained with their parameters. The data
(about 5,000 users, 100,000 articles over four years, 300,000 each of tags on articles,
favorites and comments, 20 follows a user) is built once, by SQL on the server, then VACUUMed
and ANALYZEd as autovacuum leaves a table of that age (index-only scans need the visibility map).

Decisions:
- A statement that neither filters nor pages (no WHERE, no LIMIT) reads its tables whole by
  definition; it may scan them. Those are the count of all articles (`articlesCount` of the
  unfiltered list) and the tag list (the uses of every tag). Every filtered count may not.
- A deep page (offset 50,000) is held to the same rule: it walks `ix_articles_created_at_id`
  for offset + limit entries, cheap per entry since rows are written in `created_at` order.
  Its cost still grows with the offset; the cursor of the `Link` header's next link (keyset
  paging, beyond the contract) does not: the same page by cursor reads the page's rows alone.
- `tags` (a couple of hundred rows) is not a growing table here: the planner reads it whole.

Runs on PostgreSQL alone: without a server the module is skipped, saying why.
"""

import re

import flask_migrate
import pytest
from sqlalchemy import event

from api import create_app
from api.auth import token_for
from api.extensions import db
from models import User
from tests.conftest import TEST_CONFIG, ApiClient
from tests.databases import fresh_postgres_database

GROWING_TABLES = {"articles", "article_tags", "comments", "favorites", "follows", "users"}
READER, TAIL_READER = 4000, 5000  # follows some 20 prolific authors; 20 of the long tail
ALL_ARTICLES = "the count of all articles"

CASES = {
    "list": ("/api/articles", None, ALL_ARTICLES),
    "list, signed in": ("/api/articles", READER, ALL_ARTICLES),
    "deep page": ("/api/articles?offset=50000", None, ALL_ARTICLES),
    "popular tag": ("/api/articles?tag=tag1", None, None),
    "rare tag": ("/api/articles?tag=rare", None, None),
    "unknown tag": ("/api/articles?tag=no-such-tag", None, None),
    "prolific author": ("/api/articles?author=user1", None, None),
    "occasional author": ("/api/articles?author=user4000", None, None),
    "favorited": ("/api/articles?favorited=user10", READER, None),
    "feed": ("/api/articles/feed", READER, None),
    "feed of the long tail": ("/api/articles/feed", TAIL_READER, None),
    "article": ("/api/articles/article-99990", READER, None),
    "comments": ("/api/articles/article-99990/comments", READER, None),
    "profile": ("/api/profiles/user1", READER, None),
    "tags": ("/api/tags", None, "the uses of every tag"),
}

DATA = (
    "SELECT setseed(0.42)",
    """INSERT INTO users (id, username, email, password_hash, created_at, updated_at)
    SELECT n, 'user' || n, 'user' || n || '@example.com', '-', now() - interval '5 years',
        now() - interval '5 years'
    FROM generate_series(1, 5000) AS n""",
    "INSERT INTO tags (id, name) SELECT n, 'tag' || n FROM generate_series(1, 200) AS n",
    # One every 21 minutes; a few prolific authors write most of them.
    """INSERT INTO articles (id, slug, title, description, body, author_id, created_at, updated_at)
    SELECT n, 'article-' || n, 'Article ' || n, 'What it is about', repeat('Lorem ipsum. ', 16),
        1 + floor(5000 * power(random(), 3))::int, now() - (100000 - n) * interval '21 minutes',
        now() - (100000 - n) * interval '21 minutes'
    FROM generate_series(1, 100000) AS n""",
    # Up to three tags each, the first tags far more used than the last.
    """INSERT INTO article_tags (article_id, tag_id)
    SELECT DISTINCT a, t FROM (
        SELECT id AS a, 1 + floor(200 * power(random(), 2))::int AS t
        FROM articles, generate_series(1, 3)
    ) AS drawn ORDER BY a, t""",
    "INSERT INTO tags (id, name) VALUES (201, 'rare')",
    "INSERT INTO article_tags (article_id, tag_id) VALUES (1, 201), (2, 201), (3, 201)",
    """INSERT INTO follows (follower_id, followed_id)
    SELECT DISTINCT id, 1 + floor(5000 * power(random(), 3))::int
    FROM users, generate_series(1, 20) ON CONFLICT DO NOTHING""",
    f"DELETE FROM follows WHERE follower_id = followed_id OR follower_id = {TAIL_READER}",
    f"""INSERT INTO follows (follower_id, followed_id)
    SELECT {TAIL_READER}, n FROM generate_series(4001, 4020) AS n""",
    # Newer articles draw more favorites and comments.
    """INSERT INTO favorites (article_id, user_id)
    SELECT DISTINCT a, u FROM (
        SELECT 1 + floor(100000 * sqrt(random()))::int AS a, 1 + floor(5000 * random())::int AS u
        FROM generate_series(1, 300000)
    ) AS drawn ORDER BY a, u""",
    """INSERT INTO comments (body, article_id, author_id, created_at, updated_at)
    WITH drawn AS MATERIALIZED (
        SELECT 1 + floor(100000 * sqrt(random()))::int AS a, 1 + floor(5000 * random())::int AS u,
            random() * interval '30 days' AS later
        FROM generate_series(1, 300000)
    )
    SELECT 'Great read!', a.id, drawn.u, a.created_at + drawn.later, a.created_at + drawn.later
    FROM drawn JOIN articles AS a ON a.id = drawn.a ORDER BY a.id""",
)


def fill(engine) -> None:
    with engine.begin() as connection:
        # The rows hold together by construction: checking each foreign key, one row at a
        # time, would triple the time this takes (needs a superuser, as the CI server's).
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        connection.exec_driver_sql("SET LOCAL work_mem = '64MB'")
        for statement in DATA:
            connection.exec_driver_sql(statement)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


@pytest.fixture(scope="module")
def site():
    """An app on a PostgreSQL database migrated to head and filled to 100,000 articles."""
    with fresh_postgres_database() as url:
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade()
            fill(db.engine)
        yield app
        with app.app_context():
            db.engine.dispose()


def selects_of(app, path: str, viewer: int | None) -> list[tuple[str, dict]]:
    """The SELECT statements a GET of this path runs, with their parameters."""
    sent = []

    def record(_connection, _cursor, statement, parameters, _context, _executemany):
        sent.append((statement, parameters))

    with app.app_context():
        engine = db.engine
        token = token_for(db.session.get(User, viewer)) if viewer else None
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = ApiClient(app.test_client(), token).get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, response.get_json()
    return [(s, p) for s, p in sent if s.lstrip().upper().startswith("SELECT")]


def sequentially_scanned(app, statement: str, parameters) -> set[str]:
    with app.app_context(), db.engine.connect() as connection:
        explained = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
        plans = [explained.scalar_one()[0]["Plan"]]
    scanned = set()
    while plans:
        node = plans.pop()
        if node["Node Type"] == "Seq Scan":
            scanned.add(node["Relation Name"])
        plans.extend(node.get("Plans", []))
    return scanned


# What every list leaves out: it does not narrow a count down to a part of the table.
NOT_SUSPENDED = (
    "WHERE (articles.author_id NOT IN (SELECT users.id FROM users"
    " WHERE users.suspended_at IS NOT NULL))"
)


def rows_read(app, statement: str, parameters) -> int:
    """How many rows the plan's scans of `articles` handed up, as EXPLAIN ANALYZE counts them."""
    with app.app_context(), db.engine.connect() as connection:
        explained = connection.exec_driver_sql(
            f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters
        )
        plans, read = [explained.scalar_one()[0]["Plan"]], 0
    while plans:
        node = plans.pop()
        if node.get("Relation Name") == "articles" and "Scan" in node["Node Type"]:
            read += node["Actual Rows"] * node["Actual Loops"]
        plans.extend(node.get("Plans", []))
    return read


def reads_everything(statement: str) -> bool:
    words = " ".join(statement.split()).replace(NOT_SUSPENDED, "").upper().split()
    return "WHERE" not in words and "LIMIT" not in words


@pytest.mark.parametrize(("path", "viewer", "whole"), CASES.values(), ids=CASES.keys())
def test_no_growing_table_is_scanned_sequentially(site, path, viewer, whole):
    statements = selects_of(site, path, viewer)
    assert len([s for s, _ in statements if reads_everything(s)]) == (1 if whole else 0), whole
    for statement, parameters in statements:
        if not reads_everything(statement):
            scanned = sequentially_scanned(site, statement, parameters) & GROWING_TABLES
            assert not scanned, f"{statement}\nscans {', '.join(sorted(scanned))} sequentially"


def test_a_deep_page_by_cursor_reads_its_own_rows_alone(site):
    with site.test_client() as client:
        deep = client.get("/api/articles?offset=49980")
        next_page = re.search(r'<([^>]*)>; rel="next"', deep.headers["Link"]).group(1)
    assert "cursor=" in next_page
    by_cursor = selects_of(site, next_page, None)
    by_offset = selects_of(site, "/api/articles?offset=50000", None)

    (page, parameters), (offset_page, offset_parameters) = (
        next((s, p) for s, p in statements if "LIMIT" in s.upper())
        for statements in (by_cursor, by_offset)
    )
    assert max(v for v in parameters.values() if type(v) is int) <= 20  # no offset to speak of
    assert not sequentially_scanned(site, page, parameters) & GROWING_TABLES
    assert (
        rows_read(site, page, parameters)
        <= 40
        < 50000
        <= rows_read(site, offset_page, offset_parameters)
    )
