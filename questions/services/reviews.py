"""Recording answers: the append-only review log and the card states derived from it."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from questions.answer_input import grader_input, sent_as
from questions.errors import Conflict
from questions.grading import AnswerKey, Grade, InvalidAnswer, grade
from questions.models import (
    Card,
    CardState,
    Question,
    QuestionKind,
    Review,
    ReviewMode,
)
from questions.scheduling import (
    NEW_CARD,
    CardSnapshot,
    interval_days,
    schedule,
    settings_for,
)
from questions.selectors.study_days import profile_of
from questions.services.studied_sets import studied_set_started
from quizsite.ops.metrics import REVIEWS_RECORDED

CLIENT_ID_MAX_LENGTH = 64
# A longer "response time" means the student walked away; the log keeps at most this much, so
# that time studied is not inflated by a tab left open overnight.
LONGEST_LOGGED_RESPONSE_MS = 60 * 60 * 1000
NEEDS_CLIENT_ID = f"Give a client_id: a unique string of 1 to {CLIENT_ID_MAX_LENGTH} characters."
CLIENT_ID_REUSED = (
    "This client_id was already used for a different answer. "
    "Send each new answer with a new client_id; resend an id only to retry the same answer."
)
NOT_JSON = "The answer must be plain JSON: objects, lists, strings, numbers, true/false."
QUESTION_ARCHIVED = "This question has been removed from its set and can no longer be studied."


class ReviewConflict(Conflict):
    """The client_id was already used for another answer."""

    def __init__(self, message: str = CLIENT_ID_REUSED) -> None:
        super().__init__(message)


@dataclass
class ReviewResult:
    """What one answer did, as plain data; each front end renders the right answer itself.

    `review` is the logged answer (for a replay, the first one); `card` is the card's state now;
    `grade` has the per-part breakdown.
    """

    review: Review
    card: Card
    created: bool
    grade: Grade

    @property
    def rating(self) -> int:
        return self.review.rating

    @property
    def is_correct(self) -> bool | None:
        return self.review.is_correct

    @property
    def mode(self) -> str:
        return self.review.mode

    @property
    def next_due(self) -> datetime:
        return self.review.due_after

    @property
    def interval_days(self) -> float:
        return self.review.interval_days


def fuzz_key(*, user_id: int, question_id: int) -> str:
    """Names a card for the scheduler's fuzz, so that a replay fuzzes the same way."""
    return f"{user_id}:{question_id}"


def snapshot_of(card: Card) -> CardSnapshot:
    if card.state == CardState.NEW:
        return NEW_CARD
    return CardSnapshot(
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=card.reps,
        lapses=card.lapses,
    )


def apply_snapshot(card: Card, snapshot: CardSnapshot) -> None:
    """Set the card's scheduling fields to the snapshot's (the caller saves it)."""
    card.state = snapshot.state
    card.step = snapshot.step
    card.stability = snapshot.stability
    card.difficulty = snapshot.difficulty
    card.due = snapshot.due
    card.last_review = snapshot.last_review
    card.reps = snapshot.reps
    card.lapses = snapshot.lapses


def _stored_answer(*, kind: str, answer: dict | None, rating: int | None) -> dict | None:
    """The answer as kept in the log, in a canonical JSON form so retries compare equal."""
    if kind == QuestionKind.FLASHCARD:
        if rating is None and isinstance(answer, dict):
            rating = answer.get("rating")
        return {"rating": rating}
    try:
        return json.loads(json.dumps(answer, sort_keys=True))
    except (TypeError, ValueError):
        raise InvalidAnswer(NOT_JSON) from None


SCHEDULING_FIELDS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
)
"""A card's columns that its reviews derive; a card "as read" is these values."""
_NOT_READ = object()
_ABSENT = "absent"  # read with the question: the student has no card for it yet


class _CardMoved(Exception):
    """The card changed between reading it and writing it: answer again from a locked read."""


def _locked_card(*, user, question: Question, now: datetime) -> Card:
    """The student's card for the question, locked until the transaction ends: the row lock
    serializes two answers to one card. Selected first, since nearly every answer has a card;
    created (as new) when missing, then selected again so that it is locked either way.

    The student's profile comes in the same query, read afresh: its fitted parameters and
    retention schedule the answer, and a profile cached on the caller's user may be stale.
    """
    cards = Card.objects.select_for_update(of=("self",)).select_related("user__profile")
    card = cards.filter(user=user, question=question).first()
    if card is None:
        Card.objects.bulk_create(
            [Card(user=user, question=question, state=CardState.NEW, due=now)],
            ignore_conflicts=True,
        )
        card = cards.get(user=user, question=question)
        _started(user=user, question=question)
    return card


def _started(*, user, question: Question) -> None:
    """A first answer in a set starts it; a question read by the study module says whether
    the set is already a chosen one (see questions.study.answering.answerable_question)."""
    if not getattr(question, "set_chosen", False):
        studied_set_started(user_id=user.pk, question_set=question.question_set)


def _replayed(
    existing: Review, *, question: Question, answer: dict | None, rating: int | None
) -> ReviewResult:
    stored = _stored_answer(kind=question.kind, answer=answer, rating=rating)
    if existing.question_id != question.id or existing.answer != stored:
        raise ReviewConflict()
    card = Card.objects.get(user_id=existing.user_id, question_id=existing.question_id)
    try:
        regraded = grade(
            kind=question.kind,
            answer_key=AnswerKey.of(question),
            answer=existing.answer,
            response_ms=existing.response_ms,
            self_rating=existing.rating if question.kind == QuestionKind.FLASHCARD else None,
        )
        parts, verdict = regraded.parts, regraded.verdict
    except InvalidAnswer:
        # The answer key changed since; the logged outcome still stands.
        parts, verdict = (), ""
    first_grade = Grade(
        rating=existing.rating,
        is_correct=existing.is_correct,
        score=existing.score,
        parts=parts,
        verdict=verdict,
    )
    return ReviewResult(review=existing, card=card, created=False, grade=first_grade)


def _same_as_sent(existing: Review, *, question: Question, sent) -> bool:
    logged = sent_as(question=question, logged=existing.answer, student_id=existing.user_id)
    return json.dumps(logged, sort_keys=True, default=str) == json.dumps(
        sent, sort_keys=True, default=str
    )


def review_record(
    *,
    user: AbstractBaseUser,
    question: Question,
    client_id: str,
    answer: dict | None,
    rating: int | None,
    response_ms: int,
    now: datetime,
) -> ReviewResult:
    """Grade an answer, log it and reschedule the student's card for the question.

    Safe to retry: the same `client_id` with the same answer returns the first result with
    `created=False`; with another answer it raises ReviewConflict. A malformed answer raises
    InvalidAnswer. Either way nothing is written. Answering a card that is not yet due is
    logged as "study ahead" (ReviewMode.AHEAD); FSRS-6 weighs it by the retrievability at that
    moment, so it neither inflates stability nor brings the next due date forward.
    """
    if not isinstance(client_id, str) or not 0 < len(client_id) <= CLIENT_ID_MAX_LENGTH:
        raise InvalidAnswer(NEEDS_CLIENT_ID)
    sent = answer
    try:
        # The student names choices and items by the ids they were shown; the log keeps row ids.
        answer = grader_input(question=question, answer=answer, student_id=user.pk)
        if question.archived_at is not None:
            raise InvalidAnswer(QUESTION_ARCHIVED)
        outcome = grade(
            kind=question.kind,
            answer_key=AnswerKey.of(question),
            answer=answer,
            response_ms=response_ms,
            self_rating=rating,
        )
        stored_answer = _stored_answer(kind=question.kind, answer=answer, rating=outcome.rating)
    except InvalidAnswer:
        # A retry still gets its first result after the question was archived or its key
        # changed; a new client_id with a different answer gets the conflict, not this error.
        existing = Review.objects.filter(user=user, client_id=client_id).first()
        if existing is not None:
            if answer is sent and _same_as_sent(existing, question=question, sent=sent):
                # Its items have left the answer key since: it is the answer logged.
                answer = existing.answer
            return _replayed(existing, question=question, answer=answer, rating=rating)
        raise

    # A client_id already used is found by the unique constraint on the insert, not by a read
    # beforehand: a retry is rare, and the constraint also catches one committed meanwhile.
    # A card read with the question (questions.study.answering.answerable_question) is written
    # only if it is still as read; else the answer is scheduled again from a locked read.
    as_read = getattr(question, "card_as_read", _NOT_READ)
    recorded = {
        "client_id": client_id,
        "outcome": outcome,
        "stored_answer": stored_answer,
        "response_ms": response_ms,
    }
    try:
        try:
            review, card = _answered(
                user=user, question=question, as_read=as_read, now=now, **recorded
            )
        except _CardMoved:
            review, card = _answered(
                user=user, question=question, as_read=_NOT_READ, now=now, **recorded
            )
    except IntegrityError:
        # The transaction rolled back, leaving no trace (such as a new card row) of this
        # attempt: answer as a replay of the review that holds the client_id.
        existing = Review.objects.filter(user=user, client_id=client_id).first()
        if existing is None:
            raise
        return _replayed(existing, question=question, answer=answer, rating=rating)
    return ReviewResult(review=review, card=card, created=True, grade=outcome)


@transaction.atomic
def _answered(*, user, question: Question, as_read, now: datetime, **recorded):
    """The card (as read, or locked now), rescheduled, and the answer logged."""
    if as_read is _NOT_READ:
        card = _locked_card(user=user, question=question, now=now)
        profile, expected = profile_of(card.user), None
    elif as_read is None:
        card = Card(user=user, question=question, state=CardState.NEW, due=now)
        profile, expected = profile_of(user), _ABSENT
    else:
        card, profile = as_read, profile_of(user)
        expected = {name: getattr(card, name) for name in SCHEDULING_FIELDS}
    settings = settings_for(question_set=question.question_set, profile=profile)
    return _record(
        card=card,
        expected=expected,
        user=user,
        question=question,
        settings=settings,
        now=now,
        **recorded,
    )


def _record(
    *,
    card: Card,
    expected: dict | str | None,
    user,
    question: Question,
    client_id: str,
    outcome: Grade,
    stored_answer: dict | None,
    response_ms: int,
    settings,
    now: datetime,
) -> tuple[Review, Card]:
    """Reschedule the card and log the answer; in review_record's transaction. A locked card
    is saved; one read without a lock (`expected`: its fields as read) is updated only if
    still so, in one UPDATE that takes its row lock; one read as missing (`expected` _ABSENT)
    is inserted, rescheduled, unless another answer made it meanwhile. In either case a card
    that moved raises _CardMoved, with nothing written."""
    before = snapshot_of(card)
    after = schedule(
        card=before,
        rating=outcome.rating,
        now=now,
        settings=settings,
        fuzz_key=fuzz_key(user_id=user.pk, question_id=question.pk),
    )
    ahead = not before.is_new and before.due > now
    state_before = card.state
    apply_snapshot(card, after)
    if expected is _ABSENT:
        try:
            with transaction.atomic():
                card.save(force_insert=True)
        except IntegrityError:
            raise _CardMoved() from None
        _started(user=user, question=question)
    elif expected is not None:
        changed = {name: getattr(card, name) for name in SCHEDULING_FIELDS}
        if not Card.objects.filter(pk=card.pk, **expected).update(**changed):
            raise _CardMoved()
    review = Review.objects.create(
        scheduler_settings=settings.to_json(),
        client_id=client_id,
        user=user,
        question=question,
        rating=outcome.rating,
        answer=stored_answer,
        is_correct=outcome.is_correct,
        score=outcome.score,
        response_ms=min(response_ms, LONGEST_LOGGED_RESPONSE_MS),
        reviewed_at=now,
        mode=ReviewMode.AHEAD if ahead else ReviewMode.SCHEDULED,
        state_before=state_before,
        stability_before=before.stability,
        difficulty_before=before.difficulty,
        due_before=before.due,
        state_after=after.state,
        stability_after=after.stability,
        difficulty_after=after.difficulty,
        due_after=after.due,
        interval_days=interval_days(after=after, now=now),
    )
    if expected is None:
        card.save()
    transaction.on_commit(lambda: REVIEWS_RECORDED.labels(mode=review.mode).inc())
    return review, card
