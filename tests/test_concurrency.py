"""Favorites, follows and slugs stay right when requests race each other."""

from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.every_database  # each database serialises concurrent writes its own way


def run_together(calls):
    with ThreadPoolExecutor(max_workers=8) as pool:
        return [future.result() for future in [pool.submit(call) for call in calls]]


def test_concurrent_favorites_are_counted_exactly(api, jake):
    article = api.create_article(jake)
    fans = [api.register(f"fan{n}") for n in range(12)]
    path = f"/api/articles/{article['slug']}/favorite"

    # Every fan favorites twice at the same time as everyone else.
    responses = run_together([lambda fan=fan: api.as_user(fan).post(path) for fan in fans * 2])
    assert {response.status_code for response in responses} == {200}
    assert api.get(f"/api/articles/{article['slug']}").get_json()["article"]["favoritesCount"] == 12

    # Half of them take it back, also twice each, while the others favorite again.
    leaving, staying = fans[:6], fans[6:]
    calls = [lambda fan=fan: api.as_user(fan).delete(path) for fan in leaving * 2]
    calls += [lambda fan=fan: api.as_user(fan).post(path) for fan in staying]
    responses = run_together(calls)
    assert {response.status_code for response in responses} == {200}
    assert api.get(f"/api/articles/{article['slug']}").get_json()["article"]["favoritesCount"] == 6


def test_concurrent_follows_are_idempotent(api, jake, jane):
    path = "/api/profiles/jake/follow"
    responses = run_together([lambda: api.as_user(jane).post(path) for _ in range(10)])
    assert [r.get_json()["profile"]["following"] for r in responses] == [True] * 10
    feed_author = api.create_article(jake)
    feed = api.as_user(jane).get("/api/articles/feed").get_json()
    assert [a["slug"] for a in feed["articles"]] == [feed_author["slug"]]


def test_concurrent_articles_of_one_title_all_get_distinct_slugs(api):
    writers = [api.register(f"writer{n}") for n in range(8)]

    def create(number, writer):
        # New tags shared by all, each request listing them in another order.
        tags = ["new", "shared", f"own{number}"]
        tags = tags[number % 3 :] + tags[: number % 3]
        article = {"title": "One title", "description": "d", "body": "b", "tagList": tags}
        return api.as_user(writer).post("/api/articles", json={"article": article})

    responses = run_together([lambda n=n, w=w: create(n, w) for n, w in enumerate(writers)])

    assert [response.status_code for response in responses] == [201] * 8
    slugs = {response.get_json()["article"]["slug"] for response in responses}
    assert len(slugs) == 8
    assert "one-title" in slugs
    assert all(slug.startswith("one-title") for slug in slugs)
    assert api.get("/api/articles?tag=shared").get_json()["articlesCount"] == 8


def test_concurrent_registrations_of_one_username_give_one_account(api):
    def register(number):
        user = {"username": "popular", "email": f"p{number}@example.com", "password": "password1"}
        return api.post("/api/users", json={"user": user})

    responses = run_together([lambda n=n: register(n) for n in range(10)])

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 9
    refused = [response.get_json() for response in responses if response.status_code == 409]
    assert all(body == {"errors": {"username": ["has already been taken"]}} for body in refused)
    winner = next(response for response in responses if response.status_code == 201)
    email = winner.get_json()["user"]["email"]
    login = api.post("/api/users/login", json={"user": {"email": email, "password": "password1"}})
    assert login.status_code == 200
    losers = [f"p{n}@example.com" for n in range(10) if f"p{n}@example.com" != email]
    for loser in losers:  # nothing of theirs was stored
        credentials = {"user": {"email": loser, "password": "password1"}}
        assert api.post("/api/users/login", json=credentials).status_code == 401


def test_concurrent_registrations_of_one_email_give_one_account(api):
    def register(number):
        user = {"username": f"u{number}", "email": "Same@Example.com", "password": "password1"}
        return api.post("/api/users", json={"user": user})

    responses = run_together([lambda n=n: register(n) for n in range(10)])

    assert sorted(response.status_code for response in responses) == [201] + [409] * 9
    refused = [response.get_json() for response in responses if response.status_code == 409]
    assert all(body == {"errors": {"email": ["has already been taken"]}} for body in refused)
    names = [f"u{n}" for n in range(10)]
    found = [api.get(f"/api/profiles/{name}").status_code for name in names]
    assert sorted(found) == [200] + [404] * 9


def test_racing_follows_and_unfollows_leave_each_pair_in_one_state(api, jake):
    fans = [api.register(f"fan{n}") for n in range(6)]
    path = "/api/profiles/jake/follow"
    calls = []
    for fan in fans:
        calls += [lambda fan=fan: api.as_user(fan).post(path)] * 2
        calls += [lambda fan=fan: api.as_user(fan).delete(path)] * 2
    responses = run_together(calls)
    assert {response.status_code for response in responses} == {200}

    article = api.create_article(jake)
    for fan in fans:  # the profile and the feed agree on whichever state won
        following = api.as_user(fan).get("/api/profiles/jake").get_json()["profile"]["following"]
        feed = api.as_user(fan).get("/api/articles/feed").get_json()
        assert [a["slug"] for a in feed["articles"]] == ([article["slug"]] if following else [])
        again = api.as_user(fan).delete(path).get_json()["profile"]["following"]
        assert again is False  # one unfollow undoes it, however many follows raced
        assert api.as_user(fan).get("/api/articles/feed").get_json()["articlesCount"] == 0


def test_racing_favorites_and_unfavorites_keep_the_count_equal_to_the_fans(api, jake):
    article = api.create_article(jake)
    fans = [api.register(f"fan{n}") for n in range(6)]
    path = f"/api/articles/{article['slug']}/favorite"
    calls = []
    for fan in fans:
        calls += [lambda fan=fan: api.as_user(fan).post(path)] * 2
        calls += [lambda fan=fan: api.as_user(fan).delete(path)] * 2
    responses = run_together(calls)
    assert {response.status_code for response in responses} == {200}

    seen = [api.as_user(fan).get(f"/api/articles/{article['slug']}").get_json() for fan in fans]
    favorited = sum(body["article"]["favorited"] for body in seen)
    assert {body["article"]["favoritesCount"] for body in seen} == {favorited}
    listed = api.get(f"/api/articles?favorited={fans[0]['username']}").get_json()
    assert listed["articlesCount"] == int(seen[0]["article"]["favorited"])
    for fan in fans:  # one unfavorite undoes it, however many favorites raced
        assert api.as_user(fan).delete(path).get_json()["article"]["favorited"] is False
    assert api.get(f"/api/articles/{article['slug']}").get_json()["article"]["favoritesCount"] == 0
