"""Rate limits counted in one atomic statement per request (questions.throttling)."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions.models import RateCounter
from questions.throttling import (
    rate_counters_prune,
    seconds_until_room,
    sliding_count,
    window_hit,
)
from tests.api.conftest import client_for
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "quizsite_cache",
    }
}


@pytest.fixture(autouse=True)
def embedded_default(settings):
    """Count as the embedded default does, without Redis (the suite's cache is in-process)."""
    settings.CACHES = DATABASE_CACHE


MINUTE = 60


def test_hits_in_one_window_count_up_and_the_next_window_keeps_them_as_its_last():
    counts = [window_hit(key="user_1", window_start=600, duration=MINUTE) for _ in range(3)]
    counts.append(window_hit(key="user_1", window_start=660, duration=MINUTE))
    counts.append(window_hit(key="user_1", window_start=660, duration=MINUTE))

    assert counts == [(1, 0), (2, 0), (3, 0), (1, 3), (2, 3)]
    assert RateCounter.objects.get(key="user_1").expires_at == 660 + 2 * MINUTE


def test_after_a_quiet_window_the_last_count_is_forgotten():
    window_hit(key="user_1", window_start=600, duration=MINUTE)

    assert window_hit(key="user_1", window_start=720, duration=MINUTE) == (1, 0)


@pytest.mark.parametrize(
    ("count", "previous", "elapsed", "estimate"),
    [(5, 0, 30, 5), (5, 10, 0, 15), (5, 10, 30, 10), (5, 10, 59, 5 + 10 / 60)],
)
def test_the_sliding_count_weighs_the_last_window_by_what_is_left_of_it(
    count, previous, elapsed, estimate
):
    assert sliding_count(
        count=count, previous=previous, elapsed=elapsed, duration=MINUTE
    ) == pytest.approx(estimate)


@pytest.mark.parametrize(
    ("count", "previous", "elapsed"), [(3, 20, 10), (11, 0, 5), (30, 7, 50), (10, 10, 0)]
)
def test_after_the_wait_one_more_request_fits_and_not_before(count, previous, elapsed):
    limit = 10
    wait = seconds_until_room(
        count=count, previous=previous, elapsed=elapsed, duration=MINUTE, limit=limit
    )

    def estimate_after(seconds):
        at = elapsed + seconds
        if at < MINUTE:
            return sliding_count(count=count, previous=previous, elapsed=at, duration=MINUTE)
        return sliding_count(count=0, previous=count, elapsed=at - MINUTE, duration=MINUTE)

    assert wait > 0
    assert estimate_after(wait) + 1 <= limit + 1e-9
    assert estimate_after(wait * 0.99) + 1 > limit


def test_each_key_has_its_own_count():
    window_hit(key="user_1", window_start=600, duration=MINUTE)

    assert window_hit(key="user_2", window_start=600, duration=MINUTE) == (1, 0)


def test_a_hit_is_one_statement():
    with CaptureQueriesContext(connection) as queries:
        window_hit(key="user_1", window_start=600, duration=MINUTE)

    assert len(queries) == 1  # INSERT … ON CONFLICT DO UPDATE … RETURNING


def test_a_throttled_api_request_counts_with_one_statement():
    client = client_for(StudentFactory())
    client.get("/api/v1/me/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/me/")

    counting = [q for q in queries if RateCounter._meta.db_table in q["sql"]]
    assert len(counting) == 1
    assert not [q for q in queries if "quizsite_cache" in q["sql"]]


def test_pruning_deletes_only_ended_windows():
    window_hit(key="old", window_start=0, duration=MINUTE)
    window_hit(key="current", window_start=600, duration=MINUTE)

    assert rate_counters_prune(now=630) == 1  # the old one weighs in no window after 120
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["current"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_never_count_the_same_number_twice():
    counts: list[int] = []

    def hit():
        counts.append(window_hit(key="busy", window_start=600, duration=MINUTE)[0])
        connection.close()

    threads = [threading.Thread(target=hit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == list(range(1, 21))
