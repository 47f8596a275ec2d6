"""Why a session ended and what may follow it; the session's length and today's new cards."""

from datetime import UTC, datetime, timedelta

import pytest

from questions.domain import Practice, QueueReason, ReviewMode, SessionEnd
from questions.models import Profile, QuestionKind, Rating
from questions.services.study_limits import EXTRA_NEW_CARDS, new_cards_extend
from questions.study import (
    SESSION_SIZE,
    Scope,
    next_step,
    session_size_for,
    session_summary,
    submit_answer,
)
from tests.factories import QuestionSetFactory, StudentFactory, question_of_kind

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)
SESSION = "0123456789ab"


def make_set(count: int, **options):
    question_set = QuestionSetFactory(visibility="public", **options)
    questions = [
        question_of_kind(QuestionKind.FLASHCARD, question_set=question_set) for _ in range(count)
    ]
    return question_set, questions


def study_all(student, question_set, *, rating=Rating.EASY, session=SESSION, practice=""):
    """Answer every item the session offers; its summary at the end."""
    scope = Scope(question_set=question_set)
    number = 0
    while (
        step := next_step(user=student, scope=scope, session=session, now=NOW, practice=practice)
    ).item:
        number += 1
        submit_answer(
            user=student,
            question=step.item.question,
            client_id=f"{session}:{number}",
            rating=rating,
            response_ms=1000,
            now=NOW,
        )
    return session_summary(
        user=student, scope=scope, session=session, step=step, now=NOW, practice=practice
    )


def test_a_full_session_ends_for_its_length_and_offers_more():
    question_set, _ = make_set(4, session_size=3)

    summary = study_all(StudentFactory(), question_set)

    assert (summary.ended_because, summary.answered, summary.more) == (
        SessionEnd.SESSION_LENGTH,
        3,
        True,
    )


def test_the_daily_new_limit_ends_a_session_saying_how_many_new_remain():
    question_set, _ = make_set(5, daily_new_limit=2)

    summary = study_all(StudentFactory(), question_set)

    assert (summary.ended_because, summary.answered, summary.new_unseen) == (
        SessionEnd.NEW_LIMIT,
        2,
        3,
    )


def test_a_learning_card_due_later_today_ends_a_session_until_then():
    question_set, _ = make_set(1)

    summary = study_all(StudentFactory(), question_set, rating=Rating.AGAIN)

    assert summary.ended_because == SessionEnd.NOTHING_DUE
    assert NOW < summary.next_due < NOW + timedelta(hours=1)


def test_everything_done_when_nothing_new_is_left_and_nothing_is_due_today():
    question_set, _ = make_set(2)

    summary = study_all(StudentFactory(), question_set, rating=Rating.EASY)

    assert summary.ended_because == SessionEnd.ALL_DONE
    assert (summary.new_unseen, summary.ahead, summary.mistakes) == (0, 2, 0)


def test_ten_more_new_cards_today_raise_the_limit_for_today_only():
    question_set, _ = make_set(15, daily_new_limit=2, session_size=50)
    student = StudentFactory()
    study_all(student, question_set)

    new_cards_extend(user=student, question_set=question_set, now=NOW)
    more = study_all(student, question_set, session="00000000000b")

    assert (more.answered, more.ended_because, more.new_unseen) == (
        EXTRA_NEW_CARDS,
        SessionEnd.NEW_LIMIT,
        15 - 2 - EXTRA_NEW_CARDS,
    )
    tomorrow = next_step(
        user=student,
        scope=Scope(question_set=question_set),
        session="00000000000c",
        now=NOW + timedelta(days=1),
    )
    assert tomorrow.item is not None  # and the set's own limit of 2 again (not checked here)


def test_reviewing_ahead_offers_the_cards_not_yet_due_and_logs_them_ahead():
    question_set, _ = make_set(2)
    student = StudentFactory()
    study_all(student, question_set)

    step = next_step(
        user=student,
        scope=Scope(question_set=question_set),
        session="00000000000b",
        now=NOW,
        practice=Practice.AHEAD,
    )

    assert step.item.reason == QueueReason.AHEAD
    result = submit_answer(
        user=student,
        question=step.item.question,
        client_id="00000000000b:1",
        rating=Rating.GOOD,
        response_ms=1000,
        now=NOW + timedelta(minutes=1),
    )
    assert result.mode == ReviewMode.AHEAD


def test_practising_mistakes_offers_todays_wrong_answers_once_each():
    question_set, questions = make_set(3)
    student = StudentFactory()
    scope = Scope(question_set=question_set)
    for number, (question, rating) in enumerate(zip(questions, (1, 4, 1), strict=True)):
        submit_answer(
            user=student,
            question=question,
            client_id=f"{SESSION}:{number}",
            rating=rating,
            response_ms=1000,
            now=NOW,
        )
    summary = session_summary(
        user=student,
        scope=scope,
        session=SESSION,
        step=next_step(user=student, scope=scope, session=SESSION, now=NOW),
        now=NOW,
    )
    assert summary.mistakes == 2

    practised = study_all(student, question_set, session="00000000000b", practice="mistakes")

    assert practised.answered == 2


@pytest.mark.parametrize(
    ("own", "the_sets", "expected"),
    [(None, None, SESSION_SIZE), (None, 7, 7), (4, 7, 4), (4, None, 4)],
)
def test_the_session_length_is_the_students_else_the_sets_else_the_sites(own, the_sets, expected):
    question_set, _ = make_set(1, session_size=the_sets)
    student = StudentFactory()
    Profile.objects.update_or_create(user=student, defaults={"session_size": own})
    student.refresh_from_db()

    assert session_size_for(user=student, scope=Scope(question_set=question_set)) == expected


def test_a_students_new_cards_per_day_comes_before_the_sets():
    question_set, _ = make_set(5, daily_new_limit=1)
    student = StudentFactory()
    Profile.objects.update_or_create(user=student, defaults={"new_cards_per_day": 3})
    student.refresh_from_db()

    summary = study_all(student, question_set)

    assert (summary.answered, summary.ended_because) == (3, SessionEnd.NEW_LIMIT)
