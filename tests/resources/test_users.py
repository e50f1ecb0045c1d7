"""Registration, login, and reading and changing the signed-in user (/api/users, /api/user)."""

import pytest

pytestmark = pytest.mark.every_database  # uniqueness and case-insensitive lookups are SQL

BLANK = ["can't be blank"]
# What a freshly registered jake looks like, less the token.
NEW_JAKE = {"email": "jake@example.com", "username": "jake", "bio": None, "image": None}
TAKEN = ["has already been taken"]
INVALID_CREDENTIALS = {"errors": {"credentials": ["invalid"]}}
PASSWORD_LENGTH = {"errors": {"password": ["must be 8 to 128 characters long"]}}


def registration(username="jake", email=None, password="password123", **fields):
    email = f"{username}@example.com" if email is None else email
    return {"user": {"username": username, "email": email, "password": password, **fields}}


def login_body(email="jake@example.com", password="password123"):
    return {"user": {"email": email, "password": password}}


def user_without_token(response) -> dict:
    """The response's user object, after checking it carries a non-empty token."""
    user = dict(response.get_json()["user"])
    token = user.pop("token")
    assert isinstance(token, str)
    assert token
    return user


def assert_token_is(api, token: str, username: str) -> None:
    """The token authenticates as `username`."""
    response = api.get("/api/user", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["user"]["username"] == username


def assert_error_keyed(response, status: int, key: str) -> None:
    """An error envelope with exactly one key, holding non-empty string messages."""
    assert response.status_code == status, response.get_json()
    errors = response.get_json()["errors"]
    assert list(errors) == [key]
    assert errors[key]
    assert all(isinstance(message, str) and message for message in errors[key])


def update(api, user, **fields):
    return api.as_user(user).put("/api/user", json={"user": fields})


# Registration


def test_register_returns_201_with_the_new_user(api):
    response = api.post("/api/users", json=registration())

    assert response.status_code == 201
    assert response.mimetype == "application/json"
    assert user_without_token(response) == NEW_JAKE


def test_register_returns_a_token_that_works(api):
    response = api.post("/api/users", json=registration())

    assert_token_is(api, response.get_json()["user"]["token"], "jake")


def test_register_never_returns_the_password(api):
    response = api.post("/api/users", json=registration())

    assert set(response.get_json()["user"]) == {"email", "token", "username", "bio", "image"}


def test_register_stores_email_lower_cased_and_trimmed(api):
    response = api.post("/api/users", json=registration(email="  Jake@Example.COM "))

    assert response.status_code == 201
    assert response.get_json()["user"]["email"] == "jake@example.com"


def test_register_with_trailing_slash(api):
    response = api.post("/api/users/", json=registration())

    assert response.status_code == 201
    assert response.get_json()["user"]["username"] == "jake"


def test_register_ignores_bio_and_image_and_unknown_fields(api):
    body = registration(bio="Hello", image="https://example.com/a.png", admin=True)

    response = api.post("/api/users", json=body)

    assert response.status_code == 201
    assert user_without_token(response) == NEW_JAKE


def blanked(body: dict, field: str, value) -> dict:
    """The body with one field of its wrapper left out ("missing") or set to `value`."""
    fields = dict(body["user"])
    if value == "missing":
        del fields[field]
    else:
        fields[field] = value
    return {"user": fields}


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize("field", ["username", "email", "password"])
@pytest.mark.parametrize("value", ["", None, "missing"])
def test_register_requires_each_field(api, field, value):
    response = api.post("/api/users", json=blanked(registration(), field, value))

    assert response.status_code == 422
    assert response.get_json() == {"errors": {field: BLANK}}


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize("field", ["username", "email"])
def test_register_rejects_whitespace_only_fields(api, field):
    body = registration()
    body["user"][field] = "   "

    response = api.post("/api/users", json=body)

    assert response.status_code == 422
    assert response.get_json() == {"errors": {field: BLANK}}


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_register_reports_every_missing_field(api):
    response = api.post("/api/users", json={"user": {}})

    assert response.status_code == 422
    assert response.get_json() == {"errors": {"username": BLANK, "email": BLANK, "password": BLANK}}


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    "email",
    [
        "not-an-email",
        "jake@",
        "@example.com",
        "jake example@x.com",
        "j" * 65 + "@x.io",
        "a..b@x.io",
    ],
)
def test_register_rejects_an_invalid_email(api, email):
    response = api.post("/api/users", json=registration(email=email))

    assert response.status_code == 422
    assert response.get_json() == {"errors": {"email": ["is invalid"]}}


@pytest.mark.one_database  # the schema checks it before the handler runs
def test_register_accepts_a_local_part_of_64_characters_around_spaces(api):
    email = " \ufeff" + "j" * 64 + "@x.io\t"

    response = api.post("/api/users", json=registration(email=email))

    assert response.status_code == 201
    assert response.get_json()["user"]["email"] == "j" * 64 + "@x.io"


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize("length", [1, 7])
def test_register_rejects_a_short_password(api, length):
    response = api.post("/api/users", json=registration(password="p" * length))

    assert response.status_code == 422
    assert response.get_json() == PASSWORD_LENGTH


@pytest.mark.parametrize("length", [8, 64, 128])
def test_register_accepts_a_password_of_allowed_length(api, length):
    password = "p" * length

    registered = api.post("/api/users", json=registration(password=password))
    logged_in = api.post("/api/users/login", json=login_body(password=password))

    assert registered.status_code == 201
    assert logged_in.status_code == 200


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_register_rejects_a_password_over_the_documented_maximum(api):
    response = api.post("/api/users", json=registration(password="p" * 129))

    assert response.status_code == 422
    assert response.get_json() == PASSWORD_LENGTH


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize("field", ["username", "email"])
def test_register_rejects_a_non_string_field(api, field):
    body = registration()
    body["user"][field] = 42

    response = api.post("/api/users", json=body)

    assert_error_keyed(response, 422, field)


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    ("field", "value"), [("username", "j" * 65), ("email", "j" * 250 + "@x.io")]
)
def test_register_rejects_a_field_that_is_too_long(api, field, value):
    body = registration()
    body["user"][field] = value

    response = api.post("/api/users", json=body)

    assert_error_keyed(response, 422, field)


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_register_rejects_a_password_that_is_not_a_string(api):
    response = api.post("/api/users", json=registration(password=12345678))

    assert_error_keyed(response, 422, "password")


def test_register_rejects_a_taken_username(api, jake):
    response = api.post("/api/users", json=registration("jake", email="other@example.com"))

    assert response.status_code == 409
    assert response.get_json() == {"errors": {"username": TAKEN}}


def test_register_rejects_a_taken_email(api, jake):
    response = api.post("/api/users", json=registration("other", email="jake@example.com"))

    assert response.status_code == 409
    assert response.get_json() == {"errors": {"email": TAKEN}}


def test_register_rejects_a_taken_email_in_another_case(api, jake):
    response = api.post("/api/users", json=registration("other", email=" JAKE@example.com"))

    assert response.status_code == 409
    assert response.get_json() == {"errors": {"email": TAKEN}}


def test_register_rejected_for_a_taken_username_stores_nothing(api, jake):
    api.post("/api/users", json=registration("jake", email="new@example.com"))

    response = api.post("/api/users/login", json=login_body(email="new@example.com"))

    assert response.status_code == 401
    assert response.get_json() == INVALID_CREDENTIALS


def test_register_rejected_as_invalid_stores_nothing(api):
    rejected = api.post("/api/users", json=registration(password="short"))

    login = api.post("/api/users/login", json=login_body(password="short"))
    retry = api.post("/api/users", json=registration())

    assert rejected.status_code == 422
    assert login.status_code == 401
    assert retry.status_code == 201


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize("data", ["{not json", "user=jake", '{"user": {'])
def test_register_rejects_a_body_that_is_not_json(api, data):
    response = api.post("/api/users", data=data, content_type="application/json")

    assert_error_keyed(response, 422, "body")


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    "body",
    [
        {"username": "jake", "email": "jake@example.com", "password": "password123"},
        {"user": "jake"},
        {"user": None},
        {"user": ["jake"]},
        {"user": 5},
        [],
        "user",
    ],
    ids=["unwrapped", "string", "null", "list", "number", "empty-list", "bare-string"],
)
def test_register_rejects_a_body_without_the_user_wrapper(api, body):
    response = api.post("/api/users", json=body)

    assert_error_keyed(response, 422, "body")


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_register_rejects_an_empty_body(api):
    response = api.post("/api/users", data="", content_type="application/json")

    assert_error_keyed(response, 422, "body")


# Login


def test_login_returns_the_user(api, jake):
    response = api.post("/api/users/login", json=login_body())

    assert response.status_code == 200
    assert user_without_token(response) == NEW_JAKE


def test_login_returns_a_token_that_works(api, jake):
    response = api.post("/api/users/login", json=login_body())

    assert_token_is(api, response.get_json()["user"]["token"], "jake")


def test_login_with_trailing_slash(api, jake):
    response = api.post("/api/users/login/", json=login_body())

    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == "jake"


@pytest.mark.parametrize("email", ["JAKE@EXAMPLE.COM", "Jake@Example.com", "  jake@example.com  "])
def test_login_email_is_case_insensitive_and_trimmed(api, jake, email):
    response = api.post("/api/users/login", json=login_body(email=email))

    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == "jake"


def test_login_after_registering_with_a_mixed_case_email(api):
    api.post("/api/users", json=registration(email="Jake@Example.COM"))

    response = api.post("/api/users/login", json=login_body(email="jake@EXAMPLE.com"))

    assert response.status_code == 200
    assert response.get_json()["user"]["email"] == "jake@example.com"


@pytest.mark.parametrize(
    "credentials",
    [
        {"password": "wrong-password"},
        {"password": "PASSWORD123"},  # passwords are case-sensitive
        {"email": "nobody@example.com"},
        {"email": "jake"},  # a username is not an email
    ],
)
def test_login_with_wrong_credentials(api, jake, credentials):
    response = api.post("/api/users/login", json=login_body(**credentials))

    assert response.status_code == 401
    assert response.get_json() == INVALID_CREDENTIALS


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize("field", ["email", "password"])
@pytest.mark.parametrize("value", ["", None, "missing"])
def test_login_requires_each_field(api, jake, field, value):
    response = api.post("/api/users/login", json=blanked(login_body(), field, value))

    assert response.status_code == 422
    assert response.get_json() == {"errors": {field: BLANK}}


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_login_reports_both_missing_fields(api):
    response = api.post("/api/users/login", json={"user": {}})

    assert response.status_code == 422
    assert response.get_json() == {"errors": {"email": BLANK, "password": BLANK}}


def test_login_ignores_unknown_fields(api, jake):
    body = login_body()
    body["user"]["username"] = "someone-else"

    response = api.post("/api/users/login", json=body)

    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == "jake"


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_login_rejects_a_body_that_is_not_json(api):
    response = api.post("/api/users/login", data="{oops", content_type="application/json")

    assert_error_keyed(response, 422, "body")


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    "body", [login_body()["user"], {"user": "jake@example.com"}], ids=["unwrapped", "string"]
)
def test_login_rejects_a_body_without_the_user_wrapper(api, jake, body):
    response = api.post("/api/users/login", json=body)

    assert_error_keyed(response, 422, "body")


# The signed-in user


def test_current_user_returns_the_user(api, jake):
    response = api.as_user(jake).get("/api/user")

    assert response.status_code == 200
    assert user_without_token(response) == NEW_JAKE


def test_current_user_returns_a_token_that_works(api, jake):
    response = api.as_user(jake).get("/api/user")

    assert_token_is(api, response.get_json()["user"]["token"], "jake")


def test_current_user_is_the_token_owner(api, jake, jane):
    response = api.as_user(jane).get("/api/user")

    assert response.get_json()["user"]["username"] == "jane"


@pytest.mark.one_database  # the token is refused before any query
def test_current_user_requires_a_token(api):
    response = api.get("/api/user")

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is missing"]}}


def test_current_user_with_trailing_slash(api, jake):
    response = api.as_user(jake).get("/api/user/")

    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == "jake"


def test_current_user_with_json_content_type_and_empty_body(api, jake):
    response = api.as_user(jake).get(
        "/api/user", data="", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == "jake"


# Updating the signed-in user


def test_update_returns_the_changed_user(api, jake):
    response = update(
        api,
        jake,
        email="jake@jake.jake",
        username="jacob",
        bio="I work at statefarm",
        image="https://example.com/jake.png",
    )

    assert response.status_code == 200
    assert user_without_token(response) == {
        "email": "jake@jake.jake",
        "username": "jacob",
        "bio": "I work at statefarm",
        "image": "https://example.com/jake.png",
    }


def test_update_is_persisted(api, jake):
    update(api, jake, bio="I like to skateboard", image="http://example.com/a.jpg")

    response = api.as_user(jake).get("/api/user")

    assert user_without_token(response) == {
        "email": "jake@example.com",
        "username": "jake",
        "bio": "I like to skateboard",
        "image": "http://example.com/a.jpg",
    }


def test_update_returns_a_token_that_works(api, jake):
    response = update(api, jake, username="jacob")

    assert_token_is(api, response.get_json()["user"]["token"], "jacob")


def test_update_keeps_the_old_token_working_after_a_username_change(api, jake):
    update(api, jake, username="jacob")

    assert_token_is(api, jake["token"], "jacob")


def test_update_with_trailing_slash(api, jake):
    response = api.as_user(jake).put("/api/user/", json={"user": {"bio": "Hi"}})

    assert response.status_code == 200
    assert response.get_json()["user"]["bio"] == "Hi"


@pytest.mark.parametrize(
    "fields",
    [
        {"bio": "New bio"},
        {"image": "https://example.com/new.png"},
        {"username": "jacob"},
        {"email": "jacob@example.com"},
    ],
    ids=["bio", "image", "username", "email"],
)
def test_update_changes_only_the_fields_sent(api, jake, fields):
    update(api, jake, bio="Old bio", image="https://example.com/old.png")
    before = user_without_token(api.as_user(jake).get("/api/user"))

    response = update(api, jake, **fields)

    assert response.status_code == 200
    assert user_without_token(response) == {**before, **fields}
    assert user_without_token(api.as_user(jake).get("/api/user")) == {**before, **fields}


def test_update_with_an_empty_user_changes_nothing(api, jake):
    response = api.as_user(jake).put("/api/user", json={"user": {}})

    assert response.status_code == 200
    assert user_without_token(response) == NEW_JAKE


def test_update_password_only_keeps_the_other_fields(api, jake):
    response = update(api, jake, password="new-password")

    assert response.status_code == 200
    assert user_without_token(response) == NEW_JAKE


@pytest.mark.parametrize("field", ["bio", "image"])
@pytest.mark.parametrize("blank", ["", "   ", None])
def test_update_blank_bio_or_image_stores_null(api, jake, field, blank):
    update(api, jake, bio="Some bio", image="https://example.com/a.png")

    response = update(api, jake, **{field: blank})

    assert response.status_code == 200
    assert response.get_json()["user"][field] is None
    assert api.as_user(jake).get("/api/user").get_json()["user"][field] is None


def test_update_blank_bio_keeps_the_image(api, jake):
    update(api, jake, bio="Some bio", image="https://example.com/a.png")

    response = update(api, jake, bio="")

    assert response.get_json()["user"]["image"] == "https://example.com/a.png"


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize("field", ["username", "email"])
@pytest.mark.parametrize("value", ["", "   ", None])
def test_update_rejects_a_blank_username_or_email(api, jake, field, value):
    response = update(api, jake, **{field: value})

    assert response.status_code == 422
    assert response.get_json() == {"errors": {field: BLANK}}


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_update_rejects_an_invalid_email(api, jake):
    response = update(api, jake, email="not-an-email")

    assert response.status_code == 422
    assert response.get_json() == {"errors": {"email": ["is invalid"]}}


def test_update_stores_email_lower_cased_and_trimmed(api, jake):
    response = update(api, jake, email="  Jacob@Example.COM ")

    login = api.post("/api/users/login", json=login_body(email="JACOB@example.com"))

    assert response.get_json()["user"]["email"] == "jacob@example.com"
    assert login.status_code == 200


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    "image", ["not a url", "ftp://example.com/a.png", "javascript:alert(1)", "example.com/a.png"]
)
def test_update_rejects_an_image_that_is_not_an_http_url(api, jake, image):
    response = update(api, jake, image=image)

    assert response.status_code == 422
    assert response.get_json() == {"errors": {"image": ["must be an http(s) URL"]}}


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize("password", ["", None])
def test_update_rejects_a_blank_password(api, jake, password):
    response = update(api, jake, password=password)

    assert response.status_code == 422
    assert response.get_json() == {"errors": {"password": BLANK}}


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize("length", [1, 7, 129])
def test_update_rejects_a_password_of_disallowed_length(api, jake, length):
    response = update(api, jake, password="p" * length)

    assert response.status_code == 422
    assert response.get_json() == PASSWORD_LENGTH


@pytest.mark.parametrize("length", [8, 64, 128])
def test_update_password_lets_you_log_in_with_the_new_one_only(api, jake, length):
    new_password = "n" * length

    response = update(api, jake, password=new_password)

    assert response.status_code == 200
    new_login = api.post("/api/users/login", json=login_body(password=new_password))
    old_login = api.post("/api/users/login", json=login_body(password="password123"))
    assert new_login.status_code == 200
    assert old_login.status_code == 401
    assert old_login.get_json() == INVALID_CREDENTIALS


def test_update_rejected_password_keeps_the_old_one(api, jake):
    update(api, jake, password="short")

    response = api.post("/api/users/login", json=login_body())

    assert response.status_code == 200


def test_update_never_returns_the_password(api, jake):
    response = update(api, jake, password="new-password")

    assert set(response.get_json()["user"]) == {"email", "token", "username", "bio", "image"}


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    ("field", "value"),
    [("bio", 42), ("image", ["https://example.com/a.png"]), ("username", "j" * 65)],
)
def test_update_rejects_a_field_of_the_wrong_type_or_length(api, jake, field, value):
    response = update(api, jake, **{field: value})

    assert_error_keyed(response, 422, field)


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_update_rejects_an_image_url_that_is_too_long(api, jake):
    response = update(api, jake, image="https://example.com/" + "a" * 2048)

    assert_error_keyed(response, 422, "image")


def test_update_rejects_a_taken_username(api, jake, jane):
    response = update(api, jake, username="jane")

    assert response.status_code == 409
    assert response.get_json() == {"errors": {"username": TAKEN}}


@pytest.mark.parametrize("email", ["jane@example.com", "JANE@Example.com"])
def test_update_rejects_a_taken_email(api, jake, jane, email):
    response = update(api, jake, email=email)

    assert response.status_code == 409
    assert response.get_json() == {"errors": {"email": TAKEN}}


def test_update_resending_own_username_and_email_is_not_a_conflict(api, jake):
    response = update(api, jake, username="jake", email="jake@example.com", bio="Same me")

    assert response.status_code == 200
    assert user_without_token(response) == {
        "email": "jake@example.com",
        "username": "jake",
        "bio": "Same me",
        "image": None,
    }


def test_update_resending_own_email_in_another_case_is_not_a_conflict(api, jake):
    response = update(api, jake, email="Jake@Example.com")

    assert response.status_code == 200
    assert response.get_json()["user"]["email"] == "jake@example.com"


def test_update_resending_the_whole_user_object_succeeds(api, jake):
    user = api.as_user(jake).get("/api/user").get_json()["user"]

    response = api.as_user(jake).put("/api/user", json={"user": {**user, "bio": "Round trip"}})

    assert response.status_code == 200
    assert user_without_token(response) == {
        "email": "jake@example.com",
        "username": "jake",
        "bio": "Round trip",
        "image": None,
    }


def test_update_ignores_unknown_fields(api, jake):
    response = update(api, jake, bio="Hi", following=True, admin=True, id=99)

    assert response.status_code == 200
    assert user_without_token(response) == {
        "email": "jake@example.com",
        "username": "jake",
        "bio": "Hi",
        "image": None,
    }


def test_update_rejected_as_invalid_changes_nothing(api, jake):
    response = update(api, jake, bio="Should not stick", email="not-an-email")

    assert response.status_code == 422
    assert user_without_token(api.as_user(jake).get("/api/user")) == {
        "email": "jake@example.com",
        "username": "jake",
        "bio": None,
        "image": None,
    }


def test_update_rejected_as_conflict_changes_nothing(api, jake, jane):
    response = update(api, jake, bio="Should not stick", username="jane")

    assert response.status_code == 409
    assert user_without_token(api.as_user(jake).get("/api/user")) == {
        "email": "jake@example.com",
        "username": "jake",
        "bio": None,
        "image": None,
    }


def test_update_frees_the_old_username_and_email(api, jake):
    update(api, jake, username="jacob", email="jacob@example.com")

    response = api.post("/api/users", json=registration("jake"))

    assert response.status_code == 201


@pytest.mark.one_database  # the token is refused before any query
def test_update_requires_a_token(api):
    response = api.put("/api/user", json={"user": {"bio": "Hi"}})

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is missing"]}}


@pytest.mark.one_database  # the token is refused before any query
def test_update_checks_the_token_before_the_body(api):
    response = api.put("/api/user", data="{not json", content_type="application/json")

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is missing"]}}


@pytest.mark.one_database  # the schema refuses it before the handler runs
def test_update_rejects_a_body_that_is_not_json(api, jake):
    response = api.as_user(jake).put("/api/user", data="{oops", content_type="application/json")

    assert_error_keyed(response, 422, "body")


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize("body", [{"bio": "Hi"}, {"user": "Hi"}], ids=["unwrapped", "string"])
def test_update_rejects_a_body_without_the_user_wrapper(api, jake, body):
    response = api.as_user(jake).put("/api/user", json=body)

    assert_error_keyed(response, 422, "body")
    assert api.as_user(jake).get("/api/user").get_json()["user"]["bio"] is None
