"""The next step of studying: the queue, passage practice and the session cap."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, Sum

from questions.domain import QueueReason
from questions.models import Card, Review
from questions.selectors.queue import QueueItem, study_queue
from questions.study.scope import Scope

SESSION_SIZE = 10


def queue(*, user, scope: Scope, now: datetime, limit: int, ahead: bool = False) -> list[QueueItem]:
    """What to study next, at most `limit` items (see questions.selectors.study_queue); with
    `ahead`, cards not yet due follow when nothing else is left."""
    return study_queue(user=user, now=now, limit=limit, ahead=ahead, **scope.as_filter())


def session_answers(*, user, session: str):
    """The answers of one study session: their client_ids start with the session's id."""
    return Review.objects.filter(user=user, client_id__startswith=f"{session}:")


def _passage_practice(*, user, scope: Scope, session: str) -> QueueItem | None:
    """The passage's first question, in passage order, not yet answered in this session."""
    answered = session_answers(user=user, session=session).values("question_id")
    question = (
        scope.questions(user)
        .exclude(pk__in=answered)
        .prefetch_related("answers", "topics")
        .order_by("position", "id")
        .first()
    )
    return (
        None
        if question is None
        else QueueItem(question=question, card=None, reason=QueueReason.AHEAD)
    )


def next_item(*, user, scope: Scope, session: str, now: datetime) -> QueueItem | None:
    """The queue's first item or, reading a passage once nothing of it is due, passage practice."""
    items = queue(user=user, scope=scope, now=now, limit=1)
    if items:
        return items[0]
    if scope.passage is not None:
        return _passage_practice(user=user, scope=scope, session=session)
    return None


@dataclass(frozen=True)
class Step:
    """Where a session stands: the item to answer next (None: the session is over) and how many
    answers it holds."""

    item: QueueItem | None
    answered: int
    session_size: int = SESSION_SIZE

    @property
    def capped(self) -> bool:
        return self.answered >= self.session_size


def next_step(*, user, scope: Scope, session: str, now: datetime) -> Step:
    """The session's next item, unless it already holds SESSION_SIZE answers."""
    answered = session_answers(user=user, session=session).count()
    if answered >= SESSION_SIZE:
        return Step(item=None, answered=answered)
    return Step(item=next_item(user=user, scope=scope, session=session, now=now), answered=answered)


@dataclass(frozen=True)
class SessionSummary:
    answered: int
    right: int
    spent_ms: int
    next_due: datetime | None
    more: bool  # something is left to study after this session


def session_summary(
    *, user, scope: Scope, session: str, step: Step, now: datetime
) -> SessionSummary:
    """What the session did, read back from the review log, and when the scope is next due."""
    answers = session_answers(user=user, session=session)
    spent = answers.aggregate(spent=Sum("response_ms"))["spent"]
    next_due = Card.objects.filter(user=user, question__in=scope.questions(user)).aggregate(
        next_due=Min("due")
    )["next_due"]
    more = step.capped and next_item(user=user, scope=scope, session=session, now=now) is not None
    return SessionSummary(
        answered=step.answered,
        right=answers.right().count(),
        spent_ms=spent or 0,
        next_due=next_due,
        more=more,
    )
