"""Help me choose a retention (Anki's "Help Me Decide"): a year of study simulated at each
desired retention by fsrs-rs's simulator, and the retention with the least work per card
remembered.

Pure: plain values in and out. The simulator (`fsrs_rs_python.simulate`) introduces
`new_per_day` of the learner's cards a day, draws each review's outcome from FSRS-6 with the
learner's parameters, and adds up the seconds spent (`state_rating_costs`: seconds per rating in
the learning, review and relearning states). `remembered` is the expected number of cards
recalled at the end of the year (the sum of their retrievabilities): the knowledge retained.
The simulator starts every card new; it cannot start from the learner's current card states.

A small deck's year is noisy: it is simulated several times (enough runs for about
`SIMULATED_CARDS` cards in all, with the same seeds at every retention) and averaged, so that
neighbouring retentions differ by the retention rather than by chance.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import fsrs_rs_python

DAYS = 365
# 0.70, 0.73, … 0.97, as Anki's chart spans the useful range.
RETENTIONS = tuple(round(0.70 + 0.03 * step, 2) for step in range(10))
SEED = 2026  # the same draws at every retention, so rows differ by the retention alone
SIMULATED_CARDS = 2000
MAX_RUNS = 40


@dataclass(frozen=True)
class Workload:
    desired_retention: float
    minutes_per_day: float
    reviews_per_day: float
    remembered: float  # cards expected to be recalled at the end of the year

    @property
    def minutes_per_card_remembered(self) -> float:
        return self.minutes_per_day * DAYS / self.remembered if self.remembered else float("inf")


def simulated_workload(
    *,
    parameters: Sequence[float],
    desired_retention: float,
    card_count: int,
    new_per_day: int,
    seconds_per_rating: Sequence[Sequence[float]] | None = None,
) -> Workload:
    """A year of study of `card_count` cards at one desired retention."""
    config = fsrs_rs_python.default_simulator_config()
    config.deck_size = card_count
    config.learn_span = DAYS
    config.learn_limit = max(1, new_per_day)
    if seconds_per_rating is not None:
        config.state_rating_costs = [list(row) for row in seconds_per_rating]
    runs = max(1, min(MAX_RUNS, math.ceil(SIMULATED_CARDS / max(card_count, 1))))
    results = [
        fsrs_rs_python.simulate(list(parameters), desired_retention, config, SEED + run)
        for run in range(runs)
    ]
    return Workload(
        desired_retention=desired_retention,
        minutes_per_day=sum(sum(result.cost_per_day) for result in results) / runs / DAYS / 60,
        reviews_per_day=sum(
            sum(result.review_cnt_per_day) + sum(result.learn_cnt_per_day) for result in results
        )
        / runs
        / DAYS,
        remembered=sum(result.memorized_cnt_per_day[-1] for result in results) / runs,
    )


def workload_table(
    *,
    parameters: Sequence[float],
    card_count: int,
    new_per_day: int,
    seconds_per_rating: Sequence[Sequence[float]] | None = None,
    retentions: Sequence[float] = RETENTIONS,
) -> list[Workload]:
    """One row per desired retention, lowest first."""
    return [
        simulated_workload(
            parameters=parameters,
            desired_retention=retention,
            card_count=card_count,
            new_per_day=new_per_day,
            seconds_per_rating=seconds_per_rating,
        )
        for retention in sorted(set(retentions))
    ]


def least_work_per_card(rows: Sequence[Workload]) -> Workload:
    """The row that costs the fewest minutes per card remembered at the end of the year."""
    return min(rows, key=lambda row: row.minutes_per_card_remembered)
