"""The benchmark's mode: each response says how many SQL statements it cost; off by default."""

import pytest
from sqlalchemy import text

from api import create_app
from api.config import from_environ
from api.extensions import db
from api.sqlcount import SQL_COUNT_HEADER
from tests.conftest import TEST_CONFIG, ApiClient

pytestmark = pytest.mark.every_database  # the statements a request costs are each database's


@pytest.fixture
def counting_app(app):
    """An app in the counting mode, on the test's (emptied) database."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    counting = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "SQL_COUNT_HEADER": True})
    yield counting
    with counting.app_context():
        db.engine.dispose()


@pytest.fixture
def counting_api(counting_app):
    return ApiClient(counting_app.test_client())


def statements(response) -> int:
    assert response.status_code == 200, response.get_json()
    return int(response.headers[SQL_COUNT_HEADER])


def test_off_by_default(api):
    response = api.get("/api/tags")

    assert response.status_code == 200
    assert SQL_COUNT_HEADER not in response.headers


def test_the_environment_turns_it_on():
    assert from_environ({"BENCH_SQL_COUNT": "1"}) == {"SQL_COUNT_HEADER": True}
    assert from_environ({"BENCH_SQL_COUNT": "0"}) == {"SQL_COUNT_HEADER": False}
    assert from_environ({}) == {}


def test_tags_cost_one_statement(counting_api):
    assert statements(counting_api.get("/api/tags")) == 1


def test_a_request_without_sql_reports_zero(counting_api):
    assert counting_api.get("/healthz").headers[SQL_COUNT_HEADER] == "0"


def test_a_list_of_20_costs_what_a_list_of_2_costs(counting_api):
    author = counting_api.register("jake")
    for number in range(2):
        counting_api.create_article(author, title=f"few {number}", tagList=["a"])
    few = statements(counting_api.get("/api/articles"))
    for number in range(18):
        counting_api.create_article(author, title=f"many {number}", tagList=["a"])
    response = counting_api.as_user(author).get("/api/articles")

    assert len(response.get_json()["articles"]) == 20
    # A page rendered afresh: count, page, tags, authors (another URL than the first, so that
    # no cached copy answers); with a token, one more: the caller's flags, and that they exist.
    assert statements(counting_api.get("/api/articles?limit=20")) == few == 4
    assert statements(response) == few + 1


def test_statements_outside_a_request_are_left_alone(counting_app):
    with counting_app.app_context():
        assert db.session.scalar(text("SELECT 1")) == 1
