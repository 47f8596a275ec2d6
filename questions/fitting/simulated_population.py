"""The population prior on simulated learners of known parameters, drawn around a population.

Learners' true parameters are the simulated learner's (`LEARNER_PARAMETERS`) with the parameters
that differ most between people (initial stabilities w0–w3, growth of stability w8–w10, the
curve's decay w20) each multiplied by e^N(0, 0.5²), kept inside FSRS-6's bounds. Some learners
make the population: fsrs-rs fits their pooled reviews. Others, never seen by the population
fit, are scored: each by time-series splits of their own log, several sizes of log, each method
choosing parameters from what came before each fold. Predictions are pooled per size of log.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from questions.fitting.days import ANKI_DEFAULT_CLOCK
from questions.fitting.evaluation import SPLITS, methods, time_series_folds
from questions.fitting.metrics import Metrics, metrics
from questions.fitting.model import predictable_positions, predictions
from questions.fitting.prior import population_parameters
from questions.fitting.reviews import LoggedReview, NotEnoughReviews
from questions.learner_simulation import LEARNER_PARAMETERS, simulate_learner

VARYING = (0, 1, 2, 3, 8, 9, 10, 20)
SPREAD = 0.5
DAYS = 180
POPULATION_CARDS = (40, 80, 150, 300)  # cycled over the learners that make the population
# Learners scored, by number of cards: about 10 reviews per card over DAYS.
SCORED_CARDS = (10, 25, 50, 300)


def learner_parameters(rng: random.Random) -> tuple[float, ...]:
    drawn = [
        value * math.exp(rng.gauss(0, SPREAD)) if index in VARYING else value
        for index, value in enumerate(LEARNER_PARAMETERS)
    ]
    return tuple(
        min(max(value, low), high)
        for value, low, high in zip(
            drawn, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    )


@dataclass(frozen=True)
class SimulatedLearner:
    parameters: tuple[float, ...]
    log: list[LoggedReview]


def simulated_learners(*, cards: Sequence[int], seed: int) -> list[SimulatedLearner]:
    rng = random.Random(seed)
    learners = []
    for number, card_count in enumerate(cards):
        parameters = learner_parameters(rng)
        simulated = simulate_learner(
            cards=card_count, days=DAYS, seed=seed * 1000 + number, parameters=parameters
        )
        learners.append(SimulatedLearner(parameters, [item.review for item in simulated]))
    return learners


@dataclass(frozen=True)
class GroupScores:
    cards: int
    learners: int
    mean_predictable: float  # reviews a learner's log could be fitted to, on average
    scores: dict[str, Metrics]


def population_benchmark(
    *, population_size: int = 16, learners_per_size: int = 8, seed: int = 2026
) -> tuple[list[float], list[GroupScores]]:
    """The population's parameters and, per size of log, each method's pooled scores."""
    clock = ANKI_DEFAULT_CLOCK
    makers = simulated_learners(
        cards=[POPULATION_CARDS[n % len(POPULATION_CARDS)] for n in range(population_size)],
        seed=seed,
    )
    population = population_parameters([(learner.log, clock) for learner in makers])
    chosen = methods(clock=clock)
    with_prior = methods(clock=clock, population=population)
    groups = []
    for size_number, card_count in enumerate(SCORED_CARDS):
        scored = simulated_learners(
            cards=[card_count] * learners_per_size, seed=seed + 1 + size_number
        )
        predicted: dict[str, list] = {}
        counts = []
        for learner in scored:
            compared = {
                "defaults": chosen["defaults"],
                "per-learner fsrs-rs": chosen["fsrs-rs, Anki items"],
                "quizsite, no prior": chosen["quizsite"],
                "population": lambda log: list(population),
                "quizsite, prior": with_prior["quizsite"],
                "true parameters": lambda log, truth=learner.parameters: list(truth),
            }
            try:
                folds = time_series_folds(learner.log, clock=clock, splits=SPLITS)
            except NotEnoughReviews:
                continue
            counts.append(len(predictable_positions(learner.log, clock=clock)))
            for fold in folds:
                training = learner.log[: fold.test_start]
                for name, method in compared.items():
                    predicted.setdefault(name, []).extend(
                        predictions(
                            parameters=_or_defaults(method, training, chosen),
                            log=learner.log,
                            first_position=fold.test_start,
                            end_position=fold.test_end,
                            clock=clock,
                        )
                    )
        groups.append(
            GroupScores(
                cards=card_count,
                learners=len(counts),
                mean_predictable=sum(counts) / max(len(counts), 1),
                scores={name: metrics(found) for name, found in predicted.items()},
            )
        )
    return population, groups


def _or_defaults(method, training, chosen) -> list[float]:
    # Too little to fit on keeps what an unfitted learner has, as the server does.
    try:
        return method(training)
    except NotEnoughReviews:
        return chosen["defaults"](training)
