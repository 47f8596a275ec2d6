import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_says_the_process_answers_without_touching_the_database(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database_the_cache_and_the_migrations():
    response = Client().get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "migrations": "ok"}


def test_readyz_is_unavailable_when_the_cache_does_not_answer(monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", refuse)

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: ConnectionError"


def test_readyz_is_unavailable_while_a_migration_waits(monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("m", False)])

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "error: 1 migrations not applied"


def test_health_checks_are_never_cached():
    response = Client().get("/healthz")

    assert "no-cache" in response["Cache-Control"]
