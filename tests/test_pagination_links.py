"""Every list page carries an RFC 8288 `Link` header (first, prev, next, last); the article lists'
next, prev and last links walk by a signed cursor, page for page what `offset` gives."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

import api.paging as api_paging
from api.cache import current_cache
from api.extensions import db
from models import Article
from tests.databases import empty_tables

pytestmark = pytest.mark.every_database  # the cursor's SQL compares timestamps in each dialect

LINK = re.compile(r'<([^>]*)>; rel="(\w+)"')
LIST_ITEM_KEYS = {
    *("slug", "title", "description", "tagList", "createdAt", "updatedAt"),
    *("favorited", "favoritesCount", "author"),
}


def links_of(response) -> dict[str, str]:
    header = response.headers.get("Link", "")
    found = {rel: url for url, rel in LINK.findall(header)}
    assert ", ".join(f'<{url}>; rel="{rel}"' for rel, url in found.items()) == header
    return found


def titles(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [article["title"] for article in response.get_json()["articles"]]


def twelve_articles(api) -> dict:
    """Twelve articles, jake's even ones tagged `even`, jane's the odd ones; newest first that
    is a11 ... a0."""
    jake, jane = api.register("jake"), api.register("jane")
    for number in range(12):
        author = jake if number % 2 == 0 else jane
        tags = ["even"] if number % 2 == 0 else []
        api.create_article(author, title=f"a{number}", tagList=tags)
    return {"jake": jake, "jane": jane, "titles": [f"a{number}" for number in reversed(range(12))]}


@pytest.fixture
def site(scene):
    return scene(twelve_articles)


@pytest.fixture
def jake(site):
    return site["jake"]


@pytest.fixture
def jane(site):
    return site["jane"]


@pytest.fixture
def twelve(site):
    return site["titles"]


def test_a_site_put_back_answers_what_it_answered_when_built(app, api, scene):
    """The scene's rows put back (ids, tokens' users, tags, counts) answer as the requests that
    made them did."""

    def built_here(api) -> dict:  # a scene of its own: built by this test, then put back
        return twelve_articles(api)

    def answers(site) -> list:
        jane = api.as_user(site["jane"])
        assert jane.post("/api/profiles/jake/follow").status_code == 200
        return [
            walk(api, "/api/articles?limit=5"),
            walk(api, "/api/articles?tag=even&limit=4"),
            walk(jane, "/api/articles/feed?limit=4"),
            # The scene's token still signs its user in (the answer's token is a new one).
            {**api.as_user(site["jake"]).get("/api/user").get_json()["user"], "token": None},
            api.get("/api/tags").get_json(),
        ]

    site = scene(built_here)
    built = answers(site)
    with app.app_context():
        empty_tables(db.engine, db.metadata)
        if (cache := current_cache()) is not None:
            cache.bump()
    put_back = answers(scene(built_here))

    assert put_back == built
    assert built[0][0] == site["titles"]


def walk(api, url: str) -> tuple[list[str], list[dict]]:
    """Follow every `next` link from `url`: the titles seen, and each page's links."""
    seen, pages = [], []
    while url:
        response = api.get(url)
        seen += titles(response)
        pages.append(links_of(response))
        url = pages[-1].get("next")
        assert len(pages) < 50
    return seen, pages


def test_the_first_page_links_first_next_and_last_by_limit_and_cursor(api, twelve):
    links = links_of(api.get("/api/articles?limit=5"))

    assert list(links) == ["first", "next", "last"]  # no prev on the first page
    assert links["first"] == "/api/articles?limit=5"
    assert re.fullmatch(r"/api/articles\?limit=5&cursor=[\w.-]+", links["next"])
    assert titles(api.get(links["last"])) == titles(api.get("/api/articles?limit=5&offset=10"))


def test_a_middle_page_links_all_four_and_the_last_page_has_no_next(api, twelve):
    middle = links_of(api.get("/api/articles?limit=5&offset=5"))
    assert list(middle) == ["first", "prev", "next", "last"]
    assert middle["prev"] == "/api/articles?limit=5"  # back to offset 0 is the first page
    assert titles(api.get(middle["next"])) == twelve[10:]

    last = links_of(api.get("/api/articles?limit=5&offset=10"))
    assert list(last) == ["first", "prev", "last"]
    assert titles(api.get(last["prev"])) == twelve[5:10]


def test_an_empty_list_and_a_page_past_the_end(api):
    jake = api.register("jake")  # and no article yet: not the site of twelve
    assert links_of(api.get("/api/articles")) == {
        "first": "/api/articles?limit=20",
        "last": "/api/articles?limit=20",
    }
    for number in range(3):
        api.create_article(jake, title=f"a{number}")

    past = links_of(api.get("/api/articles?limit=2&offset=40"))
    assert list(past) == ["first", "prev", "last"]
    assert titles(api.get(past["prev"])) == titles(api.get(past["last"])) == ["a0"]


def test_links_keep_every_filter(api, twelve):
    response = api.get("/api/articles?tag=even&author=jake&limit=2")

    assert all("tag=even&author=jake&limit=2" in url for url in links_of(response).values())
    seen, _ = walk(api, "/api/articles?tag=even&author=jake&limit=2")
    assert seen == [title for title in twelve if int(title[1:]) % 2 == 0]


def test_following_next_visits_every_article_once_in_order(api, twelve):
    seen, pages = walk(api, "/api/articles?limit=5")

    assert seen == twelve
    assert "next" not in pages[-1] and all("cursor=" in page["next"] for page in pages[:-1])


def test_writes_during_a_walk_neither_repeat_nor_skip_an_article(api, jake, twelve):
    """New articles go to the top, behind the walk; a deleted one simply leaves it."""
    first = api.get("/api/articles?limit=5")
    api.create_article(jake, title="newer")  # would push a0..a11 down an offset walk
    api.as_user(jake).delete("/api/articles/a10")  # seen already: an offset walk would skip
    seen, _ = walk(api, links_of(first)["next"])

    assert titles(first) + seen == twelve


def test_the_links_of_a_page_asked_again_are_made_once_and_follow_its_body(
    api, jake, jane, twelve, monkeypatch
):
    api.as_user(jane).post("/api/articles/a11/favorite")
    made = []
    monkeypatch.setattr(api_paging, "_link_header", spy(api_paging._link_header, made))
    monkeypatch.setattr(api_paging, "_made", {})
    first = links_of(api.get("/api/articles?limit=5"))
    assert links_of(api.get("/api/articles?limit=5")) == first  # a cached body, its tag
    assert len(made) == 1
    assert links_of(api.as_user(jake).get("/api/articles?limit=5")) == first  # the same body
    assert len(made) == 1
    assert links_of(api.as_user(jane).get("/api/articles?limit=5")) == first  # her favorite's
    assert len(made) == 2

    api.create_article(jake, title="a12")
    after = links_of(api.get("/api/articles?limit=5"))

    assert len(made) == 3 and after["last"] != first["last"]
    seen, _ = walk(api, "/api/articles?limit=5")
    assert seen == ["a12", *twelve]


def test_the_links_kept_start_afresh_past_their_bound(api, twelve, monkeypatch):
    monkeypatch.setattr(api_paging, "_made", {})
    monkeypatch.setattr(api_paging, "MADE_AT_MOST", 2)
    for limit in (3, 4, 5):
        assert "last" in links_of(api.get(f"/api/articles?limit={limit}"))

    assert [key[2] for key in api_paging._made] == [b"limit=5"]  # the third cleared the two


def spy(func, calls: list):
    def spied(*args):
        calls.append(args)
        return func(*args)

    return spied


def test_walking_back_by_prev_visits_every_article_once(api, twelve):
    url, seen = links_of(api.get("/api/articles?limit=5"))["last"], []
    while url:
        response = api.get(url)
        seen = titles(response) + seen
        url = links_of(response).get("prev")

    assert seen == twelve


@pytest.mark.parametrize("tied", [8, 12])
def test_articles_of_one_millisecond_are_walked_once_each(app, api, twelve, tied):
    """Ties on `createdAt` are broken by id, across pages too: a page all of one millisecond
    counts on the cursor that led to it, and after an offset page stays an offset link."""
    oldest = twelve[-tied:]
    with app.app_context():
        moment = datetime(2026, 1, 2, tzinfo=UTC)
        db.session.execute(
            update(Article).where(Article.title.in_(oldest)).values(created_at=moment)
        )
        db.session.commit()
    offset_pages = [titles(api.get(f"/api/articles?limit=5&offset={n}")) for n in (0, 5, 10)]

    seen, pages = walk(api, "/api/articles?limit=5")
    assert seen == [title for page in offset_pages for title in page] == twelve
    assert ["cursor=" in page["next"] for page in pages[:-1]] == [tied < 12] * 2
    from_offset, _ = walk(api, "/api/articles?limit=3&offset=3")
    assert from_offset == twelve[3:]
    url, back = links_of(api.get("/api/articles?limit=5"))["last"], []
    while url:
        response = api.get(url)
        back, url = titles(response) + back, links_of(response).get("prev")
    assert back == twelve


def test_cursor_pages_answer_what_offset_pages_answer(api, jake, twelve):
    api.as_user(jake).post("/api/articles/a3/favorite")
    for token_of in (None, jake):
        _, pages = walk(api.as_user(token_of), "/api/articles?limit=5")
        for number, links in enumerate(pages[:-1]):
            by_cursor = api.as_user(token_of).get(links["next"])
            by_offset = api.as_user(token_of).get(f"/api/articles?limit=5&offset={5 * number + 5}")
            assert by_cursor.get_json() == by_offset.get_json()


def test_the_feed_links_its_pages_by_cursor_too(api, jane, twelve):
    api.as_user(jane).post("/api/profiles/jake/follow")
    reader = api.as_user(jane)
    first = reader.get("/api/articles/feed?limit=4")

    assert titles(first) + walk(reader, links_of(first)["next"])[0] == twelve[1::2]
    assert reader.get(links_of(first)["next"], headers={"Authorization": ""}).status_code == 401


@pytest.mark.parametrize(
    "cursor",
    ["abc", "", "x" * 300, "WzUsbnVsbCwwLDAsMSw3XQ.oYVn1Kv_b2iv_K3ENYtv8SGWQ-w", "[1,2,3,4,5,6]"],
)
def test_a_cursor_the_server_did_not_give_is_a_422(api, twelve, cursor):
    response = api.get(f"/api/articles?cursor={cursor}")

    assert response.status_code == 422
    assert response.get_json() == {"errors": {"cursor": ["is not a cursor this server gave"]}}


def test_a_tampered_cursor_is_a_422(api, twelve):
    cursor = links_of(api.get("/api/articles?limit=5"))["next"].split("cursor=")[1]
    payload, signature = cursor.split(".")
    for forged in (f"{payload[:-2]}MX.{signature}", f"{payload}.{signature[::-1]}"):
        assert api.get(f"/api/articles?cursor={forged}").status_code == 422


def test_a_client_that_sends_only_limit_and_offset_gets_the_bodies_it_always_got(api, twelve):
    body = api.get("/api/articles?limit=5&offset=5").get_json()

    assert set(body) == {"articles", "articlesCount"} and body["articlesCount"] == 12
    assert [set(article) for article in body["articles"]] == [LIST_ITEM_KEYS] * 5
    assert titles(api.get("/api/articles?offset=10&limit=5")) == twelve[10:]
    # A cached answer and a fresh one carry the same links.
    assert links_of(api.get("/api/articles?limit=5&offset=5")) == links_of(
        api.get("/api/articles?limit=5&offset=5")
    )


def test_admin_lists_link_their_pages_by_offset(app, api, twelve):
    api.register("root")
    assert app.test_cli_runner().invoke(args=["admin", "grant", "root"]).exit_code == 0
    admin = api.as_user(
        api.post(
            "/api/users/login",
            json={"user": {"email": "root@example.com", "password": "password123"}},
        ).get_json()["user"]
    )

    users = links_of(admin.get("/api/admin/users?limit=1&offset=1"))  # jake, jane, root
    assert users == {
        "first": "/api/admin/users?limit=1",
        "prev": "/api/admin/users?limit=1",
        "next": "/api/admin/users?limit=1&offset=2",
        "last": "/api/admin/users?limit=1&offset=2",
    }
    assert links_of(admin.get("/api/admin/audit")) == {
        "first": "/api/admin/audit?limit=20",
        "last": "/api/admin/audit?limit=20",
    }


def test_cors_exposes_the_link_header(api, twelve):
    response = api.get("/api/articles", headers={"Origin": "https://app.example.com"})

    exposed = response.headers["Access-Control-Expose-Headers"].lower().split(", ")
    assert "link" in exposed and "Link" in response.headers


def test_a_cursor_page_costs_the_statements_of_an_offset_page(api, count_queries, twelve):
    cursor_url = links_of(api.get("/api/articles?limit=5&offset=5"))["next"]
    with count_queries() as by_offset:
        by_offset_titles = titles(api.get("/api/articles?limit=5&offset=10"))
    with count_queries() as by_cursor:
        by_cursor_titles = titles(api.get(cursor_url))

    assert by_cursor_titles == by_offset_titles == twelve[10:]

    assert by_cursor.count == by_offset.count == 4
