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
