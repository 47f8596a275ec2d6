"""Every example of issue 12, answered on the shipped Paris bank through the API and the study
page: the wrong answers once marked right, the right answers once marked wrong."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from questions.models import Question, Review
from tests.api.conftest import client_for
from tests.web.test_study import post_answer

pytestmark = pytest.mark.django_db

EXAMPLES = [
    ("ppt-048", {"gaps": {"1": "conditionally", "2": "October 31"}}, False),
    ("ppt-048", {"gaps": {"1": "unconditionally", "2": "October 30"}}, False),
    ("ppt-048", {"gaps": {"1": "unconditionally", "2": "31 Oct"}}, True),
    ("ppt-026", {"gaps": {"1": "bombing", "2": "withdrawals", "3": "conditional"}}, False),
    ("ppt-046", {"text": "Dixon"}, False),
    ("ppt-015", {"text": "Parish"}, False),
    ("ppt-043", {"text": "National Liberation Front (NLF)"}, True),
    ("ppt-014", {"text": "Lyndon Baines Johnson"}, True),
    ("ppt-012", {"text": "Mr. Harriman"}, True),
    ("ppt-016", {"value": "3 days"}, True),
]


@pytest.fixture
def bank_student(db):
    call_command("seed", stdout=StringIO())
    return get_user_model().objects.get(username="student")


def bank_question(external_id: str) -> Question:
    return Question.objects.get(external_id=external_id, archived_at__isnull=True)


@pytest.mark.parametrize(("external_id", "answer", "is_correct"), EXAMPLES)
def test_the_issues_examples_grade_as_they_should_through_the_api(
    bank_student, external_id, answer, is_correct
):
    body = {
        "client_id": "example",
        "question": bank_question(external_id).pk,
        "answer": answer,
        "response_ms": 20_000,
    }

    response = client_for(bank_student).post("/api/v1/reviews/", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["is_correct"] is is_correct, response.json()["verdict"]


def page_fields(answer: dict) -> dict:
    if "gaps" in answer:
        return {f"gap_{gap}": text for gap, text in answer["gaps"].items()}
    if "value" in answer:
        return {"number": answer["value"]}
    return answer


@pytest.mark.parametrize(("external_id", "answer", "is_correct"), EXAMPLES)
def test_the_issues_examples_grade_as_they_should_on_the_study_page(
    bank_student, external_id, answer, is_correct
):
    client = Client()
    client.force_login(bank_student)
    question = bank_question(external_id)

    response = post_answer(client, question, page_fields(answer))

    assert response.status_code == 200
    assert Review.objects.get(question=question).is_correct is is_correct
