"""Plain-row inserts store what bulk_create would, and skip conflicts when told to."""

import gc

import pytest
from django.db import IntegrityError

from questions.models import Answer, Question
from questions.services.bulk_rows import collector_paused, insert_rows
from tests.factories import QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db

COLUMNS = [
    "question_id",
    "position",
    "text",
    "fraction",
    "gap",
    "number",
    "is_correct",
    "match_text",
    "feedback",
    "tolerance",
    "is_choice",
]


def test_rows_are_stored_as_their_fields_would_save_them():
    question = QuestionFactory()
    question.answers.all().delete()

    sent = insert_rows(
        Answer,
        COLUMNS,
        [
            (question.pk, 1, "Paris", 1, None, None, True, "", "", None, False),
            (question.pk, 2, "Rome", 0.5, 1, 2.5, 0, "", "Nearly.", 0.5, True),
        ],
    )

    assert sent == 2
    stored = list(question.answers.order_by("position").values_list(*COLUMNS))
    assert stored == [
        (question.pk, 1, "Paris", 1.0, None, None, True, "", "", None, False),
        (question.pk, 2, "Rome", 0.5, 1, 2.5, False, "", "Nearly.", 0.5, True),
    ]
    assert all(isinstance(row[3], float) for row in stored)


def test_a_conflicting_row_is_skipped_only_when_conflicts_are_ignored():
    question, topic = QuestionFactory(), TopicFactory()
    links = Question.topics.through
    insert_rows(links, ["question_id", "topic_id"], [(question.pk, topic.pk)])

    insert_rows(
        links, ["question_id", "topic_id"], [(question.pk, topic.pk)] * 2, ignore_conflicts=True
    )

    assert list(question.topics.all()) == [topic]
    with pytest.raises(IntegrityError):
        insert_rows(links, ["question_id", "topic_id"], [(question.pk, topic.pk)])


def test_no_rows_send_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(Answer, COLUMNS, []) == 0


def test_the_collector_is_paused_inside_and_left_as_it_was():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
