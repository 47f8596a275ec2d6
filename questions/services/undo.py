"""Undo of a student's last answer: the review stays in the append-only log, a ReviewUndo row
says it no longer counts, and the card is rescheduled from the answers that still count.

Only the student's own latest study answer can be undone, within UNDO_WINDOW of giving it,
and only once; both front ends (the pages' Undo button and POST /api/v1/reviews/{id}/undo/)
call review_undo, which enforces all of it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from questions.errors import Conflict, NotFound
from questions.models import Card, Review, ReviewMode, ReviewUndo
from questions.services.card_rebuild import card_replay

UNDO_WINDOW = timedelta(minutes=10)

NO_SUCH_REVIEW = "You have no answer with this id."
NOT_THIS_SESSION = "This answer does not belong to this study session."
NOT_A_STUDY_ANSWER = "A graded quiz's answer cannot be undone."
TOO_LATE = (
    f"An answer can be undone only within {int(UNDO_WINDOW.total_seconds() // 60)} minutes of "
    "giving it."
)
NOT_LATEST = "Only your last answer can be undone."
ALREADY_UNDONE = "This answer has already been undone."


class UndoRefused(Conflict):
    """The answer exists and is the student's, but cannot be undone (now)."""


@dataclass(frozen=True)
class UndoResult:
    review: Review
    undo: ReviewUndo
    card: Card


def _latest_study_answer(user) -> int | None:
    return (
        Review.objects.filter(user=user)
        .exclude(mode=ReviewMode.QUIZ)
        .order_by("-reviewed_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )


def review_undo(
    *, user: AbstractBaseUser, review_id: int, now: datetime, session: str | None = None
) -> UndoResult:
    """Undo the user's review `review_id` (with `session`, one of that study session's answers):
    NotFound for an answer that is not theirs, UndoRefused saying why it cannot be undone."""
    review = (
        Review.objects.select_related("question__question_set")
        .filter(pk=review_id, user=user)
        .first()
    )
    if review is None:
        raise NotFound(NO_SUCH_REVIEW)
    review.user = user
    if session is not None and not review.client_id.startswith(f"{session}:"):
        raise UndoRefused(NOT_THIS_SESSION)
    if review.mode == ReviewMode.QUIZ:
        raise UndoRefused(NOT_A_STUDY_ANSWER)
    try:
        with transaction.atomic():
            # The card's row lock serializes this with an answer to, or another undo of, it.
            card = (
                Card.objects.select_for_update(of=("self",))
                .select_related("user__profile", "question__question_set")
                .get(user=user, question_id=review.question_id)
            )
            if ReviewUndo.objects.filter(review=review).exists():
                raise UndoRefused(ALREADY_UNDONE)
            if _latest_study_answer(user) != review.pk:
                raise UndoRefused(NOT_LATEST)
            if now - review.reviewed_at > UNDO_WINDOW:
                raise UndoRefused(TOO_LATE)
            undo = ReviewUndo.objects.create(review=review, user=user, undone_at=now)
            card_replay(card=card)
    except IntegrityError:
        raise UndoRefused(ALREADY_UNDONE) from None
    return UndoResult(review=review, undo=undo, card=card)
