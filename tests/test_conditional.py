"""Conditional requests: strong ETags on every read, 304 for a tag still current, If-Match on the
writes of articles, comments and the current user (412 when stale), and nothing new without
the headers."""

import re

import marshmallow
import pytest

from api import cached as api_cached
from api import etags
from tests import test_cache

pytestmark = pytest.mark.every_database

# The cache's fixtures: an app that caches, and the same database's app that does not.
cached_app, uncached, uncached_apps = (
    test_cache.cached_app,
    test_cache.uncached,
    test_cache.uncached_apps,
)
STRONG = re.compile(r'^"[0-9a-f]{32}"$')
STALE = '"00000000000000000000000000000000"'


def flask(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def story(api, jake, jane):
    """Jake's tagged article, favorited by jane, who follows him and commented on it."""
    slug = api.create_article(jake, tagList=["dragons"])["slug"]
    api.as_user(jane).post(f"/api/articles/{slug}/favorite")
    api.as_user(jane).post("/api/profiles/jake/follow")
    api.comment(jane, slug)
    return slug


def reads(slug: str) -> list[str]:
    return [
        "/api/articles",
        "/api/articles?tag=dragons",
        "/api/articles/feed",
        f"/api/articles/{slug}",
        f"/api/articles/{slug}/comments",
        "/api/profiles/jake",
        "/api/tags",
        "/api/user",
        "/api/admin/users",
        "/api/admin/audit",
    ]


def held(client, path, tag, **headers):
    return client.get(path, headers={"If-None-Match": tag, **headers})


def test_every_read_sends_a_strong_tag_and_answers_it_with_a_bodiless_304(app, api, story, jane):
    assert flask(app, "admin", "grant", "jane").exit_code == 0
    client = api.as_user(jane)
    for path in reads(story):
        first = client.get(path)
        tag = first.headers["ETag"]
        assert first.status_code == 200 and STRONG.match(tag), path
        again = held(client, path, tag)
        assert (again.status_code, again.data, again.headers["ETag"]) == (304, b"", tag), path
        assert "Content-Type" not in again.headers, path
        varies = set(again.headers.get("Vary", "").replace(" ", "").split(","))
        assert ("Authorization" in varies) == (path != "/api/tags"), path  # tags are anyone's
        assert first.headers.get("Vary") == again.headers.get("Vary"), path


@pytest.mark.parametrize(
    "header",
    ["{tag}", "*", '"abc", {tag}, "def"', "W/{tag}", 'W/"abc", W/{tag}'],
    ids=["tag", "star", "list", "weak", "weak-list"],
)
def test_if_none_match_compares_weakly_and_takes_lists_and_star(api, story, header):
    tag = api.get(f"/api/articles/{story}").headers["ETag"]

    assert held(api, f"/api/articles/{story}", header.format(tag=tag)).status_code == 304


def test_another_tag_gets_the_whole_answer_as_before(api, story):
    fresh = api.get(f"/api/articles/{story}")

    other = held(api, f"/api/articles/{story}", f'{STALE}, W/"x"')
    assert (other.status_code, other.data) == (200, fresh.data)
    assert other.headers["ETag"] == fresh.headers["ETag"]


def test_any_write_that_changes_an_answer_changes_its_tag(api, story, jake, jane):
    bob = api.register("bob")
    paths = {
        "article": f"/api/articles/{story}",
        "list": "/api/articles",
        "comments": f"/api/articles/{story}/comments",
        "profile": "/api/profiles/jake",
        "feed": "/api/articles/feed",
    }
    tags = {name: api.as_user(bob).get(path).headers["ETag"] for name, path in paths.items()}
    api.as_user(bob).post("/api/profiles/jake/follow")  # bob's profile, list and feed
    api.as_user(jake).post(f"/api/articles/{story}/favorite")  # the counts, for everyone
    api.comment(jake, story, "Thanks!")

    for name, path in paths.items():
        answer = held(api.as_user(bob), path, tags[name])
        assert answer.status_code == 200 and answer.headers["ETag"] != tags[name], name


def test_a_tag_of_one_caller_never_validates_another_callers_different_answer(api, story, jane):
    bob = api.register("bob")
    for path in (f"/api/articles/{story}", "/api/articles", "/api/articles/feed"):
        janes = api.as_user(jane).get(path)
        bobs = held(api.as_user(bob), path, janes.headers["ETag"])  # jane favorites, follows
        assert bobs.status_code == 200 and bobs.data != janes.data, path
        assert bobs.headers["ETag"] != janes.headers["ETag"], path


def test_callers_with_the_same_answer_share_its_tag(api, story, jake):
    anonymous = api.get(f"/api/articles/{story}")

    assert (
        held(api.as_user(jake), f"/api/articles/{story}", anonymous.headers["ETag"]).status_code
        == 304
    )


def test_a_304_from_the_cache_runs_no_sql_renders_and_hashes_nothing(
    api, cached_app, story, jane, count_queries, monkeypatch
):
    client = api.as_user(jane)
    tags = {path: client.get(path).headers["ETag"] for path in reads(story)[:7]}
    dumps, hashes = [], []
    monkeypatch.setattr(marshmallow.Schema, "dump", lambda *a, **k: dumps.append(a))
    for module in (etags, api_cached):
        monkeypatch.setattr(module, "tag_of", lambda body: hashes.append(body))
    for path, tag in tags.items():
        with count_queries() as counter:
            assert held(client, path, tag).status_code == 304, path
        assert (counter.count, dumps, hashes) == (0, [], []), path


def test_without_the_cache_tags_are_the_same_and_still_answered(api, uncached, story, jane):
    for path in reads(story)[:7]:
        tag = api.as_user(jane).get(path).headers["ETag"]
        assert held(uncached.as_user(jane), path, tag).status_code == 304, path


def test_the_current_users_tag_leaves_out_the_token_and_no_cache_keeps_the_answer(api, jake):
    client = api.as_user(jake)
    first, second = client.get("/api/user"), client.get("/api/user")

    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.get_json()["user"]["token"] != second.get_json()["user"]["token"]
    assert first.headers["Cache-Control"] == "no-store"  # no cache hands back an old token
    assert held(client, "/api/user", first.headers["ETag"]).status_code == 304
    client.put("/api/user", json={"user": {"bio": "Dragons"}})
    assert held(client, "/api/user", first.headers["ETag"]).status_code == 200


def test_if_match_with_the_tag_a_get_gives_updates_and_tags_the_new_article(api, story, jake):
    client = api.as_user(jake)
    tag = client.get(f"/api/articles/{story}").headers["ETag"]
    api.create_article(jake, "Another")  # an unrelated write leaves the article's tag current

    changed = client.put(
        f"/api/articles/{story}", json={"article": {"body": "New"}}, headers={"If-Match": tag}
    )
    assert changed.status_code == 200
    assert changed.headers["ETag"] == client.get(f"/api/articles/{story}").headers["ETag"] != tag


@pytest.mark.parametrize("header", ["*", '"abc", {tag}'], ids=["star", "list"])
def test_if_match_takes_star_and_lists(api, story, jake, header):
    client = api.as_user(jake)
    tag = client.get(f"/api/articles/{story}").headers["ETag"]

    assert (
        client.delete(
            f"/api/articles/{story}", headers={"If-Match": header.format(tag=tag)}
        ).status_code
        == 204
    )
    assert api.get(f"/api/articles/{story}").status_code == 404


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
@pytest.mark.parametrize("stale", ["{old}", "W/{tag}", STALE], ids=["old", "weak", "unknown"])
def test_a_stale_if_match_is_a_412_in_the_envelope_and_changes_nothing(
    api, story, jake, jane, method, stale
):
    client = api.as_user(jake)
    old = client.get(f"/api/articles/{story}").headers["ETag"]
    api.as_user(jane).delete(f"/api/articles/{story}/favorite")  # another editor's change
    before = client.get(f"/api/articles/{story}")
    header = stale.format(old=old, tag=before.headers["ETag"])

    refused = client.request(
        method,
        f"/api/articles/{story}",
        json={"article": {"body": "Mine"}},
        headers={"If-Match": header},
    )
    assert refused.status_code == 412
    assert refused.get_json() == {"errors": {"article": ["has changed"]}}
    assert client.get(f"/api/articles/{story}").data == before.data


def test_refusals_come_in_the_contracts_order_then_412_then_422(api, story, jake, jane):
    stale = {"If-Match": STALE}
    invalid = {"article": {"title": ""}}

    assert (
        api.as_user(jane).put(f"/api/articles/{story}", json=invalid, headers=stale).status_code
        == 403
    )
    assert (
        api.as_user(jake).put("/api/articles/nope", json=invalid, headers=stale).status_code == 404
    )
    assert api.put(f"/api/articles/{story}", json=invalid, headers=stale).status_code == 401
    assert (
        api.as_user(jake).put(f"/api/articles/{story}", json=invalid, headers=stale).status_code
        == 412
    )


def test_a_comment_is_deleted_only_while_it_is_as_its_201_showed_it(api, story, jake):
    client = api.as_user(jake)

    def post(body):
        created = client.post(f"/api/articles/{story}/comments", json={"comment": {"body": body}})
        path = f"/api/articles/{story}/comments/{created.get_json()['comment']['id']}"
        return path, created.headers["ETag"]

    old_path, old_tag = post("Hi")
    client.put("/api/user", json={"user": {"bio": "Dragons"}})  # its author, as it shows him
    path, tag = post("Hey")
    api.comment(api.register("bob"), story)  # another comment leaves this one's tag current

    refused = client.delete(old_path, headers={"If-Match": old_tag})
    assert refused.status_code == 412
    assert refused.get_json() == {"errors": {"comment": ["has changed"]}}
    assert client.delete(path, headers={"If-Match": STALE}).status_code == 412
    listed = [c["body"] for c in api.get(f"/api/articles/{story}/comments").get_json()["comments"]]
    assert {"Hi", "Hey"} <= set(listed)
    assert client.delete(path, headers={"If-Match": tag}).status_code == 204
    assert client.delete(old_path, headers={"If-Match": "*"}).status_code == 204


def test_the_current_user_is_changed_only_while_the_tag_is_current(api, jake):
    client = api.as_user(jake)
    tag = client.get("/api/user").headers["ETag"]
    changed = client.put("/api/user", json={"user": {"bio": "One"}}, headers={"If-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] == client.get("/api/user").headers["ETag"] != tag

    refused = client.put("/api/user", json={"user": {"bio": "Two"}}, headers={"If-Match": tag})
    assert refused.status_code == 412
    assert refused.get_json() == {"errors": {"user": ["has changed"]}}
    assert client.get("/api/user").get_json()["user"]["bio"] == "One"
    star = client.put("/api/user", json={"user": {"bio": "Three"}}, headers={"If-Match": "*"})
    assert star.status_code == 200


class BrowserCache:
    """What a browser does with an unchanged frontend's requests: it keeps each answer with its
    tag (unless `no-store`), revalidates with If-None-Match and hands over the kept body on 304."""

    def __init__(self, client):
        self.client, self.kept, self.not_modified = client, {}, 0

    def get(self, path):
        key = (self.client.token, path)
        headers = {"If-None-Match": self.kept[key][0]} if key in self.kept else {}
        response = self.client.get(path, headers=headers)
        if response.status_code == 304:
            self.not_modified += 1
            return 200, self.kept[key][1]
        if "ETag" in response.headers and "no-store" not in response.cache_control:
            self.kept[key] = (response.headers["ETag"], response.get_json())
        return response.status_code, response.get_json()


def test_an_unchanged_client_walk_gets_the_statuses_and_bodies_it_always_did(api):
    """The contract's walk without the new headers: the statuses it always got, never a 304 or
    412; and a browser revalidating behind the same frontend sees the very same bodies."""
    users = {"jake": api.register("jake"), "jane": api.register("jane")}
    login = {"user": {"email": "jane@example.com", "password": "password123"}}
    signed_in = api.post("/api/users/login", json=login)
    users["jane"] = signed_in.get_json()["user"]
    browsers = {name: BrowserCache(api.as_user(user)) for name, user in users.items()}
    browsers[None] = BrowserCache(api)
    statuses, state = [signed_in.status_code], {}

    def write(name, method, path, body=None):
        response = api.as_user(users[name]).request(method, path, json=body)
        statuses.append(response.status_code)
        return response.get_json(silent=True)

    def read_everything():
        paths = ["/api/articles", "/api/tags", "/api/profiles/jake", "/api/user"]
        paths += ["/api/articles/feed", "/api/articles?favorited=jane"]
        if "slug" in state:
            paths += [f"/api/articles/{state['slug']}", f"/api/articles/{state['slug']}/comments"]
        for name, browser in browsers.items():
            for path in paths:
                plain = api.as_user(users.get(name)).get(path)
                assert plain.status_code in (200, 401, 404), (name, path)  # 404: deleted
                if path != "/api/user":  # its token is new every time
                    assert browser.get(path) == (plain.status_code, plain.get_json()), (name, path)

    article = {"title": "Dragons", "description": "d", "body": "b", "tagList": ["x"]}
    steps = [
        lambda: write("jane", "POST", "/api/profiles/jake/follow"),
        lambda: state.update(
            slug=write("jake", "POST", "/api/articles", {"article": article})["article"]["slug"]
        ),
        lambda: write("jane", "POST", f"/api/articles/{state['slug']}/favorite"),
        lambda: state.update(
            comment=write(
                "jane",
                "POST",
                f"/api/articles/{state['slug']}/comments",
                {"comment": {"body": "Nice"}},
            )["comment"]["id"]
        ),
        lambda: state.update(
            slug=write(
                "jake",
                "PUT",
                f"/api/articles/{state['slug']}",
                {"article": {"title": "Dragons II"}},
            )["article"]["slug"]
        ),
        lambda: write("jane", "PUT", "/api/user", {"user": {"bio": "Reader"}}),
        lambda: write(
            "jane", "DELETE", f"/api/articles/{state['slug']}/comments/{state['comment']}"
        ),
        lambda: write("jane", "DELETE", f"/api/articles/{state['slug']}/favorite"),
        lambda: write("jake", "DELETE", f"/api/articles/{state['slug']}"),
    ]
    read_everything()
    for step in steps:
        step()
        read_everything()
    assert statuses == [200, 200, 201, 200, 201, 200, 200, 204, 200, 204]
    assert all(browser.not_modified > 10 for browser in browsers.values())  # 304s were used


def test_cors_lets_other_origins_send_the_conditions_and_read_the_tag(api, story):
    origin = {"Origin": "https://frontend.example"}
    preflight = api.request(
        "OPTIONS",
        f"/api/articles/{story}",
        headers={
            **origin,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, if-match, if-none-match",
        },
    )
    allowed = preflight.headers["Access-Control-Allow-Headers"].lower()
    assert {"if-match", "if-none-match"} <= {name.strip() for name in allowed.split(",")}
    tag = api.get(f"/api/articles/{story}", headers=origin).headers["ETag"]
    answer = held(api, f"/api/articles/{story}", tag, **origin)
    assert answer.status_code == 304
    assert "ETag" in answer.headers["Access-Control-Expose-Headers"]


@pytest.mark.one_database
def test_the_document_describes_the_conditions(api):
    paths = api.get("/openapi.json").get_json()["paths"]
    read, update = paths["/api/articles/{slug}"]["get"], paths["/api/articles/{slug}"]["put"]

    assert "If-None-Match" in {p["name"] for p in read["parameters"] if p["in"] == "header"}
    assert (
        {"ETag"}
        == set(read["responses"]["200"]["headers"])
        == set(read["responses"]["304"]["headers"])
    )
    assert [p["required"] for p in update["parameters"] if p["name"] == "If-Match"] == [False]
    assert update["responses"]["412"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
