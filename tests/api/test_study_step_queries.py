"""The one-request study step (POST /api/v1/reviews/?next=true: answer, then the next item),
statement by statement, on SQLite and on PostgreSQL.

Counted as the bench counts (bench/middleware.py): every statement but transaction control,
which here is the test's SAVEPOINT and RELEASE around the answer's transaction (in production
BEGIN on SQLite, nothing on PostgreSQL). Authentication is its own first query (the token with
its user and profile), named apart. The caches are warm, as in a session: the token's
last_used_at was written, and the questions' answers and topics were read once. The test
settings cache in process, so throttling costs no query here (see the report of issue 18).
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bench.middleware import TRANSACTION_CONTROL
from bench.queries import describe_sql
from questions.models import Card, QuestionSet

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)

AUTHENTICATION = ["SELECT questions_apitoken"]  # the token, with its user and profile
ANSWER = [
    # The question the student may answer, with set and passage (named by the table of its
    # first subquery: whether its set is a chosen one).
    "SELECT questions_studiedset",  # … and the student's card (no lock)
    "UPDATE questions_card",  # the card rescheduled, if still as read (it takes the row lock)
    "INSERT questions_review",  # the answer, logged
]
NEXT = [
    # The sets studied (own, and StudiedSet rows), with today's extra new cards, joined with
    # today's counts per set grouped from the review log (named by the table of its first
    # subquery: the extra new cards).
    "SELECT questions_newcardsextension",
    "SELECT questions_card",  # due reviews and learning cards
]
NEW_QUESTIONS = ["SELECT questions_question"]  # when nothing is due


def statements(captured) -> list[str]:
    return [
        describe_sql(query["sql"])
        for query in captured
        if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]


@pytest.fixture
def student(world):
    """student_a, studying the world's set through the token client, caches warm."""
    QuestionSet.objects.filter(pk=world.question_set.pk).update(daily_new_limit=100)
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {world.tokens['student_a']}")
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        queue = client.get("/api/v1/study/queue/?limit=50")
    assert queue.json()["count"] == len(world.questions)
    return client


def flashcard_answer(world, client_id):
    return {
        "client_id": client_id,
        "question": world.questions["flashcard"].pk,
        "rating": 3,
        "response_ms": 2000,
    }


def test_a_step_on_a_due_card_with_more_due_runs_a_fixed_list_of_statements(world, student):
    # Two cards studied a month ago, both due now: answering one leaves the other next.
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        for kind in ("flashcard", "true_false"):
            question = world.questions[kind]
            body = flashcard_answer(world, f"first-{kind}") | {"question": question.pk}
            if kind == "true_false":
                body = {k: v for k, v in body.items() if k != "rating"} | {
                    "answer": {"value": True}
                }
            assert student.post("/api/v1/reviews/", body, format="json").status_code == 201
    assert Card.objects.filter(user=world.student_a, due__lte=NOW).count() == 2

    with time_machine.travel(NOW, tick=False):
        student.get("/api/v1/study/queue/?limit=1")  # the token's last_used_at, written now
        with CaptureQueriesContext(connection) as captured:
            response = student.post(
                "/api/v1/reviews/?next=true", flashcard_answer(world, "step"), format="json"
            )

    assert response.status_code == 201, response.json()
    assert response.json()["next"]["reason"] == "review"
    assert statements(captured) == AUTHENTICATION + ANSWER + NEXT


def test_a_first_answer_with_new_questions_next_runs_a_fixed_list_of_statements(world, student):
    first = [
        "SELECT questions_studiedset",  # the question, as above: no card yet
        "INSERT questions_card",  # the card, already rescheduled (in a savepoint)
        "INSERT questions_review",  # the answer, logged
    ]

    with time_machine.travel(NOW, tick=False):
        student.get("/api/v1/study/queue/?limit=1")  # the token's last_used_at, written now
        with CaptureQueriesContext(connection) as captured:
            response = student.post(
                "/api/v1/reviews/?next=true", flashcard_answer(world, "new"), format="json"
            )

    assert response.status_code == 201, response.json()
    assert response.json()["next"]["reason"] == "new"
    assert statements(captured) == AUTHENTICATION + first + NEXT + NEW_QUESTIONS
