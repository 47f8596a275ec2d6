from types import SimpleNamespace

import pytest

from questions.models import Review
from quizsite.ops import routers
from quizsite.ops.routers import ReplicaRouter, replica_reads


@pytest.fixture
def with_replica(monkeypatch, settings):
    """Settings that name a replica (the router only looks at the aliases)."""
    databases = {**settings.DATABASES, "replica": {"ENGINE": "django.db.backends.sqlite3"}}
    monkeypatch.setattr(routers, "settings", SimpleNamespace(DATABASES=databases))


def test_reads_go_to_the_primary_unless_a_view_asks_for_the_replica(with_replica):
    router = ReplicaRouter()

    assert router.db_for_read(Review) is None
    with replica_reads():
        assert router.db_for_read(Review) == "replica"
    assert router.db_for_read(Review) is None


def test_without_a_replica_every_read_stays_on_the_primary():
    with replica_reads():
        assert ReplicaRouter().db_for_read(Review) is None


def test_writes_and_migrations_never_go_to_the_replica(with_replica):
    router = ReplicaRouter()

    with replica_reads():
        assert router.db_for_write(Review) is None
    assert router.allow_migrate("replica", "questions") is False
    assert router.allow_migrate("default", "questions") is True
