"""Passwords: argon2id at OWASP's minimum or above, redone when the parameters change, and a
login that takes as long whether the email has an account or not."""

import shutil
import statistics
import time

import pytest

from api import create_app
from api.config import OWASP_ARGON2, Config, check_production_secrets, from_environ
from api.extensions import db
from models import User
from tests.conftest import TEST_CONFIG, ApiClient, sqlite_url

SECRETS = {"SECRET_KEY": "s" * 40, "JWT_SECRET_KEY": "j" * 40, "APP_ENV": "production"}


def test_the_defaults_are_owasps_minimum():
    assert {name: getattr(Config, name) for name in OWASP_ARGON2} == OWASP_ARGON2


@pytest.mark.parametrize("name", sorted(OWASP_ARGON2))
def test_production_refuses_a_cheaper_argon2(name):
    config = {**OWASP_ARGON2, **SECRETS}
    check_production_secrets(config)  # the minimum itself is fine

    with pytest.raises(RuntimeError, match=f"{name} must be at least"):
        check_production_secrets({**config, name: OWASP_ARGON2[name] - 1})


def test_the_parameters_come_from_the_environment():
    environ = {"ARGON2_TIME_COST": "3", "ARGON2_MEMORY_COST": "65536", "ARGON2_PARALLELISM": "2"}

    assert from_environ(environ) == {
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        "ARGON2_PARALLELISM": 2,
    }


@pytest.fixture
def database_copy(migrated_template, tmp_path):
    path = tmp_path / "passwords.sqlite3"
    shutil.copyfile(migrated_template, path)
    return sqlite_url(path)


def client(url: str, **argon2) -> tuple:
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **argon2})
    return app, ApiClient(app.test_client())


def stored_hash(app, username: str) -> str:
    with app.app_context():
        return db.session.scalar(db.select(User.password_hash).where(User.username == username))


def login(api, email: str, password: str = "password123"):
    return api.post("/api/users/login", json={"user": {"email": email, "password": password}})


def test_a_login_redoes_a_hash_of_older_parameters(database_copy):
    old_app, old = client(database_copy)
    old.register("jake")
    assert "$m=8,t=1,p=1$" in stored_hash(old_app, "jake")
    new_app, new = client(database_copy, ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=64)

    assert login(new, "jake@example.com").status_code == 200

    assert "$m=64,t=2,p=1$" in stored_hash(new_app, "jake")
    assert login(new, "jake@example.com").status_code == 200
    assert login(new, "jake@example.com", "wrong-password").status_code == 401


def test_a_login_takes_as_long_whether_the_email_has_an_account_or_not(database_copy):
    # Real costs, so that hashing is what a login's time is made of.
    _, api = client(database_copy, ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=19456)
    api.register("jake")

    def median_ms(email: str) -> float:
        times = []
        for _ in range(7):
            started = time.perf_counter()
            assert login(api, email, "wrong-password").status_code == 401
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000

    known, unknown = median_ms("jake@example.com"), median_ms("nobody@example.com")

    assert 0.5 < known / unknown < 2, (known, unknown)
    assert unknown > 5  # the unknown email paid for a hash too
