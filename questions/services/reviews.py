"""Recording answers: the append-only review log and the card states derived from it."""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce

from questions.grading import AnswerKey, Grade, InvalidAnswer, grade
from questions.models import (
    Card,
    CardState,
    Profile,
    Question,
    QuestionKind,
    Review,
    ReviewMode,
)
from questions.presentation import answer_from_student, answer_view
from questions.scheduling import (
    NEW_CARD,
    CardSnapshot,
    SchedulerSettings,
    interval_days,
    schedule,
    settings_for,
)
from questions.selectors import profile_of
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


class ReviewConflict(Exception):
    """The client_id was already used for another answer."""

    def __init__(self, message: str = CLIENT_ID_REUSED) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ReviewResult:
    """What one answer did, with everything a feedback response needs.

    `review` is the logged answer (for a replay, the first one); `card` is the card's state now;
    `grade` has the per-part breakdown; `answer` is answer_view(question): the right answer and
    the explanation.
    """

    review: Review
    card: Card
    created: bool
    grade: Grade
    answer: dict = field(default_factory=dict)

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

    @property
    def explanation(self) -> str:
        return self.answer.get("explanation", "")


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


def _apply(card: Card, snapshot: CardSnapshot) -> None:
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
    return card


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
    return ReviewResult(
        review=existing,
        card=card,
        created=False,
        grade=first_grade,
        answer=answer_view(question, student_id=existing.user_id),
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
    # The student names choices and items by the ids they were shown; the log keeps row ids.
    answer = answer_from_student(question=question, answer=answer, student_id=user.pk)
    try:
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
            return _replayed(existing, question=question, answer=answer, rating=rating)
        raise

    # A client_id already used is found by the unique constraint on the insert, not by a read
    # beforehand: a retry is rare, and the constraint also catches one committed meanwhile.
    try:
        with transaction.atomic():
            card = _locked_card(user=user, question=question, now=now)
            settings = settings_for(
                question_set=question.question_set, profile=profile_of(card.user)
            )
            review, card = _record(
                card=card,
                user=user,
                question=question,
                client_id=client_id,
                outcome=outcome,
                stored_answer=stored_answer,
                response_ms=response_ms,
                settings=settings,
                now=now,
            )
    except IntegrityError:
        # The transaction rolled back, leaving no trace (such as a new card row) of this
        # attempt: answer as a replay of the review that holds the client_id.
        existing = Review.objects.filter(user=user, client_id=client_id).first()
        if existing is None:
            raise
        return _replayed(existing, question=question, answer=answer, rating=rating)
    return ReviewResult(
        review=review,
        card=card,
        created=True,
        grade=outcome,
        answer=answer_view(question, student_id=user.pk),
    )


def _record(
    *,
    card: Card,
    user,
    question: Question,
    client_id: str,
    outcome: Grade,
    stored_answer: dict | None,
    response_ms: int,
    settings,
    now: datetime,
) -> tuple[Review, Card]:
    """Log the answer and reschedule the locked card; in review_record's transaction."""
    before = snapshot_of(card)
    after = schedule(
        card=before,
        rating=outcome.rating,
        now=now,
        settings=settings,
        fuzz_key=fuzz_key(user_id=user.pk, question_id=question.pk),
    )
    ahead = not before.is_new and before.due > now
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
        state_before=card.state,
        stability_before=before.stability,
        difficulty_before=before.difficulty,
        due_before=before.due,
        state_after=after.state,
        stability_after=after.stability,
        difficulty_after=after.difficulty,
        due_after=after.due,
        interval_days=interval_days(after=after, now=now),
    )
    _apply(card, after)
    card.save()
    transaction.on_commit(lambda: REVIEWS_RECORDED.labels(mode=review.mode).inc())
    return review, card


@dataclass(frozen=True)
class CardDifference:
    user_id: int
    question_id: int
    field: str
    stored: object
    rebuilt: object

    def __str__(self) -> str:
        return (
            f"user {self.user_id} question {self.question_id}: {self.field} "
            f"stored {self.stored!r}, rebuilt {self.rebuilt!r}"
        )


@dataclass
class RebuildReport:
    cards_checked: int = 0
    cards_changed: int = 0
    differences: list[CardDifference] = field(default_factory=list)


_COMPARED_FIELDS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
)


def _differs(stored, rebuilt) -> bool:
    if isinstance(stored, float) and isinstance(rebuilt, float):
        return abs(stored - rebuilt) > 1e-9 * max(1.0, abs(rebuilt))
    if isinstance(stored, datetime) and isinstance(rebuilt, datetime):
        return abs(stored - rebuilt) >= timedelta(milliseconds=1)
    return stored != rebuilt


def _histories(reviews) -> Iterator[tuple[int, list[tuple[int, datetime, dict | None]]]]:
    """(question id, [(rating, reviewed_at, scheduler settings), …] oldest first) for each
    card of one user."""
    # A claim ("I was right") supersedes the rating its review was logged with.
    rows = reviews.order_by("question_id", "reviewed_at", "id").values_list(
        "question_id", Coalesce("claim__rating", "rating"), "reviewed_at", "scheduler_settings"
    )
    for question_id, group in groupby(rows, key=lambda row: row[0]):
        yield question_id, [row[1:] for row in group]


def _replay(*, user_id: int, question_id: int, history, settings) -> CardSnapshot:
    """Replay with the settings each answer was scheduled with; `settings` (today's) only for
    answers logged without them."""
    rebuilt = NEW_CARD
    key = fuzz_key(user_id=user_id, question_id=question_id)
    for rating, reviewed_at, logged_settings in history:
        rebuilt = schedule(
            card=rebuilt,
            rating=rating,
            now=reviewed_at,
            settings=SchedulerSettings.from_json(logged_settings) if logged_settings else settings,
            fuzz_key=key,
        )
    return rebuilt


def card_replay(*, card: Card) -> Card:
    """Reschedule a locked card from its review log (claims applied); in the caller's
    transaction."""
    reviews = Review.objects.filter(user_id=card.user_id, question_id=card.question_id)
    _, history = next(_histories(reviews))
    settings = settings_for(question_set=card.question.question_set, profile=profile_of(card.user))
    _apply(
        card,
        _replay(
            user_id=card.user_id, question_id=card.question_id, history=history, settings=settings
        ),
    )
    card.save()
    return card


def _rebuild_user(*, user_id: int, profile: Profile | None, check: bool, report: RebuildReport):
    """Compare (and unless `check`, rewrite) one user's cards, holding their row locks so that
    no answer is recorded meanwhile; run inside a transaction."""
    cards = {
        card.question_id: card
        for card in Card.objects.select_for_update(of=("self",))
        .select_related("question__question_set")
        .filter(user_id=user_id)
    }
    # Quiz answers are logged but never scheduled: the cards come from the other reviews.
    reviews = Review.objects.filter(user_id=user_id).exclude(mode=ReviewMode.QUIZ)
    for question_id, history in _histories(reviews):
        card = cards.get(question_id)
        if card is None and not check:
            # Lost, or being answered for the first time right now: take the card's lock the
            # way review_record does, then read its history again.
            question = Question.objects.select_related("question_set").get(pk=question_id)
            Card.objects.bulk_create(
                [Card(user_id=user_id, question=question, state=CardState.NEW, due=history[0][1])],
                ignore_conflicts=True,
            )
            card = (
                Card.objects.select_for_update(of=("self",))
                .select_related("question__question_set")
                .get(user_id=user_id, question_id=question_id)
            )
            history = next(_histories(reviews.filter(question_id=question_id)))[1]
        report.cards_checked += 1
        if card is None:
            report.differences.append(CardDifference(user_id, question_id, "card", None, "missing"))
            report.cards_changed += 1
            continue
        settings = settings_for(question_set=card.question.question_set, profile=profile)
        rebuilt = _replay(
            user_id=user_id, question_id=question_id, history=history, settings=settings
        )
        if card.state == CardState.NEW:
            differences = [CardDifference(user_id, question_id, "card", None, "missing")]
        else:
            differences = [
                CardDifference(user_id, question_id, name, stored_value, rebuilt_value)
                for name in _COMPARED_FIELDS
                if _differs(
                    stored_value := getattr(card, name), rebuilt_value := getattr(rebuilt, name)
                )
            ]
        if differences:
            report.differences.extend(differences)
            report.cards_changed += 1
            if not check:
                _apply(card, rebuilt)
                card.save()


def card_states_rebuild(*, check: bool = False, user_ids=None) -> RebuildReport:
    """Replay the review log and compare every card's state with the stored one.

    With check=False the stored states are replaced by the rebuilt ones (and missing cards
    created). Each answer is replayed with the FSRS options it was scheduled with, as the log
    keeps them, and the fuzz is seeded, so the log rebuilds exactly the stored state even after
    a set's options or a student's parameters changed (those apply from the next answer on).
    Works one user at a time, each in a transaction holding that user's card locks, so it is
    safe to run while students answer.
    """
    report = RebuildReport()
    reviewers = Review.objects.order_by("user_id").values_list("user_id", flat=True).distinct()
    profiles = Profile.objects.all()
    if user_ids is not None:
        reviewers = reviewers.filter(user_id__in=user_ids)
        profiles = profiles.filter(user_id__in=user_ids)
    profile_of = {profile.user_id: profile for profile in profiles}
    for user_id in list(reviewers):
        with transaction.atomic():
            _rebuild_user(
                user_id=user_id, profile=profile_of.get(user_id), check=check, report=report
            )
    return report
