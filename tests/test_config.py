"""Settings come from the environment; production refuses placeholder secrets."""

from datetime import timedelta

import pytest

from api import create_app
from api.cache import current_cache
from api.config import PLACEHOLDER_SECRET, check_production_secrets, from_environ
from tests.conftest import TEST_CONFIG


def test_environment_overrides_defaults():
    settings = from_environ(
        {
            "DATABASE_URL": "postgresql://conduit@db/conduit",
            "SECRET_KEY": "s" * 40,
            "JWT_SECRET_KEY": "j" * 40,
            "CORS_ORIGINS": "https://a.example, https://b.example",
            "JWT_ACCESS_TOKEN_EXPIRES": "3600",
            "JWT_SESSION_MAX_AGE": "86400",
            "UNRELATED": "ignored",
        }
    )
    assert settings == {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://conduit@db/conduit",
        "SECRET_KEY": "s" * 40,
        "JWT_SECRET_KEY": "j" * 40,
        "CORS_ORIGINS": ["https://a.example", "https://b.example"],
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(hours=1),
        "JWT_SESSION_MAX_AGE": timedelta(days=1),
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_use_psycopg_3(url, expected):
    assert from_environ({"DATABASE_URL": url})["SQLALCHEMY_DATABASE_URI"] == expected


def test_cors_wildcard_stays_a_wildcard():
    assert from_environ({"CORS_ORIGINS": " * "})["CORS_ORIGINS"] == "*"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///conduit.sqlite3"


@pytest.mark.parametrize("secret", [None, "", PLACEHOLDER_SECRET, "short"])
def test_production_refuses_weak_secrets(secret):
    config = {"APP_ENV": "production", "SECRET_KEY": secret, "JWT_SECRET_KEY": "k" * 40}
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        check_production_secrets(config)


def test_production_starts_with_real_secrets():
    app = create_app({"APP_ENV": "production", "SECRET_KEY": "s" * 40, "JWT_SECRET_KEY": "j" * 40})
    assert app.config["APP_ENV"] == "production"


def test_development_keeps_its_placeholder():
    check_production_secrets({"APP_ENV": "development", "SECRET_KEY": PLACEHOLDER_SECRET})


def test_postgresql_connects_with_a_timeout():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@127.0.0.1:1/d"})
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options == {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}}


def test_sqlite_keeps_the_plain_engine_options():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}


def test_the_cache_and_hsts_settings_come_from_the_environment():
    environ = {
        "REDIS_URL": " redis://cache.internal:6379/2 ",
        "CACHE_PREFIX": "blue",
        "CACHE_ENABLED": "off",
        "CACHE_TTL": "60",
        "CACHE_LEASE_MS": "0",
        "HSTS_SECONDS": "31536000",
    }

    assert from_environ(environ) == {
        "REDIS_URL": "redis://cache.internal:6379/2",
        "CACHE_PREFIX": "blue",
        "CACHE_ENABLED": False,
        "CACHE_TTL": 60,
        "CACHE_LEASE_MS": 0,
        "HSTS_SECONDS": 31536000,
    }
    assert from_environ({"CACHE_ENABLED": "1"}) == {"CACHE_ENABLED": True}


def test_without_redis_postgresql_has_no_cache():
    app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none"}
    )

    with app.app_context():
        assert current_cache() is None
