"""The answer-input module: what a student sends, as the grader's input."""

import pytest

from questions.answer_input import (
    CHOICE_OR_VALUE,
    CHOOSE_TRUE_OR_FALSE,
    UNKNOWN_ITEM_ID,
    grader_input,
)
from questions.grading import InvalidAnswer
from questions.models import QuestionKind
from questions.presentation import item_id, student_view
from tests.factories import question_of_kind

pytestmark = pytest.mark.django_db

STUDENT = 7


def shown_id(question, answer) -> str:
    return item_id(question_id=question.pk, answer_id=answer.pk, student_id=STUDENT)


@pytest.mark.parametrize("kind", [QuestionKind.MULTIPLE_CHOICE, QuestionKind.ORDERING])
def test_an_answer_in_shown_ids_is_translated_to_row_ids(kind):
    question = question_of_kind(kind)
    rows = list(question.answers.order_by("position"))
    field = "choices" if kind == QuestionKind.MULTIPLE_CHOICE else "order"

    answer = grader_input(
        student_id=STUDENT,
        question=question,
        answer={field: [shown_id(question, row) for row in rows]},
    )

    assert answer == {field: [row.pk for row in rows]}


def test_a_matching_answer_keeps_left_ids_and_translates_right_ones():
    question = question_of_kind(QuestionKind.MATCHING)
    rows = list(question.answers.all())

    answer = grader_input(
        student_id=STUDENT,
        question=question,
        answer={"pairs": {str(row.pk): shown_id(question, row) for row in rows}},
    )

    assert answer == {"pairs": {str(row.pk): row.pk for row in rows}}


@pytest.mark.parametrize(
    ("kind", "answer_of"),
    [
        (QuestionKind.MATCHING, lambda rows, other: {"pairs": {str(r.pk): r.pk for r in rows}}),
        (QuestionKind.ORDERING, lambda rows, other: {"order": [r.pk for r in rows]}),
        (QuestionKind.MULTIPLE_CHOICE, lambda rows, other: {"choices": [str(rows[0].pk)]}),
        (QuestionKind.ORDERING, lambda rows, other: {"order": [other] * len(rows)}),
    ],
)
def test_row_ids_and_other_questions_ids_are_refused(kind, answer_of):
    question = question_of_kind(kind)
    elsewhere = question_of_kind(kind)
    other = shown_id(elsewhere, elsewhere.answers.first())
    rows = list(question.answers.order_by("position"))

    with pytest.raises(InvalidAnswer, match="item ids shown") as refused:
        grader_input(student_id=STUDENT, question=question, answer=answer_of(rows, other))

    assert str(refused.value) == UNKNOWN_ITEM_ID


def test_answers_without_item_ids_pass_through_for_grading_to_judge():
    for kind, answer in [
        (QuestionKind.TRUE_FALSE, {"value": True}),
        (QuestionKind.MULTIPLE_CHOICE, {"choices": "Harriman"}),
        (QuestionKind.ORDERING, None),
    ]:
        assert (
            grader_input(student_id=STUDENT, question=question_of_kind(kind), answer=answer)
            == answer
        )


@pytest.mark.parametrize(("shown", "value"), [("True", True), ("False", False)])
def test_a_true_false_choice_id_is_the_graders_value(shown, value):
    question = question_of_kind(QuestionKind.TRUE_FALSE)
    choice = next(
        c for c in student_view(question, student_id=STUDENT)["choices"] if c["text"] == shown
    )

    assert grader_input(student_id=STUDENT, question=question, answer={"choice": choice["id"]}) == {
        "value": value
    }


@pytest.mark.parametrize("choice", ["", "true", 1, None, ["x"], {"id": "x"}])
def test_a_true_false_choice_that_was_not_shown_is_refused(choice):
    question = question_of_kind(QuestionKind.TRUE_FALSE)

    with pytest.raises(InvalidAnswer) as refused:
        grader_input(student_id=STUDENT, question=question, answer={"choice": choice})

    assert str(refused.value) == CHOOSE_TRUE_OR_FALSE


def test_ids_shown_to_another_student_are_refused():
    question = question_of_kind(QuestionKind.ORDERING)
    theirs = [item["id"] for item in student_view(question, student_id=STUDENT + 1)["items"]]

    with pytest.raises(InvalidAnswer, match="item ids shown"):
        grader_input(question=question, answer={"order": theirs}, student_id=STUDENT)


def test_a_true_false_answer_naming_both_a_choice_and_a_value_is_refused():
    question = question_of_kind(QuestionKind.TRUE_FALSE)
    choice = student_view(question, student_id=STUDENT)["choices"][0]

    with pytest.raises(InvalidAnswer) as refused:
        grader_input(
            student_id=STUDENT, question=question, answer={"choice": choice["id"], "value": True}
        )

    assert str(refused.value) == CHOICE_OR_VALUE
