"""How well predictions match what happened, as the open-spaced-repetition srs-benchmark scores it
(`utils.rmse_matrix`, sklearn's `log_loss` and `roc_auc_score`)."""

import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from questions.fitting.model import Prediction
from questions.fitting.reviews import NotEnoughReviews


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
