"""The next step of studying: the queue, passage practice, practice after it, and the session
cap."""

from dataclasses import dataclass
from datetime import datetime

from questions.domain import Practice, QueueReason
from questions.models import Review
from questions.selectors.queue import QueueItem, study_queue
from questions.selectors.study_days import profile_of
from questions.study.practice import mistake_item
from questions.study.scope import Scope

# The site's session length: a student's own setting, then the set's, come first.
SESSION_SIZE = 10


def session_size_for(*, user, scope: Scope) -> int:
    """Answers in one session: the student's setting, else the set's, else SESSION_SIZE."""
    own = profile_of(user).session_size
    if own:
        return own
    if scope.question_set is not None and scope.question_set.session_size:
        return scope.question_set.session_size
    return SESSION_SIZE


def queue(*, user, scope: Scope, now: datetime, limit: int, ahead: bool = False) -> list[QueueItem]:
    """What to study next, at most `limit` items (see questions.selectors.study_queue); with
    `ahead`, cards not yet due follow when nothing else is left."""
    return study_queue(user=user, now=now, limit=limit, ahead=ahead, **scope.as_filter())


def session_answers(*, user, session: str):
    """The answers of one study session that count (not undone): their client_ids start with
    the session's id."""
    return Review.objects.counted().filter(user=user, client_id__startswith=f"{session}:")


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


def next_item(
    *, user, scope: Scope, session: str, now: datetime, practice: str = Practice.NONE
) -> QueueItem | None:
    """The queue's first item or, reading a passage once nothing of it is due, passage practice.
    With `practice`: cards not yet due after the queue (AHEAD), or only today's mistakes again
    (MISTAKES, see questions.study.practice)."""
    if practice == Practice.MISTAKES:
        answered = session_answers(user=user, session=session).values("question_id")
        return mistake_item(user=user, scope=scope, answered=answered, now=now)
    items = queue(user=user, scope=scope, now=now, limit=1, ahead=practice == Practice.AHEAD)
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


def next_step(
    *, user, scope: Scope, session: str, now: datetime, practice: str = Practice.NONE
) -> Step:
    """The session's next item, unless it already holds its number of answers
    (session_size_for)."""
    size = session_size_for(user=user, scope=scope)
    answered = session_answers(user=user, session=session).count()
    if answered >= size:
        return Step(item=None, answered=answered, session_size=size)
    item = next_item(user=user, scope=scope, session=session, now=now, practice=practice)
    return Step(item=item, answered=answered, session_size=size)
