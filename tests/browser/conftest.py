"""Fixtures for browser tests: the app on a real port, and Debian's chromium."""

import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from api import create_app
from api.extensions import db
from tests.conftest import TEST_CONFIG, sqlite_url

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's own browser download is not available here: drive the distribution's chromium,
# with everything that would reach for the network switched off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = "Debian's chromium is not installed (apt-get install chromium); CI installs it"


@contextmanager
def serving(wsgi_app) -> Iterator[str]:
    """Serve a WSGI app on a free port of 127.0.0.1 until the block ends; yields its base URL."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class LiveServer:
    """An app served on a real port, and every request that reached it: (method, path, Origin)."""

    url: str
    requests: list[tuple[str, str, str | None]]


def recording(wsgi_app, requests: list):
    """The WSGI app, logging each request it receives into `requests`."""

    def recording_app(environ, start_response):
        requests.append(
            (environ["REQUEST_METHOD"], environ["PATH_INFO"], environ.get("HTTP_ORIGIN"))
        )
        return wsgi_app(environ, start_response)

    return recording_app


@pytest.fixture(scope="module")
def start_live_server(migrated_template, tmp_path_factory) -> Iterator[Callable[..., LiveServer]]:
    """Start the app with extra settings (`start(CORS_ORIGINS=[...])`) on its own port and database.

    Every server started through it stops when the module's tests are done.
    """
    with ExitStack() as stack:

        def start(**config) -> LiveServer:
            path = tmp_path_factory.mktemp("live") / "conduit.sqlite3"
            shutil.copyfile(migrated_template, path)
            app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url(path), **config})
            stack.callback(_dispose_engine, app)  # runs after the server below has stopped
            requests: list[tuple[str, str, str | None]] = []
            url = stack.enter_context(serving(recording(app, requests)))
            return LiveServer(url, requests)

        yield start


def _dispose_engine(app) -> None:
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(start_live_server) -> str:
    """The base URL of the app served on a free local port, on a freshly migrated database."""
    return start_live_server().url


@pytest.fixture(scope="session")
def browser():
    """Headless chromium, launched once (each test opens a context of its own); skipped when it
    is missing, unless REQUIRE_BROWSER=1 (as in CI)."""
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_CHROMIUM)
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def local_only_context(browser, *base_urls: str) -> Iterator:
    """A browser context that reaches these servers and nothing else, not even other local ports.

    Every other request goes to a proxy port that refuses connections. Not `page.route`: while
    any route is set, Playwright answers CORS preflights itself, permissively, so they would never
    reach the server under test.
    """
    refuser = socket.socket()  # bound and never listening: every connection to it is refused
    refuser.bind(("127.0.0.1", 0))
    try:
        bypass = ",".join(urlsplit(url).netloc for url in base_urls)
        proxy = {"server": f"http://127.0.0.1:{refuser.getsockname()[1]}", "bypass": bypass}
        context = browser.new_context(proxy=proxy)
        try:
            yield context
        finally:
            context.close()
    finally:
        refuser.close()
