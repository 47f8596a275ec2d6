"""Submitting an answer through the study module: refusals name the input at fault."""

from datetime import UTC, datetime

import pytest

from questions.grading import NEEDS_SELF_RATING, InvalidAnswer
from questions.models import QuestionKind, Review
from questions.presentation import student_view
from questions.services.reviews import ReviewConflict
from questions.study import answerable_questions, submit_answer
from tests.factories import QuestionSetFactory, StudentFactory, question_of_kind

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


def public(kind):
    return question_of_kind(kind, question_set=QuestionSetFactory(visibility="public"))


@pytest.mark.parametrize(
    ("kind", "sent", "field"),
    [
        (QuestionKind.FLASHCARD, {"rating": None}, "rating"),
        (QuestionKind.SHORT_ANSWER, {"answer": {"text": 7}}, "answer"),
        (QuestionKind.TRUE_FALSE, {"answer": {"choice": "not shown"}}, "answer"),
    ],
)
def test_a_refused_answer_names_its_field_and_writes_nothing(kind, sent, field):
    question = public(kind)

    with pytest.raises(InvalidAnswer) as refused:
        submit_answer(
            user=StudentFactory(), question=question, client_id="c", response_ms=1, now=NOW, **sent
        )

    assert list(refused.value.fields) == [field]
    assert refused.value.fields[field] == [refused.value.message]
    assert not Review.objects.exists()


def test_a_flashcard_without_its_rating_says_so():
    with pytest.raises(InvalidAnswer, match=NEEDS_SELF_RATING[:20]):
        submit_answer(
            user=StudentFactory(),
            question=public(QuestionKind.FLASHCARD),
            client_id="c",
            response_ms=1,
            now=NOW,
        )


@pytest.mark.parametrize("shown", ["True", "False"])
def test_true_false_is_answered_by_the_id_of_the_choice_shown(shown):
    question = public(QuestionKind.TRUE_FALSE)
    student = StudentFactory()
    shown_choices = student_view(question, student_id=student.pk)["choices"]
    choice = next(c for c in shown_choices if c["text"] == shown)
    right = question.answers.get(is_correct=True).text == shown

    result = submit_answer(
        user=student,
        question=question,
        client_id="c",
        answer={"choice": choice["id"]},
        response_ms=60_000,
        now=NOW,
    )

    assert result.is_correct is right
    assert result.review.answer == {"value": shown == "True"}


def test_a_client_id_reused_for_another_answer_is_a_conflict():
    student, question = StudentFactory(), public(QuestionKind.FLASHCARD)
    submit_answer(user=student, question=question, client_id="c", rating=3, response_ms=1, now=NOW)

    with pytest.raises(ReviewConflict) as refused:
        submit_answer(
            user=student, question=question, client_id="c", rating=1, response_ms=1, now=NOW
        )

    assert refused.value.status == 409


def test_the_questions_a_student_may_answer_are_those_they_may_see():
    student = StudentFactory()
    visible = public(QuestionKind.FLASHCARD)
    hidden = question_of_kind(QuestionKind.FLASHCARD)

    assert list(answerable_questions(student)) == [visible]
    assert hidden not in answerable_questions(student)
