"""Help me choose a retention (Anki's "Help Me Decide"): a year of study simulated by fsrs-rs at
each desired retention, for the learner's own parameters, number of cards and answering times.

A read: nothing is written. The page and the API both call `retention_help`.
"""

import hashlib
import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import Max
from fsrs_rs_python import default_simulator_config

from questions.fitting.retention import (
    DAYS,
    RETENTIONS,
    Workload,
    least_work_per_card,
    workload_table,
)
from questions.models import Card, CardState, Profile, QuestionSet, Review
from questions.models.banks import DESIRED_RETENTION_MAX, DESIRED_RETENTION_MIN
from questions.scheduling import SchedulerSettings, fitted_parameters

RETENTION_OUT_OF_RANGE = (
    "A desired retention is from {low:.2f} to {high:.2f} (the chance of recalling a card when it "
    "comes due); {value:g} is outside."
)
NO_CARDS_YET = "You have no cards yet: study a set first, then your year can be simulated."
# Reviews whose time says more about a tab left open than about the card are not counted.
LONGEST_REVIEW_MS = 120_000
COST_SAMPLE = 2000  # the learner's latest reviews that time their ratings
MIN_TIMED_REVIEWS = 5  # per state and rating, else the simulator's own figure
RETENTION_HELP_SECONDS = 24 * 3600
RETENTION_DECIMALS = 2
# The simulator's cost rows: learning (a new card's first rating too), review, relearning.
_COST_ROWS = {
    CardState.NEW.value: 0,
    CardState.LEARNING.value: 0,
    CardState.REVIEW.value: 1,
    CardState.RELEARNING.value: 2,
}


class RetentionOutOfRange(ValueError):
    pass


@dataclass(frozen=True)
class RetentionHelp:
    """A simulated year at each desired retention, for the learner's parameters and cards."""

    rows: list[Workload]
    suggested: Workload | None
    chosen: Workload | None  # the retention asked about, if any
    card_count: int
    new_per_day: int
    own_parameters: bool  # fitted to the learner, else FSRS-6's defaults
    own_timings: bool  # seconds per rating from the learner's reviews, else Anki users'

    @property
    def message(self) -> str | None:
        return NO_CARDS_YET if not self.card_count else None


def check_retention(value: float) -> float:
    """The retention to simulate, to the hundredth: finer digits change nothing a learner could
    see, and each distinct value is a year simulated, so 0.8123 is simulated as 0.81."""
    if not DESIRED_RETENTION_MIN <= value <= DESIRED_RETENTION_MAX:
        raise RetentionOutOfRange(
            RETENTION_OUT_OF_RANGE.format(
                low=DESIRED_RETENTION_MIN, high=DESIRED_RETENTION_MAX, value=value
            )
        )
    return round(value, RETENTION_DECIMALS)


def _seconds_per_rating(user: AbstractBaseUser) -> list[list[float]] | None:
    """Median seconds per rating in each simulator state from the learner's latest reviews;
    the simulator's figure where there are too few. None when nothing is the learner's own."""
    timed = (
        Review.objects.counted()
        .filter(user=user, response_ms__lte=LONGEST_REVIEW_MS)
        .order_by("-reviewed_at")[:COST_SAMPLE]
    )
    samples: dict[tuple[int, int], list[float]] = {}
    for state, rating, response_ms in timed.values_list("state_before", "rating", "response_ms"):
        samples.setdefault((_COST_ROWS[state], rating), []).append(response_ms / 1000)
    costs = [list(row) for row in default_simulator_config().state_rating_costs]
    own = False
    for (row, rating), seconds in samples.items():
        if len(seconds) >= MIN_TIMED_REVIEWS:
            costs[row][rating - 1] = statistics.median(seconds)
            own = True
    return costs if own else None


def _simulated_rows(simulation: dict, retentions: Sequence[float]) -> list[Workload]:
    """A year simulated at each retention (a fraction of a second each, for a small deck);
    and the same inputs give the same rows."""
    inputs = {**simulation, "retentions": list(retentions)}
    key = "retention-help:" + hashlib.sha256(json.dumps(inputs).encode()).hexdigest()
    return cache.get_or_set(key, lambda: workload_table(**inputs), RETENTION_HELP_SECONDS)


def retention_help(
    *, user: AbstractBaseUser, desired_retention: float | None = None
) -> RetentionHelp:
    """Workload and knowledge retained over a year at desired retentions 0.70–0.97 (and at
    `desired_retention`, which must be 0.70–0.99), for the learner's parameters, number of cards
    and timings; the suggestion is the retention with the least work per card remembered."""
    if desired_retention is not None:
        desired_retention = check_retention(desired_retention)
    profile, _ = Profile.objects.get_or_create(user=user)
    in_use = fitted_parameters(profile.fsrs_parameters)
    parameters = list(in_use or SchedulerSettings().parameters)
    new_per_day = (
        QuestionSet.objects.filter(questions__cards__user=user).aggregate(
            limit=Max("daily_new_limit")
        )["limit"]
        or QuestionSet._meta.get_field("daily_new_limit").default
    )
    # More cards than can be introduced in a year change nothing in the year.
    card_count = min(Card.objects.filter(user=user).count(), new_per_day * DAYS)
    timings = _seconds_per_rating(user)
    help_for = {
        "card_count": card_count,
        "new_per_day": new_per_day,
        "own_parameters": in_use is not None,
        "own_timings": timings is not None,
    }
    if not card_count:
        return RetentionHelp(rows=[], suggested=None, chosen=None, **help_for)
    simulation = {
        "parameters": parameters,
        "card_count": card_count,
        "new_per_day": new_per_day,
        "seconds_per_rating": timings,
    }
    rows = _simulated_rows(simulation, RETENTIONS)
    if desired_retention is not None and desired_retention not in RETENTIONS:
        # Only the retention asked about is simulated on top of the (cached) table.
        rows = sorted(
            [*rows, *_simulated_rows(simulation, [desired_retention])],
            key=lambda row: row.desired_retention,
        )
    chosen = next((row for row in rows if row.desired_retention == desired_retention), None)
    # Suggested from the fixed table alone, so trying a retention never moves the suggestion.
    suggested = least_work_per_card([row for row in rows if row.desired_retention in RETENTIONS])
    return RetentionHelp(rows=rows, suggested=suggested, chosen=chosen, **help_for)
