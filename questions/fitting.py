"""FSRS-6 parameters fitted to one learner's review log, and how well parameters predict it.

Pure: plain values in and out, no ORM. The optimizer is fsrs-rs (the Rust FSRS that Anki uses,
through `fsrs_rs_python`); it needs no PyTorch.

Days. A review's elapsed time is counted in whole 24-hour periods since the previous review of the
same card, `(reviewed_at - previous).days`, exactly as py-fsrs (the engine in
`questions/scheduling.py`) counts it, so fitted parameters describe what the engine computes.
A review less than 24 hours after the previous one of its card is a *same-day* review: it shapes
the memory state (FSRS-6's short-term stability) but is never predicted, and the first review of
a card is never predicted either.

Predictions. The probability of recall of a predicted review is FSRS-6's forgetting curve
`R(t, S) = (1 + F·t/S) ** -w20` with `F = 0.9 ** (-1/w20) - 1`, where `t` is the elapsed days and
`S` the stability after the card's previous review, as fsrs-rs computes the memory state from the
card's whole earlier history. A review counts as recalled unless it was rated Again.

Metrics, as the open-spaced-repetition srs-benchmark computes them (`utils.rmse_matrix`,
sklearn's `log_loss` and `roc_auc_score`): see `log_loss`, `rmse_bins`, `auc`. Unlike the
srs-benchmark, `benchmark` makes one split in time (oldest 70% to fit) rather than time-series
folds, filters no outliers, and weighs every predicted review alike (fsrs-rs's own `evaluate`
weighs recent reviews more, so its figures differ from these).
"""

import csv
import io
import math
import sys
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise

import fsrs_rs_python
from fsrs.scheduler import (
    DEFAULT_PARAMETERS,
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

PARAMETER_COUNT = 21  # FSRS-6
AGAIN = 1
RATINGS = (1, 2, 3, 4)
# Four decimals, as Anki shows them: finer digits are noise from single-precision training.
PARAMETER_DECIMALS = 4

CSV_COLUMNS = ("card_id", "review_rating", "review_time", "review_duration")


class NotEnoughReviews(ValueError):
    """No review in the log can be learned from: each card was only seen once or the same day."""


class ReviewLogError(ValueError):
    """A review-log file that cannot be read; `line` is the 1-based line of the problem."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass(frozen=True)
class LoggedReview:
    """One review of one card: who or what the card is does not matter, only its history."""

    card: Hashable
    rating: int
    reviewed_at: datetime


@dataclass(frozen=True)
class Prediction:
    """A predicted review: the probability of recall given, and what happened.

    `review_number` and `lapses` are the srs-benchmark's `i` and `lapse`: 1 + the number of the
    card's reviews made a day or more after the previous one, up to and including this one; and
    the number of its earlier such reviews rated Again.
    """

    probability: float
    recalled: bool
    elapsed_days: int
    review_number: int
    lapses: int


@dataclass(frozen=True)
class Metrics:
    log_loss: float
    rmse_bins: float
    auc: float
    n: int

    def line(self) -> str:
        return (
            f"log_loss={self.log_loss:.4f} rmse_bins={self.rmse_bins:.4f} "
            f"auc={self.auc:.4f} n={self.n}"
        )


def elapsed_days(previous: datetime, current: datetime) -> int:
    """Whole 24-hour periods from one review of a card to the next, as py-fsrs counts them."""
    return max(0, (current - previous).days)


def chronological(reviews: Iterable[LoggedReview]) -> list[LoggedReview]:
    """The reviews oldest first; reviews at the same moment keep their order."""
    return sorted(reviews, key=lambda review: review.reviewed_at)


@dataclass(frozen=True)
class _CardHistory:
    positions: list[int]  # index of each review in the chronological log
    ratings: list[int]
    elapsed: list[int]  # 0 for the first review

    def fsrs_reviews(self, end: int) -> list:
        return [
            fsrs_rs_python.FSRSReview(rating, days)
            for rating, days in zip(self.ratings[:end], self.elapsed[:end], strict=True)
        ]


def _card_histories(log: Sequence[LoggedReview]) -> list[_CardHistory]:
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
                elapsed=[0] + [elapsed_days(a, b) for a, b in pairwise(times)],
            )
        )
    return histories


def predictable_positions(log: Sequence[LoggedReview]) -> list[int]:
    """Positions in the chronological log of the reviews that can be predicted (and learned
    from): not a card's first review, and a day or more after the card's previous review."""
    return sorted(
        history.positions[index]
        for history in _card_histories(log)
        for index, days in enumerate(history.elapsed)
        if index > 0 and days > 0
    )


def training_items(log: Sequence[LoggedReview]) -> list:
    """fsrs-rs training items: for each predictable review, the card's history up to it."""
    items = []
    for history in _card_histories(log):
        for index, days in enumerate(history.elapsed):
            if index > 0 and days > 0:
                items.append(fsrs_rs_python.FSRSItem(history.fsrs_reviews(index + 1)))
    return items


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


def fit_parameters(log: Sequence[LoggedReview]) -> list[float]:
    """FSRS-6 parameters fitted by fsrs-rs to the log (any order), starting from the defaults.

    Raises NotEnoughReviews when no review can be learned from (fsrs-rs would abort).
    """
    items = training_items(chronological(log))
    if not items:
        raise NotEnoughReviews(
            "No review was made a day or more after an earlier review of the same card."
        )
    fitted = fsrs_rs_python.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items)
    return usable_parameters(fitted)


def recall_probability(*, parameters: Sequence[float], stability: float, days: float) -> float:
    """FSRS-6's forgetting curve: R = (1 + F·t/S) ** -w20, F = 0.9 ** (-1/w20) - 1."""
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    return (1 + factor * days / stability) ** decay


def predictions(
    *, parameters: Sequence[float], log: Sequence[LoggedReview], first_position: int = 0
) -> list[Prediction]:
    """Predictions, in log order, for the predictable reviews at `first_position` or later of a
    chronological log; memory states come from each card's whole history before the review."""
    model = fsrs_rs_python.FSRS(list(parameters))
    histories = [
        history for history in _card_histories(log) if history.positions[-1] >= first_position
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
        for index, (rating, days) in enumerate(zip(history.ratings, history.elapsed, strict=True)):
            if index == 0 or days == 0:
                continue
            review_number += 1
            if history.positions[index] >= first_position:
                probability = recall_probability(
                    parameters=parameters, stability=states[index - 1].stability, days=days
                )
                predicted.append(
                    (
                        history.positions[index],
                        Prediction(
                            probability=probability,
                            recalled=rating != AGAIN,
                            elapsed_days=days,
                            review_number=review_number,
                            lapses=lapses,
                        ),
                    )
                )
            if rating == AGAIN:
                lapses += 1
    return [prediction for _, prediction in sorted(predicted, key=lambda pair: pair[0])]


def log_loss(predicted: Sequence[Prediction]) -> float:
    """Mean binary cross-entropy, probabilities clipped to [ε, 1-ε] with ε the float64 machine
    epsilon (as sklearn's `log_loss` does)."""
    epsilon = sys.float_info.epsilon
    total = 0.0
    for prediction in predicted:
        p = min(max(prediction.probability, epsilon), 1 - epsilon)
        total -= math.log(p) if prediction.recalled else math.log(1 - p)
    return total / len(predicted)


def _log_bin(value: float, base: float, scale: float, digits: int) -> float:
    return round(scale * base ** math.floor(math.log(value) / math.log(base)), digits)


def rmse_bins(predicted: Sequence[Prediction]) -> float:
    """srs-benchmark's RMSE(bins) (`utils.rmse_matrix`).

    Each prediction falls in a bin keyed by three rounded logarithmic bins:
      elapsed days t → round(2.48 · 3.62 ** floor(log(t) / log(3.62)), 2),
      review number i → round(1.99 · 1.89 ** floor(log(i) / log(1.89))),
      lapses l → 0 if l == 0 else round(1.65 · 1.73 ** floor(log(l) / log(1.73))).
    In each bin, the mean predicted probability and the share recalled are compared; the result is
    the root of the mean squared difference, each bin weighted by its number of reviews.
    """
    bins: dict[tuple[float, float, float], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for prediction in predicted:
        key = (
            _log_bin(prediction.elapsed_days, 3.62, 2.48, 2),
            _log_bin(prediction.review_number, 1.89, 1.99, 0),
            _log_bin(prediction.lapses, 1.73, 1.65, 0) if prediction.lapses else 0,
        )
        sums = bins[key]
        sums[0] += prediction.probability
        sums[1] += 1.0 if prediction.recalled else 0.0
        sums[2] += 1
    squared = sum(
        count * (p_sum / count - y_sum / count) ** 2 for p_sum, y_sum, count in bins.values()
    )
    return math.sqrt(squared / len(predicted))


def auc(predicted: Sequence[Prediction]) -> float:
    """Area under the ROC curve, by the Mann–Whitney rank statistic (tied probabilities share
    their mean rank, as in sklearn's `roc_auc_score`); NaN when all were recalled or none was."""
    ordered = sorted(predicted, key=lambda prediction: prediction.probability)
    recalled_count = sum(1 for prediction in ordered if prediction.recalled)
    forgotten_count = len(ordered) - recalled_count
    if recalled_count == 0 or forgotten_count == 0:
        return math.nan
    recalled_rank_sum = 0.0
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1].probability == ordered[start].probability:
            end += 1
        mean_rank = (start + end) / 2 + 1
        recalled_rank_sum += mean_rank * sum(1 for p in ordered[start : end + 1] if p.recalled)
        start = end + 1
    return (recalled_rank_sum - recalled_count * (recalled_count + 1) / 2) / (
        recalled_count * forgotten_count
    )


def metrics(predicted: Sequence[Prediction]) -> Metrics:
    if not predicted:
        raise NotEnoughReviews("There is no review to predict.")
    return Metrics(
        log_loss=log_loss(predicted),
        rmse_bins=rmse_bins(predicted),
        auc=auc(predicted),
        n=len(predicted),
    )


@dataclass(frozen=True)
class BenchmarkResult:
    """Default and fitted parameters on the same later reviews of a log split in time."""

    fitted_parameters: list[float]
    train_count: int
    test_count: int
    split_at: datetime
    default: Metrics
    fitted: Metrics


def benchmark(log: Iterable[LoggedReview], *, train_share: float = 0.7) -> BenchmarkResult:
    """Fit on the oldest `train_share` of the reviews, predict the predictable rest.

    Only the training reviews reach the optimizer; the predicted reviews are scored with memory
    states built from every earlier review of their card, training part included.
    """
    ordered = chronological(log)
    cut = math.floor(len(ordered) * train_share + 1e-9)
    if cut == 0 or cut == len(ordered):
        raise NotEnoughReviews("The log is too short to split into a training and a test part.")
    fitted = fit_parameters(ordered[:cut])
    return BenchmarkResult(
        fitted_parameters=fitted,
        train_count=cut,
        test_count=len(ordered) - cut,
        split_at=ordered[cut].reviewed_at,
        default=metrics(
            predictions(parameters=DEFAULT_PARAMETERS, log=ordered, first_position=cut)
        ),
        fitted=metrics(predictions(parameters=fitted, log=ordered, first_position=cut)),
    )


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        # The layout says UTC; a time written without an offset is read as UTC.
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def read_review_log(text: str) -> list[LoggedReview]:
    """Reviews from CSV in py-fsrs's test-data layout: card_id, review_rating (1–4),
    review_time (ISO-8601, UTC), review_duration (ms; read for validity, not used)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in CSV_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ReviewLogError(f"missing column(s): {', '.join(missing)}.", line=1)
    reviews = []
    for row in reader:
        line = reader.line_num
        try:
            rating = int(row["review_rating"])
        except (TypeError, ValueError):
            raise ReviewLogError(
                f"review_rating {row['review_rating']!r} is not a number.", line=line
            ) from None
        if rating not in RATINGS:
            raise ReviewLogError(f"review_rating is 1, 2, 3 or 4, not {rating}.", line=line)
        try:
            reviewed_at = _parse_time(row["review_time"] or "")
        except ValueError:
            raise ReviewLogError(
                f"review_time {row['review_time']!r} is not an ISO-8601 time.", line=line
            ) from None
        duration = (row["review_duration"] or "").strip()
        if duration and not duration.lstrip("-").isdigit():
            raise ReviewLogError(
                f"review_duration {duration!r} is not a whole number of ms.", line=line
            )
        if not (row["card_id"] or "").strip():
            raise ReviewLogError("card_id is empty.", line=line)
        reviews.append(
            LoggedReview(card=row["card_id"].strip(), rating=rating, reviewed_at=reviewed_at)
        )
    if not reviews:
        raise ReviewLogError("the file has no reviews.")
    return reviews


def write_review_log(reviews: Iterable[LoggedReview], durations_ms: Iterable[int]) -> str:
    """CSV in the layout `read_review_log` reads, times as ISO-8601 UTC."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for review, duration in zip(reviews, durations_ms, strict=True):
        writer.writerow(
            [
                review.card,
                review.rating,
                review.reviewed_at.astimezone(UTC).isoformat(),
                duration,
            ]
        )
    return output.getvalue()
