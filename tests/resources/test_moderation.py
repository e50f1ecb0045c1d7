"""/api/admin: admins made by the CLI list users, suspend and restore them, remove anyone's
content, and read the record of it; everyone else is refused."""

import pytest

pytestmark = pytest.mark.every_database  # suspension filters every list's SQL

NOT_ADMIN = {"errors": {"user": ["is not an admin"]}}
CREDENTIALS_INVALID = {"errors": {"credentials": ["invalid"]}}
ADMIN_OPERATIONS = [
    ("GET", "/api/admin/users"),
    ("PUT", "/api/admin/users/jake/suspension"),
    ("DELETE", "/api/admin/users/jake/suspension"),
    ("DELETE", "/api/admin/articles/how-to-train-your-dragon"),
    ("DELETE", "/api/admin/comments/1"),
    ("GET", "/api/admin/audit"),
]


def flask(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def root(app, api):
    user = api.register("root")
    assert flask(app, "admin", "grant", "root").exit_code == 0
    return user


@pytest.fixture
def admin(api, root):
    return api.as_user(root)


@pytest.fixture
def story(api, jake, jane):
    """Jake's article with a tag, favorited by jane, who follows him, and comments by both."""
    article = api.create_article(jake, tagList=["dragons"])
    api.as_user(jane).post("/api/profiles/jake/follow")
    api.as_user(jane).post(f"/api/articles/{article['slug']}/favorite")
    api.comment(jake, article["slug"], "Mine")
    api.comment(jane, article["slug"], "Hers")
    return article


def login(api, email, password="password123"):
    return api.post("/api/users/login", json={"user": {"email": email, "password": password}})


def slugs(response) -> list[str]:
    return [article["slug"] for article in response.get_json()["articles"]]


@pytest.mark.parametrize(("method", "path"), ADMIN_OPERATIONS)
def test_only_admins_may_moderate(api, jake, story, method, path):
    anonymous = api.request(method, path)
    assert anonymous.status_code == 401

    refused = api.as_user(jake).request(method, path)

    assert (refused.status_code, refused.get_json()) == (403, NOT_ADMIN)
    assert api.get(f"/api/articles/{story['slug']}").status_code == 200  # nothing happened
    assert login(api, "jake@example.com").status_code == 200


def test_the_api_cannot_make_an_admin(api, jake):
    fields = {"admin": True, "is_admin": True, "isAdmin": True, "role": "admin"}
    assert api.as_user(jake).put("/api/user", json={"user": fields}).status_code == 200
    assert api.as_user(jake).get("/api/admin/users").status_code == 403


def test_the_cli_grants_and_revokes_the_role_at_once(app, api, jake):
    granted = flask(app, "admin", "grant", "jake")
    assert (granted.exit_code, granted.output) == (0, "jake is an admin.\n")
    assert api.as_user(jake).get("/api/admin/users").status_code == 200

    revoked = flask(app, "admin", "revoke", "jake")

    assert (revoked.exit_code, revoked.output) == (0, "jake is no longer an admin.\n")
    assert api.as_user(jake).get("/api/admin/users").status_code == 403


def test_the_cli_names_a_missing_user(app):
    result = flask(app, "admin", "grant", "nobody")
    assert result.exit_code == 1
    assert "no user is named 'nobody'" in result.output


def test_admins_list_every_user_oldest_first_with_their_standing(api, admin, jake, jane):
    admin.put("/api/admin/users/jane/suspension")

    body = admin.get("/api/admin/users").get_json()

    assert body["usersCount"] == 3
    assert [user["username"] for user in body["users"]] == ["root", "jake", "jane"]
    root_seen, jake_seen, jane_seen = body["users"]
    assert set(jake_seen) == {
        *("username", "email", "bio", "image", "admin", "suspendedAt", "createdAt"),
    }
    assert (jake_seen["email"], jake_seen["admin"], jake_seen["suspendedAt"]) == (
        "jake@example.com",
        False,
        None,
    )
    assert jane_seen["suspendedAt"].endswith("Z") and root_seen["admin"] is True
    page = admin.get("/api/admin/users?limit=1&offset=1").get_json()
    assert ([user["username"] for user in page["users"]], page["usersCount"]) == (["jake"], 3)
    assert admin.get("/api/admin/users?limit=0").status_code == 422


def test_a_suspended_user_is_signed_out_refused_at_login_and_hidden(api, admin, jake, jane, story):
    slug = story["slug"]
    reads = [
        "/api/articles",
        "/api/articles?tag=dragons",
        "/api/articles?author=jake",
        "/api/articles?favorited=jane",
    ]
    for path in reads:  # read, and so cached, before the suspension
        assert slugs(api.get(path)) == [slug]
    assert api.as_user(jane).get("/api/articles/feed").get_json()["articlesCount"] == 1
    assert len(api.get(f"/api/articles/{slug}/comments").get_json()["comments"]) == 2
    assert api.as_user(jake).get("/api/articles").status_code == 200

    suspended = admin.put("/api/admin/users/jake/suspension")

    assert suspended.status_code == 200
    assert suspended.get_json()["user"]["suspendedAt"] is not None
    for path in ("/api/user", "/api/articles", f"/api/articles/{slug}"):
        assert api.as_user(jake).get(path).status_code == 401, path
    wrong = login(api, "jake@example.com", "not-his-password")
    right = login(api, "jake@example.com")
    assert (right.status_code, right.get_json()) == (wrong.status_code, wrong.get_json())
    assert (right.status_code, right.get_json()) == (401, CREDENTIALS_INVALID)
    for viewer in (None, jane):
        assert api.as_user(viewer).get("/api/profiles/jake").status_code == 404
    assert api.as_user(jane).post("/api/profiles/jake/follow").status_code == 404
    for path in reads:
        body = api.get(path).get_json()
        assert (body["articles"], body["articlesCount"]) == ([], 0), path
    assert api.as_user(jane).get("/api/articles/feed").get_json()["articlesCount"] == 0
    jane_article = api.create_article(jane, title="Jane's own")
    comments = api.get(f"/api/articles/{jane_article['slug']}/comments").get_json()["comments"]
    assert comments == []
    on_his = api.get(f"/api/articles/{slug}/comments").get_json()["comments"]
    assert [comment["body"] for comment in on_his] == ["Hers"]  # his own comment is hidden
    assert slugs(api.get("/api/articles")) == [jane_article["slug"]]


def test_restoring_gives_everything_back(api, admin, jake, jane, story):
    admin.put("/api/admin/users/jake/suspension")
    assert admin.put("/api/admin/users/jake/suspension").status_code == 200  # changes nothing

    restored = admin.delete("/api/admin/users/jake/suspension")

    assert (restored.status_code, restored.get_json()["user"]["suspendedAt"]) == (200, None)
    assert api.as_user(jake).get("/api/user").status_code == 200  # his token works again
    assert login(api, "jake@example.com").status_code == 200
    assert api.as_user(jane).get("/api/profiles/jake").get_json()["profile"]["following"]
    assert slugs(api.get("/api/articles?tag=dragons")) == [story["slug"]]
    assert api.as_user(jane).get("/api/articles/feed").get_json()["articlesCount"] == 1
    assert len(api.get(f"/api/articles/{story['slug']}/comments").get_json()["comments"]) == 2


def test_suspending_oneself_or_nobody_is_refused(api, admin):
    own = admin.put("/api/admin/users/root/suspension")
    assert (own.status_code, own.get_json()) == (
        422,
        {"errors": {"user": ["cannot suspend yourself"]}},
    )
    for method in ("PUT", "DELETE"):
        missing = admin.request(method, "/api/admin/users/nobody/suspension")
        assert (missing.status_code, missing.get_json()) == (
            404,
            {"errors": {"user": ["not found"]}},
        )
    assert admin.get("/api/admin/audit").get_json()["entriesCount"] == 0
    assert admin.get("/api/user").status_code == 200


def test_admins_delete_anyones_article_and_comment(api, admin, jane, story):
    slug = story["slug"]
    api.get("/api/articles")  # cached before the deletions
    comments = api.get(f"/api/articles/{slug}/comments").get_json()["comments"]
    hers = next(comment for comment in comments if comment["body"] == "Hers")

    removed = admin.delete(f"/api/admin/comments/{hers['id']}")

    assert (removed.status_code, removed.get_data()) == (204, b"")
    left = api.get(f"/api/articles/{slug}/comments").get_json()["comments"]
    assert [comment["body"] for comment in left] == ["Mine"]
    assert admin.delete(f"/api/admin/comments/{hers['id']}").get_json() == {
        "errors": {"comment": ["not found"]}
    }

    gone = admin.delete(f"/api/admin/articles/{slug}")

    assert (gone.status_code, gone.get_data()) == (204, b"")
    assert api.get(f"/api/articles/{slug}").status_code == 404
    assert api.get("/api/articles").get_json()["articlesCount"] == 0
    assert api.as_user(jane).get("/api/articles/feed").get_json()["articlesCount"] == 0
    missing = admin.delete(f"/api/admin/articles/{slug}")
    assert (missing.status_code, missing.get_json()) == (
        404,
        {"errors": {"article": ["not found"]}},
    )


def test_every_admin_action_is_on_the_record_newest_first(app, api, admin, root, story):
    comment_id = api.get(f"/api/articles/{story['slug']}/comments").get_json()["comments"][0]["id"]
    admin.put("/api/admin/users/jane/suspension")
    admin.delete("/api/admin/users/jane/suspension")
    admin.delete(f"/api/admin/comments/{comment_id}")
    admin.delete(f"/api/admin/articles/{story['slug']}")

    body = admin.get("/api/admin/audit").get_json()

    assert body["entriesCount"] == 4
    assert [(entry["action"], entry["target"]) for entry in body["entries"]] == [
        ("deleteArticle", story["slug"]),
        ("deleteComment", str(comment_id)),
        ("restoreUser", "jane"),
        ("suspendUser", "jane"),
    ]
    assert {entry["admin"] for entry in body["entries"]} == {"root"}
    ids = [entry["id"] for entry in body["entries"]]
    assert ids == sorted(ids, reverse=True)
    stamps = [entry["createdAt"] for entry in body["entries"]]
    assert stamps == sorted(stamps, reverse=True)
    page = admin.get("/api/admin/audit?limit=2&offset=1").get_json()
    assert [entry["action"] for entry in page["entries"]] == ["deleteComment", "restoreUser"]
    assert page["entriesCount"] == 4
