"""The population prior: shrinkage toward the population by review count, on simulated learners."""

import math
from dataclasses import replace

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from questions.fitting import Metrics, chronological, fit_parameters, metrics, predictions, prior
from questions.fitting.days import ANKI_DEFAULT_CLOCK
from questions.fitting.prior import (
    PRIOR_REVIEWS,
    candidate_fit,
    chosen_parameters,
    fit_with_prior,
    held_back_cut,
    population_parameters,
    shrink_toward,
)
from questions.fitting.simulated_population import simulated_learners
from questions.learner_simulation import LEARNER_PARAMETERS

OWN = list(LEARNER_PARAMETERS)
POPULATION = list(DEFAULT_PARAMETERS)


@pytest.mark.parametrize(
    ("review_count", "weight"),
    [(0, 0.0), (PRIOR_REVIEWS // 4, 0.2), (PRIOR_REVIEWS, 0.5), (9 * PRIOR_REVIEWS, 0.9)],
)
def test_the_learners_own_fit_weighs_n_over_n_plus_the_prior(review_count, weight):
    shrunk = shrink_toward(OWN, POPULATION, review_count=review_count)

    # Initial stability w0 on a log scale, the curve's decay w20 linearly.
    assert shrunk[0] == pytest.approx(OWN[0] ** weight * POPULATION[0] ** (1 - weight), abs=1e-4)
    assert shrunk[20] == pytest.approx(weight * OWN[20] + (1 - weight) * POPULATION[20], abs=1e-4)


def test_more_reviews_move_every_parameter_monotonically_toward_the_learners_own():
    counts = [0, 10, 100, 1000, 10_000, 1_000_000]

    shrunk = [shrink_toward(OWN, POPULATION, review_count=count) for count in counts]

    for index, (mine, theirs) in enumerate(zip(OWN, POPULATION, strict=True)):
        distances = [abs(parameters[index] - mine) for parameters in shrunk]
        assert distances == sorted(distances, reverse=True), f"w{index}"
        assert shrunk[-1][index] == pytest.approx(mine, rel=2e-3, abs=2e-3)
        assert shrunk[0][index] == pytest.approx(theirs, abs=1e-4)


@pytest.fixture(scope="module")
def population():
    """Six simulated learners of 80 cards over 180 days, parameters drawn around a center."""
    makers = simulated_learners(cards=[80] * 6, seed=31)
    return population_parameters([(learner.log, ANKI_DEFAULT_CLOCK) for learner in makers])


def pooled_log_loss(learners, choose) -> float:
    """Each learner's oldest 70% to choose parameters from, their predictable rest scored."""
    predicted = []
    for learner in learners:
        log = chronological(learner.log)
        cut = math.floor(len(log) * 0.7)
        predicted += predictions(parameters=choose(log[:cut]), log=log, first_position=cut)
    return metrics(predicted).log_loss


def test_with_few_reviews_the_prior_predicts_better_than_the_defaults_or_an_own_fit(population):
    learners = simulated_learners(cards=[15] * 4, seed=56)

    prior = pooled_log_loss(learners, lambda log: fit_with_prior(log, population=population))
    own = pooled_log_loss(learners, fit_parameters)
    defaults = pooled_log_loss(learners, lambda log: list(DEFAULT_PARAMETERS))

    assert prior < own - 0.005
    assert prior < defaults - 0.005


def test_with_many_reviews_the_prior_predicts_as_well_as_an_own_fit(population):
    learners = simulated_learners(cards=[300] * 2, seed=341)

    prior = pooled_log_loss(learners, lambda log: fit_with_prior(log, population=population))
    own = pooled_log_loss(learners, fit_parameters)

    assert prior == pytest.approx(own, abs=0.005)


def test_without_a_population_the_fit_is_the_learners_own(population):
    (learner,) = simulated_learners(cards=[40], seed=7)

    assert fit_with_prior(learner.log, population=None) == fit_parameters(learner.log)


def with_ratings_flipped_from(log, cut: int):
    """The same log with every review from position `cut` on answered the other way."""
    return [
        review if position < cut else replace(review, rating=3 if review.rating == 1 else 1)
        for position, review in enumerate(log)
    ]


@pytest.mark.parametrize("population", [None, POPULATION], ids=["alone", "with a population"])
def test_the_trial_fit_never_sees_the_held_back_reviews_that_judge_it(population):
    log = chronological(simulated_learners(cards=[40], seed=7)[0].log)
    cut = held_back_cut(log, clock=ANKI_DEFAULT_CLOCK)
    flipped = with_ratings_flipped_from(log, cut)

    honest = candidate_fit(log, current=POPULATION, population=population)
    other_future = candidate_fit(flipped, current=POPULATION, population=population)

    assert honest.held_back_from == other_future.held_back_from == cut
    assert honest.trial == other_future.trial
    assert honest.recent.log_loss != other_future.recent.log_loss


@pytest.mark.parametrize(
    ("recent", "current", "adopted"),
    [(0.30, 0.31, True), (0.31, 0.31, False), (0.32, 0.31, False), (math.nan, 0.31, False)],
)
def test_a_fit_is_adopted_only_when_it_predicts_the_held_back_reviews_better(
    monkeypatch, recent, current, adopted
):
    log = chronological(simulated_learners(cards=[40], seed=7)[0].log)
    scores = iter([recent, current])
    monkeypatch.setattr(prior, "metrics", lambda found: Metrics(next(scores), 0.0, 0.5, len(found)))

    chosen = chosen_parameters(log, current=POPULATION)

    assert (chosen != POPULATION) is adopted
