"""Answers and topics cached by (question id, updated_at): read once, and an edit of the answer
key is seen by the very next answer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questions.models import QuestionKind
from questions.services.claims import claim_decide, claim_record
from questions.services.questions import question_update
from questions.study import answerable_question, submit_answer
from tests.factories import QuestionSetFactory, StudentFactory, question_of_kind

pytestmark = pytest.mark.django_db


def short_answer():
    question_set = QuestionSetFactory(visibility="public")
    return question_of_kind(QuestionKind.SHORT_ANSWER, question_set=question_set)


def answer(student, question, text, client_id):
    found = answerable_question(user=student, question_id=question.pk)
    return submit_answer(
        user=student,
        question=found,
        client_id=client_id,
        answer={"text": text},
        response_ms=1000,
        now=timezone.now(),
    )


def test_a_question_read_again_takes_its_answers_and_topics_from_the_cache():
    question, student = short_answer(), StudentFactory()
    answerable_question(user=student, question_id=question.pk)

    with CaptureQueriesContext(connection) as read:
        found = answerable_question(user=student, question_id=question.pk)
        texts = [row.text for row in found.answers.all()]
        topics = list(found.topics.all())

    assert len(read) == 1  # the question row, with its set and passage
    assert texts == ["Harriman", "Averell Harriman"]
    assert topics == []


def test_an_edited_answer_key_grades_the_next_answer():
    question, student = short_answer(), StudentFactory()
    assert answer(student, question, "Kissinger", "before").is_correct is False

    question_update(
        by=question.question_set.owner,
        question=question,
        fields={},
        answers=[{"text": "Kissinger", "is_correct": True, "fraction": 1}],
    )

    assert answer(student, question, "Kissinger", "after").is_correct is True
    assert answer(student, question, "Harriman", "old key").is_correct is False


def test_an_accepted_claim_is_a_right_answer_at_once():
    question, student = short_answer(), StudentFactory()
    wrong = answer(student, question, "Averel Harimann", "typo")
    claim = claim_record(user=student, review=wrong.review, now=timezone.now())

    claim_decide(teacher=question.question_set.owner, claim=claim, accept=True, now=timezone.now())

    assert answer(student, question, "Averel Harimann", "again").is_correct is True
