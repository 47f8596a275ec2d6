"""Scoring ways of choosing parameters on one review log, as the srs-benchmark does.

`time_series_evaluation` is the srs-benchmark's method (and fsrs-rs's
`evaluate_with_time_series_splits`): the predictable reviews, oldest first, are cut into six equal
segments (the last takes the remainder); in fold `i` (1–5) parameters are chosen from every review
before segment `i` and predict segment `i`. All folds' predictions are scored together, each
review weighted alike. `split_evaluation` is the simpler single split: the oldest 70% of the
reviews to choose parameters, the predictable rest to score them.

A *method* is a function from the reviews it may learn from to parameters; `methods()` gives the
three compared: FSRS-6's defaults; fsrs-rs's `compute_parameters` fed Anki-style items (the
reference a user would compare against: what Anki's "Optimize" would give); and ours, what
quizsite would schedule with: that same fit made without the newest fifth of the reviews, shrunk
toward the population when there is one, and adopted only if it predicts that fifth better than
the defaults.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from fsrs.scheduler import DEFAULT_PARAMETERS

from questions.fitting.days import ANKI_DEFAULT_CLOCK, DayClock
from questions.fitting.metrics import Metrics, metrics
from questions.fitting.model import fit_parameters, predictable_positions, predictions
from questions.fitting.prior import chosen_parameters
from questions.fitting.reviews import LoggedReview, NotEnoughReviews, chronological

SPLITS = 5
Method = Callable[[Sequence[LoggedReview]], list[float]]


def methods(
    *, clock: DayClock = ANKI_DEFAULT_CLOCK, population: Sequence[float] | None = None
) -> dict[str, Method]:
    """The compared methods, by the name the table shows."""
    current = list(DEFAULT_PARAMETERS)  # what an unfitted learner is scheduled with
    return {
        "defaults": lambda log: list(DEFAULT_PARAMETERS),
        "fsrs-rs, Anki items": lambda log: fit_parameters(log, clock=clock),
        "quizsite": lambda log: chosen_parameters(
            log, current=current, population=population, clock=clock
        ),
    }


@dataclass(frozen=True)
class Fold:
    """Learn from positions [0, test_start), predict the predictable reviews in
    [test_start, test_end) of the chronological log."""

    test_start: int
    test_end: int


def time_series_folds(
    log: Sequence[LoggedReview], *, clock: DayClock = ANKI_DEFAULT_CLOCK, splits: int = SPLITS
) -> list[Fold]:
    """fsrs-rs's `TimeSeriesSplit` over the predictable reviews of a chronological log."""
    predictable = predictable_positions(log, clock=clock)
    segment = len(predictable) // (splits + 1)
    if segment == 0:
        raise NotEnoughReviews(
            f"Time-series evaluation needs at least {splits + 1} predictable reviews; "
            f"the log has {len(predictable)}."
        )
    return [
        Fold(
            test_start=predictable[(fold + 1) * segment],
            test_end=predictable[(fold + 2) * segment] if fold < splits - 1 else len(log),
        )
        for fold in range(splits)
    ]


@dataclass(frozen=True)
class Evaluation:
    """Each method's scores, in the order the methods were given."""

    scores: dict[str, Metrics]
    folds: list[Fold]
    last_parameters: dict[str, list[float]]  # chosen in the last fold (or the single split)

    def table(self) -> list[str]:
        width = max(len(name) for name in self.scores)
        lines = [f"{'':{width}}  log_loss  rmse_bins     auc       n"]
        for name, score in self.scores.items():
            lines.append(
                f"{name:{width}}  {score.log_loss:8.4f}  {score.rmse_bins:9.4f}  "
                f"{score.auc:6.4f}  {score.n:6d}"
            )
        return lines


def _evaluate(
    log: Sequence[LoggedReview], folds: list[Fold], chosen: dict[str, Method], clock: DayClock
) -> Evaluation:
    predicted: dict[str, list] = {name: [] for name in chosen}
    last: dict[str, list[float]] = {}
    for fold in folds:
        training = log[: fold.test_start]
        for name, method in chosen.items():
            parameters = method(training)
            last[name] = parameters
            predicted[name] += predictions(
                parameters=parameters,
                log=log,
                first_position=fold.test_start,
                end_position=fold.test_end,
                clock=clock,
            )
    return Evaluation(
        scores={name: metrics(found) for name, found in predicted.items()},
        folds=folds,
        last_parameters=last,
    )


def time_series_evaluation(
    log: Sequence[LoggedReview],
    *,
    chosen: dict[str, Method],
    clock: DayClock = ANKI_DEFAULT_CLOCK,
    splits: int = SPLITS,
) -> Evaluation:
    ordered = chronological(log)
    return _evaluate(ordered, time_series_folds(ordered, clock=clock, splits=splits), chosen, clock)


def split_evaluation(
    log: Sequence[LoggedReview],
    *,
    chosen: dict[str, Method],
    clock: DayClock = ANKI_DEFAULT_CLOCK,
    train_share: float = 0.7,
) -> Evaluation:
    """Learn from the oldest `train_share` of the reviews, predict the predictable rest."""
    ordered = chronological(log)
    cut = math.floor(len(ordered) * train_share + 1e-9)
    if cut == 0 or cut == len(ordered):
        raise NotEnoughReviews("The log is too short to split into a training and a test part.")
    return _evaluate(ordered, [Fold(test_start=cut, test_end=len(ordered))], chosen, clock)


def split_moment(log: Sequence[LoggedReview], evaluation: Evaluation) -> datetime:
    return chronological(log)[evaluation.folds[0].test_start].reviewed_at
