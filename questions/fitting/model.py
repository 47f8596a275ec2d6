"""FSRS-6 on a review log: the training items fsrs-rs learns from, fitting, and predictions.

Pure: plain values in and out, no ORM. The optimizer is fsrs-rs (the Rust FSRS that Anki uses,
through `fsrs_rs_python`); it needs no PyTorch.

Items are made as Anki makes them: each card's reviews in order, `delta_t` the study days since
the card's previous review (`DayClock`), and one item per review made on a later study day than
the previous one, holding the card's history up to and including it. A card's first review and
reviews on the same study day as the previous one are never predicted; they still shape the
memory state (FSRS-6's short-term stability). fsrs-rs's `compute_parameters` filters outliers
itself (`filter_outlier`: rare first-rating/first-interval groups are dropped), as in Anki.

Predictions. The probability of recall of a predicted review is FSRS-6's forgetting curve
`R(t, S) = (1 + F·t/S) ** -w20` with `F = 0.9 ** (-1/w20) - 1`, where `t` is the elapsed study
days and `S` the stability after the card's previous review, as fsrs-rs computes the memory state
from the card's whole earlier history. A review counts as recalled unless it was rated Again.
"""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import fsrs_rs_python
from fsrs.scheduler import (
    DEFAULT_PARAMETERS,
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

from questions.fitting.days import ANKI_DEFAULT_CLOCK, DayClock
from questions.fitting.reviews import AGAIN, LoggedReview, NotEnoughReviews, chronological

PARAMETER_COUNT = 21  # FSRS-6
# Four decimals, as Anki shows them: finer digits are noise from single-precision training.
PARAMETER_DECIMALS = 4


@dataclass(frozen=True)
class Prediction:
    """A predicted review: the probability of recall given, and what happened.

    `review_number` and `lapses` are the srs-benchmark's `i` and `lapse`: 1 + the number of the
    card's reviews made on a later study day than the previous one, up to and including this one;
    and the number of its earlier such reviews rated Again.
    """

    probability: float
    recalled: bool
    elapsed_days: int
    review_number: int
    lapses: int


@dataclass(frozen=True)
class _CardHistory:
    positions: list[int]  # index of each review in the chronological log
    ratings: list[int]
    elapsed: list[int]  # study days since the previous review; 0 for the first

    def fsrs_reviews(self, end: int) -> list:
        return [
            fsrs_rs_python.FSRSReview(rating, days)
            for rating, days in zip(self.ratings[:end], self.elapsed[:end], strict=True)
        ]

    def predicted_indices(self) -> list[int]:
        return [index for index, days in enumerate(self.elapsed) if index > 0 and days > 0]


def _card_histories(log: Sequence[LoggedReview], clock: DayClock) -> list[_CardHistory]:
    by_card: dict[Hashable, list[int]] = defaultdict(list)
    for position, review in enumerate(log):
        by_card[review.card].append(position)
    histories = []
    for positions in by_card.values():
        times = [log[position].reviewed_at for position in positions]
        histories.append(
            _CardHistory(
                positions=positions,
                ratings=[log[position].rating for position in positions],
                elapsed=[0] + [clock.elapsed_days(a, b) for a, b in pairwise(times)],
            )
        )
    return histories


def predictable_positions(
    log: Sequence[LoggedReview], *, clock: DayClock = ANKI_DEFAULT_CLOCK
) -> list[int]:
    """Positions in the chronological log of the reviews that can be predicted (and learned
    from): not a card's first review, and on a later study day than the card's previous one."""
    return sorted(
        history.positions[index]
        for history in _card_histories(log, clock)
        for index in history.predicted_indices()
    )


def training_items(log: Sequence[LoggedReview], *, clock: DayClock = ANKI_DEFAULT_CLOCK) -> list:
    """fsrs-rs training items, as Anki makes them: for each predictable review, the card's
    history up to it; in the order of the predicted reviews in the log."""
    keyed = [
        (history.positions[index], fsrs_rs_python.FSRSItem(history.fsrs_reviews(index + 1)))
        for history in _card_histories(log, clock)
        for index in history.predicted_indices()
    ]
    return [item for _, item in sorted(keyed, key=lambda pair: pair[0])]


def usable_parameters(parameters: Sequence[float]) -> list[float]:
    """21 numbers rounded to 4 decimals and kept inside the bounds py-fsrs accepts.

    fsrs-rs trains in single precision: a bound such as 0.8 comes back as 0.800000011920929,
    which py-fsrs's `Scheduler` would refuse.
    """
    if len(parameters) != PARAMETER_COUNT:
        raise ValueError(
            f"FSRS-6 has {PARAMETER_COUNT} parameters; the optimizer returned {len(parameters)}."
        )
    return [
        min(max(round(float(value), PARAMETER_DECIMALS), low), high)
        for value, low, high in zip(
            parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    ]


def compute_parameters(items: Sequence) -> list[float]:
    """fsrs-rs's own fit of training items, exactly as Anki calls it (raises on no items)."""
    if not items:
        raise NotEnoughReviews(
            "No review was made on a later day than an earlier review of the same card."
        )
    return usable_parameters(
        fsrs_rs_python.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(list(items))
    )


def fit_parameters(
    log: Sequence[LoggedReview], *, clock: DayClock = ANKI_DEFAULT_CLOCK
) -> list[float]:
    """FSRS-6 parameters fitted by fsrs-rs to the log (any order), with Anki's items.

    Raises NotEnoughReviews when no review can be learned from (fsrs-rs would abort).
    """
    return compute_parameters(training_items(chronological(log), clock=clock))


def recall_probability(*, parameters: Sequence[float], stability: float, days: float) -> float:
    """FSRS-6's forgetting curve: R = (1 + F·t/S) ** -w20, F = 0.9 ** (-1/w20) - 1."""
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    return (1 + factor * days / stability) ** decay


def predictions(
    *,
    parameters: Sequence[float],
    log: Sequence[LoggedReview],
    first_position: int = 0,
    end_position: int | None = None,
    clock: DayClock = ANKI_DEFAULT_CLOCK,
) -> list[Prediction]:
    """Predictions, in log order, for the predictable reviews at positions `first_position` up
    to (not including) `end_position` of a chronological log; memory states come from each
    card's whole history before the review."""
    end = len(log) if end_position is None else end_position
    model = fsrs_rs_python.FSRS(list(parameters))
    histories = [
        history
        for history in _card_histories(log, clock)
        if history.positions[-1] >= first_position and history.positions[0] < end
    ]
    states_per_card = model.historical_memory_state_batch(
        [
            fsrs_rs_python.FSRSItem(history.fsrs_reviews(len(history.ratings)))
            for history in histories
        ]
    )
    predicted: list[tuple[int, Prediction]] = []
    for history, states in zip(histories, states_per_card, strict=True):
        review_number, lapses = 1, 0
        for index in history.predicted_indices():
            review_number += 1
            if first_position <= history.positions[index] < end:
                days = history.elapsed[index]
                prediction = Prediction(
                    probability=recall_probability(
                        parameters=parameters, stability=states[index - 1].stability, days=days
                    ),
                    recalled=history.ratings[index] != AGAIN,
                    elapsed_days=days,
                    review_number=review_number,
                    lapses=lapses,
                )
                predicted.append((history.positions[index], prediction))
            if history.ratings[index] == AGAIN:
                lapses += 1
    return [prediction for _, prediction in sorted(predicted, key=lambda pair: pair[0])]
