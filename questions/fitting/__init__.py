"""FSRS-6 fitted to review logs, and how well parameters predict them. Pure: no ORM.

- `days`: study days as FSRS and Anki count them (time zone, rollover hour).
- `reviews`: review logs as plain values, and their CSV layout.
- `model`: fsrs-rs training items, fitting, predictions.
- `metrics`: log loss, RMSE(bins), AUC as the srs-benchmark computes them.
- `prior`: population parameters, shrinkage toward them, the adoption rule.
- `evaluation`: time-series splits and the single split, comparing methods in one table.
- `retention`: the workload and knowledge retained at each desired retention (fsrs-rs simulator).
"""

from questions.fitting.days import ANKI_DEFAULT_CLOCK, DayClock
from questions.fitting.metrics import Metrics, auc, log_loss, metrics, rmse_bins
from questions.fitting.model import (
    PARAMETER_COUNT,
    Prediction,
    compute_parameters,
    fit_parameters,
    predictable_positions,
    predictions,
    recall_probability,
    training_items,
    usable_parameters,
)
from questions.fitting.reviews import (
    LoggedReview,
    NotEnoughReviews,
    ReviewLogError,
    chronological,
    read_review_log,
    write_review_log,
)

__all__ = [
    "ANKI_DEFAULT_CLOCK",
    "PARAMETER_COUNT",
    "DayClock",
    "LoggedReview",
    "Metrics",
    "NotEnoughReviews",
    "Prediction",
    "ReviewLogError",
    "auc",
    "chronological",
    "compute_parameters",
    "fit_parameters",
    "log_loss",
    "metrics",
    "predictable_positions",
    "predictions",
    "read_review_log",
    "recall_probability",
    "rmse_bins",
    "training_items",
    "usable_parameters",
    "write_review_log",
]
