"""The end of a study session: what it did, why it ended, and what the student may do next."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, Min, OuterRef, Sum

from questions.domain import Practice, SessionEnd
from questions.models import Card, CardState
from questions.selectors.study_days import profile_of, study_day_bounds
from questions.study.practice import todays_mistakes
from questions.study.scope import Scope
from questions.study.step import Step, next_item, session_answers


@dataclass(frozen=True)
class SessionSummary:
    answered: int
    right: int
    spent_ms: int
    next_due: datetime | None  # the scope's next learning or review card
    more: bool  # the session is full and something is left to study after it
    ended_because: SessionEnd
    session_size: int
    new_unseen: int  # new questions of the scope not studied yet
    ahead: int  # studied cards of the scope not yet due: what "Review ahead" offers
    mistakes: int  # questions of the scope answered wrong today: what "Practise mistakes" offers


def _ended_because(*, step: Step, new_unseen: int, next_due, day_end: datetime) -> SessionEnd:
    if step.capped:
        return SessionEnd.SESSION_LENGTH
    if new_unseen:
        return SessionEnd.NEW_LIMIT
    if next_due is not None and next_due < day_end:
        return SessionEnd.NOTHING_DUE
    return SessionEnd.ALL_DONE


def session_summary(
    *,
    user,
    scope: Scope,
    session: str,
    step: Step,
    now: datetime,
    practice: str = Practice.NONE,
) -> SessionSummary:
    """What the session did, read back from the review log; why it ended (the session's
    length, today's new-card limit, nothing due until later today, or everything done); and
    what is left: new questions not seen, cards to review ahead, today's mistakes."""
    answers = session_answers(user=user, session=session)
    spent = answers.aggregate(spent=Sum("response_ms"))["spent"]
    questions = scope.questions(user)
    studied = Card.objects.filter(user=user, question__in=questions).exclude(state=CardState.NEW)
    next_due = studied.aggregate(next_due=Min("due"))["next_due"]
    new_unseen = questions.exclude(
        Exists(studied.filter(question=OuterRef("pk")).order_by().values("pk"))
    ).count()
    _, day_end = study_day_bounds(profile=profile_of(user), now=now)
    more = (
        step.capped
        and next_item(user=user, scope=scope, session=session, now=now, practice=practice)
        is not None
    )
    return SessionSummary(
        answered=step.answered,
        right=answers.right().count(),
        spent_ms=spent or 0,
        next_due=next_due,
        more=more,
        ended_because=_ended_because(
            step=step, new_unseen=new_unseen, next_due=next_due, day_end=day_end
        ),
        session_size=step.session_size,
        new_unseen=new_unseen,
        ahead=studied.filter(due__gt=now).count(),
        mistakes=todays_mistakes(user=user, scope=scope, now=now)
        .values("question_id")
        .distinct()
        .count(),
    )
