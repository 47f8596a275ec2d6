"""The pages and the API run one study module: the same answer gets the same verdict, the same
schedule and the same review row from both, on every question of the shipped banks."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import signing
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client
from rest_framework.test import APIClient

from questions.models import Question, QuestionKind, Review
from questions.presentation import item_id
from questions.web.views.study import SHOWN_SALT
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
SESSION = "0123456789ab"
# Everything an answer writes to the log except its own id, its client's name for it and the
# (equal) user: the verdict, the schedule before and after, and the stored answer.
COMPARED = [
    "question",
    "rating",
    "answer",
    "is_correct",
    "score",
    "response_ms",
    "reviewed_at",
    "mode",
    "state_before",
    "stability_before",
    "difficulty_before",
    "due_before",
    "state_after",
    "stability_after",
    "difficulty_after",
    "due_after",
    "interval_days",
    "scheduler_settings",
]


def answers_to(question, *, right: bool, student_id: int) -> tuple[dict, dict]:
    """(the study form's fields, the API's body fields) of one answer, right or wrong, in the
    item ids this student is shown."""

    def shown(question, row) -> str:
        return item_id(question_id=question.pk, answer_id=row.pk, student_id=student_id)

    rows = list(question.answers.order_by("position", "id"))
    correct = [row for row in rows if row.is_correct]
    match question.kind:
        case QuestionKind.FLASHCARD:
            rating = 3 if right else 1
            return {"rating": str(rating)}, {"rating": rating}
        case QuestionKind.MULTIPLE_CHOICE:
            picked = correct if right else [row for row in rows if not row.is_correct][:1]
            ids = [shown(question, row) for row in picked]
            return {"choice": ids}, {"answer": {"choices": ids}}
        case QuestionKind.TRUE_FALSE:
            row = correct[0] if right else next(row for row in rows if not row.is_correct)
            return {"choice": shown(question, row)}, {"answer": {"choice": shown(question, row)}}
        case QuestionKind.SHORT_ANSWER:
            text = correct[0].text if right else "Zanzibar"
            return {"text": text}, {"answer": {"text": text}}
        case QuestionKind.NUMERICAL:
            number = correct[0].number if right else -123456.0
            return {"number": f"{number:g}"}, {"answer": {"value": f"{number:g}"}}
        case QuestionKind.CLOZE:
            gaps = {}
            for row in correct:
                gaps.setdefault(str(row.gap), row.text if right else "Zanzibar")
            return {f"gap_{gap}": text for gap, text in gaps.items()}, {"answer": {"gaps": gaps}}
        case QuestionKind.MATCHING:
            sides = rows if right else rows[1:] + rows[:1]
            pairs = {
                str(left.pk): shown(question, side) for left, side in zip(rows, sides, strict=True)
            }
            fields = {f"pair_{left}": side for left, side in pairs.items()}
            return fields, {"answer": {"pairs": pairs}}
        case QuestionKind.ORDERING:
            order = [shown(question, row) for row in (rows if right else rows[::-1])]
            return {"order": order}, {"answer": {"order": order}}
    raise AssertionError(question.kind)


def logged(send, *args, **kwargs) -> tuple[object, dict | None]:
    """Send one answer and read its review row, then undo it: each front end answers the same
    card in the same state."""
    with transaction.atomic():
        response = send(*args, **kwargs)
        review = Review.objects.order_by("-id").first()
        row = model_to_dict(review, fields=COMPARED) if review else None
        transaction.set_rollback(True)
    return response, row


def through_the_page(student, question, fields: dict):
    client = Client()
    client.force_login(student)
    stamp = signing.dumps(NOW.timestamp() - 4, salt=SHOWN_SALT)
    data = {
        "session": SESSION,
        "question": question.pk,
        "client_id": f"{SESSION}:1",
        "shown": stamp,
        **fields,
    }
    return client.post("/study/answer/", data, headers={"HX-Request": "true"})


def through_the_api(student, question, body: dict, *, response_ms: int):
    client = APIClient()
    client.force_authenticate(student)
    body = {"client_id": "api-1", "question": question.pk, "response_ms": response_ms, **body}
    return client.post("/api/v1/reviews/", body, format="json")


@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
def test_the_page_and_the_api_log_the_same_review_for_the_same_answer(seeded, right):
    student = StudentFactory()
    questions = list(Question.objects.filter(archived_at__isnull=True).prefetch_related("answers"))
    assert len(questions) >= 60
    kinds = set()
    with time_machine.travel(NOW, tick=False):
        for question in questions:
            fields, body = answers_to(question, right=right, student_id=student.pk)
            page, by_page = logged(through_the_page, student, question, fields)
            assert page.status_code == 200, (question.pk, page.content[:300])
            api, by_api = logged(
                through_the_api, student, question, body, response_ms=by_page["response_ms"]
            )
            assert api.status_code == 201, (question.pk, api.json())
            assert by_api == by_page, question.pk
            # A flashcard goes straight on to the next card, its rating in the line above it.
            shown = page.context.get("result") or page.context["rated"]["result"]
            assert api.json()["is_correct"] == shown.is_correct
            due = datetime.fromisoformat(api.json()["schedule"]["due"])
            assert due == by_page["due_after"]
            kinds.add(question.kind)
    assert kinds == set(QuestionKind.values)
