"""The next step: the queue, passage practice and the session cap, for both front ends."""

from datetime import UTC, datetime

import pytest

from questions.domain import QueueReason
from questions.models import QuestionKind
from questions.study import SESSION_SIZE, Scope, next_step, session_summary, submit_answer
from tests.factories import (
    PassageFactory,
    QuestionSetFactory,
    SourceFactory,
    StudentFactory,
    question_of_kind,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)
SESSION = "0123456789ab"


@pytest.fixture
def reading():
    """A public set of flashcards citing one passage, its new-question limit already used up
    for today by one answer."""
    source = SourceFactory()
    passage = PassageFactory(source=source, position=1)
    question_set = QuestionSetFactory(visibility="public", source=source, daily_new_limit=1)
    questions = [
        question_of_kind(QuestionKind.FLASHCARD, question_set=question_set, passage=passage)
        for _ in range(3)
    ]
    return question_set, passage, questions


def answer(student, question, number: int, *, rating: int = 4):
    return submit_answer(
        user=student,
        question=question,
        client_id=f"{SESSION}:{number}",
        rating=rating,
        response_ms=2000,
        now=NOW,
    )


def test_a_passage_is_practised_past_the_daily_limits_in_its_own_order(reading):
    question_set, passage, questions = reading
    student = StudentFactory()
    answer(student, questions[0], 0)

    in_the_set = next_step(
        user=student, scope=Scope(question_set=question_set), session=SESSION, now=NOW
    )
    in_the_passage = next_step(user=student, scope=Scope(passage=passage), session=SESSION, now=NOW)

    assert in_the_set.item is None
    assert in_the_passage.item.question == questions[1]
    assert in_the_passage.item.reason == QueueReason.AHEAD


def test_passage_practice_offers_each_question_once_a_session(reading):
    _, passage, questions = reading
    student = StudentFactory()
    for number, question in enumerate(questions):
        answer(student, question, number)

    step = next_step(user=student, scope=Scope(passage=passage), session=SESSION, now=NOW)
    other_session = next_step(
        user=student, scope=Scope(passage=passage), session="ba9876543210", now=NOW
    )

    assert step.item is None
    assert other_session.item.question == questions[0]


def test_a_session_ends_at_its_size_and_says_there_is_more():
    question_set = QuestionSetFactory(visibility="public", daily_new_limit=50)
    questions = [
        question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)
        for _ in range(SESSION_SIZE + 1)
    ]
    student = StudentFactory()
    for number, question in enumerate(questions[:SESSION_SIZE]):
        answer(student, question, number, rating=1 if number % 2 else 3)
    scope = Scope(question_set=question_set)

    step = next_step(user=student, scope=scope, session=SESSION, now=NOW)
    summary = session_summary(user=student, scope=scope, session=SESSION, step=step, now=NOW)

    assert (step.item, step.answered, step.capped) == (None, SESSION_SIZE, True)
    assert (summary.answered, summary.right, summary.more) == (SESSION_SIZE, SESSION_SIZE / 2, True)
