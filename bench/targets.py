"""What to request, chosen through the API itself after seeding: tokens, slugs, names, tags."""

import json
import re
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass

PASSWORD = "password123"  # every seeded user's (`flask seed` prints it)


@dataclass
class Targets:
    token: str  # a reader who follows people and has favorites
    reader: str
    tag: str
    author: str
    slug: str
    own_slug: str  # an article of the reader's own, for the updates
    count: int


def call(base: str, path: str, token: str | None = None, body: dict | None = None) -> dict:
    request = urllib.request.Request(base + path, method="POST" if body else "GET")
    if token:
        request.add_header("Authorization", f"Token {token}")
    if body:
        request.add_header("Content-Type", "application/json")
        request.data = json.dumps(body).encode()
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def warm(base: str, reads: list) -> None:
    """Each read asked three times: both workers' caches and connections are warm."""
    for _name, path, token, _tag in reads * 3:
        call(base, path, token)


def etag(base: str, path: str, token: str | None = None) -> str:
    """The ETag a read answers now, to send back in If-None-Match."""
    request = urllib.request.Request(base + path)
    if token:
        request.add_header("Authorization", f"Token {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers["ETag"]


def login(base: str, email: str) -> tuple[str, str]:
    body = {"user": {"email": email, "password": PASSWORD}}
    user = call(base, "/api/users/login", body=body)["user"]
    return user["token"], user["username"]


def choose(base: str, email: str) -> Targets:
    page = call(base, "/api/articles?limit=100")
    authors = Counter(article["author"]["username"] for article in page["articles"])
    # Seeded emails are the username at example.com: any author can log in.
    candidates = [email] + [f"{name}@example.com" for name, _ in authors.most_common(10)]
    for candidate in candidates:
        token, reader = login(base, candidate)
        feed = call(base, "/api/articles/feed?limit=1", token)["articlesCount"]
        liked = call(base, f"/api/articles?favorited={reader}&limit=1")["articlesCount"]
        if feed and liked:
            break
    else:
        raise RuntimeError("no seeded user follows someone and has favorites: seed more")
    popular = max(page["articles"], key=lambda article: article["favoritesCount"])
    own = {"title": "Bench own article", "description": "Updated", "body": "Updated"}
    own_slug = call(base, "/api/articles", token, {"article": own})["article"]["slug"]
    return Targets(
        token=token,
        reader=reader,
        tag=call(base, "/api/tags")["tags"][0],  # the most used first
        author=authors.most_common(1)[0][0],
        slug=popular["slug"],
        own_slug=own_slug,
        count=page["articlesCount"] + 1,
    )


def reads(t: Targets, base: str) -> list[tuple[str, str, str | None, str | None]]:
    """(name, path, token, tag) of each read measured. The deep page is asked once more by the
    cursor of its previous page's `next` link: the same rows, not reached by walking past every
    article before them. The list and an article are asked once more with their current tag
    in If-None-Match, every answer a 304 (`retagged` asks each server for its own)."""
    quote = urllib.parse.quote
    deep = max(t.count - 20, 0)
    plain = [
        ("articles", "/api/articles", None),
        ("articles, token", "/api/articles", t.token),
        ("articles ?tag=", f"/api/articles?tag={quote(t.tag)}", None),
        ("articles ?author=", f"/api/articles?author={quote(t.author)}", None),
        ("articles ?favorited=", f"/api/articles?favorited={quote(t.reader)}", None),
        ("articles ?offset= (deep)", f"/api/articles?offset={deep}", None),
        *(("articles ?cursor= (deep)", path, None) for path in _next(base, max(deep - 20, 0))),
        ("feed, token", "/api/articles/feed", t.token),
        ("article", f"/api/articles/{t.slug}", None),
        ("comments", f"/api/articles/{t.slug}/comments", None),
        ("profile", f"/api/profiles/{quote(t.author)}", None),
        ("profile, token", f"/api/profiles/{quote(t.author)}", t.token),
        ("tags", "/api/tags", None),
    ]
    tagged = [
        (f"{name}, If-None-Match", path, token, etag(base, path, token))
        for name, path, token in plain
        if name in ("articles", "article")
    ]
    return [(*read, None) for read in plain] + tagged


def retagged(base: str, reads: list) -> list:
    """The reads with each tag as this server gives it now."""
    return [(*read[:3], read[3] and etag(base, read[1], read[2])) for read in reads]


def _next(base: str, offset: int) -> list[str]:
    """The `next` link of the list's page at `offset`, if it has one."""
    with urllib.request.urlopen(f"{base}/api/articles?offset={offset}", timeout=30) as response:
        found = re.search(r'<([^>]*)>; rel="next"', response.headers.get("Link", ""))
    return [found.group(1)] if found else []


def writes(t: Targets) -> list[tuple[str, str, str]]:
    """(method, path, body) of each request of the write mix, as bench/writes.lua sends them."""
    return [
        (
            "POST",
            "/api/articles",
            '{"article": {"title": "Count", "description": "d", "body": "b"}}',
        ),
        ("POST", f"/api/articles/{t.slug}/favorite", ""),
        ("POST", f"/api/articles/{t.slug}/comments", '{"comment": {"body": "Count"}}'),
        ("PUT", f"/api/articles/{t.own_slug}", '{"article": {"body": "Counted"}}'),
    ]
