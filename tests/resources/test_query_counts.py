"""Lists cost a fixed, small number of SQL statements, whatever their length (no N+1), and
each write a fixed number of its own."""

import pytest

pytestmark = pytest.mark.every_database  # each dialect runs its own statements

MOST_STATEMENTS = 5  # count, page, tags, authors, (the caller)


def fill(api, authors, articles_per_author):
    """Articles by several authors, each tagged, favorited and commented on."""
    fan = api.register("fan")
    for author in authors:
        api.as_user(fan).post(f"/api/profiles/{author['username']}/follow")
        for number in range(articles_per_author):
            article = api.create_article(
                author, title=f"{author['username']} {number}", tagList=["a", f"t{number}"]
            )
            api.as_user(fan).post(f"/api/articles/{article['slug']}/favorite")
            api.comment(fan, article["slug"])
    return fan


def statements_for(api, count_queries, path, viewer=None):
    with count_queries() as counter:
        response = api.as_user(viewer).get(path)
    assert response.status_code == 200
    return counter.count, response.get_json()


@pytest.mark.parametrize("path", ["/api/articles", "/api/articles?tag=a", "/api/articles/feed"])
def test_listing_20_articles_costs_what_listing_2_costs(api, count_queries, path):
    few_authors = [api.register(f"few{n}") for n in range(2)]
    fan = fill(api, few_authors, articles_per_author=1)
    few, body = statements_for(api, count_queries, path, viewer=fan)
    assert body["articlesCount"] == 2

    many_authors = [api.register(f"many{n}") for n in range(6)]
    for author in many_authors:
        api.as_user(fan).post(f"/api/profiles/{author['username']}/follow")
    for author in many_authors:
        for number in range(3):
            article = api.create_article(author, title=f"x {number}", tagList=["a"])
            api.as_user(fan).post(f"/api/articles/{article['slug']}/favorite")
    many, body = statements_for(api, count_queries, path, viewer=fan)
    assert len(body["articles"]) == 20
    assert all(a["favorited"] and a["author"]["following"] for a in body["articles"])

    assert many == few <= MOST_STATEMENTS


def test_anonymous_listing_is_as_cheap(api, count_queries):
    authors = [api.register(f"author{n}") for n in range(4)]
    fill(api, authors[:1], articles_per_author=2)
    few, _ = statements_for(api, count_queries, "/api/articles")
    for author in authors:
        for number in range(5):
            api.create_article(author, title=f"more {number}")
    many, body = statements_for(api, count_queries, "/api/articles")
    assert len(body["articles"]) == 20
    assert body["articlesCount"] == 22
    assert many == few <= MOST_STATEMENTS - 1


def test_comment_list_costs_the_same_for_1_and_15_comments(api, count_queries, jake, jane):
    article = api.create_article(jake)
    api.comment(jane, article["slug"])
    few, _ = statements_for(api, count_queries, f"/api/articles/{article['slug']}/comments", jake)
    commenters = [api.register(f"c{n}") for n in range(7)]
    for commenter in commenters:
        api.comment(commenter, article["slug"])
        api.comment(commenter, article["slug"])
    many, body = statements_for(
        api, count_queries, f"/api/articles/{article['slug']}/comments", jake
    )
    assert len(body["comments"]) == 15
    assert many == few <= 4


# What each write costs, the caller's own lookup from the token included.
WRITES = {
    # The answer is two: the article with its author, then its tags by index (joined, SQLite
    # would scan every article's tags).
    "create": 6,  # caller, article (its slug decided in the INSERT), tags, tag links, answer
    "create untagged": 4,
    "update": 5,  # caller, article, UPDATE, answer
    "retitle and retag": 8,  # caller, article, UPDATE, old links, tags, new links, answer
    "favorite": 5,  # caller, article, INSERT, answer
    "unfavorite": 5,
    "comment": 4,  # caller, article, INSERT, answer
    "delete comment": 3,  # caller, article and comment in one, DELETE
    "delete": 3,  # caller, article, DELETE (the database cascades the rest)
}


@pytest.fixture
def scene(api, jake, jane):
    """Jake follows Jane and has favorited her article; each has an article and a comment."""
    api.as_user(jake).post("/api/profiles/jane/follow")
    hers = api.create_article(jane, "Hers", tagList=["b", "a"])
    mine = api.create_article(jake, "Mine", tagList=["x"])
    api.as_user(jake).post(f"/api/articles/{hers['slug']}/favorite")
    comment = api.comment(jake, hers["slug"])
    return hers["slug"], mine["slug"], comment["id"]


def request_for(write, hers, mine, comment_id):
    article = {"title": "Hers", "description": "d", "body": "b", "tagList": ["new", "b"]}
    return {
        "create": ("POST", "/api/articles", {"article": article}),
        "create untagged": ("POST", "/api/articles", {"article": {**article, "tagList": []}}),
        "update": ("PUT", f"/api/articles/{mine}", {"article": {"body": "New"}}),
        "retitle and retag": ("PUT", f"/api/articles/{mine}", {"article": article}),
        "favorite": ("POST", f"/api/articles/{hers}/favorite", None),
        "unfavorite": ("DELETE", f"/api/articles/{hers}/favorite", None),
        "comment": ("POST", f"/api/articles/{hers}/comments", {"comment": {"body": "Hi"}}),
        "delete comment": ("DELETE", f"/api/articles/{hers}/comments/{comment_id}", None),
        "delete": ("DELETE", f"/api/articles/{mine}", None),
    }[write]


@pytest.mark.parametrize("write", WRITES)
def test_each_write_costs_a_fixed_number_of_statements(api, count_queries, jake, scene, write):
    method, path, body = request_for(write, *scene)
    with count_queries() as counter:
        response = api.as_user(jake).request(method, path, json=body)
    assert response.status_code in (200, 201, 204), response.get_json()

    assert counter.count == WRITES[write]


@pytest.mark.parametrize("write", [w for w in WRITES if not w.startswith("delete")])
def test_each_write_answers_what_a_read_right_after_shows(api, jake, scene, write):
    method, path, body = request_for(write, *scene)
    answer = api.as_user(jake).request(method, path, json=body).get_json()

    if "comment" in answer:
        comments = api.as_user(jake).get(f"/api/articles/{scene[0]}/comments").get_json()
        assert answer["comment"] == comments["comments"][0]
    else:
        read = api.as_user(jake).get(f"/api/articles/{answer['article']['slug']}").get_json()
        assert answer == read
