"""The OpenAPI document describes the real API, all of it and nothing else, and is committed."""

import json
import re
import warnings
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from api import create_app
from tests.conftest import TEST_CONFIG

COMMITTED = Path(__file__).resolve().parent.parent / "openapi"
METHODS = {"get", "post", "put", "delete", "patch"}


@pytest.fixture
def spec(app):
    return app.test_client().get("/openapi.json").get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_committed_documents_match_the_code(spec):
    assert json.loads((COMMITTED / "openapi.json").read_text()) == spec, "run `make openapi`"
    assert yaml.safe_load((COMMITTED / "openapi.yaml").read_text()) == spec, "run `make openapi`"


def test_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_generating_the_document_warns_of_nothing():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = create_app(TEST_CONFIG)
        app.test_client().get("/openapi.json")
    assert [str(warning.message) for warning in caught] == []


def test_schema_names_are_explicit(spec):
    names = list(spec["components"]["schemas"])
    assert not [name for name in names if re.search(r"\d$", name)]
    assert {"Article", "ArticleListItem", "Profile", "User", "Comment", "Error"} <= set(names)


def test_every_api_route_is_documented_and_every_documented_path_is_routed(app, spec):
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routed |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, method, _ in operations(spec)}
    assert documented == routed
    moderation = {(path, method) for path, method in documented if path.startswith("/api/admin/")}
    assert (len(documented - moderation), len(moderation)) == (19, 6)  # the contract's 19


def test_moderation_is_its_own_tag_and_for_admins_alone(spec):
    for path, _method, operation in operations(spec):
        if path.startswith("/api/admin/"):
            assert operation["tags"] == ["Moderation"], path
            assert operation["security"] == [{"Token": []}], path
            assert {"401", "403"} <= set(operation["responses"]), path


def test_every_operation_is_described_tagged_and_declares_its_security(spec):
    tags = {tag["name"]: tag.get("description") for tag in spec["tags"]}
    assert all(tags.values())
    for path, method, operation in operations(spec):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("description"), where
        assert len(operation["tags"]) == 1 and operation["tags"][0] in tags, where
        assert operation["security"] in ([], [{"Token": []}], [{}, {"Token": []}]), where


def test_errors_are_listed_status_by_status_in_the_envelope(spec):
    for path, method, operation in operations(spec):
        responses = operation["responses"]
        assert "default" not in responses
        errors = {status for status in responses if int(status) >= 400}
        for status in errors - {"422"}:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (path, method, status)
        if operation["security"] != []:
            assert "401" in errors, (path, method)
        if "{" in path and path != "/api/articles/feed":
            assert "404" in errors, (path, method)
        if "requestBody" in operation or any(
            p["in"] == "query" for p in operation.get("parameters", [])
        ):
            assert "422" in errors, (path, method)
    validation = spec["components"]["responses"]["UNPROCESSABLE_ENTITY"]
    assert validation["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_documented_statuses_of_some_operations_are_exact(spec):
    def statuses(path, method):
        return sorted(spec["paths"][path][method]["responses"])

    assert statuses("/api/users", "post") == ["201", "409", "422", "429"]
    assert statuses("/api/users/login", "post") == ["200", "401", "422", "429"]
    assert statuses("/api/tags", "get") == ["200", "304"]
    assert statuses("/api/articles/{slug}", "put") == [
        "200",
        "401",
        "403",
        "404",
        "409",
        "412",
        "422",
    ]
    assert statuses("/api/articles/{slug}", "delete") == ["204", "401", "403", "404", "412"]
    assert statuses("/api/profiles/{username}/follow", "post") == ["200", "401", "404", "422"]


def test_info_explains_auth_pagination_and_errors(spec):
    description = spec["info"]["description"]
    for topic in ("## Authentication", "Token <jwt>", "## Pagination", "limit", "## Errors"):
        assert topic in description
    scheme = spec["components"]["securitySchemes"]["Token"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}


def test_list_parameters_carry_their_constraints(spec):
    parameters = {p["name"]: p for p in spec["paths"]["/api/articles"]["get"]["parameters"]}
    assert parameters["limit"]["schema"] == {
        "type": "integer",
        "default": 20,
        "minimum": 1,
        "maximum": 100,
    }
    assert parameters["offset"]["schema"] == {
        "type": "integer",
        "default": 0,
        "minimum": 0,
        "maximum": 2147483647,
    }
    assert "at most 2147483647" in parameters["offset"]["description"]
    assert {"tag", "author", "favorited"} <= set(parameters)
    assert all(parameter.get("description") for parameter in parameters.values())


def test_declared_security_is_what_the_code_enforces(api, spec):
    bad_token = {"Authorization": "Token not-a-jwt"}
    for path, method, operation in operations(spec):
        url = path.format(username="nobody", slug="no-such-article", comment_id=1)
        anonymous = api.request(method.upper(), url, json={})
        with_bad_token = api.request(method.upper(), url, json={}, headers=bad_token)
        where = f"{method.upper()} {path}"
        if operation["security"] == [{"Token": []}]:  # required
            assert anonymous.status_code == 401, where
            assert anonymous.get_json() == {"errors": {"token": ["is missing"]}}, where
        elif operation["security"] == [{}, {"Token": []}]:  # optional
            assert anonymous.status_code != 401, where
            assert with_bad_token.get_json() == {"errors": {"token": ["is invalid"]}}, where
        else:  # unused: a token, even a bad one, changes nothing
            assert with_bad_token.status_code != 401, where
            assert with_bad_token.get_json() == anonymous.get_json(), where
