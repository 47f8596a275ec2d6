import pytest
from django.utils import timezone

from bench.load import ApiStudyLoop, FloorStudyLoop
from bench.middleware import QueryCounter
from bench.one_request import FloorOneRequestLoop
from bench.queries import describe_sql, study_step_sql
from bench.seeding import seed_reviews
from questions.models import Review


@pytest.mark.parametrize(
    ("sql", "queries", "transaction_statements"),
    [
        ('SELECT "questions_card"."id" FROM "questions_card"', 1, 0),
        ('INSERT INTO "questions_review" ("client_id") VALUES (%s)', 1, 0),
        ("BEGIN IMMEDIATE", 0, 1),
        ('SAVEPOINT "s1_x1"', 0, 1),
        ('  release savepoint "s1_x1"', 0, 1),
        ('ROLLBACK TO SAVEPOINT "s1_x1"', 0, 1),
    ],
)
def test_transaction_control_is_told_from_queries(sql, queries, transaction_statements):
    counter = QueryCounter()
    counter(lambda *args: None, sql, None, False, {})
    assert (counter.queries, counter.transaction_statements) == (queries, transaction_statements)


@pytest.mark.urls("bench.urls")
def test_the_floor_step_is_one_select_and_one_insert(tiny_school, in_process_client, settings):
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    seed_reviews(school=tiny_school, reviews=4, now=timezone.now(), progress=False)

    step = FloorStudyLoop().step(in_process_client, tiny_school.student_ids[0], rng=_Rng())

    assert step.answered
    assert (step.queries, step.transaction_statements) == (2, 0)


@pytest.mark.urls("bench.urls")
def test_the_one_request_floor_step_inserts_updates_and_selects(
    tiny_school, in_process_client, settings
):
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    seed_reviews(school=tiny_school, reviews=4, now=timezone.now(), progress=False)
    student = tiny_school.student_ids[0]
    loop = FloorOneRequestLoop()
    loop.prime(in_process_client, [student], threads=1)

    step = loop.step(in_process_client, student, rng=_Rng())

    assert step.answered
    assert (step.requests, step.queries) == (1, 3)
    # INSERT the review and UPDATE the card in one transaction (here, inside the test's own,
    # a SAVEPOINT and its RELEASE), then SELECT the next card.
    assert step.transaction_statements == 2


class _Rng:
    def randint(self, low, high):
        return low

    def choices(self, population, weights):
        return [population[0]]


@pytest.mark.parametrize(
    ("sql", "name"),
    [
        ('SELECT "questions_card"."id" FROM "questions_card" WHERE 1', "SELECT questions_card"),
        (
            'SELECT COUNT(*) FROM (SELECT 1 FROM "questions_review" r) sub',
            "SELECT questions_review",
        ),
        ('INSERT INTO "questions_review" ("client_id") VALUES (%s)', "INSERT questions_review"),
        ('INSERT OR IGNORE INTO "questions_card" ("user_id") VALUES (1)', "INSERT questions_card"),
        ('UPDATE "questions_card" SET "due" = %s WHERE "id" = 1', "UPDATE questions_card"),
        ('DELETE FROM "questions_answer" WHERE "question_id" = 3', "DELETE questions_answer"),
        ("BEGIN IMMEDIATE", "BEGIN IMMEDIATE"),
        ('SAVEPOINT "s1_x1"', "SAVEPOINT s1_x1"),
    ],
)
def test_statements_are_named_by_verb_and_table(sql, name):
    assert describe_sql(sql) == name


def test_one_study_steps_sql_is_captured_per_request(tiny_school):
    keys = {question.id: question.key for question in tiny_school.questions}
    loop = ApiStudyLoop(tokens=tiny_school.tokens, keys=keys)

    step = study_step_sql(loop=loop, student=tiny_school.student_ids[0])

    assert step["next item"][0]["statement"] == "SELECT questions_apitoken"
    for request in ("one request", "answer"):
        assert "INSERT questions_review" in [statement["statement"] for statement in step[request]]
    assert Review.objects.count() == 2
