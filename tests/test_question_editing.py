"""questions/services/questions.py: editing a question that students have answered."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from questions.models import QuestionKind
from questions.services.questions import KIND_FIXED_AFTER_ANSWERS, question_update
from questions.services.reviews import review_record
from tests.factories import StudentFactory, question_of_kind

pytestmark = pytest.mark.django_db

SHORT_ANSWER_KEY = [{"text": "Harriman", "is_correct": True, "fraction": 1}]


def test_an_answered_question_keeps_its_type():
    question = question_of_kind(QuestionKind.FLASHCARD)
    review_record(
        user=StudentFactory(),
        question=question,
        client_id="first",
        answer=None,
        rating=3,
        response_ms=2000,
        now=datetime(2026, 11, 2, 9, tzinfo=UTC),
    )

    with pytest.raises(ValidationError) as error:
        question_update(
            by=question.question_set.owner,
            question=question,
            fields={"kind": QuestionKind.SHORT_ANSWER},
            answers=SHORT_ANSWER_KEY,
        )

    assert error.value.message_dict == {"kind": [KIND_FIXED_AFTER_ANSWERS]}
    question.refresh_from_db()
    assert question.kind == QuestionKind.FLASHCARD
    assert list(question.answers.values_list("text", flat=True)) == ["Back of the card"]


def test_an_unanswered_question_may_change_its_type():
    question = question_of_kind(QuestionKind.FLASHCARD)

    question_update(
        by=question.question_set.owner,
        question=question,
        fields={"kind": QuestionKind.SHORT_ANSWER},
        answers=SHORT_ANSWER_KEY,
    )

    question.refresh_from_db()
    assert question.kind == QuestionKind.SHORT_ANSWER
