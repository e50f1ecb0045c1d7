"""Safe defaults on every response: no type sniffing, no referrer, a Content-Security-Policy,
and HSTS where the deployment says it is served over HTTPS only (`HSTS_SECONDS`)."""

from flask import Flask, request

# JSON needs nothing: no script, style, frame or plugin may run in its name.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The docs pages run their bundles (served from here) and a few lines of inline set-up, and the
# bundles add inline styles, data: images and fonts, and workers from blob: URLs (ReDoc's search).
DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


def init_security_headers(app: Flask) -> None:
    config = app.config
    docs_pages = frozenset(
        config[name]
        for name in ("OPENAPI_SWAGGER_UI_PATH", "OPENAPI_REDOC_PATH", "OPENAPI_RAPIDOC_PATH")
    )
    fixed = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    if config["HSTS_SECONDS"]:
        fixed["Strict-Transport-Security"] = f"max-age={config['HSTS_SECONDS']}; includeSubDomains"

    @app.after_request
    def secure(response):
        response.headers.update(fixed)
        page = request.path.rstrip("/") in docs_pages
        response.headers["Content-Security-Policy"] = DOCS_POLICY if page else API_POLICY
        return response
