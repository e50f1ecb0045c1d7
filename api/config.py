"""Settings: safe defaults here, secrets and URLs from the environment."""

import os
from datetime import timedelta

from api.docs import DESCRIPTION

PLACEHOLDER_SECRET = "dev-only-insecure-secret-do-not-deploy"
TRUE = ("1", "true", "yes", "on")
OWASP_ARGON2 = {"ARGON2_TIME_COST": 2, "ARGON2_MEMORY_COST": 19456, "ARGON2_PARALLELISM": 1}
LIMITS = ("LOGIN_LIMIT", "LOGIN_ACCOUNT_LIMIT", "REGISTRATION_LIMIT")


class Config:
    """Defaults that are safe for local development and overridden by the environment."""

    APP_ENV = "development"
    SECRET_KEY = PLACEHOLDER_SECRET
    JWT_SECRET_KEY = PLACEHOLDER_SECRET
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(days=7)
    # Answers carrying a user carry a renewed token, but no renewal outlives this since the
    # password was given (api/auth.py): then the user signs in again.
    JWT_SESSION_MAX_AGE = timedelta(days=30)
    JWT_HEADER_TYPE = "Token"  # the Conduit scheme; api/auth.py takes `Bearer` as well

    # A relative SQLite path lives in the instance folder (Flask-SQLAlchemy resolves it there).
    SQLALCHEMY_DATABASE_URI = "sqlite:///conduit.sqlite3"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    CORS_ORIGINS = "*"
    PROXY_COUNT = 0  # proxies in front whose X-Forwarded-* are trusted (0: the peer is the client)
    # Sign-in and sign-up limits (api/limits.py): per address all attempts, per account failures.
    RATE_LIMITS_ENABLED = True
    LOGIN_LIMIT = "10/minute;100/hour"
    LOGIN_ACCOUNT_LIMIT = "10/hour"
    REGISTRATION_LIMIT = "10/hour"
    # Strict-Transport-Security's max-age, once the site is served over HTTPS alone (0: not sent).
    HSTS_SECONDS = 0

    # Bodies are small JSON documents; a larger one is refused (413) before it is read.
    MAX_CONTENT_LENGTH = 1024 * 1024

    # JSON log lines on stderr: None means on unless TESTING (api/logs.py).
    LOG_JSON: bool | None = None
    LOG_LEVEL = "INFO"
    # The benchmark's mode (`BENCH_SQL_COUNT=1`): each response's SQL count in X-SQL-Statements.
    SQL_COUNT_HEADER = False

    # The cache of rendered answers (api/cache.py): in Redis when REDIS_URL is set, otherwise in
    # each process on SQLite (off on PostgreSQL without Redis: no shared place for the version).
    CACHE_ENABLED = True
    REDIS_URL: str | None = None
    CACHE_PREFIX = "conduit"  # the Redis keys' prefix: instances sharing it share cache and limits
    CACHE_TTL = 300  # seconds; bounds how long a write made outside the app goes unseen
    CACHE_MAX_BYTES = 16 * 1024 * 1024  # per process
    CACHE_LEASE_MS = 2  # with Redis: how long a process trusts its version (api/cache_stores.py)

    # argon2id cost: OWASP's minimum (19 MiB, 2 passes, 1 lane), which keeps a burst of logins
    # from exhausting a small host's memory; raise it from the environment, never below it in
    # production. Tests lower it. Hashes of other parameters are redone at the next login.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19456  # KiB
    ARGON2_PARALLELISM = 1

    API_TITLE = "Conduit API"
    API_VERSION = "2.0.0"
    OPENAPI_VERSION = "3.1.0"
    API_SPEC_OPTIONS = {"info": {"description": DESCRIPTION}}
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"
    # The docs' assets come from the openapi-ui-bundles package, served by api/docs.py:
    # no CDN, so the docs work air-gapped.
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    OPENAPI_SWAGGER_UI_URL = "/docs/assets/swagger-ui/"
    OPENAPI_SWAGGER_UI_CONFIG = {
        "persistAuthorization": True,  # the token survives a reload
        "displayRequestDuration": True,
        "deepLinking": True,
        "validatorUrl": None,  # no badge fetched from another host
    }
    OPENAPI_REDOC_PATH = "/redoc"
    OPENAPI_REDOC_URL = "/docs/assets/redoc/redoc.standalone.js"
    OPENAPI_RAPIDOC_PATH = "/rapidoc"
    OPENAPI_RAPIDOC_URL = "/docs/assets/rapidoc/rapidoc-min.js"
    OPENAPI_RAPIDOC_CONFIG = {"load-fonts": "false"}  # its default fetches Google's fonts


def from_environ(environ=os.environ) -> dict:
    """The settings that the environment overrides, under their config names."""
    settings = {}
    for name in ("APP_ENV", "SECRET_KEY", "JWT_SECRET_KEY"):
        if environ.get(name):
            settings[name] = environ[name]
    if environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = database_uri(environ["DATABASE_URL"])
    if environ.get("CORS_ORIGINS"):
        settings["CORS_ORIGINS"] = cors_origins(environ["CORS_ORIGINS"])
    if environ.get("LOG_LEVEL"):
        settings["LOG_LEVEL"] = environ["LOG_LEVEL"].strip().upper()
    for name in ("REDIS_URL", "CACHE_PREFIX", *LIMITS):
        if environ.get(name):
            settings[name] = environ[name].strip()
    for name in ("LOG_JSON", "CACHE_ENABLED", "RATE_LIMITS_ENABLED"):
        if environ.get(name):
            settings[name] = environ[name].strip().lower() in TRUE
    for name in (*OWASP_ARGON2, "HSTS_SECONDS", "CACHE_TTL", "CACHE_LEASE_MS", "PROXY_COUNT"):
        if environ.get(name):
            settings[name] = int(environ[name])
    if environ.get("BENCH_SQL_COUNT"):
        settings["SQL_COUNT_HEADER"] = environ["BENCH_SQL_COUNT"].strip() == "1"
    for name in ("JWT_ACCESS_TOKEN_EXPIRES", "JWT_SESSION_MAX_AGE"):
        if environ.get(name):
            settings[name] = timedelta(seconds=int(environ[name]))
    return settings


def database_uri(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(config) -> dict:
    """SQLAlchemy engine settings; PostgreSQL connects with a timeout, so that an unreachable
    server fails a request (and /readyz) in seconds instead of hanging a worker."""
    options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": 5, **options.get("connect_args", {})}
    return options


def cors_origins(value: str) -> str | list[str]:
    """`*`, or a comma-separated allowlist of origins."""
    origins = [origin.strip() for origin in value.split(",") if origin.strip()]
    return "*" if origins in ([], ["*"]) else origins


def check_production_secrets(config) -> None:
    """Refuse to run in production with a missing or placeholder secret, or a cheap argon2."""
    if config.get("APP_ENV") != "production":
        return
    for name, least in OWASP_ARGON2.items():
        if config.get(name, least) < least:
            raise RuntimeError(f"{name} must be at least {least} (OWASP's minimum for argon2id)")
    for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
        value = config.get(name) or ""
        if value == PLACEHOLDER_SECRET or len(value) < 32:
            raise RuntimeError(f"{name} must be set to a random value of 32+ characters")
