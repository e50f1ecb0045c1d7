"""Fixtures for browser tests: the app on a real port, and Debian's chromium."""

import os
import threading
from pathlib import Path

import flask_migrate
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


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The base URL of the app served on a free local port, on a freshly migrated database."""
    path = tmp_path_factory.mktemp("live") / "conduit.sqlite3"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url(path)})
    with app.app_context():
        flask_migrate.upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    """Headless chromium; skipped when it is missing, unless REQUIRE_BROWSER=1 (as in CI)."""
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
