"""The whole LMS round trip, with the test platform playing the LMS in-process."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from lti.models import ContentLink, CourseClass, GradeSend, GradeStatus, LinkedResource
from questions.models import Card, Membership
from questions.permissions import is_teacher
from tests.lti.platform import INSTRUCTOR, LEARNER, Member

pytestmark = pytest.mark.django_db


def tool_jwks(client) -> dict:
    return client.get("/lti/.well-known/jwks.json").json()


def link_set(platform, client, question_set, *, teacher="teacher-1", resource_link_id="rl-1"):
    """An instructor adds quizsite to the course and picks the set; returns the custom
    parameters the LMS stores on its new resource link."""
    response = platform.deep_link_request(client, sub=teacher)
    assert response.status_code == 302, response.content.decode()
    page = client.get(response["Location"], secure=True)
    assert f"set:{question_set.pk}".encode() in page.content
    response = client.post("/lti/deep-link/", {"choice": f"set:{question_set.pk}"}, secure=True)
    assert response.status_code == 200, response.content.decode()
    item = platform.accept_deep_link(
        response.content.decode(), resource_link_id=resource_link_id, tool_jwks=tool_jwks(client)
    )
    return item


def test_a_deep_linking_launch_returns_a_resource_link_with_a_line_item(
    platform, browser, question_set
):
    item = link_set(platform, browser, question_set)

    assert item["type"] == "ltiResourceLink"
    assert item["url"] == "https://testserver/lti/launch/"
    assert item["lineItem"]["scoreMaximum"] == 100
    assert item["lineItem"]["label"] == "Peace talks"
    link = ContentLink.objects.get()
    assert item["custom"] == {"quizsite_link": link.token}
    assert link.question_set == question_set
    course = CourseClass.objects.get()
    assert course.classroom.name == "History 101"
    assert course.classroom.assignments.filter(question_set=question_set).exists()
    teacher = course.classroom.owner
    assert is_teacher(teacher)
    assert teacher.has_usable_password() is False


def test_a_learner_launch_lands_in_the_set_as_a_student_of_the_course_class(
    platform, browser, question_set, client
):
    item = link_set(platform, client, question_set)

    response = platform.resource_launch(
        browser, sub="student-7", roles=[LEARNER], resource_link_id="rl-1", custom=item["custom"]
    )

    assert response.status_code == 302
    assert response["Location"] == f"/study/?set={question_set.pk}"
    student = User.objects.get(lti_users__sub="student-7")
    assert not is_teacher(student)
    course = CourseClass.objects.get()
    assert course.classroom.memberships.get(user=student).role == Membership.Role.STUDENT
    page = browser.get(response["Location"], secure=True)
    assert page.status_code == 200
    assert b"Peace talks" in page.content
    # Framed by the LMS, and only by it.
    assert "X-Frame-Options" not in page
    assert "frame-ancestors 'self' https://lms.example.edu" in page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in page["Content-Security-Policy"]
    resource = LinkedResource.objects.get()
    assert resource.lineitem_url == platform.line_items["rl-1"]


def test_the_launch_session_cookie_is_samesite_none_and_secure_and_the_sites_is_untouched(
    platform, browser, question_set, client
):
    item = link_set(platform, client, question_set)

    response = platform.resource_launch(
        browser, sub="student-7", roles=[LEARNER], resource_link_id="rl-1", custom=item["custom"]
    )

    cookie = response.cookies["quizsite_lti_session"]
    assert cookie["samesite"] == "None"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert "sessionid" not in response.cookies
    # The same browser with its own quizsite session, outside the LMS: that session wins and
    # the page keeps the site's protections.
    own = User.objects.create_user("own-account")
    browser.force_login(own)
    outside = browser.get("/settings/", secure=True)
    assert outside.wsgi_request.user == own
    assert outside["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in outside["Content-Security-Policy"]


def test_the_same_lms_user_is_the_same_account_and_an_email_never_links_one(
    platform, browser, question_set, client
):
    existing = User.objects.create_user("alice", email="student-7@example.edu")
    item = link_set(platform, client, question_set)

    for _ in range(2):
        platform.resource_launch(
            browser,
            sub="student-7",
            roles=[LEARNER],
            resource_link_id="rl-1",
            custom=item["custom"],
        )

    linked = User.objects.get(lti_users__sub="student-7")
    assert linked != existing
    assert User.objects.filter(email="student-7@example.edu").count() == 2


def study_one(browser, question_set, *, right: bool):
    """Answer the first question the study page offers in the set, through the page."""
    from tests.web.test_study import post_answer

    question = (
        question_set.questions.order_by("position", "id")
        .exclude(cards__user__lti_users__isnull=False)
        .first()
    )
    answers = list(question.answers.order_by("position"))
    from questions.presentation import item_id

    chosen = [a for a in answers if a.is_correct == right]
    shown_to = browser.get("/healthz", secure=True).wsgi_request.user.pk
    fields = {
        "choice": [item_id(question_id=question.pk, answer_id=chosen[0].pk, student_id=shown_to)]
    }
    response = post_answer(browser, question, fields, client_id=str(question.pk))
    assert response.status_code == 200, response.content.decode()
    return question


def test_studying_sends_the_share_mastered_to_the_line_item(
    platform, browser, question_set, client, django_capture_on_commit_callbacks
):
    item = link_set(platform, client, question_set)
    platform.resource_launch(
        browser, sub="student-7", roles=[LEARNER], resource_link_id="rl-1", custom=item["custom"]
    )
    student = User.objects.get(lti_users__sub="student-7")
    mastered, _other = question_set.questions.order_by("position", "id")
    Card.objects.create(
        user=student,
        question=mastered,
        state="review",
        stability=40.0,
        difficulty=5.0,
        due="2099-01-01T00:00Z",
        last_review="2026-01-01T00:00Z",
        reps=3,
    )

    with django_capture_on_commit_callbacks(execute=True):
        study_one(browser, question_set, right=True)

    (score,) = platform.scores
    assert score["url"] == platform.line_items["rl-1"] + "/scores"
    assert score["userId"] == "student-7"
    assert score["scoreGiven"] == 50.0
    assert score["scoreMaximum"] == 100
    assert score["activityProgress"] == "InProgress"
    assert score["gradingProgress"] == "Pending"
    send = GradeSend.objects.get()
    assert send.status == GradeStatus.SENT
    assert send.score_given == 50.0


def test_a_refused_score_is_kept_visible_and_sent_by_the_retry(
    platform, browser, question_set, client, django_capture_on_commit_callbacks
):
    item = link_set(platform, client, question_set)
    platform.resource_launch(
        browser, sub="student-7", roles=[LEARNER], resource_link_id="rl-1", custom=item["custom"]
    )
    platform.fail_scores = 1

    with django_capture_on_commit_callbacks(execute=True):
        study_one(browser, question_set, right=False)

    send = GradeSend.objects.get()
    assert send.status == GradeStatus.PENDING
    assert "503" in send.last_error
    page = client.get(f"/lti/classes/{send.resource.link.course.classroom_id}/", secure=True)
    assert b"503" in page.content
    GradeSend.objects.filter(pk=send.pk).update(not_before="2000-01-01T00:00Z")
    call_command("lti_send_grades", stdout=open("/dev/null", "w"))  # noqa: SIM115
    send.refresh_from_db()
    assert send.status == GradeStatus.SENT
    assert platform.scores[-1]["scoreGiven"] == 0.0


def test_roster_sync_adds_and_removes_members(platform, browser, question_set, client):
    link_set(platform, client, question_set)
    course = CourseClass.objects.get()
    platform.members = [
        Member("teacher-1", "T", [INSTRUCTOR]),
        Member("student-1", "Ann", [LEARNER]),
        Member("student-2", "Ben", [LEARNER]),
    ]
    response = client.post(f"/lti/classes/{course.classroom_id}/roster/", secure=True)
    assert response.status_code == 302
    members = set(course.classroom.members.values_list("lti_users__sub", flat=True))
    assert members == {"teacher-1", "student-1", "student-2"}

    platform.members = [
        Member("teacher-1", "T", [INSTRUCTOR]),
        Member("student-2", "Ben", [LEARNER]),
        Member("student-3", "Cy", [LEARNER], status="Inactive"),
    ]
    client.post(f"/lti/classes/{course.classroom_id}/roster/", secure=True)

    members = set(course.classroom.members.values_list("lti_users__sub", flat=True))
    assert members == {"teacher-1", "student-2"}


def test_a_linked_quiz_sends_the_attempts_score_when_submitted(
    platform, browser, question_set, client, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from questions.models import QuizAttempt
    from questions.services.quizzes import quiz_create
    from tests.web.test_quizzes import right_choice

    link_set(platform, client, question_set)  # the teacher's first launch makes the class
    teacher = CourseClass.objects.get().classroom.owner
    quiz = quiz_create(
        owner=teacher, question_set=question_set, title="Unit test", now=timezone.now()
    )
    response = platform.deep_link_request(client, sub="teacher-1")
    client.get(response["Location"], secure=True)
    response = client.post("/lti/deep-link/", {"choice": f"quiz:{quiz.pk}"}, secure=True)
    item = platform.accept_deep_link(
        response.content.decode(), resource_link_id="rl-quiz", tool_jwks=tool_jwks(client)
    )
    assert item["title"] == "Unit test"

    response = platform.resource_launch(
        browser, sub="student-7", roles=[LEARNER], resource_link_id="rl-quiz", custom=item["custom"]
    )
    assert response["Location"] == f"/quizzes/{quiz.pk}/"
    browser.post(f"/quizzes/{quiz.pk}/start/", secure=True)
    attempt = QuizAttempt.objects.get()
    first = question_set.questions.get(pk=attempt.question_ids[0])
    browser.post(
        f"/quizzes/attempts/{attempt.pk}/1/",
        {"choice": right_choice(first, student_id=attempt.user_id)},
        secure=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(f"/quizzes/attempts/{attempt.pk}/submit/", secure=True)

    (score,) = platform.scores
    assert score["url"] == platform.line_items["rl-quiz"] + "/scores"
    assert score["scoreGiven"] == 50.0
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")


def test_the_first_teacher_launch_syncs_the_roster(platform, client, question_set):
    platform.members = [
        Member("teacher-1", "T", [INSTRUCTOR]),
        Member("student-1", "Ann", [LEARNER]),
    ]

    link_set(platform, client, question_set)

    course = CourseClass.objects.get()
    assert course.roster_synced_at is not None
    members = set(course.classroom.members.values_list("lti_users__sub", flat=True))
    assert members == {"teacher-1", "student-1"}


def test_an_answer_through_the_api_also_sends_the_score(
    platform, browser, question_set, client, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    from questions.services.tokens import token_create

    item = link_set(platform, client, question_set)
    platform.resource_launch(
        browser, sub="student-7", roles=[LEARNER], resource_link_id="rl-1", custom=item["custom"]
    )
    student = User.objects.get(lti_users__sub="student-7")
    token = token_create(user=student, name="app").key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    question = question_set.questions.order_by("position", "id").first()
    value = question.answers.get(is_correct=True).text.strip().lower() == "true"

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/reviews/",
            {
                "client_id": "api-1",
                "question": question.pk,
                "answer": {"value": value},
                "response_ms": 3000,
            },
            format="json",
        )

    assert response.status_code == 201, response.json()
    (score,) = platform.scores
    assert (score["userId"], score["scoreGiven"]) == ("student-7", 0.0)
