"""Fitting FSRS-6 to learners' review logs, and adopting a fit only when it predicts better.

Days are the learner's study days (their time zone and the hour their day starts), as Anki counts
them for fsrs-rs. With several learners, each fit is shrunk toward parameters fitted to all of
them (`questions.fitting.prior`), so a learner with few reviews is not fitted to noise.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet

from questions.fitting import (
    DayClock,
    LoggedReview,
    Metrics,
    NotEnoughReviews,
    predictable_positions,
)
from questions.fitting.prior import candidate_fit, held_back_cut, population_parameters
from questions.models import Profile, Review
from questions.scheduling import SchedulerSettings, fitted_parameters

# Without a population, a fit needs enough reviews of the learner's own; with one, the prior
# keeps a small learner's fit near the population, so fewer will do.
DEFAULT_MIN_REVIEWS = 400
DEFAULT_MIN_REVIEWS_WITH_POPULATION = 100
# Below this, a fifth held back leaves too little to fit or to judge the fit by.
MIN_REVIEWS_FLOOR = 10
# `fit_fsrs --all` fits a learner again only after this many reviews since the last fit.
DEFAULT_MIN_NEW_REVIEWS = 100
# A population of fewer learners is mostly one learner: no prior then.
POPULATION_MIN_LEARNERS = 3

TOO_FEW_REVIEWS = (
    "{username} has {count} reviews made on a later day than the previous review of the same "
    "question; fitting needs at least {needed}. The current parameters stay."
)
NOT_BETTER = (
    "Parameters fitted without {username}'s {recent} most recent reviews predicted them no better "
    "than the current ones (log loss {fitted:.4f} against {current:.4f}). The current parameters "
    "stay."
)
ADOPTED = (
    "Adopted parameters fitted to {username}'s {count} reviews{prior}: fitted without their "
    "{recent} most recent reviews, they predicted those with log loss {fitted:.4f}, was "
    "{current:.4f}."
)


class FitOutcome(enum.Enum):
    ADOPTED = "adopted"
    TOO_FEW_REVIEWS = "too_few_reviews"
    NOT_BETTER = "not_better"


@dataclass(frozen=True)
class FitResult:
    """What happened; `parameters` are the ones the user has now (None: the defaults).

    `review_count` is the number of the user's reviews read; `predictable_count` those on a later
    study day than the previous review of their question, which are what FSRS learns from. The
    trial fit that was judged used the `held_back_from` oldest reviews; an adopted fit, all.
    """

    username: str
    outcome: FitOutcome
    parameters: list[float] | None
    review_count: int
    predictable_count: int
    min_reviews: int
    with_population: bool = False
    held_back_from: int = 0
    recent: Metrics | None = None  # of the trial fit on the recent reviews
    current: Metrics | None = None  # of the parameters in use on the same reviews

    @property
    def adopted(self) -> bool:
        return self.outcome is FitOutcome.ADOPTED

    @property
    def message(self) -> str:
        if self.outcome is FitOutcome.TOO_FEW_REVIEWS:
            return TOO_FEW_REVIEWS.format(
                username=self.username, count=self.predictable_count, needed=self.min_reviews
            )
        template = ADOPTED if self.adopted else NOT_BETTER
        return template.format(
            username=self.username,
            count=self.review_count,
            prior=", shrunk toward all learners' parameters" if self.with_population else "",
            recent=self.recent.n,
            fitted=self.recent.log_loss,
            current=self.current.log_loss,
        )


def learner_clock(profile: Profile) -> DayClock:
    """The learner's study days; a zone the server no longer knows counts as UTC."""
    try:
        return DayClock.named(profile.time_zone or "UTC", profile.day_starts_at_hour)
    except ValueError:
        return DayClock(rollover_hour=profile.day_starts_at_hour)


def _review_log(*, user: AbstractBaseUser, now: datetime) -> list[LoggedReview]:
    rows = (
        Review.objects.counted()
        .filter(user=user, reviewed_at__lte=now)
        .order_by("reviewed_at", "id")
        .values_list("question_id", "rating", "reviewed_at")
    )
    return [
        LoggedReview(card=question_id, rating=rating, reviewed_at=reviewed_at)
        for question_id, rating, reviewed_at in rows
    ]


def fsrs_population_parameters(
    *, users: Iterable[AbstractBaseUser], now: datetime
) -> list[float] | None:
    """FSRS-6 parameters fitted to all the users' reviews pooled, each learner's newest fifth
    left out (it judges that learner's own fit); None with fewer than 3 learners to learn from."""
    logs = []
    for user in users:
        profile, _ = Profile.objects.get_or_create(user=user)
        clock = learner_clock(profile)
        log = _review_log(user=user, now=now)
        if len(predictable_positions(log, clock=clock)) >= MIN_REVIEWS_FLOOR:
            logs.append((log[: held_back_cut(log, clock=clock)], clock))
    if len(logs) < POPULATION_MIN_LEARNERS:
        return None
    try:
        return population_parameters(logs)
    except NotEnoughReviews:
        return None


def users_due_for_fit(*, min_new_reviews: int, now: datetime) -> QuerySet:
    """Users with at least `min_new_reviews` reviews since their last fit (or ever, if never
    fitted), by username."""
    never_tried = Q(profile__isnull=True) | Q(profile__fsrs_fit_tried_at__isnull=True)
    new_review = Q(reviews__reviewed_at__lte=now) & (
        never_tried | Q(reviews__reviewed_at__gt=F("profile__fsrs_fit_tried_at"))
    )
    return (
        get_user_model()
        .objects.annotate(new_reviews=Count("reviews", filter=new_review))
        .filter(new_reviews__gte=max(min_new_reviews, 1))
        .order_by("username")
    )


def fsrs_fit_user(
    *,
    user: AbstractBaseUser,
    now: datetime,
    min_reviews: int | None = None,
    population: list[float] | None = None,
) -> FitResult:
    """Fit FSRS-6 to the user's reviews up to `now`, shrunk toward `population` if given; store
    the fit if it predicts the most recent reviews better than the parameters in use (their last
    fit, else FSRS-6's defaults). The time of the attempt is kept either way.

    Fewer than `min_reviews` (never under 10; default 400, or 100 with a population) predictable
    reviews leave the parameters as they are. Safe to run at any time.
    """
    if min_reviews is None:
        min_reviews = DEFAULT_MIN_REVIEWS_WITH_POPULATION if population else DEFAULT_MIN_REVIEWS
    profile, _ = Profile.objects.get_or_create(user=user)
    clock = learner_clock(profile)
    in_use = fitted_parameters(profile.fsrs_parameters)
    current_parameters = list(in_use or SchedulerSettings().parameters)
    log = _review_log(user=user, now=now)
    predictable = predictable_positions(log, clock=clock)
    result = {
        "username": user.get_username(),
        "parameters": list(in_use) if in_use else None,
        "review_count": len(log),
        "predictable_count": len(predictable),
        "min_reviews": max(min_reviews, MIN_REVIEWS_FLOOR),
        "with_population": population is not None,
    }
    if len(predictable) < result["min_reviews"]:
        # Kept so that `fit_fsrs --all` tries them again only once they have new reviews.
        Profile.objects.filter(pk=profile.pk).update(fsrs_fit_tried_at=now)
        return FitResult(outcome=FitOutcome.TOO_FEW_REVIEWS, **result)

    candidate = candidate_fit(log, current=current_parameters, population=population, clock=clock)
    scores = {
        "held_back_from": candidate.held_back_from,
        "recent": candidate.recent,
        "current": candidate.current,
    }
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        profile.fsrs_fit_tried_at = now
        fields = ["fsrs_fit_tried_at"]
        if candidate.better:
            profile.fsrs_parameters = candidate.parameters
            profile.fsrs_fitted_at = now
            profile.fsrs_fitted_review_count = len(log)
            fields += ["fsrs_parameters", "fsrs_fitted_at", "fsrs_fitted_review_count"]
        profile.save(update_fields=fields)
    if not candidate.better:
        return FitResult(outcome=FitOutcome.NOT_BETTER, **result, **scores)
    return FitResult(
        outcome=FitOutcome.ADOPTED, **{**result, "parameters": candidate.parameters}, **scores
    )
