"""FSRS-6 scheduling on plain values, through the `fsrs` package; no ORM here.

A card's state travels as a `CardSnapshot`; `schedule()` returns the snapshot after one rating.
The per-set options and the student's own parameters travel as `SchedulerSettings`.

Fuzzing is deterministic: py-fsrs draws the fuzz from the global `random()`, which would make a
replay of the review log land on other due dates than the ones stored. Here the fuzz is drawn
from a generator seeded by the review time and a `fuzz_key` naming the card (the service passes
"user:question"), so replaying the same reviews gives exactly the same states, while cards
reviewed together still spread over neighbouring days.
"""

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

from questions.domain import CardState, Rating

STATE_NEW = CardState.NEW
STATE_LEARNING = CardState.LEARNING
STATE_REVIEW = CardState.REVIEW
STATE_RELEARNING = CardState.RELEARNING

RATINGS = tuple(Rating)
AGAIN = Rating.AGAIN

_TO_FSRS_STATE = {
    STATE_LEARNING: fsrs.State.Learning,
    STATE_REVIEW: fsrs.State.Review,
    STATE_RELEARNING: fsrs.State.Relearning,
}
_FROM_FSRS_STATE = {value: key for key, value in _TO_FSRS_STATE.items()}

# py-fsrs needs a card id; it only matters for its own review logs, which we do not keep.
_FSRS_CARD_ID = 1

MASTERED_STABILITY_DAYS = 21.0


@dataclass(frozen=True)
class SchedulerSettings:
    """FSRS options: parameters (21 numbers of FSRS-6), steps in seconds, interval in days."""

    parameters: tuple[float, ...] = tuple(DEFAULT_PARAMETERS)
    desired_retention: float = 0.9
    learning_steps: tuple[int, ...] = (60, 600)
    relearning_steps: tuple[int, ...] = (600,)
    maximum_interval: int = 36500
    enable_fuzzing: bool = True

    @classmethod
    def build(
        cls,
        *,
        parameters: Sequence[float] | None = None,
        desired_retention: float = 0.9,
        learning_steps: Sequence[int] = (60, 600),
        relearning_steps: Sequence[int] = (600,),
        maximum_interval: int = 36500,
        enable_fuzzing: bool = True,
    ) -> "SchedulerSettings":
        """Settings from loose values (lists from JSON fields); None parameters mean FSRS-6's."""
        return cls(
            parameters=tuple(float(p) for p in parameters)
            if parameters
            else tuple(DEFAULT_PARAMETERS),
            desired_retention=float(desired_retention),
            learning_steps=tuple(int(step) for step in learning_steps),
            relearning_steps=tuple(int(step) for step in relearning_steps),
            maximum_interval=int(maximum_interval),
            enable_fuzzing=bool(enable_fuzzing),
        )

    def to_json(self) -> dict:
        """The settings as plain JSON, for the review log."""
        return {
            "parameters": list(self.parameters),
            "desired_retention": self.desired_retention,
            "learning_steps": list(self.learning_steps),
            "relearning_steps": list(self.relearning_steps),
            "maximum_interval": self.maximum_interval,
            "enable_fuzzing": self.enable_fuzzing,
        }

    @classmethod
    def from_json(cls, data: dict) -> "SchedulerSettings":
        return cls.build(**data)


@dataclass(frozen=True)
class CardSnapshot:
    """A card's scheduling state. A card never reviewed has state "new" and no stability."""

    state: str = STATE_NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        return self.state == STATE_NEW


NEW_CARD = CardSnapshot()


class _SeededScheduler(fsrs.Scheduler):
    """py-fsrs's scheduler with its interval fuzz drawn from a seeded generator."""

    def __init__(self, settings: SchedulerSettings, fuzz_seed: bytes) -> None:
        super().__init__(
            parameters=settings.parameters,
            desired_retention=settings.desired_retention,
            learning_steps=[timedelta(seconds=s) for s in settings.learning_steps],
            relearning_steps=[timedelta(seconds=s) for s in settings.relearning_steps],
            maximum_interval=settings.maximum_interval,
            enable_fuzzing=settings.enable_fuzzing,
        )
        self._fuzz_random = random.Random(fuzz_seed)

    def _get_fuzzed_interval(self, *, interval: timedelta) -> timedelta:
        # Same fuzz ranges as py-fsrs 6 (Scheduler._get_fuzzed_interval), seeded generator.
        interval_days = interval.days
        if interval_days < 2.5:
            return interval
        delta = 1.0
        for fuzz_range in FUZZ_RANGES:
            delta += fuzz_range["factor"] * max(
                min(float(interval_days), fuzz_range["end"]) - fuzz_range["start"], 0.0
            )
        max_ivl = min(round(interval_days + delta), self.maximum_interval)
        min_ivl = min(max(2, round(interval_days - delta)), max_ivl)
        fuzzed = self._fuzz_random.random() * (max_ivl - min_ivl + 1) + min_ivl
        return timedelta(days=min(round(fuzzed), self.maximum_interval))


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("Datetimes given to the scheduler must be timezone-aware.")
    return moment.astimezone(UTC)


def _fuzz_seed(*, fuzz_key: str, now: datetime) -> bytes:
    return hashlib.sha256(f"{fuzz_key}|{now.isoformat()}".encode()).digest()


def _to_fsrs(card: CardSnapshot, now: datetime) -> fsrs.Card:
    if card.is_new:
        return fsrs.Card(card_id=_FSRS_CARD_ID, state=fsrs.State.Learning, step=0, due=now)
    return fsrs.Card(
        card_id=_FSRS_CARD_ID,
        state=_TO_FSRS_STATE[card.state],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due) or now,
        last_review=_utc(card.last_review),
    )


def schedule(
    *,
    card: CardSnapshot,
    rating: int,
    now: datetime,
    settings: SchedulerSettings,
    fuzz_key: str = "",
) -> CardSnapshot:
    """The card's state after the student rates it `rating` (1 Again … 4 Easy) at `now`.

    Early ("study ahead") reviews need nothing special: FSRS-6 weighs a review by the
    retrievability at the moment it happens, so passing a card early earns little stability
    and never brings its due date forward, and cramming the same day only applies the
    short-term stability rule.
    """
    if rating not in RATINGS:
        raise ValueError(f"A rating is 1, 2, 3 or 4, not {rating!r}.")
    now = _utc(now)
    scheduler = _SeededScheduler(settings, _fuzz_seed(fuzz_key=fuzz_key, now=now))
    reviewed, _ = scheduler.review_card(_to_fsrs(card, now), fsrs.Rating(rating), now)
    lapsed = card.state == STATE_REVIEW and rating == AGAIN
    return CardSnapshot(
        state=_FROM_FSRS_STATE[reviewed.state],
        step=reviewed.step,
        stability=reviewed.stability,
        difficulty=reviewed.difficulty,
        due=reviewed.due,
        last_review=reviewed.last_review,
        reps=card.reps + 1,
        lapses=card.lapses + (1 if lapsed else 0),
    )


def replay(
    *,
    ratings: Sequence[tuple[int, datetime]],
    settings: SchedulerSettings,
    fuzz_key: str = "",
    start: CardSnapshot = NEW_CARD,
) -> CardSnapshot:
    """The state after the given (rating, reviewed_at) history, oldest first."""
    card = start
    for rating, reviewed_at in ratings:
        card = schedule(
            card=card, rating=rating, now=reviewed_at, settings=settings, fuzz_key=fuzz_key
        )
    return card


def preview_intervals(
    *, card: CardSnapshot, now: datetime, settings: SchedulerSettings, fuzz_key: str = ""
) -> dict[int, timedelta]:
    """For each rating, the time until the card would be due again if given that rating now."""
    now = _utc(now)
    return {
        rating: schedule(
            card=card, rating=rating, now=now, settings=settings, fuzz_key=fuzz_key
        ).due
        - now
        for rating in RATINGS
    }


def retrievability(*, card: CardSnapshot, now: datetime, settings: SchedulerSettings) -> float:
    """FSRS-6's probability of recall at `now` (0 for a card never reviewed).

    Uses py-fsrs's formula, which counts whole days elapsed since the last review.
    """
    if card.is_new or card.stability is None or card.last_review is None:
        return 0.0
    scheduler = fsrs.Scheduler(parameters=settings.parameters, enable_fuzzing=False)
    return float(scheduler.get_card_retrievability(_to_fsrs(card, _utc(now)), _utc(now)))


def forgetting_curve_constants(settings: SchedulerSettings) -> tuple[float, float]:
    """(factor, decay) of FSRS-6's curve R = (1 + factor · days / S) ** decay, for SQL use."""
    decay = -settings.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    return factor, decay


def interval_days(*, after: CardSnapshot, now: datetime) -> float:
    """Days from `now` to the card's next due date, as a fraction."""
    return (_utc(after.due) - _utc(now)) / timedelta(days=1)


def fitted_parameters(raw) -> tuple[float, ...] | None:
    """A profile's fitted FSRS-6 parameters (a list of 21 numbers, or {"parameters": [...]}),
    or None when there are none or they are not valid FSRS-6 parameters."""
    if isinstance(raw, dict):
        raw = raw.get("parameters")
    if not isinstance(raw, list | tuple) or not raw:
        return None
    try:
        parameters = tuple(float(value) for value in raw)
        fsrs.Scheduler(parameters=parameters)
    except (TypeError, ValueError):
        return None
    return parameters


def settings_for(*, question_set, profile=None) -> SchedulerSettings:
    """The settings for one student studying one set: the set's options, the student's own
    desired retention when they chose one, and their fitted parameters when they have them.

    Reads attributes only (a QuestionSet and a Profile, or anything shaped like them).
    """
    retention = question_set.desired_retention
    parameters = None
    if profile is not None:
        if profile.desired_retention is not None:
            retention = profile.desired_retention
        parameters = fitted_parameters(profile.fsrs_parameters)
    return SchedulerSettings.build(
        parameters=parameters,
        desired_retention=retention,
        learning_steps=question_set.learning_steps or (),
        relearning_steps=question_set.relearning_steps or (),
        maximum_interval=question_set.maximum_interval,
        enable_fuzzing=question_set.enable_fuzzing,
    )
