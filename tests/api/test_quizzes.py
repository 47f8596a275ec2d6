"""Quizzes and attempts through the API."""

import pytest

from questions.models import QuizAttempt, Review, ReviewMode
from questions.presentation import student_view

pytestmark = pytest.mark.django_db


def make_quiz(world, **fields):
    response = world.client("owner").post(
        "/api/v1/quizzes/",
        {"question_set": world.question_set.pk, "title": "Unit 1", **fields},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_teacher_creates_a_quiz_and_its_student_sees_it(world):
    quiz = make_quiz(world, attempts_allowed=2, time_limit_minutes=30)

    listed = world.client("student_a").get("/api/v1/quizzes/").json()["results"]

    assert [item["id"] for item in listed] == [quiz["id"]]
    assert world.client("student_b").get(f"/api/v1/quizzes/{quiz['id']}/").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("student_a", 403), ("other_teacher", 400)])
def test_only_a_teacher_who_may_assign_the_set_creates_a_quiz(world, who, status):
    response = world.client(who).post(
        "/api/v1/quizzes/", {"question_set": world.question_set.pk, "title": "Mine"}, format="json"
    )

    assert response.status_code == status
    assert "error" in response.json()


def test_impossible_dates_are_a_400(world):
    response = world.client("owner").post(
        "/api/v1/quizzes/",
        {
            "question_set": world.question_set.pk,
            "title": "Unit 1",
            "opens_at": "2026-05-02T10:00:00Z",
            "closes_at": "2026-05-01T10:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 400


def test_a_student_takes_an_attempt_saves_answers_and_submits(world):
    quiz = make_quiz(world)
    student = world.client("student_a")

    started = student.post(f"/api/v1/quizzes/{quiz['id']}/attempts/")
    assert started.status_code == 201
    attempt = started.json()
    again = student.post(f"/api/v1/quizzes/{quiz['id']}/attempts/")
    assert again.status_code == 200
    assert again.json()["id"] == attempt["id"]
    shown = attempt["questions"]
    assert all("is_correct" not in str(question) for question in shown)
    tf = next(q for q in shown if q["kind"] == "true_false")
    question = world.questions["true_false"]
    right = question.answers.get(is_correct=True).text.strip().lower() == "true"

    saved = student.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{tf['id']}/",
        {"answer": {"value": right}},
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["is_correct"] is None  # feedback at the end
    read = student.get(f"/api/v1/attempts/{attempt['id']}/").json()
    assert read["answers"] == {str(tf["id"]): {"value": right}}

    submitted = student.post(f"/api/v1/attempts/{attempt['id']}/submit/").json()

    assert submitted["score"] == pytest.approx(1 / len(shown), abs=1e-4)
    assert Review.objects.get(mode=ReviewMode.QUIZ).question_id == tf["id"]
    late = student.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{tf['id']}/",
        {"answer": {"value": not right}},
        format="json",
    )
    assert late.status_code == 400
    assert "submitted" in late.json()["error"]["message"]


def test_a_malformed_answer_is_a_400_and_saves_nothing(world):
    quiz = make_quiz(world)
    student = world.client("student_a")
    attempt = student.post(f"/api/v1/quizzes/{quiz['id']}/attempts/").json()
    choice_question = next(q for q in attempt["questions"] if q["kind"] == "multiple_choice")

    response = student.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{choice_question['id']}/",
        {"answer": {"choices": [12345]}},
        format="json",
    )

    assert response.status_code == 400
    assert not QuizAttempt.objects.get().responses.exists()


def test_another_users_attempt_is_a_404(world):
    quiz = make_quiz(world)
    attempt = world.client("student_a").post(f"/api/v1/quizzes/{quiz['id']}/attempts/").json()

    assert world.client("owner").get(f"/api/v1/attempts/{attempt['id']}/").status_code == 404
    assert (
        world.client("owner").post(f"/api/v1/attempts/{attempt['id']}/submit/").status_code == 404
    )


def test_the_quiz_questions_are_shown_as_in_study(world):
    quiz = make_quiz(world)
    attempt = world.client("student_a").post(f"/api/v1/quizzes/{quiz['id']}/attempts/").json()
    question = world.questions["multiple_choice"]

    shown = next(q for q in attempt["questions"] if q["id"] == question.pk)

    assert shown == student_view(question, student_id=world.student_a.pk)
