"""Undo of the last answer: the log keeps it, nothing counts it, the card is as before."""

from datetime import UTC, datetime, timedelta

import pytest

from questions.errors import NotFound
from questions.models import Card, CardState, QuestionKind, Rating, Review, ReviewUndo
from questions.selectors.progress import progress
from questions.selectors.queue import study_queue
from questions.selectors.study_days import daily_counts, profile_of, study_day_bounds
from questions.services.card_rebuild import card_states_rebuild
from questions.services.fitting import _review_log
from questions.services.undo import (
    ALREADY_UNDONE,
    NOT_LATEST,
    NOT_THIS_SESSION,
    TOO_LATE,
    UNDO_WINDOW,
    UndoRefused,
    review_undo,
)
from questions.study import submit_answer
from tests.factories import QuestionSetFactory, StudentFactory, question_of_kind

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)
SESSION = "0123456789ab"


@pytest.fixture
def cards():
    question_set = QuestionSetFactory(visibility="public", daily_new_limit=2)
    return [question_of_kind(QuestionKind.FLASHCARD, question_set=question_set) for _ in range(3)]


def rate(student, question, number: int, *, rating: int = Rating.GOOD, at=NOW):
    return submit_answer(
        user=student,
        question=question,
        client_id=f"{SESSION}:{number}",
        rating=rating,
        response_ms=2000,
        now=at,
    ).review


def test_an_undone_first_answer_leaves_the_card_new_and_the_log_whole(cards):
    student = StudentFactory()
    review = rate(student, cards[0], 1)

    done = review_undo(user=student, review_id=review.pk, now=NOW + timedelta(minutes=1))

    assert Review.objects.filter(pk=review.pk).exists()
    assert ReviewUndo.objects.get(review=review).undone_at == NOW + timedelta(minutes=1)
    card = Card.objects.get(user=student, question=cards[0])
    assert (done.card.state, card.state, card.reps, card.due) == (
        CardState.NEW,
        CardState.NEW,
        0,
        NOW,
    )


def test_an_undone_review_restores_the_card_as_it_was_before_it(cards):
    student = StudentFactory()
    rate(student, cards[0], 1, rating=Rating.EASY)
    before = Card.objects.get(user=student, question=cards[0])
    later = before.due + timedelta(hours=1)
    review = rate(student, cards[0], 2, rating=Rating.AGAIN, at=later)

    review_undo(user=student, review_id=review.pk, now=later + timedelta(seconds=5))

    card = Card.objects.get(user=student, question=cards[0])
    fields = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
    assert [getattr(card, f) for f in fields] == [getattr(before, f) for f in fields]
    assert card.due == review.due_before
    assert card.state == review.state_before


def test_rate_undo_and_rate_again_rebuilds_exactly(cards):
    student = StudentFactory()
    rate(student, cards[0], 1)
    undone = rate(student, cards[1], 2, rating=Rating.AGAIN)
    review_undo(user=student, review_id=undone.pk, now=NOW)
    rate(student, cards[1], 3, rating=Rating.EASY, at=NOW + timedelta(seconds=1))

    report = card_states_rebuild(check=True)

    assert report.differences == []
    assert report.cards_checked == 2


def test_an_undone_answer_counts_against_no_daily_limit_nor_in_progress_or_fitting(cards):
    student = StudentFactory()
    question_set = cards[0].question_set
    first = rate(student, cards[0], 1)
    review_undo(user=student, review_id=first.pk, now=NOW)

    day_start, _ = study_day_bounds(profile=profile_of(student), now=NOW)
    assert (
        daily_counts(user=student, day_start=day_start, now=NOW).new_done.get(question_set.pk, 0)
        == 0
    )
    # The set's limit is 2 new a day: with the undone answer uncounted, two new still come.
    queue = study_queue(user=student, now=NOW, question_set=question_set, limit=10)
    assert len(queue) == 2
    assert progress(user=student, now=NOW).reviews == 0
    assert _review_log(user=student, now=NOW) == []


def test_an_answer_is_undone_only_within_the_window(cards):
    student = StudentFactory()
    review = rate(student, cards[0], 1)

    with pytest.raises(UndoRefused, match=TOO_LATE):
        review_undo(user=student, review_id=review.pk, now=NOW + UNDO_WINDOW + timedelta(seconds=1))
    review_undo(user=student, review_id=review.pk, now=NOW + UNDO_WINDOW)


def test_an_answer_is_undone_only_once(cards):
    student = StudentFactory()
    review = rate(student, cards[0], 1)
    review_undo(user=student, review_id=review.pk, now=NOW)

    with pytest.raises(UndoRefused, match=ALREADY_UNDONE):
        review_undo(user=student, review_id=review.pk, now=NOW)
    assert ReviewUndo.objects.count() == 1


def test_only_the_last_answer_is_undone(cards):
    student = StudentFactory()
    first = rate(student, cards[0], 1)
    rate(student, cards[1], 2, at=NOW + timedelta(seconds=1))

    with pytest.raises(UndoRefused, match=NOT_LATEST):
        review_undo(user=student, review_id=first.pk, now=NOW + timedelta(seconds=2))
    assert not ReviewUndo.objects.exists()


def test_another_students_answer_is_not_found(cards):
    student, other = StudentFactory(), StudentFactory()
    review = rate(student, cards[0], 1)

    with pytest.raises(NotFound):
        review_undo(user=other, review_id=review.pk, now=NOW)
    assert Card.objects.get(user=student).state != CardState.NEW


def test_an_answer_of_another_session_is_not_undone_from_this_one(cards):
    student = StudentFactory()
    review = rate(student, cards[0], 1)

    with pytest.raises(UndoRefused, match=NOT_THIS_SESSION):
        review_undo(user=student, review_id=review.pk, now=NOW, session="ffffffffffff")
