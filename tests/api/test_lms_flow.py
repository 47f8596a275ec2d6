"""The issue's acceptance path, on the shipped demo data: an LMS developer makes a token, pulls
a student's queue, posts answers, and reads progress and the class report."""

import pytest
from rest_framework.test import APIClient

from questions.models import Classroom, QuestionKind

pytestmark = pytest.mark.django_db


def token_for(username: str, password: str) -> APIClient:
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password, "token_name": "LMS"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return client


def test_an_lms_studies_with_a_student_and_reads_the_report(seeded):
    student = token_for("student", "quizsite-student")
    teacher = token_for("teacher", "quizsite-teacher")

    queue = student.get("/api/v1/study/queue/?limit=5").json()["results"]
    assert len(queue) == 5
    for number, item in enumerate(queue):
        question = item["question"]
        body = {"client_id": f"lms-{number}", "question": question["id"], "response_ms": 8000}
        if question["kind"] == QuestionKind.FLASHCARD:
            body["rating"] = 3
        elif question["kind"] in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE):
            body["answer"] = (
                {"value": True}
                if question["kind"] == QuestionKind.TRUE_FALSE
                else {"choices": [question["choices"][0]["id"]]}
            )
        elif question["kind"] == QuestionKind.ORDERING:
            body["answer"] = {"order": [entry["id"] for entry in question["items"]]}
        elif question["kind"] == QuestionKind.MATCHING:
            body["answer"] = {
                "pairs": {
                    str(left["id"]): right["id"]
                    for left, right in zip(question["left"], question["right"], strict=True)
                }
            }
        elif question["kind"] == QuestionKind.CLOZE:
            body["answer"] = {"gaps": {str(gap): "Paris" for gap in question["gaps"]}}
        elif question["kind"] == QuestionKind.NUMERICAL:
            body["answer"] = {"value": 1968}
        else:
            body["answer"] = {"text": "Harriman"}
        answered = student.post("/api/v1/reviews/", body, format="json")
        assert answered.status_code == 201, answered.json()
        assert "due" in answered.json()["schedule"]

    progress = student.get("/api/v1/progress/").json()
    assert progress["reviews"] == 5
    classroom = Classroom.objects.get(join_code="DEMO1968")
    report = teacher.get(f"/api/v1/classes/{classroom.pk}/report/").json()
    assert sum(row["attempts"] for row in report["questions"]) == 5
    assert [row["attempts"] for row in report["students"]] == [5]
    csv = teacher.get(f"/api/v1/classes/{classroom.pk}/report/?format=csv")
    assert csv.status_code == 200
    assert csv.content.decode().startswith("question,set,kind")
