"""Comments: adding, listing and deleting them, and the order in which requests fail."""

import pytest

from tests.expected import TIMESTAMP

pytestmark = pytest.mark.every_database  # ordering, per-viewer joins and cascades are SQL


def comments_path(slug: str) -> str:
    return f"/api/articles/{slug}/comments"


def comment_path(slug: str, comment_id) -> str:
    return f"/api/articles/{slug}/comments/{comment_id}"


def listed_ids(api, slug: str, viewer=None) -> list[int]:
    response = api.as_user(viewer).get(comments_path(slug))
    assert response.status_code == 200
    return [comment["id"] for comment in response.get_json()["comments"]]


@pytest.fixture
def article(api, jake):
    return api.create_article(jake, title="Dragons")


def test_post_comment_returns_201_with_the_comment(api, jake, article):
    response = api.as_user(jake).post(
        comments_path(article["slug"]), json={"comment": {"body": "First!"}}
    )

    assert response.status_code == 201
    comment = response.get_json()["comment"]
    assert set(comment) == {"id", "createdAt", "updatedAt", "body", "author"}
    assert type(comment["id"]) is int
    assert TIMESTAMP.match(comment["createdAt"])
    assert TIMESTAMP.match(comment["updatedAt"])
    assert comment["body"] == "First!"
    assert comment["author"] == {"username": "jake", "bio": None, "image": None, "following": False}


def test_comments_of_an_article_without_any_are_an_empty_list(api, article):
    response = api.get(comments_path(article["slug"]))

    assert response.status_code == 200
    assert response.get_json() == {"comments": []}


def test_comments_are_listed_newest_first(api, jake, jane, article):
    first = api.comment(jake, article["slug"], "one")
    second = api.comment(jane, article["slug"], "two")
    third = api.comment(jake, article["slug"], "three")

    response = api.get(comments_path(article["slug"]))

    comments = response.get_json()["comments"]
    assert [c["id"] for c in comments] == [third["id"], second["id"], first["id"]]
    assert [c["body"] for c in comments] == ["three", "two", "one"]
    assert all(TIMESTAMP.match(c["createdAt"]) for c in comments)


def test_listed_comment_matches_the_created_one(api, jake, article):
    created = api.comment(jake, article["slug"], "Hello")

    listed = api.get(comments_path(article["slug"])).get_json()["comments"]

    assert listed == [created]


def test_comments_list_only_the_article_own_comments(api, jake, article):
    other = api.create_article(jake, title="Unicorns")
    mine = api.comment(jake, article["slug"])
    api.comment(jake, other["slug"])

    assert listed_ids(api, article["slug"]) == [mine["id"]]


def test_comment_author_is_not_followed_for_anonymous_viewers(api, jake, jane, article):
    api.as_user(jane).post("/api/profiles/jake/follow")
    api.comment(jake, article["slug"])

    comments = api.get(comments_path(article["slug"])).get_json()["comments"]

    assert comments[0]["author"]["following"] is False


def test_comment_author_is_followed_for_a_follower(api, jake, jane, article):
    api.as_user(jane).post("/api/profiles/jake/follow")
    api.comment(jake, article["slug"])

    comments = api.as_user(jane).get(comments_path(article["slug"])).get_json()["comments"]

    assert comments[0]["author"]["following"] is True


def test_comment_author_is_not_followed_for_a_non_follower(api, jake, jane, article):
    api.comment(jake, article["slug"])

    comments = api.as_user(jane).get(comments_path(article["slug"])).get_json()["comments"]

    assert comments[0]["author"]["following"] is False


@pytest.mark.one_database  # the token is refused before any query
def test_list_comments_with_an_invalid_token_is_401(api, article):
    response = api.get(comments_path(article["slug"]), headers={"Authorization": "Token nope"})

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is invalid"]}}


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    "payload",
    [{"comment": {"body": ""}}, {"comment": {"body": "   "}}, {"comment": {}}],
    ids=["empty", "whitespace", "missing"],
)
def test_blank_or_missing_body_is_422(api, jake, article, payload):
    response = api.as_user(jake).post(comments_path(article["slug"]), json=payload)

    assert response.status_code == 422
    assert response.get_json() == {"errors": {"body": ["can't be blank"]}}
    assert listed_ids(api, article["slug"]) == []


@pytest.mark.one_database  # the schema refuses it before the handler runs
@pytest.mark.parametrize(
    "payload",
    [{"body": "Hi"}, {"comment": "Hi"}, {"comment": None}, {"comment": ["Hi"]}, ["Hi"]],
    ids=["unwrapped", "string", "null", "list", "array"],
)
def test_missing_or_malformed_comment_wrapper_is_422_keyed_body(api, jake, article, payload):
    response = api.as_user(jake).post(comments_path(article["slug"]), json=payload)

    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert list(errors) == ["body"]
    assert errors["body"] and all(isinstance(m, str) for m in errors["body"])
    assert listed_ids(api, article["slug"]) == []


@pytest.mark.one_database  # the token is refused before any query
def test_post_comment_without_token_is_401(api, article):
    response = api.post(comments_path(article["slug"]), json={"comment": {"body": "Hi"}})

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is missing"]}}
    assert listed_ids(api, article["slug"]) == []


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_comments_of_unknown_article_are_404(api, jake, method):
    response = api.as_user(jake).request(
        method, comments_path("no-such-article"), json={"comment": {"body": "Hi"}}
    )

    assert response.status_code == 404
    assert response.get_json() == {"errors": {"article": ["not found"]}}


def test_delete_own_comment_is_204_and_removes_it(api, jake, article):
    keep = api.comment(jake, article["slug"], "keep")
    doomed = api.comment(jake, article["slug"], "doomed")

    response = api.as_user(jake).delete(comment_path(article["slug"], doomed["id"]))

    assert response.status_code == 204
    assert response.data == b""
    assert listed_ids(api, article["slug"]) == [keep["id"]]


def test_deleting_a_deleted_comment_again_is_404(api, jake, article):
    comment = api.comment(jake, article["slug"])
    api.as_user(jake).delete(comment_path(article["slug"], comment["id"]))

    response = api.as_user(jake).delete(comment_path(article["slug"], comment["id"]))

    assert response.status_code == 404
    assert response.get_json() == {"errors": {"comment": ["not found"]}}


def test_delete_someone_elses_comment_is_403_and_keeps_it(api, jake, jane, article):
    comment = api.comment(jake, article["slug"])

    response = api.as_user(jane).delete(comment_path(article["slug"], comment["id"]))

    assert response.status_code == 403
    assert response.get_json() == {"errors": {"comment": ["forbidden"]}}
    assert listed_ids(api, article["slug"]) == [comment["id"]]


def test_article_author_cannot_delete_a_readers_comment(api, jake, jane, article):
    comment = api.comment(jane, article["slug"])

    response = api.as_user(jake).delete(comment_path(article["slug"], comment["id"]))

    assert response.status_code == 403
    assert listed_ids(api, article["slug"]) == [comment["id"]]


@pytest.mark.one_database  # the token is refused before any query
def test_delete_comment_without_token_is_401_and_keeps_it(api, jake, article):
    comment = api.comment(jake, article["slug"])

    response = api.delete(comment_path(article["slug"], comment["id"]))

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is missing"]}}
    assert listed_ids(api, article["slug"]) == [comment["id"]]


def test_delete_unknown_comment_id_is_404(api, jake, article):
    response = api.as_user(jake).delete(comment_path(article["slug"], 999999))

    assert response.status_code == 404
    assert response.get_json() == {"errors": {"comment": ["not found"]}}


def test_delete_comment_through_another_article_is_404_and_keeps_it(api, jake, article):
    other = api.create_article(jake, title="Unicorns")
    comment = api.comment(jake, article["slug"])

    response = api.as_user(jake).delete(comment_path(other["slug"], comment["id"]))

    assert response.status_code == 404
    assert response.get_json() == {"errors": {"comment": ["not found"]}}
    assert listed_ids(api, article["slug"]) == [comment["id"]]


def test_delete_comment_of_unknown_article_is_404_article(api, jake, article):
    comment = api.comment(jake, article["slug"])

    response = api.as_user(jake).delete(comment_path("no-such-article", comment["id"]))

    assert response.status_code == 404
    assert response.get_json() == {"errors": {"article": ["not found"]}}


# The order of checks: 401, then 404 (article, then comment), then 403, then 422.


@pytest.mark.one_database  # the token is refused before any query
def test_post_without_token_to_unknown_article_with_blank_body_is_401(api):
    response = api.post(comments_path("no-such-article"), json={"comment": {"body": ""}})

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is missing"]}}


@pytest.mark.one_database  # the token is refused before any query
def test_delete_without_token_of_unknown_article_and_comment_is_401(api):
    response = api.delete(comment_path("no-such-article", 999999))

    assert response.status_code == 401
    assert response.get_json() == {"errors": {"token": ["is missing"]}}


def test_post_to_unknown_article_with_blank_body_is_404_before_422(api, jake):
    response = api.as_user(jake).post(
        comments_path("no-such-article"), json={"comment": {"body": ""}}
    )

    assert response.status_code == 404
    assert response.get_json() == {"errors": {"article": ["not found"]}}


def test_post_to_unknown_article_with_invalid_json_is_404_before_422(api, jake):
    response = api.as_user(jake).post(
        comments_path("no-such-article"),
        data="{not json",
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 404
    assert response.get_json() == {"errors": {"article": ["not found"]}}


def test_delete_unknown_comment_of_unknown_article_reports_the_article(api, jake):
    response = api.as_user(jake).delete(comment_path("no-such-article", 999999))

    assert response.status_code == 404
    assert response.get_json() == {"errors": {"article": ["not found"]}}


def test_delete_someone_elses_comment_through_another_article_is_404_before_403(
    api, jake, jane, article
):
    other = api.create_article(jane, title="Unicorns")
    comment = api.comment(jake, article["slug"])

    response = api.as_user(jane).delete(comment_path(other["slug"], comment["id"]))

    assert response.status_code == 404
    assert response.get_json() == {"errors": {"comment": ["not found"]}}


def test_delete_someone_elses_comment_with_a_malformed_body_is_403_before_422(
    api, jake, jane, article
):
    comment = api.comment(jake, article["slug"])

    response = api.as_user(jane).delete(
        comment_path(article["slug"], comment["id"]),
        data="{not json",
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 403
    assert response.get_json() == {"errors": {"comment": ["forbidden"]}}
