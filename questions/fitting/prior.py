"""Many learners: population parameters, each learner's fit shrunk toward them, and the rule
that adopts a fit only when it predicts the learner's held-back recent reviews better.

A learner's own fit is noisy when they have few reviews and right when they have many. The
population fit (fsrs-rs over every learner's items pooled) is the best guess for a learner we know
little about. A learner with `n` predictable reviews gets `λ·own + (1 - λ)·population` with
`λ = n / (n + PRIOR_REVIEWS)`: the posterior mean of a normal prior worth `PRIOR_REVIEWS` reviews
(as in hierarchical models), so 100 reviews move the parameters an eleventh of the way from the
population to the learner's own fit, 1,000 half-way and 10,000 reviews 91% of the way. The initial stabilities
(w0–w3) span orders of magnitude and are shrunk on a log scale; the other parameters linearly.
fsrs-rs always starts its optimizer from its defaults, so the prior is applied to its result
rather than inside its optimizer.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from fsrs.scheduler import DEFAULT_PARAMETERS

from questions.fitting.days import ANKI_DEFAULT_CLOCK, DayClock
from questions.fitting.metrics import Metrics, metrics
from questions.fitting.model import (
    compute_parameters,
    fit_parameters,
    predictable_positions,
    predictions,
    training_items,
    usable_parameters,
)
from questions.fitting.reviews import LoggedReview, NotEnoughReviews, chronological

# Chosen on simulated populations (fsrs_benchmark --population): 500–2000 do about as well.
PRIOR_REVIEWS = 1000
INITIAL_STABILITIES = range(4)
# The newest fifth of the learner's predictable reviews is held back: the fit never sees it, and
# both the fit and the parameters in use predict it.
RECENT_SHARE = 0.2


def population_parameters(logs: Sequence[tuple[Sequence[LoggedReview], DayClock]]) -> list[float]:
    """fsrs-rs's fit of every learner's items pooled (each log with its learner's clock)."""
    return compute_parameters(
        [item for log, clock in logs for item in training_items(chronological(log), clock=clock)]
    )


def shrink_toward(
    own: Sequence[float],
    population: Sequence[float],
    *,
    review_count: int,
    prior_reviews: int = PRIOR_REVIEWS,
) -> list[float]:
    """The learner's parameters given `review_count` predictable reviews of their own."""
    weight = review_count / (review_count + prior_reviews)
    blended = [
        math.exp(weight * math.log(mine) + (1 - weight) * math.log(theirs))
        if index in INITIAL_STABILITIES
        else weight * mine + (1 - weight) * theirs
        for index, (mine, theirs) in enumerate(zip(own, population, strict=True))
    ]
    return usable_parameters(blended)


def fit_with_prior(
    log: Sequence[LoggedReview],
    *,
    population: Sequence[float] | None,
    clock: DayClock = ANKI_DEFAULT_CLOCK,
    prior_reviews: int = PRIOR_REVIEWS,
) -> list[float]:
    """The learner's own fit, shrunk toward the population when there is one.

    With too few reviews fsrs-rs does not fit: it returns its defaults. Those say nothing of the
    learner, so with a population the population's parameters are the learner's then.
    """
    if population is None:
        return fit_parameters(log, clock=clock)
    try:
        own = fit_parameters(log, clock=clock)
    except NotEnoughReviews:
        return list(population)
    if own == usable_parameters(DEFAULT_PARAMETERS):
        return list(population)
    count = len(predictable_positions(chronological(log), clock=clock))
    return shrink_toward(own, population, review_count=count, prior_reviews=prior_reviews)


@dataclass(frozen=True)
class Candidate:
    """A fit judged on the learner's recent reviews.

    `trial` is fitted to all but the held-back recent reviews, and both it and the parameters in
    use predict those (`recent`, `current`). If the trial does better, the same fit made on every
    review (`parameters`) is what the learner gets: the held-back reviews judge the method, and
    then, being the newest, they are too valuable to leave out.
    """

    parameters: list[float]
    trial: list[float]
    held_back_from: int  # the position of the first held-back review
    recent: Metrics  # of the trial
    current: Metrics  # of the parameters in use

    @property
    def better(self) -> bool:
        return self.recent.log_loss < self.current.log_loss


def held_back_cut(log: Sequence[LoggedReview], *, clock: DayClock) -> int:
    """The position of the first held-back review in a chronological log."""
    predictable = predictable_positions(log, clock=clock)
    return predictable[math.floor(len(predictable) * (1 - RECENT_SHARE))]


def candidate_fit(
    log: Sequence[LoggedReview],
    *,
    current: Sequence[float],
    population: Sequence[float] | None = None,
    clock: DayClock = ANKI_DEFAULT_CLOCK,
) -> Candidate:
    """Fit the chronological log but its newest predictable fifth; score that trial and
    `current` on that fifth; and fit the whole log the same way. Adopt only if `better`."""
    cut = held_back_cut(log, clock=clock)
    trial = fit_with_prior(log[:cut], population=population, clock=clock)
    return Candidate(
        parameters=fit_with_prior(log, population=population, clock=clock),
        trial=trial,
        held_back_from=cut,
        recent=metrics(predictions(parameters=trial, log=log, first_position=cut, clock=clock)),
        current=metrics(predictions(parameters=current, log=log, first_position=cut, clock=clock)),
    )


def chosen_parameters(
    log: Sequence[LoggedReview],
    *,
    current: Sequence[float],
    population: Sequence[float] | None = None,
    clock: DayClock = ANKI_DEFAULT_CLOCK,
) -> list[float]:
    """What the server would schedule with after seeing the log: the candidate if better."""
    candidate = candidate_fit(log, current=current, population=population, clock=clock)
    return candidate.parameters if candidate.better else list(current)
