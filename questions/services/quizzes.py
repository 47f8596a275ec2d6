"""Graded quizzes (test mode): a teacher makes one from a set; a student takes attempts.

Answers are saved as the student goes and graded on submit by the same grader as study. Each
graded answer is logged in the review log with mode "quiz": it counts in statistics and
informs FSRS fitting, but the card keeps its state and due date (the review's "after" fields
record what the answer would have scheduled). The clock is the server's: an attempt's deadline
is fixed when it starts, and an attempt past it is submitted as it stands.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from questions.answer_input import grader_input
from questions.grading import AnswerKey, InvalidAnswer, grade
from questions.models import (
    Card,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    QuizResponse,
    Review,
    ReviewMode,
)
from questions.permissions import assignable_sets, require_teacher
from questions.scheduling import NEW_CARD, interval_days, schedule, settings_for
from questions.selectors.study_days import profile_of
from questions.selectors.visibility import visible_sets
from questions.services.reviews import LONGEST_LOGGED_RESPONSE_MS, fuzz_key, snapshot_of

# A save that left the browser just before the deadline still counts.
DEADLINE_GRACE = timedelta(seconds=15)
NOT_OPEN_YET = "This quiz is not open yet."
CLOSED = "This quiz is closed."
NO_ATTEMPTS_LEFT = "You have used every attempt this quiz allows."
TIME_IS_UP = "Time is up: this attempt has been submitted."
ALREADY_SUBMITTED = "This attempt has been submitted; its answers can no longer change."
NOT_IN_ATTEMPT = "This question is not part of this attempt."
LOCKED = "You have seen the feedback on this question; its answer can no longer change."
NO_QUESTIONS = "This set has no questions a quiz can grade (flashcards are self-rated)."
NOT_YOUR_SET = "You can make quizzes only from your own sets and public ones."


def gradable_questions(question_set):
    """A quiz grades objective questions only: a flashcard is rated by the student."""
    return question_set.questions.filter(archived_at__isnull=True).exclude(
        kind=QuestionKind.FLASHCARD
    )


def quiz_create(
    *,
    owner,
    question_set,
    title: str,
    now: datetime,
    question_count: int | None = None,
    time_limit_minutes: int | None = None,
    attempts_allowed: int = 1,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    feedback: str = Quiz.Feedback.AT_END,
) -> Quiz:
    require_teacher(owner)
    if not assignable_sets(owner).filter(pk=question_set.pk).exists():
        raise PermissionDenied(NOT_YOUR_SET)
    if not gradable_questions(question_set).exists():
        raise ValidationError({"question_set": NO_QUESTIONS})
    quiz = Quiz(
        owner=owner,
        question_set=question_set,
        title=title,
        question_count=question_count,
        time_limit_minutes=time_limit_minutes,
        attempts_allowed=attempts_allowed,
        opens_at=opens_at,
        closes_at=closes_at,
        feedback=feedback,
        created_at=now,
    )
    quiz.full_clean()
    quiz.save()
    return quiz


def quiz_visible(*, user, quiz: Quiz) -> bool:
    return visible_sets(user).filter(pk=quiz.question_set_id).exists()


def _open_check(quiz: Quiz, now: datetime) -> None:
    if quiz.opens_at and now < quiz.opens_at:
        raise ValidationError(NOT_OPEN_YET)
    if quiz.closes_at and now >= quiz.closes_at:
        raise ValidationError(CLOSED)


@transaction.atomic
def attempt_start(*, user, quiz: Quiz, now: datetime) -> QuizAttempt:
    """The student's open attempt, or a new one: its questions drawn at random for them (all,
    shuffled, or `question_count` of them) and its deadline fixed now."""
    if not quiz_visible(user=user, quiz=quiz):
        raise PermissionDenied("This quiz is not one of yours to take.")
    # Serializes two starts by the same student (two tabs): the second finds the first open.
    Quiz.objects.select_for_update().filter(pk=quiz.pk).first()
    attempts = list(QuizAttempt.objects.filter(quiz=quiz, user=user).order_by("number"))
    for attempt in attempts:
        if attempt.submitted_at is None:
            if _expired(attempt, now):
                attempt_submit(attempt=attempt, now=now)
            else:
                return attempt
    _open_check(quiz, now)
    if len(attempts) >= quiz.attempts_allowed:
        raise ValidationError(NO_ATTEMPTS_LEFT)
    ids = list(gradable_questions(quiz.question_set).values_list("pk", flat=True))
    if not ids:
        raise ValidationError(NO_QUESTIONS)
    random.SystemRandom().shuffle(ids)
    if quiz.question_count:
        ids = ids[: quiz.question_count]
    deadlines = []
    if quiz.time_limit_minutes:
        deadlines.append(now + timedelta(minutes=quiz.time_limit_minutes))
    if quiz.closes_at:
        deadlines.append(quiz.closes_at)
    return QuizAttempt.objects.create(
        quiz=quiz,
        user=user,
        number=len(attempts) + 1,
        question_ids=ids,
        started_at=now,
        deadline=min(deadlines) if deadlines else None,
    )


def _expired(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + DEADLINE_GRACE


def _locked_attempt(attempt: QuizAttempt) -> QuizAttempt:
    return QuizAttempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)


@dataclass
class SavedResponse:
    response: QuizResponse
    # With feedback after each question: the grade (the response is then locked).
    grade: object | None = None


def response_save(
    *, attempt: QuizAttempt, question: Question, answer, now: datetime
) -> SavedResponse:
    """Save (or replace) the answer to one question of an open attempt. The answer names
    choices by the ids shown, as in study; a malformed one raises InvalidAnswer and saves
    nothing. Past the deadline the attempt is submitted as it stands instead."""
    with transaction.atomic():
        attempt = _locked_attempt(attempt)
        if attempt.submitted_at is not None:
            raise ValidationError(ALREADY_SUBMITTED)
        if not _expired(attempt, now):
            return _save(attempt=attempt, question=question, answer=answer, now=now)
    attempt_submit(attempt=attempt, now=now)
    raise ValidationError(TIME_IS_UP)


def _save(*, attempt: QuizAttempt, question: Question, answer, now: datetime) -> SavedResponse:
    if question.pk not in attempt.question_ids:
        raise ValidationError(NOT_IN_ATTEMPT)
    answer = grader_input(question=question, answer=answer, student_id=attempt.user_id)
    outcome = grade(
        kind=question.kind, answer_key=AnswerKey.of(question), answer=answer, response_ms=0
    )
    existing = QuizResponse.objects.filter(attempt=attempt, question=question).first()
    if existing is not None and existing.locked:
        raise ValidationError(LOCKED)
    after_each = attempt.quiz.feedback == Quiz.Feedback.AFTER_EACH
    response, _ = QuizResponse.objects.update_or_create(
        attempt=attempt,
        question=question,
        defaults={"answer": answer, "saved_at": now, "locked": after_each},
    )
    return SavedResponse(response=response, grade=outcome if after_each else None)


def _log_review(
    *, attempt: QuizAttempt, question: Question, outcome, answer, response_ms: int, now
) -> Review:
    """The quiz answer in the review log, the card left as it is."""
    card = Card.objects.filter(user=attempt.user, question=question).first()
    before = snapshot_of(card) if card is not None else NEW_CARD
    settings = settings_for(question_set=question.question_set, profile=profile_of(attempt.user))
    would_be = schedule(
        card=before,
        rating=outcome.rating,
        now=now,
        settings=settings,
        fuzz_key=fuzz_key(user_id=attempt.user_id, question_id=question.pk),
    )
    return Review.objects.create(
        client_id=f"quiz:{attempt.pk}:{question.pk}",
        user=attempt.user,
        question=question,
        rating=outcome.rating,
        answer=answer,
        is_correct=outcome.is_correct,
        score=outcome.score,
        response_ms=response_ms,
        reviewed_at=now,
        mode=ReviewMode.QUIZ,
        scheduler_settings=settings.to_json(),
        state_before=before.state,
        stability_before=before.stability,
        difficulty_before=before.difficulty,
        due_before=card.due if card is not None else None,
        state_after=would_be.state,
        stability_after=would_be.stability,
        difficulty_after=would_be.difficulty,
        due_after=would_be.due,
        interval_days=interval_days(after=would_be, now=now),
    )


@transaction.atomic
def attempt_submit(*, attempt: QuizAttempt, now: datetime) -> QuizAttempt:
    """Grade every saved answer (an unanswered question scores 0), log them as quiz reviews
    and fix the score. Submitting twice changes nothing."""
    attempt = _locked_attempt(attempt)
    if attempt.submitted_at is not None:
        return attempt
    # An attempt submitted late (read after its deadline) is dated at its deadline.
    if attempt.deadline is not None and now > attempt.deadline:
        now = attempt.deadline
    questions = Question.objects.in_bulk(attempt.question_ids)
    responses = {
        response.question_id: response
        for response in attempt.responses.select_related("question__question_set")
    }
    # The attempt's time, shared out: a page of questions has no time per question.
    spent_ms = int((now - attempt.started_at).total_seconds() * 1000)
    response_ms = min(max(0, spent_ms // len(attempt.question_ids)), LONGEST_LOGGED_RESPONSE_MS)
    total = 0.0
    for question_id in attempt.question_ids:
        response = responses.get(question_id)
        question = questions.get(question_id)
        if response is None or question is None:
            continue
        try:
            outcome = grade(
                kind=question.kind,
                answer_key=AnswerKey.of(question),
                answer=response.answer,
                response_ms=response_ms,
            )
        except InvalidAnswer:
            continue  # the answer key changed since it was saved: it scores 0
        total += outcome.score if outcome.score is not None else float(bool(outcome.is_correct))
        response.review = _log_review(
            attempt=attempt,
            question=question,
            outcome=outcome,
            answer=response.answer,
            response_ms=response_ms,
            now=now,
        )
        response.save(update_fields=["review"])
    attempt.score = round(total / len(attempt.question_ids), 4)
    attempt.submitted_at = now
    attempt.save(update_fields=["score", "submitted_at"])
    return attempt


def attempts_close_expired(*, now: datetime) -> int:
    """Submit every attempt left open past its deadline (a student who walked away)."""
    expired = QuizAttempt.objects.filter(
        submitted_at__isnull=True, deadline__lt=now - DEADLINE_GRACE
    )
    count = 0
    for attempt in expired:
        attempt_submit(attempt=attempt, now=now)
        count += 1
    return count
