"""The caller's flags (`favorited`, `author.following`) laid over an answer rendered for anyone.

The query that finds them also finds whether the caller still exists: no other is needed.
"""

from api.auth import confirm_caller, token_issued
from models.flags import caller_flags


def _flag(articles: list[dict], profiles: list[dict], caller_id: int) -> None:
    flags = caller_flags(
        caller_id,
        token_issued(),
        slugs={article["slug"] for article in articles},
        usernames={profile["username"] for profile in profiles},
    )
    confirm_caller(flags is not None)
    favorited, followed = flags
    for article in articles:
        article["favorited"] = article["slug"] in favorited
    for profile in profiles:
        profile["following"] = profile["username"] in followed


def on_articles(body: dict, caller_id: int) -> dict:
    articles = body["articles"]
    _flag(articles, [article["author"] for article in articles], caller_id)
    return body


def on_article(body: dict, caller_id: int) -> dict:
    _flag([body["article"]], [body["article"]["author"]], caller_id)
    return body


def on_comments(body: dict, caller_id: int) -> dict:
    _flag([], [comment["author"] for comment in body["comments"]], caller_id)
    return body


def on_profile(body: dict, caller_id: int) -> dict:
    _flag([], [body["profile"]], caller_id)
    return body
