"""Inputs that used to raise a 500 now get the one error body with a 4xx and change nothing."""

import json

import pytest

from questions.api.parsers import NOT_TEXT
from questions.models import QuestionSet, Review
from tests.api.conftest import client_for
from tests.api.test_errors import assert_error_body

pytestmark = pytest.mark.django_db


def test_options_on_the_csv_report_describes_it_in_json(world):
    client = client_for(world.owner)

    response = client.options(f"/api/v1/classes/{world.classroom.pk}/report/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "text/csv" in response.json()["renders"]


def test_a_csv_report_is_still_csv(world):
    response = client_for(world.owner).get(
        f"/api/v1/classes/{world.classroom.pk}/report/?format=csv"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("depth", [21, 5_000, 100_000])
def test_json_nested_too_deep_is_a_400(world, depth):
    body = '{"title": ' + "[" * depth + "]" * depth + "}"

    response = client_for(world.owner).post(
        "/api/v1/sets/", data=body, content_type="application/json"
    )

    error = assert_error_body(response, 400)
    assert "QUIZSITE_MAX_JSON_DEPTH" in error["message"]


def test_a_body_of_25_megabytes_is_a_413_naming_the_limit(world, settings):
    before = QuestionSet.objects.count()
    body = json.dumps({"title": "x" * (25 * 1024 * 1024)})

    response = client_for(world.owner).post(
        "/api/v1/sets/", data=body, content_type="application/json"
    )

    error = assert_error_body(response, 413)
    assert error["code"] == "payload_too_large"
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in error["message"]
    assert QuestionSet.objects.count() == before


@pytest.mark.parametrize(
    "answer", ['{"text": "\\ud800"}', '{"text": "ok \\udfff ok"}', '{"\\ud800": "key"}']
)
def test_a_lone_surrogate_in_an_answer_is_a_400_and_stores_nothing(world, answer):
    question = world.questions["short_answer"]
    body = (
        f'{{"client_id": "s1", "question": {question.pk}, "answer": {answer}, "response_ms": 900}}'
    )

    response = client_for(world.student_a).post(
        "/api/v1/reviews/", data=body, content_type="application/json"
    )

    error = assert_error_body(response, 400)
    assert error["message"] == NOT_TEXT
    assert not Review.objects.exists()


def test_real_unicode_and_shallow_nesting_are_still_accepted(world):
    question = world.questions["short_answer"]
    body = {
        "client_id": "u1",
        "question": question.pk,
        "answer": {"text": "Lê Đức Thọ 🕊"},
        "response_ms": 900,
    }

    response = client_for(world.student_a).post("/api/v1/reviews/", body, format="json")

    assert response.status_code == 201


@pytest.mark.parametrize("value", [0, 1.5, True, ["a"], {"a": 1}])
def test_a_text_field_takes_only_text(world, value):
    response = client_for(world.owner).post(
        "/api/v1/sets/", {"title": "Typed", "description": value}, format="json"
    )

    error = assert_error_body(response, 400)
    assert "description" in error["fields"]
    assert not QuestionSet.objects.filter(title="Typed").exists()


def test_topics_must_be_text(world):
    response = client_for(world.owner).post(
        "/api/v1/sets/", {"title": "Numbered topics", "topics": [267838123168]}, format="json"
    )

    error = assert_error_body(response, 400)
    assert "topics.0" in error["fields"]
