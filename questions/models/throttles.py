"""Rate-limit counters of the embedded default (no Redis): one row per caller and scope."""

from django.db import models


class RateCounter(models.Model):
    """Requests counted in the caller's current fixed window (questions.throttling).

    One row per key, reset in place when a new window starts, so the table holds a row per
    recent caller, not per request; `prune_rate_counters` deletes the expired ones.
    """

    key = models.CharField(max_length=200, primary_key=True)
    window_start = models.BigIntegerField()
    count = models.PositiveIntegerField()
    # The count of the window before, weighed in as it slides away (questions.throttling).
    previous_count = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} since {self.window_start}"
