"""Two answers for one card at the same moment, from two threads with their own connections."""

import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection

from questions import scheduling
from questions.models import Card, QuestionKind, Review
from questions.services import reviews
from questions.services.card_rebuild import card_states_rebuild
from questions.services.reviews import ReviewConflict, review_record
from tests.factories import QuestionSetFactory, StudentFactory, question_of_kind

needs_postgresql = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "Needs PostgreSQL: the SQLite test database is a shared-cache in-memory database, "
            "whose table locks fail at once instead of waiting, so two threads cannot model two "
            "requests; test_two_answers_at_once_on_a_sqlite_file covers SQLite instead."
        ),
    ),
]

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
PROJECT_DIR = Path(__file__).resolve().parent.parent


def on_postgresql(test):
    for mark in reversed(needs_postgresql):
        test = mark(test)
    return test


def slow_schedule(**kwargs):
    # Hold the card lock long enough that the other thread is sure to arrive meanwhile.
    time.sleep(0.3)
    return scheduling.schedule(**kwargs)


def run_together(*calls):
    """Run each call in its own thread, all released at once; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def answer(student, question, client_id, rating, now=NOW):
    return lambda: review_record(
        user=student,
        question=question,
        client_id=client_id,
        answer=None,
        rating=rating,
        response_ms=1500,
        now=now,
    )


@pytest.fixture
def card_setup(monkeypatch):
    """A card already studied once, so the two answers race on an existing card row."""
    student = StudentFactory()
    question = question_of_kind(QuestionKind.FLASHCARD, question_set=QuestionSetFactory())
    answer(student, question, "first", 3, now=NOW - timedelta(hours=1))()
    monkeypatch.setattr(reviews, "schedule", slow_schedule)
    return student, question


@on_postgresql
def test_two_answers_at_once_give_two_log_rows_and_one_consistent_state(card_setup):
    student, question = card_setup

    outcomes = run_together(
        answer(student, question, "tab-1", 3), answer(student, question, "tab-2", 1)
    )

    assert all(outcome.created for outcome in outcomes), outcomes
    first, second = Review.objects.filter(user=student, reviewed_at=NOW).order_by("id")
    # The second answer was scheduled from the state the first one left: no lost update.
    assert second.state_before == first.state_after
    assert second.stability_before == first.stability_after
    assert second.difficulty_before == first.difficulty_after
    card = Card.objects.get(user=student, question=question)
    assert card.reps == 3
    assert card.stability == second.stability_after
    assert card_states_rebuild(check=True).differences == []


@on_postgresql
def test_the_same_answer_sent_twice_at_once_is_recorded_once(card_setup):
    student, question = card_setup

    outcomes = run_together(
        answer(student, question, "retry", 3), answer(student, question, "retry", 3)
    )

    assert sorted(outcome.created for outcome in outcomes) == [False, True], outcomes
    assert outcomes[0].review.pk == outcomes[1].review.pk
    assert Review.objects.filter(user=student).count() == 2
    assert Card.objects.get(user=student).reps == 2


@on_postgresql
def test_one_id_with_two_answers_at_once_records_one_and_refuses_the_other(card_setup):
    student, question = card_setup

    outcomes = run_together(
        answer(student, question, "same-id", 3), answer(student, question, "same-id", 1)
    )

    conflicts = [outcome for outcome in outcomes if isinstance(outcome, ReviewConflict)]
    results = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    assert len(conflicts) == 1, outcomes
    assert len(results) == 1
    assert Review.objects.filter(user=student).count() == 2
    assert Card.objects.get(user=student).reps == 2


@on_postgresql
def test_two_first_answers_at_once_create_one_card(monkeypatch):
    monkeypatch.setattr(reviews, "schedule", slow_schedule)
    student = StudentFactory()
    question = question_of_kind(QuestionKind.FLASHCARD, question_set=QuestionSetFactory())

    outcomes = run_together(
        answer(student, question, "tab-1", 3), answer(student, question, "tab-2", 3)
    )

    assert all(outcome.created for outcome in outcomes), outcomes
    assert Card.objects.get(user=student).reps == 2
    assert card_states_rebuild(check=True).differences == []


def test_two_answers_at_once_on_a_sqlite_file(tmp_path):
    """SQLite behaves too: IMMEDIATE transactions make the second writer wait for the first."""
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "quizsite.settings",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    # Run as a module from the project: run as a script, tests/ would come first on the path,
    # and tests/selectors would hide the standard library's selectors.
    completed = subprocess.run(
        [sys.executable, "-m", "tests.sqlite_race"],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    assert outcome == {
        "outcomes": [True, True],
        "reviews": 3,
        "reps": 3,
        "chained": True,
        "differences": 0,
    }


def answer_as_read(student, question, client_id, rating, now=NOW):
    """An answer as the API sends it: the question (and the card) read without a lock first,
    by the study module, so both answers start from the same card."""
    from questions.study import answerable_question, submit_answer

    def call():
        found = answerable_question(user=student, question_id=question.pk)
        return submit_answer(
            user=student,
            question=found,
            client_id=client_id,
            rating=rating,
            response_ms=1500,
            now=now,
        )

    return call


@on_postgresql
def test_two_answers_to_a_card_read_before_either_is_written_are_chained(card_setup):
    student, question = card_setup
    question.question_set.visibility = "public"
    question.question_set.save()

    outcomes = run_together(
        answer_as_read(student, question, "tab-1", 3), answer_as_read(student, question, "tab-2", 1)
    )

    assert all(outcome.created for outcome in outcomes), outcomes
    first, second = Review.objects.filter(user=student, reviewed_at=NOW).order_by("id")
    assert second.state_before == first.state_after
    assert second.stability_before == first.stability_after
    assert Card.objects.get(user=student, question=question).reps == 3
    assert card_states_rebuild(check=True).differences == []


@on_postgresql
def test_two_first_answers_read_as_cardless_create_one_card_and_chain(monkeypatch):
    monkeypatch.setattr(reviews, "schedule", slow_schedule)
    student = StudentFactory()
    question = question_of_kind(
        QuestionKind.FLASHCARD, question_set=QuestionSetFactory(visibility="public")
    )

    outcomes = run_together(
        answer_as_read(student, question, "tab-1", 3), answer_as_read(student, question, "tab-2", 3)
    )

    assert all(outcome.created for outcome in outcomes), outcomes
    first, second = Review.objects.filter(user=student).order_by("id")
    assert second.state_before == first.state_after
    assert Card.objects.get(user=student).reps == 2
    assert card_states_rebuild(check=True).differences == []
