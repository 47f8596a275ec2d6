"""Time-series splits and the comparison of methods, as the srs-benchmark evaluates."""

from datetime import UTC, datetime, timedelta

import fsrs_rs_python
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from questions.fitting import (
    LoggedReview,
    NotEnoughReviews,
    chronological,
    metrics,
    predictions,
    training_items,
)
from questions.fitting.evaluation import (
    Fold,
    methods,
    time_series_evaluation,
    time_series_folds,
)
from questions.learner_simulation import simulate_learner

DAY1 = datetime(2026, 3, 2, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return DAY1 + timedelta(days=day - 1, hours=hour, minutes=minute)


# Ten reviews of three cards; six of them (P0–P5) are on a later study day than the card's
# previous review and are predicted.
TINY_LOG = [
    LoggedReview("a", 3, at(1, 8)),  # 0 first
    LoggedReview("b", 3, at(1, 8, 1)),  # 1 first
    LoggedReview("a", 3, at(3, 8)),  # 2 P0, 2 days
    LoggedReview("a", 1, at(3, 8, 10)),  # 3 same day
    LoggedReview("b", 3, at(4, 8)),  # 4 P1, 3 days
    LoggedReview("c", 4, at(4, 9)),  # 5 first
    LoggedReview("a", 3, at(5, 8)),  # 6 P2, 2 days
    LoggedReview("c", 1, at(9, 8)),  # 7 P3, 5 days
    LoggedReview("b", 3, at(10, 8)),  # 8 P4, 6 days
    LoggedReview("c", 3, at(10, 9)),  # 9 P5, 1 day
]


def test_six_predictable_reviews_make_five_folds_of_one_each():
    """Six segments of one review; fold i learns from everything before P_i and predicts P_i,
    the last fold running to the end of the log."""
    assert time_series_folds(TINY_LOG) == [
        Fold(test_start=4, test_end=6),
        Fold(test_start=6, test_end=7),
        Fold(test_start=7, test_end=8),
        Fold(test_start=8, test_end=9),
        Fold(test_start=9, test_end=10),
    ]


def test_each_fold_learns_only_from_earlier_reviews_and_predicts_its_own():
    seen = []

    def by_training_size(training):
        # Parameters that depend on what was learned from: a steeper curve for more reviews.
        seen.append(list(training))
        return [*DEFAULT_PARAMETERS[:20], 0.1 + 0.05 * len(training)]

    evaluation = time_series_evaluation(TINY_LOG, chosen={"sized": by_training_size})

    assert [len(training) for training in seen] == [4, 6, 7, 8, 9]
    assert all(training == TINY_LOG[: len(training)] for training in seen)
    expected = [
        prediction
        for start, end in ((4, 6), (6, 7), (7, 8), (8, 9), (9, 10))
        for prediction in predictions(
            parameters=[*DEFAULT_PARAMETERS[:20], 0.1 + 0.05 * start],
            log=TINY_LOG,
            first_position=start,
            end_position=end,
        )
    ]
    assert [p.elapsed_days for p in expected] == [3, 2, 5, 6, 1]
    assert [p.recalled for p in expected] == [True, True, False, True, True]
    assert evaluation.scores["sized"] == metrics(expected)


def test_a_log_with_fewer_than_six_predictable_reviews_cannot_be_split():
    with pytest.raises(NotEnoughReviews, match="at least 6 predictable reviews; the log has 5"):
        time_series_folds(TINY_LOG[:9])


def test_written_out_splits_agree_with_fsrs_rs_evaluate_with_time_series_splits():
    log = chronological(item.review for item in simulate_learner(cards=150, days=200, seed=5))

    ours = time_series_evaluation(log, chosen={"fit": methods()["fsrs-rs, Anki items"]})

    theirs = fsrs_rs_python.evaluate_with_time_series_splits(training_items(log))
    assert ours.scores["fit"].log_loss == pytest.approx(theirs.log_loss, abs=2e-4)
    assert ours.scores["fit"].rmse_bins == pytest.approx(theirs.rmse_bins, abs=2e-4)
