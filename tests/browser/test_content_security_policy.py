"""The main pages run under the Content-Security-Policy without a single violation, and an
outside image in teacher-authored markup is neither loaded nor kept."""

import pytest

from questions.models import QuestionKind
from tests.browser.conftest import log_in
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuestionSetFactory,
    StudentFactory,
    TeacherFactory,
    question_of_kind,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def classroom():
    teacher = TeacherFactory(username="csp-teacher")
    student = StudentFactory(username="csp-student")
    question_set = QuestionSetFactory(owner=teacher, title="CSP set")
    for kind in (QuestionKind.ORDERING, QuestionKind.MULTIPLE_CHOICE):
        question_of_kind(
            kind,
            question_set=question_set,
            prompt='Look: <img src="https://tracker.example/pixel.png" alt="pixel">',
        )
    room = ClassroomFactory(owner=teacher, name="CSP class")
    MembershipFactory(classroom=room, user=student)
    AssignmentFactory(classroom=room, question_set=question_set)
    return teacher, student, question_set, room


def visit_all(page, paths: list[str], *, site: str) -> list[str]:
    outside = []
    page.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith(site) else None,
    )
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    return outside


def test_student_pages_have_no_violations_and_load_nothing_from_outside(
    new_page, classroom, live_server
):
    _, student, question_set, _ = classroom
    page = new_page()
    log_in(page, student.username, PASSWORD)

    outside = visit_all(
        page,
        ["/", f"/study/?set={question_set.pk}", "/progress/", "/settings/", "/join/"],
        site=live_server.url,
    )

    assert page.violations == []
    assert outside == []


def test_teacher_pages_have_no_violations(new_page, classroom, live_server):
    teacher, _, question_set, room = classroom
    page = new_page()
    log_in(page, teacher.username, PASSWORD)
    question = question_set.questions.first()

    visit_all(
        page,
        [
            "/teach/sets/",
            f"/teach/sets/{question_set.pk}/",
            f"/teach/sets/{question_set.pk}/edit/",
            f"/teach/sets/{question_set.pk}/questions/{question.pk}/",
            f"/teach/sets/{question_set.pk}/questions/new/",
            "/teach/sets/import/",
            "/classes/",
            f"/classes/{room.pk}/",
            f"/classes/{room.pk}/report/",
            "/api/v1/docs/",
        ],
        site=live_server.url,
    )

    assert page.violations == []


def test_anonymous_pages_have_no_violations(new_page, live_server):
    page = new_page()

    visit_all(page, ["/login/", "/signup/"], site=live_server.url)

    assert page.violations == []
