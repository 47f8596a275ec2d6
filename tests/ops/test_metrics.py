import pytest
from django.test import Client
from prometheus_client import REGISTRY

from questions.models import QuestionKind
from tests.api.conftest import client_for
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuestionSetFactory,
    StudentFactory,
    question_of_kind,
)

pytestmark = pytest.mark.django_db


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_are_served_in_prometheus_text_format():
    response = Client().get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method" in body
    assert "quizsite_reviews_recorded_total" in body


def test_metrics_want_the_token_when_one_is_set(settings):
    settings.QUIZSITE_METRICS_TOKEN = "scrape-secret"

    refused = Client().get("/metrics")
    wrong = Client().get("/metrics", headers={"Authorization": "Bearer nope"})
    allowed = Client().get("/metrics", headers={"Authorization": "Bearer scrape-secret"})

    assert refused.status_code == 403
    assert wrong.status_code == 403
    assert allowed.status_code == 200


def test_an_answer_counts_one_study_step_and_one_review_recorded(
    django_capture_on_commit_callbacks,
):
    student = StudentFactory()
    question_set = QuestionSetFactory()
    classroom = ClassroomFactory(owner=question_set.owner)
    MembershipFactory(classroom=classroom, user=student)
    AssignmentFactory(classroom=classroom, question_set=question_set)
    question = question_of_kind(QuestionKind.SHORT_ANSWER, question_set=question_set)
    steps = sample("quizsite_study_steps_total", front_end="api")
    reviews = sample("quizsite_reviews_recorded_total", mode="scheduled")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(student).post(
            "/api/v1/reviews/",
            {
                "client_id": "m-1",
                "question": question.pk,
                "answer": {"text": "whatever"},
                "response_ms": 1000,
            },
            format="json",
        )

    assert response.status_code == 201, response.content
    assert sample("quizsite_study_steps_total", front_end="api") == steps + 1
    assert sample("quizsite_reviews_recorded_total", mode="scheduled") == reviews + 1


def test_a_refused_answer_counts_no_study_step():
    student = StudentFactory()
    steps = sample("quizsite_study_steps_total", front_end="api")

    response = client_for(student).post("/api/v1/reviews/", {"question": 0}, format="json")

    assert response.status_code == 400
    assert sample("quizsite_study_steps_total", front_end="api") == steps
