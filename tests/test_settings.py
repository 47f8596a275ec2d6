"""Settings come from typed environment variables, with clear errors for malformed values."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from quizsite.env import env_bool, env_database, env_int, env_list
from tests.conftest import PROJECT_DIR


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("1", True),
        ("YES", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("", False),
    ],
)
def test_boolean_words_are_read(monkeypatch, raw, expected):
    monkeypatch.setenv("QUIZSITE_FLAG", raw)

    assert env_bool("QUIZSITE_FLAG", default=not expected) is expected


def test_missing_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("QUIZSITE_FLAG", raising=False)

    assert env_bool("QUIZSITE_FLAG", default=True) is True
    assert env_int("QUIZSITE_FLAG", default=7) == 7
    assert env_list("QUIZSITE_FLAG", default=["a"]) == ["a"]


@pytest.mark.parametrize(
    ("reader", "raw", "message"),
    [
        (lambda: env_bool("QUIZSITE_FLAG", default=False), "maybe", "is not a boolean"),
        (lambda: env_int("QUIZSITE_FLAG", default=1), "ten", "is not a whole number"),
        (lambda: env_int("QUIZSITE_FLAG", default=1, minimum=0), "-3", "below the minimum"),
        (lambda: env_database("QUIZSITE_FLAG", "sqlite://"), "mysql://db/x", "only sqlite"),
        (lambda: env_database("QUIZSITE_FLAG", "sqlite://"), "nonsense", "not a database URL"),
    ],
)
def test_malformed_value_names_the_variable(monkeypatch, reader, raw, message):
    monkeypatch.setenv("QUIZSITE_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match=message) as error:
        reader()

    assert "QUIZSITE_FLAG" in str(error.value)


def test_host_list_is_split_on_commas(monkeypatch):
    monkeypatch.setenv("QUIZSITE_FLAG", " quiz.example.org, www.example.org ,")

    assert env_list("QUIZSITE_FLAG", default=[]) == ["quiz.example.org", "www.example.org"]


def test_postgres_url_selects_postgresql(monkeypatch):
    monkeypatch.setenv("QUIZSITE_FLAG", "postgres://postgres@127.0.0.1:5432/quizsite")

    config = env_database("QUIZSITE_FLAG", "sqlite://")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("127.0.0.1", 5432, "quizsite")


def test_sqlite_takes_the_write_lock_at_the_start_of_a_transaction(monkeypatch):
    monkeypatch.setenv("QUIZSITE_FLAG", "sqlite:///tmp/x.sqlite3")

    assert env_database("QUIZSITE_FLAG", "")["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    ("url", "options", "environment", "expected"),
    [
        ("sqlite:///tmp/x.sqlite3", {}, {}, 60),
        ("postgres://postgres@127.0.0.1:5432/quizsite", {}, {}, 60),
        ("sqlite:///tmp/x.sqlite3", {"conn_max_age": 0}, {}, 0),
        ("postgres://postgres@127.0.0.1:5432/quizsite", {"pool": True}, {}, 0),
        ("postgres://postgres@127.0.0.1:5432/quizsite", {}, {"DATABASE_PGBOUNCER": "true"}, 0),
    ],
)
def test_connections_persist_between_requests_unless_a_pool_or_pgbouncer_owns_them(
    monkeypatch, url, options, environment, expected
):
    monkeypatch.setenv("QUIZSITE_FLAG", url)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    assert env_database("QUIZSITE_FLAG", "", **options)["CONN_MAX_AGE"] == expected


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_the_production_variables():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="quiz.example.org",
    )

    assert result.returncode == 0, result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_malformed_debug_flag_stops_the_site_with_a_clear_message():
    result = run_manage("check", DJANGO_DEBUG="maybe")

    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.parametrize(
    ("proxies", "believed"), [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")]
)
def test_x_forwarded_proto_is_believed_only_behind_a_trusted_proxy(proxies, believed):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
        QUIZSITE_TRUSTED_PROXIES=proxies,
    )

    assert result.stdout.strip().splitlines()[-1] == believed, result.stderr
