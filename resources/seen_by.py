"""The caller's flags (`favorited`, `author.following`) laid over an answer rendered for anyone."""

from models.flags import caller_flags


def _flag(articles: list[dict], profiles: list[dict], caller) -> None:
    favorited, followed = caller_flags(
        caller,
        slugs={article["slug"] for article in articles},
        usernames={profile["username"] for profile in profiles},
    )
    for article in articles:
        article["favorited"] = article["slug"] in favorited
    for profile in profiles:
        profile["following"] = profile["username"] in followed


def on_articles(body: dict, caller) -> dict:
    articles = body["articles"]
    _flag(articles, [article["author"] for article in articles], caller)
    return body


def on_article(body: dict, caller) -> dict:
    _flag([body["article"]], [body["article"]["author"]], caller)
    return body


def on_comments(body: dict, caller) -> dict:
    _flag([], [comment["author"] for comment in body["comments"]], caller)
    return body


def on_profile(body: dict, caller) -> dict:
    _flag([], [body["profile"]], caller)
    return body
