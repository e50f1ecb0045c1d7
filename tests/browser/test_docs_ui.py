"""Swagger UI at /docs, driven in a real browser: served air-gapped, and usable with a token."""

import json
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
WAIT_MS = 15_000


class DocsPage:
    """A page on /docs that refuses every other host, and records what went wrong."""

    def __init__(self, context, base_url: str):
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        self.console_errors: list[str] = []
        self.page = context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.page.route("**/*", self._only_this_server)
        self.page.on("requestfailed", self._request_failed)
        self.page.on("response", self._response)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _only_this_server(self, route):
        url = route.request.url
        if urlsplit(url).netloc == self.host:
            route.continue_()
        else:
            self.foreign_requests.append(url)
            route.abort()

    def _request_failed(self, request):
        if urlsplit(request.url).netloc == self.host:
            self.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def _response(self, response):
        if response.status >= 400:
            request = response.request
            self.failed_requests.append(f"{request.method} {response.url}: {response.status}")

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def open(self) -> None:
        self.page.goto(f"{self.base_url}/docs", wait_until="load")
        expect(self.page.locator(".opblock").first).to_be_visible(timeout=WAIT_MS)

    def assert_clean(self) -> None:
        """Nothing was fetched from another host, and nothing from this one failed."""
        problems = {
            "requests to other hosts": self.foreign_requests,
            "failed requests": self.failed_requests,
            "console errors": self.console_errors,
        }
        assert not any(problems.values()), problems


@pytest.fixture
def docs(browser, live_server):
    context = browser.new_context()
    try:
        yield DocsPage(context, live_server)
    finally:
        context.close()


def api_call(base_url: str, method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base_url + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=WAIT_MS / 1000) as response:
        return json.load(response)


def operation_count(spec: dict) -> int:
    return sum(1 for item in spec["paths"].values() for method in item if method in HTTP_METHODS)


def test_docs_render_every_operation_from_this_server_alone(docs, live_server):
    spec = api_call(live_server, "GET", "/openapi.json")

    docs.open()

    expect(docs.page.locator(".opblock")).to_have_count(operation_count(spec))
    docs.assert_clean()


@pytest.mark.parametrize("path", ["/redoc", "/rapidoc"])
def test_the_other_docs_pages_render_under_their_policy_from_this_server_alone(docs, path):
    docs.page.goto(f"{docs.base_url}{path}", wait_until="load")

    # Both render the operations' summaries (RapiDoc inside its shadow DOM, which locators pierce).
    summary = docs.page.get_by_text("List articles, newest first.").filter(visible=True)
    expect(summary.first).to_be_visible()
    # What the policy is for: a bundle's decoration from another host (ReDoc's logo) refused.
    # Any other refusal, of this server's own scripts or styles, stays an error.
    docs.console_errors[:] = [
        error
        for error in docs.console_errors
        if not ("Content Security Policy" in error and "https://" in error)
    ]
    docs.assert_clean()


def test_token_survives_a_reload_and_try_it_out_sends_it(docs, live_server):
    user = {"username": "browser-jake", "email": "browser-jake@example.com", "password": "pw123456"}
    token = api_call(live_server, "POST", "/api/users", {"user": user})["user"]["token"]
    page = docs.page
    docs.open()

    authorize = page.locator("button.btn.authorize")
    expect(authorize).to_have_class("btn authorize unlocked")
    authorize.click()
    dialog = page.locator(".dialog-ux .modal-ux")
    token_scheme = dialog.locator(".auth-container").filter(has_text="Token (apiKey)")
    token_scheme.locator("input#api_key_value").fill(f"Token {token}")
    token_scheme.get_by_role("button", name="Apply credentials").click()
    expect(token_scheme.get_by_role("button", name="Remove authorization")).to_be_visible()
    dialog.locator("button.btn-done").click()
    expect(dialog).to_have_count(0)
    expect(authorize).to_have_class("btn authorize locked")

    page.reload(wait_until="load")
    expect(page.locator(".opblock").first).to_be_visible(timeout=WAIT_MS)
    expect(authorize).to_have_class("btn authorize locked")
    authorize.click()
    expect(token_scheme.get_by_role("button", name="Remove authorization")).to_be_visible()
    dialog.locator("button.btn-done").click()

    operation = page.locator(".opblock.opblock-get").filter(
        has=page.locator('.opblock-summary-path[data-path="/api/user"]')
    )
    operation.locator(".opblock-summary-control").click()
    operation.locator("button.try-out__btn").click()
    with page.expect_request(lambda request: request.url == f"{live_server}/api/user") as sent:
        operation.locator("button.btn.execute").click()
    assert sent.value.headers.get("authorization") == f"Token {token}"
    live = operation.locator(".live-responses-table tbody tr.response")
    expect(live.locator(".response-col_status")).to_have_text("200")
    expect(live.locator(".response-col_description")).to_contain_text('"browser-jake"')
    docs.assert_clean()
