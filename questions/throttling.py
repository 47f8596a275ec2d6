"""The API's rate limits, counted in one atomic step per request.

DRF's throttles keep a list of request times in the cache: with the database cache (the
embedded default) that is four statements a request, read and written without a lock, so two
workers can both let a request through. These keep two counts instead, of the current fixed
window and of the one before, and estimate the sliding window from them (the part of the last
window still inside it, weighed by how much is): with Redis, an INCR of the window's key and a
read of the last; without it, one INSERT … ON CONFLICT DO UPDATE … RETURNING on RateCounter
(SQLite and PostgreSQL both have it). Refused requests count too, so a flood stays refused.
"""

import math

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from questions.models import RateCounter

_TABLE = RateCounter._meta.db_table
# Every SET expression reads the row as it was: a new window keeps the old count as the last
# window's when it is the window just before, else starts from nothing.
_UPSERT = f"""
    INSERT INTO {_TABLE} (key, window_start, count, previous_count, expires_at)
    VALUES (%(key)s, %(window)s, 1, 0, %(expires)s)
    ON CONFLICT (key) DO UPDATE SET
        previous_count = CASE
            WHEN {_TABLE}.window_start = excluded.window_start THEN {_TABLE}.previous_count
            WHEN {_TABLE}.window_start = excluded.window_start - %(duration)s THEN {_TABLE}.count
            ELSE 0 END,
        count = CASE
            WHEN {_TABLE}.window_start = excluded.window_start THEN {_TABLE}.count + 1
            ELSE 1 END,
        window_start = excluded.window_start,
        expires_at = excluded.expires_at
    RETURNING count, previous_count
"""


def counts_in_the_database() -> bool:
    """The database cache (the embedded default) is counted in RateCounter; Redis (and the test
    suite's in-process cache) count in the cache."""
    return settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")


def window_hit(*, key: str, window_start: int, duration: int) -> tuple[int, int]:
    """Count one request in the window starting at `window_start` (epoch seconds): (the
    window's count, this one included; the count of the window before)."""
    if not counts_in_the_database():
        current, previous = (
            f"rate:{key}:{start}" for start in (window_start, window_start - duration)
        )
        cache.add(current, 0, timeout=2 * duration + 1)
        return cache.incr(current), cache.get(previous, 0)
    arguments = {
        "key": key,
        "window": window_start,
        "duration": duration,
        "expires": window_start + 2 * duration,  # the count still weighs in a window later
    }
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, arguments)
        count, previous = cursor.fetchone()
    return count, previous


def sliding_count(*, count: int, previous: int, elapsed: float, duration: int) -> float:
    """The requests of the last `duration` seconds, as estimated from the two windows' counts
    `elapsed` seconds into the current one."""
    return count + previous * (1 - elapsed / duration)


def seconds_until_room(
    *, count: int, previous: int, elapsed: float, duration: int, limit: int
) -> float:
    """How long a refused caller must wait, sending nothing, until one more request fits."""
    room = limit - 1
    if count <= room and previous:
        # Within this window, as the last one's share slides away.
        return (count + previous * (1 - elapsed / duration) - room) * duration / previous
    # In the next window, where this window's count is the one sliding away.
    return duration - elapsed + duration * (1 - room / count)


def rate_counters_prune(*, now: float) -> int:
    """Delete the counters whose window has ended; how many."""
    deleted, _ = RateCounter.objects.filter(expires_at__lt=math.floor(now)).delete()
    return deleted


class SlidingWindowThrottle(SimpleRateThrottle):
    """DRF's rate throttle, counted by window_hit."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window_start = int(now // self.duration) * self.duration
        count, previous = window_hit(
            key=self.key, window_start=window_start, duration=self.duration
        )
        elapsed = now - window_start
        estimate = sliding_count(
            count=count, previous=previous, elapsed=elapsed, duration=self.duration
        )
        if estimate <= self.num_requests:
            return True
        self.retry_after = seconds_until_room(
            count=count,
            previous=previous,
            elapsed=elapsed,
            duration=self.duration,
            limit=self.num_requests,
        )
        return False

    def wait(self):
        return max(1.0, self.retry_after)


class AnonThrottle(AnonRateThrottle, SlidingWindowThrottle):
    pass


class UserThrottle(UserRateThrottle, SlidingWindowThrottle):
    pass


class ScopedThrottle(ScopedRateThrottle, SlidingWindowThrottle):
    pass
