"""The application factory."""

from pathlib import Path

from flask import Flask, request
from flask.sessions import SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from api import config as settings
from api import docs, health, logs
from api.cache import init_cache
from api.database import configure_database
from api.encoding import OrjsonProvider
from api.errors import register_error_handlers
from api.extensions import cors, db, jwt, migrate, rest_api
from api.headers import init_security_headers
from api.limits import init_rate_limits
from api.sqlcount import init_sql_count

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, resources, error handlers, commands."""
    app = Flask(__name__, instance_relative_config=True)
    app.json = OrjsonProvider(app)
    app.session_interface = NoCookieSession()
    _load_config(app, config)
    _trust_proxies(app)
    _init_observability(app)
    init_security_headers(app)  # early, so that it runs late: on every response, errors too
    _init_extensions(app)
    init_rate_limits(app)
    configure_database(app)
    init_sql_count(app)
    _register_resources(app)
    init_cache(app, rest_api.spec.to_dict())
    register_error_handlers(app)
    _register_commands(app)
    return app


class NoCookieSession(SessionInterface):
    """Tokens say who calls: no cookie session is read or written (Flask's costs each request)."""

    def open_session(self, app, request):
        return None  # Flask's null session stands in

    def save_session(self, app, session, response):
        pass


def _load_config(app: Flask, config: dict | None) -> None:
    app.config.from_object(settings.Config)
    app.config.update(settings.from_environ())
    app.config.update(config or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = settings.engine_options(app.config)
    settings.check_production_secrets(app.config)


def _trust_proxies(app: Flask) -> None:
    """Behind PROXY_COUNT proxies, take the client's address, scheme and host from what the
    nearest of them forwarded; without, X-Forwarded-* are the client's own words, ignored."""
    if count := app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def _init_observability(app: Flask) -> None:
    # Before the extensions: after_request hooks run in reverse, so these see the final response.
    logs.init_request_ids(app)
    logs.init_logging(app)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    jwt.init_app(app)
    origins = app.config["CORS_ORIGINS"]
    cors.init_app(
        app,
        resources={r"/api/*": {"origins": origins}},
        # With every origin allowed, answer `*` rather than echo the caller's origin.
        send_wildcard=origins == "*",
        methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=[
            *("Authorization", "Content-Type", "X-Requested-With", logs.REQUEST_ID_HEADER),
            *("If-Match", "If-None-Match"),  # conditional requests (api/etags.py)
        ],
        expose_headers=[logs.REQUEST_ID_HEADER, "ETag", "Link", "Retry-After"],
        max_age=600,
        # Tokens travel in Authorization, never in cookies: no origin is told to send credentials.
        supports_credentials=False,
        # flask-cors skips `Vary` for a one-origin allowlist; `_vary_on_origin` always sends it.
        vary_header=False,
    )
    if origins != "*":
        app.after_request(_vary_on_origin)
    rest_api.init_app(app)
    docs.document_shared_parts(rest_api.spec)


def _vary_on_origin(response):
    """With an allowlist, `/api` answers differ by Origin: tell caches so."""
    if request.path.startswith("/api/"):
        response.vary.add("Origin")
    return response


def _register_resources(app: Flask) -> None:
    # Imported here, not above: the resources import the models, which import api.extensions,
    # so `import models` (or a schema) alone must not have to finish importing them first.
    from api.routing import register_converters  # it reads the models' reserved slugs
    from resources import BLUEPRINTS

    register_converters(app)
    # A trailing slash must not turn a valid URL into a 404 (nor into a redirect).
    app.url_map.strict_slashes = False
    for blueprint in BLUEPRINTS:
        rest_api.register_blueprint(blueprint)
    app.register_blueprint(docs.blueprint)
    app.register_blueprint(health.blueprint)


def _register_commands(app: Flask) -> None:
    from api import cli  # here for the same reason as the resources: the demo data uses models

    cli.register_commands(app)
