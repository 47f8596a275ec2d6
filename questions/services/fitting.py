"""Fitting FSRS-6 to one learner's review log, and adopting the fit only when it predicts better."""

import enum
import math
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from questions.fitting import (
    LoggedReview,
    Metrics,
    fit_parameters,
    metrics,
    predictable_positions,
    predictions,
)
from questions.models import Profile, Review
from questions.scheduling import SchedulerSettings, fitted_parameters

# The newest fifth of the learner's predictable reviews is held back: the fit never sees it, and
# both the fit and the parameters in use predict it, so a fit is adopted only when it does better
# on reviews it has not seen.
RECENT_SHARE = 0.2
DEFAULT_MIN_REVIEWS = 400
# Below this, a fifth held back leaves too little to fit or to judge the fit by.
MIN_REVIEWS_FLOOR = 10

TOO_FEW_REVIEWS = (
    "{username} has {count} reviews made a day or more after the previous review of the same "
    "question; fitting needs at least {needed}. The current parameters stay."
)
NOT_BETTER = (
    "The fitted parameters predicted {username}'s {recent} most recent reviews no better than "
    "the current ones (log loss {fitted:.4f} against {current:.4f}). The current parameters stay."
)
ADOPTED = (
    "Adopted parameters fitted to {username}'s {count} reviews: log loss on their {recent} most "
    "recent reviews {fitted:.4f}, was {current:.4f}."
)


class FitOutcome(enum.Enum):
    ADOPTED = "adopted"
    TOO_FEW_REVIEWS = "too_few_reviews"
    NOT_BETTER = "not_better"


@dataclass(frozen=True)
class FitResult:
    """What happened; `parameters` are the ones the user has now (None: the defaults).

    `review_count` is the number of the user's reviews read; `predictable_count` those a day or
    more after the previous review of their question, which are what FSRS learns from; the fit
    used all reviews before the held-back recent ones (`fitted_review_count`).
    """

    username: str
    outcome: FitOutcome
    parameters: list[float] | None
    review_count: int
    predictable_count: int
    min_reviews: int
    fitted_review_count: int = 0
    recent: Metrics | None = None  # of the fitted parameters on the recent reviews
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
            count=self.fitted_review_count,
            recent=self.recent.n,
            fitted=self.recent.log_loss,
            current=self.current.log_loss,
        )


def _review_log(*, user: AbstractBaseUser, now: datetime) -> list[LoggedReview]:
    rows = (
        Review.objects.filter(user=user, reviewed_at__lte=now)
        .order_by("reviewed_at", "id")
        .values_list("question_id", "rating", "reviewed_at")
    )
    return [
        LoggedReview(card=question_id, rating=rating, reviewed_at=reviewed_at)
        for question_id, rating, reviewed_at in rows
    ]


def fsrs_fit_user(
    *, user: AbstractBaseUser, now: datetime, min_reviews: int = DEFAULT_MIN_REVIEWS
) -> FitResult:
    """Fit FSRS-6 to the user's reviews up to `now`; store the fit if it predicts the most recent
    reviews better than the parameters in use (their last fit, else FSRS-6's defaults).

    Fewer than `min_reviews` (never under 10) predictable reviews, made a day or more after the
    previous review of the same question, leave everything as it is. Safe to run at any time.
    """
    profile, _ = Profile.objects.get_or_create(user=user)
    in_use = fitted_parameters(profile.fsrs_parameters)
    current_parameters = list(in_use or SchedulerSettings().parameters)
    log = _review_log(user=user, now=now)
    predictable = predictable_positions(log)
    result = {
        "username": user.get_username(),
        "parameters": list(in_use) if in_use else None,
        "review_count": len(log),
        "predictable_count": len(predictable),
        "min_reviews": max(min_reviews, MIN_REVIEWS_FLOOR),
    }
    if len(predictable) < result["min_reviews"]:
        return FitResult(outcome=FitOutcome.TOO_FEW_REVIEWS, **result)

    cut = predictable[math.floor(len(predictable) * (1 - RECENT_SHARE))]
    candidate = fit_parameters(log[:cut])
    fitted_score = metrics(predictions(parameters=candidate, log=log, first_position=cut))
    current_score = metrics(predictions(parameters=current_parameters, log=log, first_position=cut))
    scores = {"fitted_review_count": cut, "recent": fitted_score, "current": current_score}
    if fitted_score.log_loss >= current_score.log_loss:
        return FitResult(outcome=FitOutcome.NOT_BETTER, **result, **scores)

    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        profile.fsrs_parameters = candidate
        profile.fsrs_fitted_at = now
        profile.fsrs_fitted_review_count = cut
        profile.save(
            update_fields=["fsrs_parameters", "fsrs_fitted_at", "fsrs_fitted_review_count"]
        )
    return FitResult(outcome=FitOutcome.ADOPTED, **{**result, "parameters": candidate}, **scores)
