"""The pure fitting module: training items, fitting, predictions and srs-benchmark metrics."""

import math
from datetime import UTC, datetime, timedelta

import fsrs
import fsrs_rs_python
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from questions.fitting import (
    LoggedReview,
    NotEnoughReviews,
    Prediction,
    ReviewLogError,
    auc,
    chronological,
    fit_parameters,
    log_loss,
    metrics,
    predictable_positions,
    predictions,
    read_review_log,
    rmse_bins,
    usable_parameters,
    write_review_log,
)
from questions.fitting.evaluation import methods, split_evaluation
from questions.learner_simulation import LEARNER_PARAMETERS, simulate_learner

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def review(card, rating, days=0.0, minutes=0):
    return LoggedReview(
        card=card, rating=rating, reviewed_at=T0 + timedelta(days=days, minutes=minutes)
    )


@pytest.fixture(scope="module")
def simulated_log():
    """A learner with known parameters: 300 cards over 240 days, about 3,500 reviews."""
    return [item.review for item in simulate_learner(cards=300, days=240, seed=7)]


def test_fit_predicts_held_back_reviews_better_than_the_defaults_and_near_the_learner(
    simulated_log,
):
    chosen = methods()
    chosen["truth"] = lambda log: list(LEARNER_PARAMETERS)

    result = split_evaluation(simulated_log, chosen=chosen)

    default, fitted, ours, truth = (
        result.scores[name] for name in ("defaults", "fsrs-rs, Anki items", "quizsite", "truth")
    )
    assert fitted.n == default.n == truth.n == ours.n > 500
    # The defaults describe another learner; the fit, which never saw these reviews, comes
    # within a hair of the parameters that generated them.
    assert fitted.log_loss < default.log_loss - 0.005
    assert fitted.log_loss < truth.log_loss + 0.005
    assert fitted.rmse_bins < default.rmse_bins
    assert ours.log_loss <= fitted.log_loss + 0.001
    # The fitted forgetting curve moved from the default shape towards the learner's steeper one.
    own = result.last_parameters["fsrs-rs, Anki items"]
    assert abs(own[20] - LEARNER_PARAMETERS[20]) < abs(
        DEFAULT_PARAMETERS[20] - LEARNER_PARAMETERS[20]
    )


def test_fitted_parameters_are_fsrs6_and_accepted_by_the_engine(simulated_log):
    fitted = fit_parameters(simulated_log[:1500])

    assert len(fitted) == 21
    assert fsrs.Scheduler(parameters=fitted).parameters == tuple(fitted)
    assert fitted != list(DEFAULT_PARAMETERS)


def test_single_precision_bounds_are_brought_inside_pyfsrs_bounds():
    # fsrs-rs returns the decay's upper bound 0.8 as the float32 0.800000011920929.
    raw = [*DEFAULT_PARAMETERS[:20], 0.800000011920929]

    usable = usable_parameters(raw)

    assert usable[20] == 0.8
    fsrs.Scheduler(parameters=usable)


def test_a_parameter_list_that_is_not_fsrs6_is_refused():
    with pytest.raises(ValueError, match="FSRS-6 has 21 parameters; the optimizer returned 19"):
        usable_parameters(DEFAULT_PARAMETERS[:19])


@pytest.mark.parametrize(
    "log",
    [
        [],
        [review("a", 3), review("b", 1)],
        # 08:00, 08:10 and 03:00 the next morning: one study day, which starts at 04:00.
        [review("a", 1), review("a", 3, minutes=10), review("a", 3, days=19 / 24)],
    ],
    ids=["empty", "first reviews only", "same day only"],
)
def test_a_log_with_nothing_to_learn_from_is_refused(log):
    with pytest.raises(NotEnoughReviews, match="on a later day than an earlier review"):
        fit_parameters(log)


def test_only_later_reviews_on_a_later_study_day_are_predicted():
    log = chronological(
        [
            review("a", 3),  # 0: first review, 08:00
            review("a", 1, minutes=10),  # 1: same day
            review("a", 3, days=19 / 24),  # 2: 03:00 the next morning: still the same study day
            review("a", 3, days=20 / 24 + 1 / 24 / 60),  # 3: 04:01: the next study day
            review("b", 3, days=3),  # 4: first review
        ]
    )

    assert predictable_positions(log) == [3]


def test_a_review_a_few_hours_later_across_the_rollover_is_a_day_later():
    # 23:00 then 09:00: no 24-hour period between them, but a new study day.
    evening = LoggedReview("a", 3, datetime(2026, 3, 2, 23, 0, tzinfo=UTC))
    morning = LoggedReview("a", 3, datetime(2026, 3, 3, 9, 0, tzinfo=UTC))

    (predicted,) = predictions(parameters=DEFAULT_PARAMETERS, log=[evening, morning])

    assert predicted.elapsed_days == 1


def test_predictions_follow_the_forgetting_curve_from_the_state_before_each_review():
    """Hand computation with the default parameters (w2 = 2.3065, w3 = 8.2956, w20 = 0.1542).

    F = 0.9 ** (-1 / 0.1542) - 1 = 0.980346; R(t, S) = (1 + F·t/S) ** -0.1542.
    Card a: Good (S = w2 = 2.3065), Good 5 days later:
        R = (1 + 0.980346·5/2.3065) ** -0.1542 = 3.125182 ** -0.1542 = 0.838861.
    Card b: Easy (S = w3 = 8.2956), Again 10 days later:
        R = (1 + 0.980346·10/8.2956) ** -0.1542 = 2.181766 ** -0.1542 = 0.886657.
    """
    log = chronological(
        [
            review("a", 3),
            review("b", 4, minutes=1),
            review("a", 3, days=5),
            review("b", 1, days=10, minutes=1),
            review("b", 3, days=10, minutes=11),  # same day as the previous: not predicted
        ]
    )

    predicted = predictions(parameters=DEFAULT_PARAMETERS, log=log)

    assert [p.probability for p in predicted] == pytest.approx([0.838861, 0.886657], abs=1e-6)
    assert [(p.recalled, p.elapsed_days, p.review_number, p.lapses) for p in predicted] == [
        (True, 5, 2, 0),
        (False, 10, 2, 0),
    ]


@pytest.mark.parametrize(
    "history",
    [[(3, 0), (3, 5)], [(1, 0), (3, 0), (3, 3)], [(3, 0), (1, 4), (3, 0), (3, 2), (2, 9)]],
)
def test_the_last_prediction_agrees_with_the_optimizers_own_model(history):
    """fsrs-rs's `evaluate` of a single item is the log loss of its last review alone."""
    log, moment = [], T0
    for rating, days in history:
        moment += timedelta(days=days, minutes=10)
        log.append(LoggedReview(card="a", rating=rating, reviewed_at=moment))
    item = fsrs_rs_python.FSRSItem([fsrs_rs_python.FSRSReview(r, d) for r, d in history])

    last = predictions(parameters=DEFAULT_PARAMETERS, log=log)[-1]

    own = fsrs_rs_python.FSRS(list(DEFAULT_PARAMETERS)).evaluate([item]).log_loss
    assert log_loss([last]) == pytest.approx(own, rel=1e-5)


def test_metrics_equal_a_hand_computation():
    """Four predictions (p, recalled, elapsed days t, review number i, lapses l):

      A 0.9 yes t=1  i=2 l=0    bins: t 2.48·3.62^0 = 2.48;  i round(1.99·1.89^1) = 4; l 0
      B 0.8 yes t=1  i=2 l=0    same bin as A
      C 0.7 no  t=4  i=3 l=1    t 2.48·3.62^1 = 8.98;  i round(1.99·1.89^1) = 4;  l round(1.65) = 2
      D 0.7 yes t=20 i=5 l=2    t 2.48·3.62^2 = 32.5;  i round(1.99·1.89^2) = 7;  l round(1.65·1.73) = 3

    log loss = -(ln 0.9 + ln 0.8 + ln 0.3 + ln 0.7) / 4
             = (0.105361 + 0.223144 + 1.203973 + 0.356675) / 4 = 0.472288
    RMSE(bins): bin AB mean p 0.85 vs 1 (2 reviews), bin C 0.7 vs 0, bin D 0.7 vs 1:
             sqrt((2·0.15² + 0.7² + 0.3²) / 4) = sqrt(0.625 / 4) = 0.395285
    AUC: ranks by p — C 1.5, D 1.5 (tied), B 3, A 4; recalled rank sum 1.5 + 3 + 4 = 8.5;
         (8.5 - 3·4/2) / (3·1) = 2.5 / 3 = 0.833333
    """
    predicted = [
        Prediction(probability=0.9, recalled=True, elapsed_days=1, review_number=2, lapses=0),
        Prediction(probability=0.8, recalled=True, elapsed_days=1, review_number=2, lapses=0),
        Prediction(probability=0.7, recalled=False, elapsed_days=4, review_number=3, lapses=1),
        Prediction(probability=0.7, recalled=True, elapsed_days=20, review_number=5, lapses=2),
    ]

    assert log_loss(predicted) == pytest.approx(0.472288, abs=1e-6)
    assert rmse_bins(predicted) == pytest.approx(0.395285, abs=1e-6)
    assert auc(predicted) == pytest.approx(2.5 / 3)
    assert metrics(predicted).line() == "log_loss=0.4723 rmse_bins=0.3953 auc=0.8333 n=4"


@pytest.mark.parametrize(
    ("first", "second", "same_bin"),
    [
        ((3, 2, 0), (4, 2, 0), False),  # elapsed days: bins start at 1, 3.62, 13.1, 47.4…
        ((4, 2, 0), (13, 2, 0), True),
        ((4, 2, 0), (14, 2, 0), False),
        ((5, 2, 0), (5, 3, 0), True),  # review number: bins start at 1, 1.89, 3.57, 6.75…
        ((5, 3, 0), (5, 4, 0), False),
        ((5, 4, 0), (5, 6, 0), True),
        ((5, 2, 0), (5, 2, 1), False),  # lapses: 0 alone, then 1, 1.73, 2.99, 5.18…
        ((5, 2, 1), (5, 2, 2), False),
        ((5, 2, 3), (5, 2, 5), True),
    ],
)
def test_reviews_share_a_bin_exactly_when_srs_benchmark_bins_agree(first, second, same_bin):
    # One recalled at p 0.5 and one forgotten at p 0.5: in one bin the means agree (RMSE 0),
    # in two bins each is 0.5 off.
    predicted = [
        Prediction(0.5, True, first[0], first[1], first[2]),
        Prediction(0.5, False, second[0], second[1], second[2]),
    ]

    assert rmse_bins(predicted) == pytest.approx(0.0 if same_bin else 0.5)


def test_auc_is_undefined_when_every_review_has_the_same_outcome():
    predicted = [Prediction(0.9, True, 1, 2, 0), Prediction(0.8, True, 1, 2, 0)]

    assert math.isnan(auc(predicted))


def test_a_written_log_reads_back_the_same():
    simulated = simulate_learner(cards=5, days=20, seed=1)

    text = write_review_log(
        (item.review for item in simulated), (item.duration_ms for item in simulated)
    )

    assert text.startswith("card_id,review_rating,review_time,review_duration\n")
    assert read_review_log(text) == [
        LoggedReview(
            card=str(item.review.card),
            rating=item.review.rating,
            reviewed_at=item.review.reviewed_at,
        )
        for item in simulated
    ]


def test_the_simulated_learner_is_reproducible():
    assert simulate_learner(cards=20, days=30, seed=3) == simulate_learner(
        cards=20, days=30, seed=3
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("card_id,review_rating,review_time\n", "line 1: missing column(s): review_duration."),
        (
            "card_id,review_rating,review_time,review_duration\n1,3,2026-01-01T00:00:00Z,900\n"
            "1,5,2026-01-02T00:00:00Z,900\n",
            "line 3: review_rating is 1, 2, 3 or 4, not 5.",
        ),
        (
            "card_id,review_rating,review_time,review_duration\n1,3,yesterday,900\n",
            "line 2: review_time 'yesterday' is not an ISO-8601 time.",
        ),
        (
            "card_id,review_rating,review_time,review_duration\n1,good,2026-01-01T00:00:00Z,9\n",
            "line 2: review_rating 'good' is not a number.",
        ),
        (
            "card_id,review_rating,review_time,review_duration\n,3,2026-01-01T00:00:00Z,9\n",
            "line 2: card_id is empty.",
        ),
        ("card_id,review_rating,review_time,review_duration\n", "the file has no reviews."),
    ],
)
def test_a_bad_review_log_is_refused_with_its_line(text, message):
    with pytest.raises(ReviewLogError) as error:
        read_review_log(text)

    assert str(error.value) == message


def test_times_without_an_offset_are_read_as_utc_and_others_converted():
    text = (
        "card_id,review_rating,review_time,review_duration\n"
        "1,3,2026-01-01T10:00:00,900\n1,3,2026-01-03T10:00:00+02:00,900\n"
    )

    times = [review.reviewed_at for review in read_review_log(text)]

    assert times == [datetime(2026, 1, 1, 10, tzinfo=UTC), datetime(2026, 1, 3, 8, tzinfo=UTC)]
