"""The docs pages load everything from this server: no CDN, so they work air-gapped."""

import re

import pytest


@pytest.mark.parametrize("page", ["/docs", "/redoc", "/rapidoc"])
def test_docs_pages_use_only_local_assets(app, page):
    client = app.test_client()
    response = client.get(page)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads its viewer's assets"
    for asset in assets:
        assert asset.startswith("/docs/assets/"), asset
        with client.get(asset) as loaded:
            assert loaded.status_code == 200, asset
    assert "/openapi.json" in html


def test_swagger_ui_keeps_the_token_and_asks_no_other_host(app):
    html = app.test_client().get("/docs").get_data(as_text=True)
    assert '"persistAuthorization": true' in html
    assert '"validatorUrl": null' in html


@pytest.mark.parametrize(
    "path",
    ["/docs/assets/unknown/x.js", "/docs/assets/redoc/../__init__.py", "/docs/assets/redoc/"],
)
def test_only_bundled_files_are_served(app, path):
    assert app.test_client().get(path).status_code == 404
