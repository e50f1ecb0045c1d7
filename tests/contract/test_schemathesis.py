"""Property-based contract tests: every operation against the published OpenAPI document."""

from pathlib import Path

import coverage
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.openapi.checks import JsonSchemaError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.wrappers import Response

from api.auth import token_for
from api.extensions import db
from models import User

pytestmark = pytest.mark.every_database  # generated data has found PostgreSQL-only bugs

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
PASSWORD = "contract-password"
# What the seeded database holds, so that generated paths can name real things.
USERNAMES = ["alice", "bob"]
SLUGS = ["alice-writes", "bob-writes"]
COMMENT_IDS = [1, 2]
ALICE_ID = 1  # the first user of an emptied database


@pytest.fixture(autouse=True)
def coverage_of_the_app_alone(request, app, cov):
    """Coverage traces the app while it answers, not hypothesis and schemathesis while they
    make and check the cases: tracing those doubled the run's time, for no line of the project."""
    if cov is None:  # coverage is off (--no-cov)
        return
    request.node.add_marker(pytest.mark.no_cover)  # pytest-cov stops tracing the test itself
    serve = app.wsgi_app

    def traced(environ, start_response):
        if coverage.Coverage.current():  # traced already: a request made by a fixture
            return serve(environ, start_response)
        cov.start()
        try:
            return serve(environ, start_response)
        finally:
            cov.stop()

    app.wsgi_app = traced


def seed(api) -> None:
    alice = api.register("alice", password=PASSWORD)
    bob = api.register("bob", password=PASSWORD)
    api.as_user(alice).post("/api/profiles/bob/follow")
    for author, slug in zip((alice, bob), SLUGS, strict=True):
        api.create_article(author, title=slug.replace("-", " "), tagList=["contract"])
    for commenter, slug in zip((bob, alice), SLUGS, strict=True):
        api.comment(commenter, slug)


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
    loaded.hook(flatmap_path_parameters)
    return loaded


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
def test_every_operation_honours_the_document(case):
    case.call_and_validate(checks=CHECKS)


def test_sequences_that_follow_the_documents_links(api_schema, app):
    """Create an article, then read, change, favorite, comment on and delete it, in any order."""
    token = alice_token(app)

    class Workflow(api_schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Token {token}"}}

        def before_call(self, case):
            # The walk of an unchanged client: generated tags would turn its steps into 412s
            # and bodiless 304s, which lead nowhere (the operations' own test sends them).
            for header in ("If-Match", "If-None-Match"):
                (case.headers or {}).pop(header, None)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

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
        case.call_and_validate(checks=CHECKS)

    with pytest.raises((FailureGroup, JsonSchemaError)) as caught:
        call()
    failures = getattr(caught.value, "exceptions", (caught.value,))
    assert all(isinstance(failure, JsonSchemaError) for failure in failures)
    assert any("isFollowing" in repr(failure.instance) for failure in failures)
