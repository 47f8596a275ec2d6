"""A simulated learner whose memory follows FSRS-6 with known parameters.

It makes review logs to test fitting and to benchmark it, with no one's real data. The learner
studies on a server that schedules with FSRS-6's default parameters (as quizsite does before a
fit), desired retention 0.9, learning steps 1 and 10 minutes, relearning step 10 minutes. They
do not always come back on the due day: a review due a day or more ahead happens that day 60% of
the time, 1 day late 20%, 2 days late 10% and 3–7 days late 10%, at a random hour; this spread of
elapsed times is what lets a fit tell the forgetting curve apart.

Whether a review is recalled is drawn from the learner's true retrievability (py-fsrs with
`LEARNER_PARAMETERS`, whole days elapsed); a recalled review is rated Hard 15%, Good 75%,
Easy 10%, a forgotten one Again. A card's first rating is Again 20%, Hard 10%, Good 55%,
Easy 15%. New cards start on random days in the first 60% of the period.
"""

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs

from questions.fitting import LoggedReview

# A learner who forgets faster than FSRS-6's average learner once past the first days:
# higher first-day stabilities (w0–w3), slower growth of stability on success (w8, w9) and a
# steeper forgetting curve (w20).
LEARNER_PARAMETERS = (
    0.5,
    2.5,
    5.0,
    15.0,
    6.4133,
    0.8334,
    3.0194,
    0.001,
    1.2,
    0.25,
    0.796,
    1.4835,
    0.0614,
    0.2629,
    1.6483,
    0.6014,
    1.8729,
    0.5425,
    0.0912,
    0.0658,
    0.4,
)
START = datetime(2026, 1, 5, tzinfo=UTC)

FIRST_RATING_WEIGHTS = (0.20, 0.10, 0.55, 0.15)  # Again, Hard, Good, Easy
RECALLED_RATING_WEIGHTS = (0.15, 0.75, 0.10)  # Hard, Good, Easy
DAYS_LATE = (0, 1, 2, 3, 4, 5, 6, 7)
DAYS_LATE_WEIGHTS = (0.60, 0.20, 0.10, 0.02, 0.02, 0.02, 0.02, 0.02)


@dataclass(frozen=True)
class SimulatedReview:
    review: LoggedReview
    duration_ms: int


def simulate_learner(
    *,
    cards: int,
    days: int,
    seed: int,
    parameters: tuple[float, ...] = LEARNER_PARAMETERS,
    start: datetime = START,
) -> list[SimulatedReview]:
    """The learner's reviews of `cards` cards over `days` days, oldest first; same seed, same log."""
    rng = random.Random(seed)
    memory = fsrs.Scheduler(parameters=parameters, enable_fuzzing=False)
    server = fsrs.Scheduler(enable_fuzzing=False)
    end = start + timedelta(days=days)
    simulated = []
    for card_id in range(1, cards + 1):
        moment = start + timedelta(
            days=rng.randrange(max(1, days * 6 // 10)), seconds=rng.randrange(7 * 3600, 22 * 3600)
        )
        remembered = fsrs.Card(card_id=card_id)
        scheduled = fsrs.Card(card_id=card_id)
        first = True
        while moment < end:
            if first:
                rating = rng.choices((1, 2, 3, 4), FIRST_RATING_WEIGHTS)[0]
                first = False
            elif rng.random() < memory.get_card_retrievability(remembered, moment):
                rating = rng.choices((2, 3, 4), RECALLED_RATING_WEIGHTS)[0]
            else:
                rating = 1
            simulated.append(
                SimulatedReview(
                    review=LoggedReview(card=card_id, rating=rating, reviewed_at=moment),
                    duration_ms=int(rng.lognormvariate(math.log(6000), 0.5)),
                )
            )
            remembered, _ = memory.review_card(remembered, fsrs.Rating(rating), moment)
            scheduled, _ = server.review_card(scheduled, fsrs.Rating(rating), moment)
            moment = _when_studied(scheduled.due, after=moment, rng=rng)
    simulated.sort(key=lambda item: item.review.reviewed_at)
    return simulated


def _when_studied(due: datetime, *, after: datetime, rng: random.Random) -> datetime:
    if due - after < timedelta(days=1):
        # Learning steps are taken in the same sitting, a little after they fall due.
        return due.replace(microsecond=0) + timedelta(seconds=rng.randrange(1, 120))
    late = rng.choices(DAYS_LATE, DAYS_LATE_WEIGHTS)[0]
    day = due.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=late)
    return day + timedelta(seconds=rng.randrange(7 * 3600, 22 * 3600))
