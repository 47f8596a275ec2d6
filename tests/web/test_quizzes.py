"""The quiz pages: a teacher makes a quiz; a student takes it, saving as they go."""

import pytest
from django.test import Client

from questions.models import QuestionKind, Quiz, QuizAttempt, Review, ReviewMode
from questions.presentation import student_view
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuestionSetFactory,
    StudentFactory,
    TeacherFactory,
    question_of_kind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    teacher = TeacherFactory(username="quiz-teacher")
    question_set = QuestionSetFactory(title="Peace talks", owner=teacher)
    for _ in range(3):
        question_of_kind(QuestionKind.TRUE_FALSE, question_set=question_set)
    classroom = ClassroomFactory(owner=teacher)
    AssignmentFactory(classroom=classroom, question_set=question_set)
    student = StudentFactory(username="quiz-student")
    MembershipFactory(classroom=classroom, user=student)
    teacher_client, student_client = Client(), Client()
    teacher_client.force_login(teacher)
    student_client.force_login(student)
    return question_set, teacher_client, student_client


def right_choice(question, *, student_id: int) -> str:
    right = question.answers.get(is_correct=True).text.strip().lower()
    shown = student_view(question, student_id=student_id)["choices"]
    return next(c["id"] for c in shown if c["text"].strip().lower() == right)


def test_a_teacher_makes_a_quiz_from_a_set(people):
    question_set, teacher, _ = people

    response = teacher.post(
        f"/teach/sets/{question_set.pk}/quizzes/new/",
        {
            "title": "Unit test",
            "question_count": "2",
            "time_limit_minutes": "20",
            "attempts_allowed": "2",
            "feedback": "at_end",
        },
    )

    quiz = Quiz.objects.get()
    assert response.status_code == 302
    assert (quiz.question_count, quiz.time_limit_minutes, quiz.attempts_allowed) == (2, 20, 2)


def test_impossible_settings_are_shown_on_the_form_and_nothing_is_made(people):
    question_set, teacher, _ = people

    response = teacher.post(
        f"/teach/sets/{question_set.pk}/quizzes/new/",
        {
            "title": "Bad",
            "attempts_allowed": "1",
            "feedback": "at_end",
            "opens_at": "2026-05-02T10:00",
            "closes_at": "2026-05-01T10:00",
        },
    )

    assert response.status_code == 200
    assert not Quiz.objects.exists()


def test_a_student_takes_a_quiz_autosaving_reloading_and_submitting(people):
    question_set, teacher, student = people
    teacher.post(
        f"/teach/sets/{question_set.pk}/quizzes/new/",
        {"title": "Unit test", "attempts_allowed": "1", "feedback": "at_end"},
    )
    quiz = Quiz.objects.get()

    response = student.post(f"/quizzes/{quiz.pk}/start/")
    attempt = QuizAttempt.objects.get()
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/1/"
    questions = {q.pk: q for q in question_set.questions.all()}
    first = questions[attempt.question_ids[0]]
    choice = right_choice(first, student_id=attempt.user_id)

    saved = student.post(
        f"/quizzes/attempts/{attempt.pk}/1/", {"choice": choice}, headers={"HX-Request": "true"}
    )
    assert saved.status_code == 200
    assert b"Saved at" in saved.content
    page = student.get(f"/quizzes/attempts/{attempt.pk}/1/")
    assert f'value="{choice}" id="choice-{first.pk}-{choice}" checked'.encode() in page.content

    second = questions[attempt.question_ids[1]]
    response = student.post(
        f"/quizzes/attempts/{attempt.pk}/2/",
        {"choice": right_choice(second, student_id=attempt.user_id)},
    )
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/3/"
    response = student.post(f"/quizzes/attempts/{attempt.pk}/submit/")
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/result/"
    result = student.get(response["Location"])
    assert b"67%" in result.content
    assert Review.objects.filter(mode=ReviewMode.QUIZ).count() == 2
    # Submitted: the answers can no longer change, and the quiz allowed one attempt.
    assert student.get(f"/quizzes/attempts/{attempt.pk}/1/").status_code == 302
    student.post(f"/quizzes/{quiz.pk}/start/")
    assert QuizAttempt.objects.count() == 1
    assert b"67%" in teacher.get(f"/quizzes/{quiz.pk}/").content


def test_a_malformed_answer_is_refused_and_saves_nothing(people):
    question_set, teacher, student = people
    teacher.post(
        f"/teach/sets/{question_set.pk}/quizzes/new/",
        {"title": "Unit test", "attempts_allowed": "1", "feedback": "at_end"},
    )
    student.post(f"/quizzes/{Quiz.objects.get().pk}/start/")
    attempt = QuizAttempt.objects.get()

    response = student.post(f"/quizzes/attempts/{attempt.pk}/1/", {"choice": "not-an-id"})

    assert response.status_code == 400
    assert not attempt.responses.exists()


def test_nobody_else_opens_a_students_attempt(people):
    question_set, teacher, student = people
    teacher.post(
        f"/teach/sets/{question_set.pk}/quizzes/new/",
        {"title": "Unit test", "attempts_allowed": "1", "feedback": "at_end"},
    )
    student.post(f"/quizzes/{Quiz.objects.get().pk}/start/")
    attempt = QuizAttempt.objects.get()

    assert teacher.get(f"/quizzes/attempts/{attempt.pk}/1/").status_code == 404
    assert teacher.post(f"/quizzes/attempts/{attempt.pk}/submit/").status_code == 404


@pytest.mark.parametrize(
    "kind", ["multiple_choice", "short_answer", "numerical", "cloze", "matching", "ordering"]
)
def test_a_reload_shows_the_saved_answer_of_every_kind(people, kind):
    from tests.web.test_study import right_answer_fields

    question_set, teacher, student = people
    question_set.questions.all().delete()
    question = question_of_kind(kind, question_set=question_set)
    teacher.post(
        f"/teach/sets/{question_set.pk}/quizzes/new/",
        {"title": "Unit test", "attempts_allowed": "1", "feedback": "at_end"},
    )
    student.post(f"/quizzes/{Quiz.objects.get().pk}/start/")
    attempt = QuizAttempt.objects.get()
    fields = right_answer_fields(question, attempt.user)
    assert student.post(f"/quizzes/attempts/{attempt.pk}/1/", fields).status_code == 302

    page = student.get(f"/quizzes/attempts/{attempt.pk}/1/")
    resaved = student.post(
        f"/quizzes/attempts/{attempt.pk}/1/", _form_fields(page.content.decode())
    )

    assert resaved.status_code == 302
    student.post(f"/quizzes/attempts/{attempt.pk}/submit/")
    attempt.refresh_from_db()
    assert attempt.score == 1.0


def _form_fields(html: str) -> dict:
    """What the browser would post back from the page as shown: checked boxes, typed values,
    selected options, hidden order fields."""
    import re

    fields: dict = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or name[1] == "csrfmiddlewaretoken":
            continue
        if kind and kind[1] in ("checkbox", "radio") and " checked" not in tag:
            continue
        fields.setdefault(name[1], []).append(value[1] if value else "")
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = [chosen[1] if chosen else ""]
    return fields
