"""Lists cost a fixed, small number of SQL statements, whatever their length (no N+1)."""

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
