"""Property-based contract tests: every operation against the published OpenAPI document."""

import json
import re
from pathlib import Path

import coverage
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.config import OperationConfig
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.openapi.checks import JsonSchemaError, RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance
from werkzeug.wrappers import Response

from api.auth import token_for
from api.cache import current_cache
from api.extensions import db
from models import User
from tests.databases import restore_rows, rows_of

pytestmark = pytest.mark.every_database  # generated data has found PostgreSQL-only bugs

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
PASSWORD = "contract-password"
# What the seeded database holds, so that generated paths can name real things.
USERNAMES = ["alice", "bob"]
SLUGS = ["alice-writes", "bob-writes"]
COMMENT_IDS = [1, 2]
ALICE_ID = 1  # the first user of an emptied database


@pytest.fixture(autouse=True)
def coverage_of_the_app_alone(app, cov):
    """Coverage traces the app while it answers, not hypothesis and schemathesis while they
    make and check the cases: tracing those doubled the run's time, for no line of the project.
    Every tracer running is paused, not only pytest-cov's own: under pytest-xdist a worker runs
    a second one, which would otherwise take over (and its lines are never reported)."""
    if cov is None:  # coverage is off (--no-cov)
        yield
        return
    paused = []
    while (tracer := coverage.Coverage.current()) is not None:
        tracer.stop()
        paused.append(tracer)
    serve = app.wsgi_app

    def traced(environ, start_response):
        cov.start()
        try:
            return serve(environ, start_response)
        finally:
            cov.stop()

    app.wsgi_app = traced
    yield
    for tracer in reversed(paused):
        tracer.start()


def seed(api) -> None:
    alice = api.register("alice", password=PASSWORD)
    bob = api.register("bob", password=PASSWORD)
    api.as_user(alice).post("/api/profiles/bob/follow")
    for author, slug in zip((alice, bob), SLUGS, strict=True):
        api.create_article(author, title=slug.replace("-", " "), tagList=["contract"])
    for commenter, slug in zip((bob, alice), SLUGS, strict=True):
        api.comment(commenter, slug)


def reseed(app, rows: dict) -> None:
    """The seeded database again, its rows put back as `rows_of` found them after `seed`."""
    with app.app_context():
        restore_rows(db.engine, db.metadata, rows)
        if (cache := current_cache()) is not None:
            cache.bump()  # the rows went behind the app's back


@pytest.fixture
def api_schema(app, api):
    seed(api)
    with app.app_context():
        assert db.session.get(User, ALICE_ID).username == "alice"
    # The committed document (a test keeps it equal to what the code generates), so that a
    # response drifting from the published contract fails here.
    loaded = schemathesis.openapi.from_path(DOCUMENT)
    loaded.app = app
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=25,
        database="none",
        deterministic=True,
    )
    loaded.config.seed = 20261125
    expect_the_refusal_to_follow_oneself(loaded.config)
    expect_stale_tags_to_be_refused(loaded.config)
    loaded.hook(flatmap_path_parameters)
    return loaded


@pytest.fixture
def signed_cursor(app, api_schema) -> str:
    """A cursor of the seeded list, as the server signed it (its last page's link)."""
    link = app.test_client().get("/api/articles?limit=1").headers["Link"]
    return re.search(r'cursor=([^>&]+)>; rel="last"', link).group(1)


def with_signed_cursor(case, cursor: str) -> None:
    """A cursor is any string to a schema, but only one the server signed names a page (any
    other is the 422 that the lists document): so in a query generated valid by the document,
    the cursor is swapped for one the server gave; a query generated invalid keeps its own."""
    query = case.query or {}
    component = case.meta.components.get(ParameterLocation.QUERY) if case.meta else None
    if "cursor" in query and (component is None or component.mode == GenerationMode.POSITIVE):
        query["cursor"] = cursor


def expect_the_refusal_to_follow_oneself(config) -> None:
    """Alice following herself is a request valid by any schema (a username, and her token), which
    the server refuses with the 422 that operation documents, example included. No JSON Schema
    can say "a username other than the caller's", so there alone a 422 is an accepted answer to
    valid data; every other check, and every other operation, keep their expectations."""
    follow = json.loads(DOCUMENT.read_text())["paths"]["/api/profiles/{username}/follow"]["post"]
    refusal = follow["responses"]["422"]["content"]["application/json"]["examples"]["profile"]
    assert refusal["value"] == {"errors": {"profile": ["cannot follow yourself"]}}
    statuses = [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]
    config.operations.operations.append(
        OperationConfig.from_dict(
            {
                "include-operation-id": follow["operationId"],
                "checks": {"positive_data_acceptance": {"expected-statuses": statuses}},
            }
        )
    )


def expect_stale_tags_to_be_refused(config) -> None:
    """An `If-Match` tag is any string to a schema, but only the current tag of the resource
    lets the write through: another is refused with the 412 that the operation documents, as a
    write to a resource that is not there is a 404. So on the operations that take `If-Match`,
    and there alone, a 412 is an accepted answer to valid data."""
    for item in json.loads(DOCUMENT.read_text())["paths"].values():
        for method, operation in item.items():
            if method == "parameters":  # the path's own, not an operation
                continue
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            if "If-Match" not in headers:
                continue
            stale = operation["responses"]["412"]["content"]["application/json"]["examples"]
            assert all(example["value"]["errors"] for example in stale.values())
            statuses = [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "412"]
            config.operations.operations.append(
                OperationConfig.from_dict(
                    {
                        "include-operation-id": operation["operationId"],
                        "checks": {"positive_data_acceptance": {"expected-statuses": statuses}},
                    }
                )
            )


schema = schemathesis.pytest.from_fixture("api_schema")


def alice_token(app) -> str:
    """A fresh token of Alice's, signed as a login would sign it: generated requests may change
    her password (which revokes the tokens issued before), email and username, so that she
    could not log in, nor be found by name."""
    with app.app_context():
        return token_for(db.session.get(User, ALICE_ID))


@schema.auth()
class AliceToken:
    def get(self, case, context):
        return alice_token(context.app)

    def set(self, case, token, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {token}"}


def flatmap_path_parameters(context, path_parameters):
    """Half of the time, name a user, article or comment that exists."""
    if not path_parameters:
        return st.just(path_parameters)
    real = {
        "username": st.sampled_from(USERNAMES),
        "slug": st.sampled_from(SLUGS),
        "comment_id": st.sampled_from(COMMENT_IDS),
    }
    existing = st.fixed_dictionaries(
        {name: real.get(name, st.just(value)) for name, value in path_parameters.items()}
    )
    return st.one_of(st.just(path_parameters), existing)


@schema.parametrize()
def test_every_operation_honours_the_document(case, signed_cursor):
    with_signed_cursor(case, signed_cursor)
    case.call_and_validate()


def test_sequences_that_follow_the_documents_links(api_schema, app, signed_cursor):
    """Create an article, then read, change, favorite, comment on and delete it, in any order."""
    # Alice's token as the run's own credentials, so that `ignored_auth` knows it for valid and
    # tries each request without it; fetched afresh for each sequence, which re-seeds her.
    api_schema.auth(refresh_interval=None)(AliceToken)
    with app.app_context():
        seeded = rows_of(db.engine, db.metadata)

    class Workflow(api_schema.as_state_machine()):
        def setup(self):
            """Each sequence starts from the seeded database. Which rules a sequence may draw
            depends on the answers before (a link is followed only from a 2xx), so a replay
            on the state an earlier sequence left drew otherwise: hypothesis's
            FlakyStrategyDefinition."""
            reseed(app, seeded)

        def before_call(self, case):
            with_signed_cursor(case, signed_cursor)
            # The walk of an unchanged client: generated tags would turn its steps into 412s
            # and bodiless 304s, which lead nowhere (the operations' own test sends them).
            for header in ("If-Match", "If-None-Match"):
                (case.headers or {}).pop(header, None)

    Workflow.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )


def test_a_response_that_drifts_from_the_document_fails_the_contract(api_schema, app):
    """The test of the test: rename a field in the answers, and the checks must object."""
    serve = app.wsgi_app

    def renaming_following(environ, start_response):
        response = Response.from_app(serve, environ, buffered=True)
        response.set_data(response.get_data().replace(b'"following"', b'"isFollowing"'))
        return response(environ, start_response)

    app.wsgi_app = renaming_following
    operation = api_schema["/api/profiles/{username}"]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=20, deadline=None, database=None, derandomize=True)
    def call(case):
        case.call_and_validate()

    with pytest.raises((FailureGroup, JsonSchemaError)) as caught:
        call()
    failures = getattr(caught.value, "exceptions", (caught.value,))
    assert all(isinstance(failure, JsonSchemaError) for failure in failures)
    assert any("isFollowing" in repr(failure.instance) for failure in failures)


def test_a_document_looser_than_the_server_fails_the_contract(app, api):
    """The test of the test: a document that forgot tags may not be blank lets blank tags be
    drawn as valid; the server refuses them, and positive data acceptance must object."""
    seed(api)
    document = json.loads(DOCUMENT.read_text())
    tag = document["components"]["schemas"]["ArticleCreate"]["properties"]["tagList"]["items"]
    del tag["pattern"], tag["not"]
    loosened = schemathesis.openapi.from_dict(document)
    loosened.app = app
    operation = loosened["/api/articles"]["POST"]
    headers = {"Authorization": f"Token {alice_token(app)}"}

    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    # No shrinking: that the failure is found is the point, not its smallest form.
    @settings(
        max_examples=10, deadline=None, database=None, derandomize=True, phases=[Phase.generate]
    )
    def call(case):
        case.call_and_validate(headers=headers, checks=[positive_data_acceptance])

    with pytest.raises((FailureGroup, RejectedPositiveData)) as caught:
        call()
    failures = getattr(caught.value, "exceptions", (caught.value,))
    assert all(isinstance(failure, RejectedPositiveData) for failure in failures)
