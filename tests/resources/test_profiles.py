"""Profiles and following (/api/profiles/{username} and its /follow)."""

import pytest

from tests.expected import PROFILE_NOT_FOUND, TOKEN_INVALID, TOKEN_MISSING

pytestmark = pytest.mark.every_database  # idempotent follows and per-viewer flags are SQL


def profile(username: str, *, following: bool, bio=None, image=None) -> dict:
    return {"profile": {"username": username, "bio": bio, "image": image, "following": following}}


def follow(api, follower, username: str):
    return api.as_user(follower).post(f"/api/profiles/{username}/follow")


def unfollow(api, follower, username: str):
    return api.as_user(follower).delete(f"/api/profiles/{username}/follow")


# Reading a profile


def test_profile_for_anonymous_viewer(api, jake):
    response = api.get("/api/profiles/jake")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == profile("jake", following=False)


def test_profile_shows_bio_and_image(api, jake):
    api.as_user(jake).put(
        "/api/user", json={"user": {"bio": "I work at statefarm", "image": "https://x.io/j.jpg"}}
    )

    response = api.get("/api/profiles/jake")

    assert response.get_json() == profile(
        "jake", following=False, bio="I work at statefarm", image="https://x.io/j.jpg"
    )


def test_profile_never_shows_the_email_or_token(api, jake):
    response = api.as_user(jake).get("/api/profiles/jake")

    assert set(response.get_json()["profile"]) == {"username", "bio", "image", "following"}


def test_profile_of_a_user_not_followed(api, jake, jane):
    response = api.as_user(jake).get("/api/profiles/jane")

    assert response.status_code == 200
    assert response.get_json() == profile("jane", following=False)


def test_own_profile_is_not_followed(api, jake):
    response = api.as_user(jake).get("/api/profiles/jake")

    assert response.status_code == 200
    assert response.get_json() == profile("jake", following=False)


def test_profile_with_trailing_slash(api, jake):
    response = api.get("/api/profiles/jake/")

    assert response.status_code == 200
    assert response.get_json() == profile("jake", following=False)


def test_profile_of_an_unknown_user(api):
    response = api.get("/api/profiles/nobody")

    assert response.status_code == 404
    assert response.get_json() == PROFILE_NOT_FOUND


def test_profile_of_an_unknown_user_for_a_signed_in_viewer(api, jake):
    response = api.as_user(jake).get("/api/profiles/nobody")

    assert response.status_code == 404
    assert response.get_json() == PROFILE_NOT_FOUND


def test_profile_follows_a_username_change(api, jake):
    api.as_user(jake).put("/api/user", json={"user": {"username": "jacob"}})

    old = api.get("/api/profiles/jake")
    new = api.get("/api/profiles/jacob")

    assert old.status_code == 404
    assert old.get_json() == PROFILE_NOT_FOUND
    assert new.get_json() == profile("jacob", following=False)


def test_profile_with_json_content_type_and_empty_body(api, jake):
    response = api.get("/api/profiles/jake", data="", headers={"Content-Type": "application/json"})

    assert response.status_code == 200
    assert response.get_json() == profile("jake", following=False)


# Following


def test_follow_returns_the_followed_profile(api, jake, jane):
    response = follow(api, jake, "jane")

    assert response.status_code == 200
    assert response.get_json() == profile("jane", following=True)


def test_follower_sees_following_after_follow(api, jake, jane):
    follow(api, jake, "jane")

    response = api.as_user(jake).get("/api/profiles/jane")

    assert response.get_json() == profile("jane", following=True)


def test_follow_is_per_viewer(api, jake, jane):
    follow(api, jake, "jane")
    john = api.register("john")

    anonymous = api.get("/api/profiles/jane")
    other = api.as_user(john).get("/api/profiles/jane")

    assert anonymous.get_json() == profile("jane", following=False)
    assert other.get_json() == profile("jane", following=False)


def test_follow_is_one_way(api, jake, jane):
    follow(api, jake, "jane")

    response = api.as_user(jane).get("/api/profiles/jake")

    assert response.get_json() == profile("jake", following=False)


def test_follow_twice_is_idempotent(api, jake, jane):
    first = follow(api, jake, "jane")
    second = follow(api, jake, "jane")

    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json() == profile("jane", following=True)
    assert api.as_user(jake).get("/api/profiles/jane").get_json() == profile("jane", following=True)


def test_follow_with_json_content_type_and_empty_body(api, jake, jane):
    response = api.as_user(jake).post(
        "/api/profiles/jane/follow", data="", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 200
    assert response.get_json() == profile("jane", following=True)


def test_follow_with_trailing_slash(api, jake, jane):
    response = api.as_user(jake).post("/api/profiles/jane/follow/")

    assert response.status_code == 200
    assert response.get_json() == profile("jane", following=True)


def test_follow_yourself_is_rejected(api, jake):
    response = follow(api, jake, "jake")

    assert response.status_code == 422
    assert response.get_json() == {"errors": {"profile": ["cannot follow yourself"]}}
    assert api.as_user(jake).get("/api/profiles/jake").get_json() == profile(
        "jake", following=False
    )


def test_follow_an_unknown_user(api, jake):
    response = follow(api, jake, "nobody")

    assert response.status_code == 404
    assert response.get_json() == PROFILE_NOT_FOUND


@pytest.mark.one_database  # the token is refused before any query
def test_follow_requires_a_token(api, jane):
    response = api.post("/api/profiles/jane/follow")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING
    assert api.get("/api/profiles/jane").get_json() == profile("jane", following=False)


@pytest.mark.one_database  # the token is refused before any query
def test_follow_an_unknown_user_without_a_token_is_401_not_404(api):
    response = api.post("/api/profiles/nobody/follow")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING


@pytest.mark.one_database  # the token is refused before any query
def test_follow_an_unknown_user_with_an_invalid_token_is_401_not_404(api):
    response = api.post("/api/profiles/nobody/follow", headers={"Authorization": "Token not-a-jwt"})

    assert response.status_code == 401
    assert response.get_json() == TOKEN_INVALID


# Unfollowing


def test_unfollow_returns_the_unfollowed_profile(api, jake, jane):
    follow(api, jake, "jane")

    response = unfollow(api, jake, "jane")

    assert response.status_code == 200
    assert response.get_json() == profile("jane", following=False)
    assert api.as_user(jake).get("/api/profiles/jane").get_json() == profile(
        "jane", following=False
    )


def test_unfollow_twice_is_idempotent(api, jake, jane):
    follow(api, jake, "jane")

    first = unfollow(api, jake, "jane")
    second = unfollow(api, jake, "jane")

    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json() == profile("jane", following=False)


def test_unfollow_a_user_not_followed(api, jake, jane):
    response = unfollow(api, jake, "jane")

    assert response.status_code == 200
    assert response.get_json() == profile("jane", following=False)


def test_unfollow_leaves_other_followers_alone(api, jake, jane):
    john = api.register("john")
    follow(api, jake, "jane")
    follow(api, john, "jane")

    unfollow(api, jake, "jane")

    assert api.as_user(john).get("/api/profiles/jane").get_json() == profile("jane", following=True)


def test_follow_again_after_unfollow(api, jake, jane):
    follow(api, jake, "jane")
    unfollow(api, jake, "jane")

    response = follow(api, jake, "jane")

    assert response.get_json() == profile("jane", following=True)


def test_unfollow_with_json_content_type_and_empty_body(api, jake, jane):
    follow(api, jake, "jane")

    response = api.as_user(jake).delete(
        "/api/profiles/jane/follow", data="", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 200
    assert response.get_json() == profile("jane", following=False)


def test_unfollow_with_trailing_slash(api, jake, jane):
    follow(api, jake, "jane")

    response = api.as_user(jake).delete("/api/profiles/jane/follow/")

    assert response.status_code == 200
    assert response.get_json() == profile("jane", following=False)


def test_unfollow_an_unknown_user(api, jake):
    response = unfollow(api, jake, "nobody")

    assert response.status_code == 404
    assert response.get_json() == PROFILE_NOT_FOUND


@pytest.mark.one_database  # the token is refused before any query
@pytest.mark.parametrize("username", ["jane", "nobody"])
def test_unfollow_requires_a_token(api, jake, jane, username):
    follow(api, jake, "jane")

    response = api.delete(f"/api/profiles/{username}/follow")

    assert response.status_code == 401
    assert response.get_json() == TOKEN_MISSING
    assert api.as_user(jake).get("/api/profiles/jane").get_json() == profile("jane", following=True)
