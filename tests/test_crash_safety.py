"""gunicorn killed mid-load, master and workers at once: what was acknowledged stays, and a
request cut off left all of its writes or none, with no row that points nowhere."""

import http.client
import random
import threading
import time
import uuid
from collections import Counter

import pytest
from sqlalchemy import create_engine, text

from api.config import database_uri
from api.extensions import db
from tests.conftest import migrate
from tests.databases import REDIS_URL, redis_reachable
from tests.servers import SECRETS, STARTUP_SECONDS, Instance, production_env

pytestmark = pytest.mark.every_database  # each database makes a commit durable its own way

CLIENTS = 6
KILL_AFTER = 400  # acknowledged writes, at least, before the kill
LOAD_SECONDS = 30  # a bound only: the kill comes long before
CUT_OFF = (OSError, http.client.HTTPException, ValueError)  # a dropped connection, half a body
DEPENDENT = ("favorite", "comment")  # rows that go with their article: keyed by its title
# Each (table, column) holds ids of rows of the other table.
REFERENCES = [
    ("articles", "author_id", "users"),
    ("article_tags", "article_id", "articles"),
    ("article_tags", "tag_id", "tags"),
    ("favorites", "article_id", "articles"),
    ("favorites", "user_id", "users"),
    ("follows", "follower_id", "users"),
    ("follows", "followed_id", "users"),
    ("comments", "article_id", "articles"),
    ("comments", "author_id", "users"),
]


class Shared:
    """What all clients may act on: the articles (title, slug) and users acknowledged so far."""

    def __init__(self):
        self.articles, self.users = [], []


class Client(threading.Thread):
    """One user's writes, one after another, until the first that fails.

    `acked` holds what each 2xx left in the database, by key (None: nothing); `uncertain` what
    the failed request would have left, had it happened.
    """

    def __init__(self, number: int, server: Instance, shared: Shared):
        super().__init__(daemon=True)
        self.me, self.server, self.shared = f"w{number}", server, shared
        self.random = random.Random(number)
        self.token = None
        self.acked, self.uncertain, self.refused = {}, None, Counter()
        self.failure = None  # (sent, failed): when the failed request went out and came back
        self.own, self.favorites, self.follows, self.comments = {}, set(), set(), {}
        self.count = self.writes = 0  # requests sent; of them, acknowledged

    def run(self) -> None:
        deadline = time.monotonic() + LOAD_SECONDS
        if not self.send(*self.register(self.me)):
            return
        while time.monotonic() < deadline and self.send(*self.next_write()):
            pass

    def send(self, method, path, body, key, value, then=lambda answer: None) -> bool:
        sent = time.monotonic()
        try:
            status, answer, _ = self.server.request(method, path, body, token=self.token)
        except CUT_OFF:
            self.uncertain, self.failure = (key, value), (sent, time.monotonic())
            return False
        if status >= 300:
            self.refused[status, path.rsplit("/", 1)[-1]] += 1  # and written nothing
            return status < 500
        self.acked[key] = value
        self.writes += 1
        then(answer)
        return True

    def register(self, name: str):
        user = {"username": name, "email": f"{name}@example.com", "password": "password123"}

        def registered(answer):
            self.shared.users.append(name)
            self.token = self.token or answer["user"]["token"]

        return "POST", "/api/users", {"user": user}, ("user", name), True, registered

    def next_write(self):
        self.count += 1
        n, pick = self.count, self.random.choice
        kind = self.random.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        if kind == "retag" and self.own:
            title = pick(sorted(self.own))
            tags = sorted({"crash", self.me, f"{self.me}-{n}-re"})
            change = {"article": {"tagList": tags}}
            put = f"/api/articles/{self.own[title]}"
            return "PUT", put, change, ("article", title), (self.me, tuple(tags))
        if kind == "delete" and self.own:
            title = pick(sorted(self.own))
            slug = self.own.pop(title)
            return "DELETE", f"/api/articles/{slug}", None, ("article", title), None
        if kind == "favorite" and self.shared.articles:
            title, slug = pick(self.shared.articles)
            self.favorites.add((title, slug))
            key = ("favorite", title, self.me)
            return "POST", f"/api/articles/{slug}/favorite", None, key, True
        if kind == "unfavorite" and self.favorites:
            title, slug = self.favorites.pop()
            key = ("favorite", title, self.me)
            return "DELETE", f"/api/articles/{slug}/favorite", None, key, None
        if kind == "follow" and len(self.shared.users) > 1:
            name = pick([user for user in self.shared.users if user != self.me])
            self.follows.add(name)
            return "POST", f"/api/profiles/{name}/follow", None, ("follow", self.me, name), True
        if kind == "unfollow" and self.follows:
            name = self.follows.pop()
            return "DELETE", f"/api/profiles/{name}/follow", None, ("follow", self.me, name), None
        if kind == "comment" and self.shared.articles:
            title, slug = pick(self.shared.articles)
            body = f"{self.me} says {n}"

            def commented(answer):
                self.comments[body] = (title, slug, answer["comment"]["id"])

            post = f"/api/articles/{slug}/comments"
            key = ("comment", title, body)
            return "POST", post, {"comment": {"body": body}}, key, self.me, commented
        if kind == "uncomment" and self.comments:
            body = pick(sorted(self.comments))
            title, slug, number = self.comments.pop(body)
            path = f"/api/articles/{slug}/comments/{number}"
            return "DELETE", path, None, ("comment", title, body), None
        if kind == "register":
            return self.register(f"{self.me}x{n}")
        return self.create(n)

    def create(self, n: int):
        title = f"{self.me} writes {n}"
        tags = sorted({"crash", self.me, f"{self.me}-{n}", f"shared{n % 3}"})
        article = {"title": title, "description": "d", "body": "b", "tagList": tags}

        def created(answer):
            slug = answer["article"]["slug"]
            self.own[title] = slug
            self.shared.articles.append((title, slug))

        key = ("article", title)
        return "POST", "/api/articles", {"article": article}, key, (self.me, tuple(tags)), created


WEIGHTS = {"create": 6, "retag": 2, "delete": 2, "favorite": 5, "unfavorite": 2, "follow": 2}
WEIGHTS |= {"unfollow": 1, "comment": 5, "uncomment": 1, "register": 1}


def stored(url: str) -> tuple[dict, dict, list]:
    """What the database holds, keyed as the clients key it; the articles' slugs; the rows
    that refer to a row that is not there."""
    engine = create_engine(database_uri(url))
    try:
        with engine.connect() as connection:

            def rows(sql: str) -> list:
                return connection.execute(text(sql)).all()

            state = {("user", name): True for (name,) in rows("SELECT username FROM users")}
            tags = {}
            for title, name in rows(
                "SELECT a.title, t.name FROM article_tags l"
                " JOIN articles a ON a.id = l.article_id JOIN tags t ON t.id = l.tag_id"
            ):
                tags.setdefault(title, []).append(name)
            slugs = {}
            for title, slug, author in rows(
                "SELECT a.title, a.slug, u.username FROM articles a JOIN users u"
                " ON u.id = a.author_id"
            ):
                slugs[title] = slug
                state["article", title] = (author, tuple(sorted(tags.get(title, []))))
            for title, name in rows(
                "SELECT a.title, u.username FROM favorites f"
                " JOIN articles a ON a.id = f.article_id JOIN users u ON u.id = f.user_id"
            ):
                state["favorite", title, name] = True
            for follower, followed in rows(
                "SELECT a.username, b.username FROM follows f"
                " JOIN users a ON a.id = f.follower_id JOIN users b ON b.id = f.followed_id"
            ):
                state["follow", follower, followed] = True
            for title, body, author in rows(
                "SELECT a.title, c.body, u.username FROM comments c"
                " JOIN articles a ON a.id = c.article_id JOIN users u ON u.id = c.author_id"
            ):
                state["comment", title, body] = author
            orphans = [
                (table, column, count)
                for table, column, other in REFERENCES
                if (
                    count := rows(
                        f"SELECT count(*) FROM {table} WHERE {column} IS NULL"
                        f" OR {column} NOT IN (SELECT id FROM {other})"
                    )[0][0]
                )
            ]
    finally:
        engine.dispose()
    return state, slugs, orphans


def departures(clients: list[Client], state: dict) -> list:
    """Each row the database holds or lacks against what the clients were told: a row of an
    acknowledged write must be there as written; of a cut-off request, as written or as before."""
    expected, maybe = {}, {}
    for client in clients:
        expected |= client.acked
        if client.uncertain:
            maybe[client.uncertain[0]] = client.uncertain[1]
    wrong = []
    for key in expected.keys() | maybe.keys() | state.keys():
        allowed = {expected.get(key)} | ({maybe[key]} if key in maybe else set())
        if key[0] in DEPENDENT and ("article", key[1]) not in state:
            allowed = {None}  # the article's deletion took them with it
        if state.get(key) not in allowed:
            wrong.append((key, state.get(key), allowed))
    return wrong


@pytest.fixture
def service(empty_database_url, tmp_path):
    """The environment of gunicorn on a migrated database: Redis beside PostgreSQL, if any."""
    migrate(empty_database_url)
    cache = {}
    if empty_database_url.startswith("postgresql") and redis_reachable():
        cache = {"REDIS_URL": REDIS_URL, "CACHE_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}
    return empty_database_url, production_env(DATABASE_URL=empty_database_url, **SECRETS, **cache)


def start(env: dict, name: str, log_dir) -> Instance:
    server = Instance(name, env, log_dir)
    server.wait_until_ready(time.monotonic() + STARTUP_SECONDS)
    return server


def load_until_killed(server: Instance) -> tuple[list[Client], float, int]:
    """The clients' writes, until the server is killed with KILL_AFTER of them acknowledged."""
    shared = Shared()
    clients = [Client(number, server, shared) for number in range(CLIENTS)]
    for client in clients:
        client.start()
    while sum(client.writes for client in clients) < KILL_AFTER:
        assert any(client.is_alive() for client in clients), "the clients stopped by themselves"
        time.sleep(0.01)
    killed_at = time.monotonic()
    killed = server.kill()
    for client in clients:
        client.join(timeout=20)
    return clients, killed_at, killed


def test_a_killed_server_keeps_every_acknowledged_write_and_no_half_of_any(service, tmp_path):
    url, env = service
    before = start(env, "before", tmp_path)
    clients, killed_at, killed = load_until_killed(before)

    # No 5xx before the kill (two workers writing to one SQLite file wait for each other).
    # Refused: only a 404, for an article or comment deleted meanwhile (a comment or favorite
    # whose article went between its lookup and its insert included).
    refused = sum((client.refused for client in clients), Counter())
    assert {status for status, _ in refused} <= {404}, refused
    assert "Traceback" not in before.stderr()
    # Killed for real, in the middle of the load: every client's last request failed, some of
    # them sent before the kill; none failed before it.
    assert (killed, before.process.returncode) == (3, -9)  # the master and its two workers
    failures = [client.failure for client in clients]
    assert all(failures), "a client stopped before the kill"
    assert all(failed >= killed_at for _, failed in failures)
    assert any(sent < killed_at for sent, _ in failures)
    assert sum(client.writes for client in clients) >= KILL_AFTER

    after = start(env, "after", tmp_path)
    try:
        state, slugs, orphans = stored(url)
        assert orphans == []
        assert departures(clients, state) == []
        assert_served_as_stored(after, clients, state, slugs)
    finally:
        after.stop()
    assert "Traceback" not in after.stderr()


def assert_served_as_stored(server: Instance, clients: list[Client], state: dict, slugs: dict):
    """The restarted server answers what the database holds: tags, counts, comments, follows."""
    fans = Counter(key[1] for key in state if key[0] == "favorite")
    for title, slug in slugs.items():
        status, body, _ = server.request("GET", f"/api/articles/{slug}")
        article = body["article"]
        author, tags = state["article", title]
        seen = (status, article["author"]["username"], tuple(article["tagList"]))
        assert seen == (200, author, tags)
        assert article["favoritesCount"] == fans[title]
        comments = server.request("GET", f"/api/articles/{slug}/comments")[1]["comments"]
        bodies = {key[2] for key in state if key[:2] == ("comment", title)}
        assert {comment["body"] for comment in comments} == bodies
    listed = server.request("GET", "/api/articles?tag=crash&limit=1")[1]["articlesCount"]
    assert listed == len(slugs)
    for client in clients:
        followed = [key[2] for key in state if key[:2] == ("follow", client.me)]
        for name in followed:
            profile = server.request("GET", f"/api/profiles/{name}", token=client.token)[1]
            assert profile["profile"]["following"] is True


@pytest.mark.one_database
def test_sqlite_connections_wait_for_a_busy_writer(app):
    # Workers share the file: one that finds it locked waits for the lock (the driver's
    # default, 5 s), rather than failing at once with "database is locked", a 500.
    with app.app_context():
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
