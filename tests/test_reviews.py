from datetime import UTC, datetime, timedelta

import fsrs
import pytest

from questions.answer_input import UNKNOWN_ITEM_ID
from questions.grading import InvalidAnswer
from questions.models import Card, CardState, QuestionKind, Review, ReviewMode
from questions.presentation import answer_view, item_id
from questions.scheduling import SchedulerSettings
from questions.services.card_rebuild import card_states_rebuild
from questions.services.questions import question_update
from questions.services.reviews import ReviewConflict, review_record
from tests.factories import QuestionSetFactory, StudentFactory, question_of_kind

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def answer_flashcard(user, question, rating, now, client_id=None):
    return review_record(
        user=user,
        question=question,
        client_id=f"{question.pk}-{now.isoformat()}" if client_id is None else client_id,
        answer=None,
        rating=rating,
        response_ms=4000,
        now=now,
    )


def test_first_answer_creates_card_and_logs_state_before_and_after():
    student = StudentFactory()
    question = question_of_kind(QuestionKind.FLASHCARD)

    result = answer_flashcard(student, question, 3, T0)

    assert result.created is True
    card = Card.objects.get(user=student, question=question)
    assert card.state == CardState.LEARNING
    assert card.reps == 1
    assert card.due == T0 + timedelta(minutes=10)
    review = Review.objects.get()
    assert review.state_before == CardState.NEW
    assert review.stability_before is None
    assert review.due_before is None
    assert review.state_after == CardState.LEARNING
    assert review.stability_after == card.stability
    assert review.due_after == card.due
    assert review.interval_days == pytest.approx(10 / (24 * 60))
    assert review.mode == ReviewMode.SCHEDULED
    assert review.answer == {"rating": 3}
    # The service returns plain data; the front ends render the right answer themselves.
    assert not hasattr(result, "answer")
    assert answer_view(question, student_id=student.pk)["back"] == "Back of the card"


def test_sequence_of_answers_matches_fsrs_called_directly():
    question_set = QuestionSetFactory(enable_fuzzing=False, learning_steps=[60, 600])
    student = StudentFactory()
    question = question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)
    history = [
        (3, T0),
        (3, T0 + timedelta(minutes=11)),
        (3, T0 + timedelta(days=3)),
        (1, T0 + timedelta(days=15)),
        (3, T0 + timedelta(days=15, minutes=12)),
        (4, T0 + timedelta(days=20)),
    ]
    scheduler = fsrs.Scheduler(
        learning_steps=(timedelta(minutes=1), timedelta(minutes=10)),
        relearning_steps=(timedelta(minutes=10),),
        enable_fuzzing=False,
    )
    expected = fsrs.Card(card_id=1)

    for rating, moment in history:
        answer_flashcard(student, question, rating, moment)
        expected, _ = scheduler.review_card(expected, fsrs.Rating(rating), moment)

    card = Card.objects.get(user=student, question=question)
    assert card.stability == pytest.approx(expected.stability, rel=1e-12)
    assert card.difficulty == pytest.approx(expected.difficulty, rel=1e-12)
    assert card.due == expected.due
    assert card.last_review == expected.last_review
    assert card.state == CardState.REVIEW
    assert card.reps == len(history)
    assert card.lapses == 1


def test_replayed_client_id_with_same_answer_returns_first_result():
    student = StudentFactory()
    question = question_of_kind(QuestionKind.SHORT_ANSWER)
    arguments = {
        "user": student,
        "question": question,
        "client_id": "phone-42",
        "answer": {"text": "Harriman"},
        "rating": None,
        "response_ms": 9000,
    }
    first = review_record(**arguments, now=T0)
    again = review_record(**arguments, now=T0 + timedelta(seconds=30))

    assert first.created is True
    assert again.created is False
    assert again.review.pk == first.review.pk
    assert again.grade.rating == first.grade.rating == 3
    assert again.grade.parts == first.grade.parts
    assert Review.objects.count() == 1
    assert Card.objects.get().reps == 1


def test_replayed_client_id_with_different_answer_is_refused_and_changes_nothing():
    student = StudentFactory()
    question = question_of_kind(QuestionKind.SHORT_ANSWER)
    review_record(
        user=student,
        question=question,
        client_id="phone-42",
        answer={"text": "Harriman"},
        rating=None,
        response_ms=9000,
        now=T0,
    )
    card_before = Card.objects.values().get()

    with pytest.raises(ReviewConflict, match="already used for a different answer"):
        review_record(
            user=student,
            question=question,
            client_id="phone-42",
            answer={"text": "Kissinger"},
            rating=None,
            response_ms=9000,
            now=T0 + timedelta(minutes=20),
        )

    assert Review.objects.count() == 1
    assert Card.objects.values().get() == card_before


def test_a_retry_after_the_question_was_archived_still_gets_its_first_result():
    student = StudentFactory()
    question = question_of_kind(QuestionKind.FLASHCARD)
    first = answer_flashcard(student, question, 3, T0, client_id="before-archive")
    question.archived_at = T0 + timedelta(minutes=1)
    question.save()

    again = answer_flashcard(student, question, 3, T0 + timedelta(minutes=2), "before-archive")
    with pytest.raises(InvalidAnswer, match="removed from its set"):
        answer_flashcard(student, question, 3, T0 + timedelta(minutes=2), "after-archive")

    assert (again.created, again.review.pk) == (False, first.review.pk)
    assert Review.objects.count() == 1


def test_a_malformed_answer_under_a_used_client_id_is_a_conflict():
    student = StudentFactory()
    question = question_of_kind(QuestionKind.NUMERICAL)
    review_record(
        user=student,
        question=question,
        client_id="phone-7",
        answer={"value": 1968},
        rating=None,
        response_ms=5000,
        now=T0,
    )

    with pytest.raises(ReviewConflict):
        review_record(
            user=student,
            question=question,
            client_id="phone-7",
            answer={"value": "nineteen sixty-eight"},
            rating=None,
            response_ms=5000,
            now=T0 + timedelta(minutes=5),
        )

    assert Review.objects.count() == 1


def test_same_client_id_for_another_question_is_refused():
    student = StudentFactory()
    first = question_of_kind(QuestionKind.FLASHCARD)
    second = question_of_kind(QuestionKind.FLASHCARD, question_set=first.question_set)
    answer_flashcard(student, first, 3, T0, client_id="same")

    with pytest.raises(ReviewConflict):
        answer_flashcard(student, second, 3, T0, client_id="same")

    assert not Card.objects.filter(question=second).exists()


def test_client_ids_belong_to_each_user():
    question = question_of_kind(QuestionKind.FLASHCARD)
    answer_flashcard(StudentFactory(), question, 3, T0, client_id="same")
    result = answer_flashcard(StudentFactory(), question, 3, T0, client_id="same")

    assert result.created is True
    assert Review.objects.count() == 2


@pytest.mark.parametrize(
    ("kind", "answer", "rating"),
    [
        (QuestionKind.SHORT_ANSWER, {"text": 42}, None),
        (QuestionKind.MULTIPLE_CHOICE, {"choices": [999999]}, None),
        (QuestionKind.FLASHCARD, None, None),
        (QuestionKind.FLASHCARD, None, 7),
    ],
)
def test_malformed_answer_is_refused_and_changes_nothing(kind, answer, rating):
    student = StudentFactory()
    question = question_of_kind(kind)

    with pytest.raises(InvalidAnswer):
        review_record(
            user=student,
            question=question,
            client_id="x",
            answer=answer,
            rating=rating,
            response_ms=1000,
            now=T0,
        )

    assert not Review.objects.exists()
    assert not Card.objects.exists()


def test_missing_client_id_is_refused():
    question = question_of_kind(QuestionKind.FLASHCARD)
    with pytest.raises(InvalidAnswer, match="client_id"):
        answer_flashcard(StudentFactory(), question, 3, T0, client_id="")


def test_answer_before_due_is_logged_as_study_ahead_without_pulling_due_forward():
    question_set = QuestionSetFactory(enable_fuzzing=False)
    student = StudentFactory()
    question = question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)
    answer_flashcard(student, question, 4, T0)
    answer_flashcard(student, question, 3, T0 + timedelta(days=30))
    card = Card.objects.get()
    due_before_cramming = card.due
    stability_before_cramming = card.stability
    assert card.state == CardState.REVIEW

    moments = [T0 + timedelta(days=31, hours=hour) for hour in range(5)]
    for moment in moments:
        result = answer_flashcard(student, question, 3, moment)
        assert result.review.mode == ReviewMode.AHEAD

    card.refresh_from_db()
    assert card.due >= due_before_cramming
    # Five crammed answers within hours earn no more than a sliver of stability.
    assert card.stability < stability_before_cramming * 1.1
    assert card.state == CardState.REVIEW


def test_due_review_is_logged_as_scheduled():
    question_set = QuestionSetFactory(enable_fuzzing=False, learning_steps=[])
    student = StudentFactory()
    question = question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)
    first = answer_flashcard(student, question, 3, T0)
    second = answer_flashcard(student, question, 3, first.card.due + timedelta(minutes=1))

    assert second.review.mode == ReviewMode.SCHEDULED


def test_profile_retention_wins_over_the_set():
    question_set = QuestionSetFactory(
        enable_fuzzing=False, learning_steps=[], desired_retention=0.9
    )
    relaxed, strict = StudentFactory(), StudentFactory()
    strict.profile.desired_retention = 0.97
    strict.profile.save()
    question = question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)

    relaxed_card = answer_flashcard(relaxed, question, 4, T0).card
    strict_card = answer_flashcard(strict, question, 4, T0).card

    assert strict_card.due < relaxed_card.due


def test_fitted_parameters_of_the_profile_are_used():
    question_set = QuestionSetFactory(enable_fuzzing=False, learning_steps=[])
    student = StudentFactory()
    parameters = list(SchedulerSettings().parameters)
    parameters[3] = 30.0  # initial stability after Easy
    student.profile.fsrs_parameters = parameters
    student.profile.save()
    question = question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)

    card = answer_flashcard(student, question, 4, T0).card

    assert card.stability == 30.0


def test_objective_answer_is_graded_by_the_server():
    question = question_of_kind(QuestionKind.MULTIPLE_CHOICE)
    wrong = question.answers.get(text="Dean Rusk")
    student = StudentFactory()

    result = review_record(
        user=student,
        question=question,
        client_id="a",
        answer={
            "choices": [item_id(question_id=question.pk, answer_id=wrong.pk, student_id=student.pk)]
        },
        rating=4,  # a student's own rating is ignored for graded kinds
        response_ms=3000,
        now=T0,
    )

    assert result.review.rating == 1
    assert result.review.is_correct is False
    assert result.review.score == 0
    assert result.grade.rating == 1


def test_an_answer_is_logged_with_row_ids_and_replays_with_the_shown_ids():
    question = question_of_kind(QuestionKind.ORDERING)
    rows = list(question.answers.order_by("position"))
    student = StudentFactory()
    shown = {
        "order": [
            item_id(question_id=question.pk, answer_id=row.pk, student_id=student.pk)
            for row in rows
        ]
    }

    first, again = (
        review_record(
            user=student,
            question=question,
            client_id="o",
            answer=shown,
            rating=None,
            response_ms=3000,
            now=T0,
        )
        for _ in range(2)
    )

    assert first.review.is_correct is True
    assert first.review.answer == {"order": [row.pk for row in rows]}
    assert again.created is False
    assert again.review == first.review


def test_a_retry_after_the_teacher_edits_the_question_gets_its_first_result():
    question = question_of_kind(QuestionKind.ORDERING)
    rows = list(question.answers.order_by("position"))
    student = StudentFactory()
    shown = {
        "order": [
            item_id(question_id=question.pk, answer_id=row.pk, student_id=student.pk)
            for row in rows
        ]
    }
    first = review_record(
        user=student,
        question=question,
        client_id="o",
        answer=shown,
        rating=None,
        response_ms=3000,
        now=T0,
    )
    question_update(
        by=question.question_set.owner,
        question=question,
        fields={"prompt": "Put these in the order they happened."},
        answers=[{"text": row.text, "is_correct": True, "fraction": 1} for row in rows],
    )

    retry = review_record(
        user=student,
        question=question,
        client_id="o",
        answer=shown,
        rating=None,
        response_ms=3000,
        now=T0 + timedelta(seconds=5),
    )

    assert retry.created is False
    assert retry.review == first.review


def test_a_retry_naming_a_choice_the_teacher_removed_since_gets_its_first_result():
    question = question_of_kind(QuestionKind.MULTIPLE_CHOICE)
    right, *_, removed = question.answers.order_by("position")
    student = StudentFactory()
    picked = {
        "choices": [item_id(question_id=question.pk, answer_id=removed.pk, student_id=student.pk)]
    }
    first = review_record(
        user=student,
        question=question,
        client_id="mc",
        answer=picked,
        rating=None,
        response_ms=3000,
        now=T0,
    )
    question_update(
        by=question.question_set.owner,
        question=question,
        fields={},
        answers=[{"text": right.text, "is_correct": True}, {"text": "Henry Kissinger"}],
    )

    retry = review_record(
        user=student,
        question=question,
        client_id="mc",
        answer=picked,
        rating=None,
        response_ms=3000,
        now=T0 + timedelta(seconds=5),
    )

    assert (retry.created, retry.review) == (False, first.review)
    assert Review.objects.count() == 1


def test_row_ids_are_refused_and_change_nothing():
    question = question_of_kind(QuestionKind.MATCHING)
    cheat = {str(row.pk): row.pk for row in question.answers.all()}

    with pytest.raises(InvalidAnswer) as refused:
        review_record(
            user=StudentFactory(),
            question=question,
            client_id="m",
            answer={"pairs": cheat},
            rating=None,
            response_ms=3000,
            now=T0,
        )

    assert str(refused.value) == UNKNOWN_ITEM_ID
    assert not Review.objects.exists()
    assert not Card.objects.exists()


def test_rebuild_check_finds_nothing_after_normal_use():
    student = StudentFactory()
    question = question_of_kind(QuestionKind.FLASHCARD)
    for day, rating in enumerate([3, 3, 1, 3, 4, 2]):
        answer_flashcard(student, question, rating, T0 + timedelta(days=day * 4))

    report = card_states_rebuild(check=True)

    assert report.cards_checked == 1
    assert report.differences == []


def test_a_tab_left_open_overnight_logs_at_most_an_hour():
    question = question_of_kind(QuestionKind.FLASHCARD)

    result = review_record(
        user=StudentFactory(),
        question=question,
        client_id="overnight",
        answer=None,
        rating=3,
        response_ms=10 * 3_600_000,
        now=T0,
    )

    assert result.review.response_ms == 3_600_000
