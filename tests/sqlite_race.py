"""Run by tests/test_concurrency.py in a subprocess (python -m tests.sqlite_race): two threads
answer one card at the same moment on a SQLite *file* (DATABASE_URL), the way two requests
would; prints what happened."""

import json
import os
import threading
import time
from datetime import UTC, datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from questions import scheduling  # noqa: E402
from questions.models import Answer, Card, Question, QuestionSet, Review  # noqa: E402
from questions.services import card_rebuild, reviews  # noqa: E402

NOW = datetime(2026, 4, 1, 10, tzinfo=UTC)


def main() -> None:
    call_command("migrate", verbosity=0)
    student = User.objects.create(username="student")
    question_set = QuestionSet.objects.create(title="Race", owner=student)
    question = Question.objects.create(question_set=question_set, kind="flashcard", prompt="Q")
    Answer.objects.create(question=question, text="A", is_correct=True)
    reviews.review_record(
        user=student,
        question=question,
        client_id="first",
        answer=None,
        rating=3,
        response_ms=1000,
        now=NOW - timedelta(hours=1),
    )

    def slow_schedule(**kwargs):
        time.sleep(0.3)
        return scheduling.schedule(**kwargs)

    reviews.schedule = slow_schedule
    connection.close()
    barrier = threading.Barrier(2)
    outcomes = []

    def answer(client_id: str, rating: int) -> None:
        try:
            barrier.wait()
            result = reviews.review_record(
                user=student,
                question=question,
                client_id=client_id,
                answer=None,
                rating=rating,
                response_ms=1000,
                now=NOW,
            )
            outcomes.append(result.created)
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=args) for args in (("a", 3), ("b", 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    first, second = Review.objects.filter(reviewed_at=NOW).order_by("id")
    print(
        json.dumps(
            {
                "outcomes": outcomes,
                "reviews": Review.objects.count(),
                "reps": Card.objects.get().reps,
                "chained": second.stability_before == first.stability_after,
                "differences": len(card_rebuild.card_states_rebuild(check=True).differences),
            }
        )
    )


if __name__ == "__main__":
    main()
