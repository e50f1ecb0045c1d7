"""Token handling: missing, malformed, forged, expired and orphaned tokens, and both schemes."""

import time
from datetime import timedelta

import jwt
import pytest
from flask_jwt_extended import create_access_token

from api import create_app
from api.extensions import db
from models import User
from tests.conftest import TEST_CONFIG
from tests.expected import TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_MISSING


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def issue_token(app, identity: str, **kwargs) -> str:
    with app.app_context():
        return create_access_token(identity=identity, **kwargs)


def expired_token(app, user: dict) -> str:
    return issue_token(app, claims_of(user["token"])["sub"], expires_delta=timedelta(seconds=-1))


def forged_token(user: dict) -> str:
    """The user's own claims, signed with a key the server does not know."""
    return jwt.encode(claims_of(user["token"]), "another-key-long-enough-for-hs256!", "HS256")


def authorization(value: str) -> dict:
    return {"Authorization": value}


def get_user(api, header: str):
    return api.get("/api/user", headers=authorization(header))


# Missing token


def test_no_token_on_a_required_route(api):
    response = api.get("/api/user")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING


def test_empty_authorization_header_counts_as_missing(api):
    response = get_user(api, "")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING


# Malformed and forged tokens


@pytest.mark.parametrize(
    "header",
    ["Token not-a-jwt", "Token a.b.c", "Token ", "Token", "Bearer", "Token eyJ0eXAiOiJKV1QifQ"],
)
def test_malformed_token_is_invalid(api, jake, header):
    response = get_user(api, header)

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


def test_token_signed_with_another_key_is_invalid(api, jake):
    response = get_user(api, f"Token {forged_token(jake)}")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


def test_unsigned_token_is_invalid(api, jake):
    token = jwt.encode(claims_of(jake["token"]), None, algorithm="none")

    response = get_user(api, f"Token {token}")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


def test_token_with_a_tampered_subject_is_invalid(api, jake, jane):
    header, _, signature = jake["token"].split(".")
    payload = jane["token"].split(".")[1]

    response = get_user(api, f"Token {header}.{payload}.{signature}")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


def test_token_with_a_subject_that_is_not_a_user_id_is_invalid(app, api):
    response = get_user(api, f"Token {issue_token(app, 'jake')}")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


@pytest.mark.parametrize("scheme", ["Basic", "JWT", "Tokens", ""])
def test_wrong_scheme_is_invalid(api, jake, scheme):
    response = get_user(api, f"{scheme} {jake['token']}".strip())

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


def test_token_with_trailing_garbage_is_invalid(api, jake):
    response = get_user(api, f"Token {jake['token']} extra")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


# Expired tokens and vanished users


def test_expired_token(app, api, jake):
    response = get_user(api, f"Token {expired_token(app, jake)}")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_EXPIRED


def test_token_that_has_not_expired_is_accepted(app, api, jake):
    token = issue_token(app, claims_of(jake["token"])["sub"], expires_delta=timedelta(minutes=5))

    response = get_user(api, f"Token {token}")

    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == "jake"


def test_token_of_a_deleted_user_is_rejected(app, api, jake):
    with app.app_context():
        db.session.execute(db.delete(User).where(User.username == "jake"))
        db.session.commit()

    response = get_user(api, f"Token {jake['token']}")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


@pytest.mark.parametrize(
    "path",
    [
        "/api/articles",
        "/api/articles/feed",
        "/api/articles/dragons",
        "/api/articles/dragons/comments",
        "/api/profiles/jane",
    ],
)
def test_a_deleted_users_token_is_rejected_by_every_read_cached_or_not(app, api, jake, path):
    jane = api.register("jane")
    api.create_article(jane, "Dragons")
    for _ in range(2):  # rendered, then answered from the cache
        assert api.as_user(jake).get(path).status_code == 200
    with app.app_context():
        db.session.execute(db.delete(User).where(User.username == "jake"))
        db.session.commit()

    response = api.as_user(jake).get(path)

    assert (response.status_code, response.get_json()) == (401, TOKEN_INVALID)
    if path != "/api/articles/feed":  # the feed is nobody's without a token
        assert api.get(path).status_code == 200  # anonymous reads go on


def test_token_of_a_user_that_never_existed_is_rejected(app, api):
    response = get_user(api, f"Token {issue_token(app, '999999')}")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


# Accepted schemes


@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_token_and_bearer_schemes_are_accepted(api, jake, scheme):
    response = get_user(api, f"{scheme} {jake['token']}")

    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == "jake"


def test_bearer_token_identifies_the_viewer_on_an_optional_route(api, jake, jane):
    api.as_user(jake).post("/api/profiles/jane/follow")

    response = api.get("/api/profiles/jane", headers=authorization(f"Bearer {jake['token']}"))

    assert response.status_code == 200
    assert response.get_json()["profile"]["following"] is True


def test_bearer_token_works_on_a_write(api, jake):
    response = api.put(
        "/api/user", json={"user": {"bio": "Hi"}}, headers=authorization(f"Bearer {jake['token']}")
    )

    assert response.status_code == 200
    assert response.get_json()["user"]["bio"] == "Hi"


# Optional authentication


def test_optional_route_without_a_token_succeeds(api, jake):
    response = api.get("/api/profiles/jake")

    assert response.status_code == 200
    assert response.get_json()["profile"] == {
        "username": "jake",
        "bio": None,
        "image": None,
        "following": False,
    }


@pytest.mark.parametrize("header", ["Token not-a-jwt", "Basic abc", "Token"])
def test_optional_route_with_an_invalid_token_is_401(api, jake, header):
    response = api.get("/api/profiles/jake", headers=authorization(header))

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


def test_optional_route_with_a_forged_token_is_401(api, jake):
    response = api.get("/api/profiles/jake", headers=authorization(f"Token {forged_token(jake)}"))

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


def test_optional_route_with_an_expired_token_is_401(app, api, jake):
    token = expired_token(app, jake)

    response = api.get("/api/profiles/jake", headers=authorization(f"Token {token}"))

    assert response.status_code == 401
    assert response.get_json() == TOKEN_EXPIRED


def test_optional_route_checks_the_token_before_the_profile_exists(api):
    response = api.get("/api/profiles/nobody", headers=authorization("Token not-a-jwt"))

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


# Routes without authentication ignore a stale token


def test_login_ignores_a_stale_token(app, api, jake):
    response = api.post(
        "/api/users/login",
        json={"user": {"email": "jake@example.com", "password": "password123"}},
        headers=authorization(f"Token {expired_token(app, jake)}"),
    )

    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == "jake"


def test_register_ignores_a_bad_token(api):
    response = api.post(
        "/api/users",
        json={"user": {"username": "jake", "email": "jake@example.com", "password": "password"}},
        headers=authorization("Token not-a-jwt"),
    )

    assert response.status_code == 201


# The WWW-Authenticate challenge


@pytest.mark.parametrize(
    "header", [None, "Token not-a-jwt", "Basic abc"], ids=["missing", "invalid", "scheme"]
)
def test_401_carries_www_authenticate(api, jake, header):
    headers = authorization(header) if header else {}

    response = api.get("/api/user", headers=headers)

    assert response.status_code == 401
    assert response.headers.get("WWW-Authenticate")


def test_expired_401_carries_www_authenticate(app, api, jake):
    response = get_user(api, f"Token {expired_token(app, jake)}")

    assert response.status_code == 401
    assert response.headers.get("WWW-Authenticate")


def test_failed_login_carries_www_authenticate(api, jake):
    response = api.post(
        "/api/users/login", json={"user": {"email": "jake@example.com", "password": "wrong-one"}}
    )

    assert response.status_code == 401
    assert response.headers.get("WWW-Authenticate")


def test_success_has_no_www_authenticate(api, jake):
    response = api.as_user(jake).get("/api/user")

    assert response.status_code == 200
    assert "WWW-Authenticate" not in response.headers


# Tokens this process has verified are remembered, never past their expiry nor across apps.


def test_a_remembered_token_still_expires(app, api, jake):
    token = issue_token(app, claims_of(jake["token"])["sub"], expires_delta=timedelta(seconds=1))
    assert get_user(api, f"Token {token}").status_code == 200  # verified, then remembered
    time.sleep(1.1)

    response = get_user(api, f"Token {token}")

    assert (response.status_code, response.get_json()) == (401, TOKEN_EXPIRED)


def test_a_token_one_app_verified_is_not_taken_by_an_app_with_another_key(app, api, jake):
    assert get_user(api, f"Token {jake['token']}").status_code == 200
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    other = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "JWT_SECRET_KEY": "k" * 48})

    response = other.test_client().get(
        "/api/user", headers={"Authorization": f"Token {jake['token']}"}
    )

    assert (response.status_code, response.get_json()) == (401, TOKEN_INVALID)


# A new password signs out the tokens issued before it.


def test_a_new_password_revokes_the_tokens_issued_before_it(app, api, jake):
    jane = api.register("jane")
    api.create_article(jane, "Dragons")
    old = api.as_user(jake)
    for path in ("/api/articles", "/api/articles/dragons", "/api/articles/feed"):
        assert old.get(path).status_code == 200  # and kept for this token
    earlier = issue_token(app, claims_of(jake["token"])["sub"])
    with app.app_context():  # a password set after every token jake holds
        later = int(time.time()) + 5
        db.session.execute(
            db.update(User).where(User.username == "jake").values(tokens_valid_from=later)
        )
        db.session.commit()
    for token in (jake["token"], earlier):
        for method, path in [
            ("GET", "/api/user"),
            ("GET", "/api/articles"),
            ("GET", "/api/articles/dragons"),
            ("GET", "/api/articles/feed"),
            ("POST", "/api/articles/dragons/favorite"),
        ]:
            response = api.as_user({"token": token}).request(method, path)
            assert (response.status_code, response.get_json()) == (401, TOKEN_INVALID), path
    assert api.as_user(jane).get("/api/user").status_code == 200  # others are not touched


def test_changing_the_password_through_the_api_signs_out_the_old_token(api, jake):
    time.sleep(1.05)  # tokens are valid from the second the password was set
    changed = api.as_user(jake).put("/api/user", json={"user": {"password": "a-new-password"}})
    assert changed.status_code == 200
    fresh = changed.get_json()["user"]

    assert api.as_user(jake).get("/api/user").status_code == 401
    assert api.as_user(fresh).get("/api/user").status_code == 200
    login = {"user": {"email": "jake@example.com", "password": "a-new-password"}}
    assert api.post("/api/users/login", json=login).status_code == 200


# Renewal: every answer that carries a user carries a renewed token, within the session.

DAY = 24 * 3600


def session_token(app, user: dict, *, signed_in: int, lifetime=timedelta(days=7)) -> str:
    """A token of the user's whose session began at `signed_in` (Unix seconds)."""
    identity = claims_of(user["token"])["sub"]
    claims = {"auth_time": signed_in}
    return issue_token(app, identity, additional_claims=claims, expires_delta=lifetime)


def test_a_sign_in_begins_a_session_and_its_token_lasts_the_configured_lifetime(api, jake):
    login = {"user": {"email": "jake@example.com", "password": "password123"}}
    before = int(time.time())
    claims = claims_of(api.post("/api/users/login", json=login).get_json()["user"]["token"])

    assert before <= claims["auth_time"] == claims["iat"] <= time.time()
    assert claims["exp"] - claims["iat"] == 7 * DAY
    assert claims_of(jake["token"])["auth_time"] == claims_of(jake["token"])["iat"]


def test_a_renewed_token_continues_the_session_and_ends_with_it(app, api, jake):
    signed_in = int(time.time()) - 30 * DAY + 120  # two minutes of the session left
    token = session_token(app, jake, signed_in=signed_in)

    renewed = get_user(api, f"Token {token}").get_json()["user"]["token"]

    claims = claims_of(renewed)
    assert claims["auth_time"] == signed_in
    assert claims["exp"] == signed_in + 30 * DAY  # not a week from now
    assert get_user(api, f"Token {renewed}").status_code == 200


def test_a_renewal_early_in_the_session_lasts_the_full_lifetime(app, api, jake):
    signed_in = int(time.time()) - DAY
    renewed = get_user(api, f"Token {session_token(app, jake, signed_in=signed_in)}")

    claims = claims_of(renewed.get_json()["user"]["token"])
    assert (claims["auth_time"], claims["exp"] - claims["iat"]) == (signed_in, 7 * DAY)


def test_a_token_whose_session_is_over_is_expired_whatever_its_own_expiry(app, api, jake):
    token = session_token(app, jake, signed_in=int(time.time()) - 30 * DAY - 1)

    for path in ("/api/user", "/api/articles"):
        response = api.get(path, headers=authorization(f"Token {token}"))
        assert (response.status_code, response.get_json()) == (401, TOKEN_EXPIRED), path


def test_a_remembered_token_ends_with_its_session(app, api, jake):
    ends = int(time.time()) + 3  # a few seconds of the session left, however loaded the machine
    token = session_token(app, jake, signed_in=ends - 30 * DAY)
    assert get_user(api, f"Token {token}").status_code == 200  # verified, then remembered
    time.sleep(ends + 0.1 - time.time())

    response = get_user(api, f"Token {token}")

    assert (response.status_code, response.get_json()) == (401, TOKEN_EXPIRED)


def test_a_new_password_does_not_begin_a_session(app, api, jake):
    """A stolen token could change the password: that must not buy it a longer life."""
    signed_in = int(time.time()) - 10 * DAY
    thief = {"token": session_token(app, jake, signed_in=signed_in)}
    time.sleep(1.05)  # tokens are valid from the second the password was set

    changed = api.as_user(thief).put("/api/user", json={"user": {"password": "stolen-account"}})

    assert changed.status_code == 200
    assert claims_of(changed.get_json()["user"]["token"])["auth_time"] == signed_in


def test_a_token_from_before_sessions_began_its_session_when_it_was_issued(app, api, jake):
    old = issue_token(app, claims_of(jake["token"])["sub"])  # no auth_time claim
    issued = claims_of(old)["iat"]

    renewed = get_user(api, f"Token {old}").get_json()["user"]["token"]

    assert claims_of(renewed)["auth_time"] == issued


def test_the_session_length_is_configurable(app, api, jake):
    app.config["JWT_SESSION_MAX_AGE"] = timedelta(hours=1)
    signed_in = int(time.time()) - 1800
    renewed = get_user(api, f"Token {session_token(app, jake, signed_in=signed_in)}")

    assert claims_of(renewed.get_json()["user"]["token"])["exp"] == signed_in + 3600
