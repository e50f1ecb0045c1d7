"""The mixed load's requests, by kind and weight, and the clients that send them, each timed."""

import http.client
import json
import random
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

# Out of 100 requests: the reads a page of the site makes, and the writes its users make.
READS = {"articles": 12, "articles ?tag=": 10, "article": 14, "comments": 10, "profile": 8}
READS |= {"feed, token": 10, "tags": 6}
WRITES = {"create": 6, "favorite": 6, "unfavorite": 6, "comment": 6, "update": 6}
KINDS = {**READS, **WRITES}
TIMEOUT = 30  # seconds: a request slower than this is an error, not a figure


@dataclass
class Writer:
    token: str
    own_slug: str  # an article of the writer's own, for the updates


@dataclass
class Site:
    """What the requests pick from: seeded articles, authors and tags, and users who write."""

    slugs: list[str]
    authors: list[str]
    tags: list[str]
    writers: list[Writer]


@dataclass
class Timings:
    """Each request's latency in seconds, by kind; the failures, as (kind, what happened)."""

    latencies: dict = field(default_factory=lambda: {kind: [] for kind in KINDS})
    errors: list = field(default_factory=list)


def request_of(kind: str, site: Site, writer: Writer, pick, serial: str) -> tuple:
    """(method, path, body, token) of one request of this kind; `serial` makes it unique."""
    quote = urllib.parse.quote
    slug = pick(site.slugs)
    body = None
    token = writer.token if kind in WRITES or kind == "feed, token" else None
    path = {
        "articles": "/api/articles",
        "articles ?tag=": f"/api/articles?tag={quote(pick(site.tags))}",
        "article": f"/api/articles/{slug}",
        "comments": f"/api/articles/{slug}/comments",
        "profile": f"/api/profiles/{quote(pick(site.authors))}",
        "feed, token": "/api/articles/feed",
        "tags": "/api/tags",
        "create": "/api/articles",
        "favorite": f"/api/articles/{slug}/favorite",
        "unfavorite": f"/api/articles/{slug}/favorite",
        "comment": f"/api/articles/{slug}/comments",
        "update": f"/api/articles/{writer.own_slug}",
    }[kind]
    if kind == "create":
        # A new title each time: a taken one would cost a retry for a free slug.
        fields = {"title": f"Load {serial}", "description": "d", "body": "b"}
        body = {"article": {**fields, "tagList": ["load", pick(site.tags)]}}
    elif kind == "comment":
        body = {"comment": {"body": f"Load comment {serial}"}}
    elif kind == "update":
        body = {"article": {"body": f"Updated {serial}"}}
    method = {"create": "POST", "favorite": "POST", "comment": "POST", "update": "PUT"}
    method["unfavorite"] = "DELETE"
    return method.get(kind, "GET"), path, body, token


def send(host: str, port: int, method: str, path: str, body, token) -> int:
    """One request on a connection of its own (gunicorn's sync workers close each): its status."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Token {token}"
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    try:
        connection.request(method, path, None if body is None else json.dumps(body), headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def client(base: str, site: Site, number: int, start: float, stop: float, timings: Timings):
    """Requests one after another until `stop`; those sent before `start` (the warm-up) are not
    counted."""
    url = urllib.parse.urlsplit(base)
    chooser = random.Random(number)
    writer = site.writers[number % len(site.writers)]
    kinds, weights = list(KINDS), list(KINDS.values())
    n = 0
    while (sent := time.monotonic()) < stop:
        n += 1
        kind = chooser.choices(kinds, weights)[0]
        method, path, body, token = request_of(kind, site, writer, chooser.choice, f"{number}-{n}")
        try:
            status = send(url.hostname, url.port, method, path, body, token)
            failure = None if 200 <= status < 300 else f"{method} {path}: {status}"
        except (OSError, http.client.HTTPException) as error:
            failure = f"{method} {path}: {error!r}"
        elapsed = time.monotonic() - sent
        if sent < start:
            continue
        timings.latencies[kind].append(elapsed)  # list.append: safe across threads
        if failure:
            timings.errors.append((kind, failure))


def drive(base: str, site: Site, clients: int, seconds: float, warmup: float) -> Timings:
    """`clients` clients, each one request at a time, for `seconds` after `warmup` seconds."""
    timings = Timings()
    start = time.monotonic() + warmup
    stop = start + seconds
    threads = [
        threading.Thread(target=client, args=(base, site, n, start, stop, timings))
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings
