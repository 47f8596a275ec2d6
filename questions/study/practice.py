"""Practising mistakes: the questions answered wrong today, again, each once a session.

An answer to one of them before its card is due is logged as ahead (ReviewMode.AHEAD), as
every answer before its due date is; one already due again is a scheduled review."""

from datetime import datetime

from django.db.models import Min, Q, QuerySet

from questions.domain import QueueReason
from questions.models import Question, Rating, Review, ReviewMode
from questions.selectors.queue import QueueItem
from questions.selectors.study_days import profile_of, study_day_bounds
from questions.study.scope import Scope

WRONG = Q(is_correct=False) | Q(is_correct__isnull=True, rating=Rating.AGAIN)


def todays_mistakes(*, user, scope: Scope, now: datetime) -> QuerySet[Review]:
    """The user's wrong answers of this study day in the scope (graded wrong, or rated Again)."""
    day_start, _ = study_day_bounds(profile=profile_of(user), now=now)
    return (
        Review.objects.counted()
        .filter(WRONG, user=user, reviewed_at__gte=day_start, reviewed_at__lte=now)
        .filter(question__in=scope.questions(user))
        .exclude(mode=ReviewMode.QUIZ)
    )


def mistake_item(*, user, scope: Scope, answered: QuerySet, now: datetime) -> QueueItem | None:
    """The question first answered wrong today that is not among `answered` (the question ids
    this session answered)."""
    first = (
        todays_mistakes(user=user, scope=scope, now=now)
        .exclude(question_id__in=answered)
        .values("question_id")
        .annotate(first=Min("reviewed_at"))
        .order_by("first", "question_id")
        .first()
    )
    if first is None:
        return None
    question = (
        Question.objects.select_related("question_set")
        .prefetch_related("answers", "topics")
        .get(pk=first["question_id"])
    )
    return QueueItem(question=question, card=None, reason=QueueReason.AHEAD)
