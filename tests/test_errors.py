"""Every failure answers in the one JSON error envelope, `{"errors": {key: [messages]}}`."""

import shutil

import pytest

import models
from api import create_app
from api.extensions import db
from tests.conftest import TEST_CONFIG, sqlite_url

JSON_HEADERS = {"Content-Type": "application/json"}


def assert_envelope(response, status: int) -> dict:
    """The response has this status and a well-formed error envelope; returns its errors."""
    assert response.status_code == status, response.data
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["errors"]
    errors = body["errors"]
    assert isinstance(errors, dict) and errors
    for key, messages in errors.items():
        assert isinstance(key, str)
        assert isinstance(messages, list) and messages
        assert all(isinstance(message, str) and message for message in messages)
    return errors


@pytest.fixture
def quiet_app(migrated_template, tmp_path):
    """An app that turns unexpected exceptions into 500 responses, as in production."""
    path = tmp_path / "quiet.sqlite3"
    shutil.copyfile(migrated_template, path)
    app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url(path), "PROPAGATE_EXCEPTIONS": False}
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("path", ["/api/nowhere", "/nowhere", "/api/articles/x/nowhere"])
def test_unknown_route_is_404_in_the_envelope(api, path):
    assert_envelope(api.get(path), 404)


def test_wrong_method_is_405_in_the_envelope_with_allow_header(api):
    response = api.request("PATCH", "/api/articles/x", json={"article": {}})

    assert_envelope(response, 405)
    allowed = {method.strip() for method in response.headers["Allow"].split(",")}
    assert {"GET", "PUT", "DELETE"} <= allowed
    assert "PATCH" not in allowed


def test_invalid_json_is_422_keyed_body(api):
    response = api.post("/api/users", data='{"user": {', headers=JSON_HEADERS)

    errors = assert_envelope(response, 422)
    assert list(errors) == ["body"]


def test_invalid_json_on_an_authenticated_route_is_422_keyed_body(api, jake):
    response = api.as_user(jake).post("/api/articles", data="not json", headers=JSON_HEADERS)

    errors = assert_envelope(response, 422)
    assert list(errors) == ["body"]


@pytest.mark.parametrize("raw", ["[]", '[{"user": {}}]', '"user"', "42", "null"])
def test_body_that_is_not_a_json_object_is_422_keyed_body(api, raw):
    response = api.post("/api/users/login", data=raw, headers=JSON_HEADERS)

    errors = assert_envelope(response, 422)
    assert list(errors) == ["body"]


def test_json_array_body_is_422_keyed_body(api, jake):
    response = api.as_user(jake).post("/api/articles", json=[{"article": {"title": "x"}}])

    errors = assert_envelope(response, 422)
    assert list(errors) == ["body"]


def test_unexpected_exception_is_500_without_a_traceback(quiet_app, monkeypatch):
    def explode(cls):
        raise RuntimeError("secret detail from deep inside")

    monkeypatch.setattr(models.Tag, "popular", classmethod(explode))

    response = quiet_app.test_client().get("/api/tags")

    assert_envelope(response, 500)
    assert response.get_json() == {"errors": {"server": ["internal error"]}}
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    assert "RuntimeError" not in text
    assert "secret detail" not in text


@pytest.mark.every_database  # each driver words the broken constraint its own way
@pytest.mark.parametrize(
    ("field", "user"),
    [
        ("username", {"username": "jake", "email": "other@example.com"}),
        ("email", {"username": "other", "email": "jake@example.com"}),
    ],
)
def test_integrity_error_that_escapes_checks_is_409(api, monkeypatch, field, user):
    api.register("jake")
    monkeypatch.setattr(models.User, "taken", classmethod(lambda cls, *args, **kwargs: False))

    response = api.post("/api/users", json={"user": {**user, "password": "password123"}})

    assert_envelope(response, 409)
    assert response.get_json() == {"errors": {field: ["has already been taken"]}}


@pytest.mark.every_database  # the rollback after a failed commit is each database's
def test_integrity_error_leaves_the_session_usable(api, monkeypatch):
    jake = api.register("jake")
    monkeypatch.setattr(models.User, "taken", classmethod(lambda cls, *args, **kwargs: False))
    user = {"username": "jake", "email": "other@example.com", "password": "password123"}
    api.post("/api/users", json={"user": user})

    response = api.as_user(jake).get("/api/user")

    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == "jake"


def error_cases(api, user, article):
    """One request per kind of failure, each paired with the status it must get."""
    slug = article["slug"]
    as_user = api.as_user(user)
    return [
        (401, api.get("/api/user")),
        (401, api.get("/api/user", headers={"Authorization": "Token forged"})),
        (401, api.post("/api/users/login", json={"user": {"email": "x@y.z", "password": "x"}})),
        (404, api.get("/api/articles/no-such-article")),
        (404, api.get("/api/profiles/nobody")),
        (404, api.get("/api/nowhere")),
        (405, api.request("PATCH", f"/api/articles/{slug}")),
        (409, api.post("/api/users", json={"user": {**user, "password": "password123"}})),
        (422, as_user.post("/api/articles", json={"article": {}})),
        (422, as_user.post("/api/articles", data="{", headers=JSON_HEADERS)),
    ]


def test_every_error_response_is_json_in_the_envelope(api, jake, jane):
    article = api.create_article(jake)
    cases = error_cases(api, jake, article)
    cases.append((403, api.as_user(jane).delete(f"/api/articles/{article['slug']}")))

    for status, response in cases:
        assert_envelope(response, status)


def test_500_response_is_json(quiet_app, monkeypatch):
    monkeypatch.setattr(models.Tag, "popular", classmethod(lambda cls: 1 / 0))

    response = quiet_app.test_client().get("/api/tags")

    assert response.status_code == 500
    assert response.mimetype == "application/json"


def test_get_with_json_content_type_and_empty_body_succeeds(api, jake):
    assert api.get("/api/tags", headers=JSON_HEADERS).status_code == 200
    assert api.get("/api/articles", headers=JSON_HEADERS).status_code == 200
    assert api.as_user(jake).get("/api/user", headers=JSON_HEADERS).status_code == 200


def test_bodiless_posts_with_json_content_type_succeed(api, jake, jane):
    article = api.create_article(jake)
    as_jane = api.as_user(jane)

    favorite = as_jane.post(f"/api/articles/{article['slug']}/favorite", headers=JSON_HEADERS)
    follow = as_jane.post("/api/profiles/jake/follow", headers=JSON_HEADERS)

    assert favorite.status_code == 200
    assert favorite.get_json()["article"]["favorited"] is True
    assert follow.status_code == 200
    assert follow.get_json()["profile"]["following"] is True


def test_deletes_with_json_content_type_and_empty_body_succeed(api, jake, jane):
    article = api.create_article(jake)
    comment = api.comment(jake, article["slug"])
    slug = article["slug"]
    as_jake, as_jane = api.as_user(jake), api.as_user(jane)
    as_jane.post(f"/api/articles/{slug}/favorite")
    as_jane.post("/api/profiles/jake/follow")

    responses = [
        as_jane.delete(f"/api/articles/{slug}/favorite", headers=JSON_HEADERS),
        as_jane.delete("/api/profiles/jake/follow", headers=JSON_HEADERS),
        as_jake.delete(f"/api/articles/{slug}/comments/{comment['id']}", headers=JSON_HEADERS),
        as_jake.delete(f"/api/articles/{slug}", headers=JSON_HEADERS),
    ]

    assert [response.status_code for response in responses] == [200, 200, 204, 204]


def test_an_oversized_body_is_refused_in_the_envelope(api, jake):
    article = {"title": "Big", "description": "d", "body": "x" * (1024 * 1024)}
    response = api.as_user(jake).post("/api/articles", json={"article": article})
    assert response.status_code == 413
    assert response.get_json() == {"errors": {"body": ["is too large"]}}
    assert api.get("/api/articles").get_json()["articlesCount"] == 0
