"""CORS in a real browser: a page on another local origin uses the API through fetch()."""

import http.client
import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import LiveServer, local_only_context, serving

WAIT_MS = 15_000
# Headers a client could page or revalidate with (the API sends ETag, for conditional requests):
# whichever it sends, a page on another origin must be able to read (Access-Control-Expose-Headers).
PAGING_AND_CACHE_HEADERS = ("etag", "last-modified", "link", "x-pagination", "x-total-count")
# Origins nobody allowed: a stranger, and a sandboxed frame or a file.
STRANGERS = ("http://evil.test", "null")
# What chromium logs for every 4xx answer; the page expects several of those.
ERROR_STATUS_LOGGED = "Failed to load resource: the server responded with a status of 4"
# Answers checked outside the browser: success, errors, and the preflights of a collection
# and an item route (the method each preflight asks for).
ENDPOINTS = [
    ("GET", "/api/tags", None, 200),
    ("GET", "/api/user", None, 401),
    ("GET", "/api/articles/nope", None, 404),
    ("POST", "/api/users", {"user": {}}, 422),
    ("OPTIONS", "/api/articles", None, 200),
    ("OPTIONS", "/api/articles/some-slug", None, 200),
]
PREFLIGHTS = {"/api/articles": "POST", "/api/articles/some-slug": "DELETE"}

PAGE = """<!doctype html>
<html>
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>Conduit from another origin</title>
</head>
<body>
<script>
"use strict";

// One fetch(): its status, JSON body and the response headers this page is allowed to read.
async function call(api, method, path, {token, body, credentials} = {}) {
  const headers = {};
  if (token) headers.Authorization = `Token ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const init = {method, headers, signal: AbortSignal.timeout(__WAIT_MS__)};
  if (body !== undefined) init.body = JSON.stringify(body);
  if (credentials) init.credentials = credentials;
  try {
    const response = await fetch(api + path, init);
    const text = await response.text();
    return {
      method,
      url: response.url,
      status: response.status,
      body: text ? JSON.parse(text) : null,
      headers: Object.fromEntries(response.headers),
    };
  } catch (error) {
    return {method, url: api + path, error: `${error.name}: ${error.message}`};
  }
}

class Stop extends Error {}

// What a Conduit frontend does in a session; stops at the first fetch() that fails.
async function conduitSession(api, username) {
  const results = {};
  async function step(name, method, path, options) {
    results[name] = await call(api, method, path, options);
    if (results[name].error) throw new Stop();
    return results[name].body;
  }
  const user = {username, email: `${username}@example.com`, password: "password123"};
  const article = {title: "Across origins", description: "CORS", body: "Hi.", tagList: ["cors"]};
  try {
    await step("register", "POST", "/api/users", {body: {user}});
    const login = {email: user.email, password: user.password};
    const loggedIn = await step("login", "POST", "/api/users/login", {body: {user: login}});
    const token = loggedIn.user.token;
    await step("currentUser", "GET", "/api/user", {token});
    const created = await step("create", "POST", "/api/articles", {token, body: {article}});
    const slug = created.article.slug;
    await step("list", "GET", "/api/articles?limit=5", {token});
    const changes = {article: {title: "Across origins, again"}};
    const updated = await step("update", "PUT", `/api/articles/${slug}`, {token, body: changes});
    const newSlug = updated.article.slug;
    await step("remove", "DELETE", `/api/articles/${newSlug}`, {token});
    await step("removed", "GET", `/api/articles/${newSlug}`, {token});
    await step("missingToken", "GET", "/api/user");
    await step("notFound", "GET", "/api/articles/nope", {token});
    const blank = {article: {...article, title: ""}};
    await step("blankTitle", "POST", "/api/articles", {token, body: blank});
    const wrong = {user: {...login, password: "not-the-password"}};
    await step("wrongPassword", "POST", "/api/users/login", {body: wrong});
  } catch (error) {
    if (!(error instanceof Stop)) results.exception = String(error);
  }
  return results;
}

// A simple request, a preflighted GET and a preflighted POST, each as fetch() ends it.
async function probe(api) {
  return {
    tags: await call(api, "GET", "/api/tags"),
    currentUser: await call(api, "GET", "/api/user", {token: "not-a-jwt"}),
    register: await call(api, "POST", "/api/users", {
      body: {user: {username: "mallory", email: "mallory@example.com", password: "password123"}},
    }),
  };
}
</script>
</body>
</html>
""".replace("__WAIT_MS__", str(WAIT_MS))


def frontend_app(environ, start_response):
    """The page at /, and nothing else."""
    if environ["PATH_INFO"] != "/":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    body = PAGE.encode()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
    start_response("200 OK", headers)
    return [body]


class FrontendPage:
    """The page opened from one origin, recording what the browser did with the API."""

    def __init__(self, context, page_url: str, api_url: str):
        self.origin = page_url
        self.api_url = api_url
        self.reachable = {urlsplit(page_url).netloc, urlsplit(api_url).netloc}
        self.other_hosts: list[str] = []
        self.failed_requests: list[str] = []
        self.console_errors: list[str] = []
        self.api_responses: list[dict] = []
        self.results: dict = {}
        self.reached_api: list[tuple[str, str, str | None]] = []
        self.page = context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.page.on("request", self._request)
        self.page.on("requestfailed", self._request_failed)
        self.page.on("response", self._response)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.goto(f"{page_url}/", wait_until="load")

    def _request(self, request):
        if urlsplit(request.url).netloc not in self.reachable:
            self.other_hosts.append(request.url)

    def _request_failed(self, request):
        self.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def _response(self, response):
        if response.url.startswith(self.api_url):
            self.api_responses.append(
                {
                    "method": response.request.method,
                    "url": response.url,
                    "status": response.status,
                    "headers": response.headers,
                }
            )

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def run(self, function: str, *args):
        """Await one of the page's functions, called with these arguments."""
        return self.page.evaluate(f"args => {function}(...args)", list(args))

    def raw_response(self, result: dict) -> dict:
        """The headers the API really sent for one of the page's fetch() results."""
        matches = [
            response["headers"]
            for response in self.api_responses
            if (response["method"], response["url"], response["status"])
            == (result["method"], result["url"], result["status"])
        ]
        assert matches, (result, self.api_responses)
        return matches[-1]

    def cors_errors(self) -> list[str]:
        return [text for text in self.console_errors if "CORS" in text]

    def assert_clean(self) -> None:
        """No fetch failed, the console reported only 4xx answers, and no other host was asked."""
        problems = {
            "failed requests": self.failed_requests,
            "console errors": [
                text for text in self.console_errors if not text.startswith(ERROR_STATUS_LOGGED)
            ],
            "requests to other hosts": self.other_hosts,
        }
        assert not any(problems.values()), problems


@dataclass
class CorsSetup:
    """The API under one CORS_ORIGINS setting, and how it answers the frontend's origin."""

    name: str
    server: LiveServer
    allow_origin: str

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module")
def frontend() -> Iterator[str]:
    """The origin the page is served from, and the one an allowlist lets in."""
    with serving(frontend_app) as url:
        yield url


@pytest.fixture(scope="module")
def third_port() -> Iterator[str]:
    """The same page from another port of the same host: an origin nobody allowed."""
    with serving(frontend_app) as url:
        yield url


@pytest.fixture(scope="module")
def wildcard(start_live_server) -> CorsSetup:
    return CorsSetup("wildcard", start_live_server(), allow_origin="*")


@pytest.fixture(scope="module")
def allowlist(start_live_server, frontend) -> CorsSetup:
    return CorsSetup("allowlist", start_live_server(CORS_ORIGINS=[frontend]), allow_origin=frontend)


@pytest.fixture(scope="module", params=["wildcard", "allowlist"])
def cors(request) -> CorsSetup:
    """The API with CORS_ORIGINS "*" (the default), then with an allowlist of the frontend."""
    return request.getfixturevalue(request.param)


@pytest.fixture(params=["localhost", "third port"])
def foreign_origin(request, frontend, third_port) -> str:
    """A page origin outside the allowlist: the frontend's port as `localhost`, or another port."""
    if request.param == "localhost":
        return frontend.replace("127.0.0.1", "localhost")
    return third_port


@pytest.fixture
def open_page(browser):
    """open_page(page_url, api_url): the page in a context that reaches those two servers only."""
    with ExitStack() as stack:

        def open_(page_url: str, api_url: str) -> FrontendPage:
            context = stack.enter_context(local_only_context(browser, page_url, api_url))
            return FrontendPage(context, page_url, api_url)

        yield open_


@pytest.fixture(scope="module")
def session(browser, frontend, cors) -> Iterator[FrontendPage]:
    """The page's whole Conduit session through fetch(), run once per CORS setting."""
    with local_only_context(browser, frontend, cors.url) as context:
        page = FrontendPage(context, frontend, cors.url)
        earlier = len(cors.server.requests)
        page.results = page.run("conduitSession", cors.url, "cors-jake")
        page.reached_api = cors.server.requests[earlier:]
        yield page


def answer(
    api_url: str, method: str, path: str, origin: str | None, body: dict | None = None
) -> tuple[int, http.client.HTTPMessage]:
    """The status and headers of one request sent outside any browser, from `origin`."""
    headers = {"Origin": origin} if origin else {}
    if method == "OPTIONS":
        headers["Access-Control-Request-Method"] = PREFLIGHTS[path]
        headers["Access-Control-Request-Headers"] = "authorization, content-type"
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection = http.client.HTTPConnection(urlsplit(api_url).netloc, timeout=WAIT_MS / 1000)
    try:
        connection.request(method, path, json.dumps(body) if body else None, headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        connection.close()


def varies_by_origin(headers: http.client.HTTPMessage) -> bool:
    values = ",".join(headers.get_all("Vary") or [])
    return "origin" in {value.strip().lower() for value in values.split(",")}


def cors_headers(headers: http.client.HTTPMessage) -> dict:
    return {name: value for name, value in headers.items() if name.lower().startswith("access-")}


def assert_ran(results: dict) -> None:
    failed = {name: result for name, result in results.items() if "error" in result}
    assert "exception" not in results, results
    assert not failed, failed


def test_page_on_another_origin_registers_logs_in_and_edits_an_article(session):
    results = session.results
    assert_ran(results)

    assert results["register"]["status"] == 201
    assert results["register"]["body"]["user"]["username"] == "cors-jake"
    assert results["login"]["status"] == 200
    assert results["currentUser"]["status"] == 200
    assert results["currentUser"]["body"]["user"]["email"] == "cors-jake@example.com"
    created = results["create"]["body"]["article"]
    assert results["create"]["status"] == 201
    assert (created["title"], created["tagList"]) == ("Across origins", ["cors"])
    assert results["list"]["status"] == 200
    assert results["list"]["body"]["articlesCount"] == 1
    assert [article["slug"] for article in results["list"]["body"]["articles"]] == [created["slug"]]
    updated = results["update"]["body"]["article"]
    assert results["update"]["status"] == 200
    assert updated["title"] == "Across origins, again"
    assert updated["slug"] != created["slug"]
    assert (results["remove"]["status"], results["remove"]["body"]) == (204, None)
    assert results["removed"]["status"] == 404
    session.assert_clean()


def test_page_reads_the_error_bodies(session):
    results = session.results
    assert_ran(results)

    errors = {name: (results[name]["status"], results[name]["body"]) for name in results}
    assert errors["missingToken"] == (401, {"errors": {"token": ["is missing"]}})
    assert errors["notFound"] == (404, {"errors": {"article": ["not found"]}})
    assert errors["removed"] == (404, {"errors": {"article": ["not found"]}})
    assert errors["blankTitle"] == (422, {"errors": {"title": ["can't be blank"]}})
    assert errors["wrongPassword"] == (401, {"errors": {"credentials": ["invalid"]}})
    session.assert_clean()


def test_page_reads_every_paging_or_cache_header_the_api_sends(session):
    results = session.results
    assert_ran(results)

    for name, result in results.items():
        sent = session.raw_response(result)
        readable = result["headers"]
        if result["body"] is not None:
            assert readable.get("content-type") == "application/json; charset=utf-8", name
        for header in PAGING_AND_CACHE_HEADERS:
            assert (header in readable) == (header in sent), (name, header, sent, readable)


def test_every_answer_allowed_the_page_and_the_preflights_reached_the_api(session, cors, frontend):
    assert_ran(session.results)
    assert len(session.api_responses) == len(session.results)

    for response in session.api_responses:
        headers = response["headers"]
        assert headers.get("access-control-allow-origin") == cors.allow_origin, response
        assert "access-control-allow-credentials" not in headers, response
        if cors.name == "allowlist":
            assert "origin" in headers.get("vary", "").lower(), response
    # Authorization and a JSON body make fetch() ask first: the API itself answered each preflight.
    preflights = {path for method, path, _ in session.reached_api if method == "OPTIONS"}
    assert {"/api/users", "/api/users/login", "/api/user", "/api/articles"} <= preflights
    assert {origin for *_, origin in session.reached_api} == {frontend}


def test_a_page_outside_the_allowlist_is_blocked_by_the_browser(
    open_page, allowlist, foreign_origin
):
    page = open_page(foreign_origin, allowlist.url)
    earlier = len(allowlist.server.requests)

    results = page.run("probe", allowlist.url)

    assert {name: result.get("error") for name, result in results.items()} == {
        "tags": "TypeError: Failed to fetch",
        "currentUser": "TypeError: Failed to fetch",
        "register": "TypeError: Failed to fetch",
    }
    cors_errors = page.cors_errors()
    assert len(cors_errors) == 3, page.console_errors
    assert all(f"from origin '{foreign_origin}'" in text for text in cors_errors), cors_errors
    assert page.other_hosts == []
    # The simple GET was answered (and withheld from the page); the POST never left the browser.
    reached = [
        (method, path)
        for method, path, origin in allowlist.server.requests[earlier:]
        if origin == foreign_origin
    ]
    assert ("GET", "/api/tags") in reached
    assert ("OPTIONS", "/api/users") in reached
    assert ("POST", "/api/users") not in reached
    status, headers = answer(allowlist.url, "GET", "/api/tags", foreign_origin)
    assert status == 200
    assert "Access-Control-Allow-Origin" not in headers


def test_a_credentialed_fetch_is_refused_as_the_api_allows_no_credentials(
    open_page, cors, frontend
):
    page = open_page(frontend, cors.url)

    plain = page.run("call", cors.url, "GET", "/api/tags", {})
    credentialed = page.run("call", cors.url, "GET", "/api/tags", {"credentials": "include"})

    assert plain["status"] == 200
    assert credentialed.get("error") == "TypeError: Failed to fetch"
    assert len(page.cors_errors()) == 1, page.console_errors
    assert "credentials mode is 'include'" in page.cors_errors()[0]


def test_allowlist_answers_vary_by_origin_and_let_in_only_the_frontend(allowlist, frontend):
    for method, path, body, expected_status in ENDPOINTS:
        for origin in (frontend, *STRANGERS, None):
            status, headers = answer(allowlist.url, method, path, origin, body)

            assert status == expected_status, (method, path, origin)
            assert varies_by_origin(headers), (method, path, origin, headers.items())
            allowed = headers.get("Access-Control-Allow-Origin")
            if origin in STRANGERS:
                assert allowed is None, (method, path, origin, allowed)
            else:
                assert allowed == frontend, (method, path, origin, allowed)


def test_an_answer_that_depends_on_the_origin_says_so(cors, frontend):
    for method, path, body, _ in ENDPOINTS:
        answers = [
            answer(cors.url, method, path, origin, body)[1]
            for origin in (frontend, *STRANGERS, None)
        ]
        if len({tuple(sorted(cors_headers(headers).items())) for headers in answers}) > 1:
            assert all(varies_by_origin(headers) for headers in answers), (method, path)


def test_no_origin_is_reflected_nor_given_credentials(cors, frontend):
    lookalikes = (f"{frontend}.evil.test", frontend.replace("127.0.0.1", "localhost"))
    for method, path, body, _ in ENDPOINTS:
        for origin in (frontend, *STRANGERS, *lookalikes):
            headers = answer(cors.url, method, path, origin, body)[1]

            assert "Access-Control-Allow-Credentials" not in headers, (method, path, origin)
            allowed = headers.get("Access-Control-Allow-Origin")
            assert allowed in (None, cors.allow_origin), (method, path, origin, allowed)
