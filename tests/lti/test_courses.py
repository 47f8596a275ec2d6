"""The teacher's side of an LMS course, the debounce of scores, forms inside the iframe."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from lti.models import CourseClass, GradeSend, GradeStatus, LinkedResource
from lti.services.grades import DEBOUNCE, grade_owed, grades_send_due
from tests.lti.platform import LEARNER
from tests.lti.test_end_to_end import link_set

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def linked(platform, question_set, client):
    item = link_set(platform, client, question_set)
    learner = Client(enforce_csrf_checks=True)
    platform.resource_launch(
        learner, sub="student-7", roles=[LEARNER], resource_link_id="rl-1", custom=item["custom"]
    )
    return client, learner


def test_forms_inside_the_iframe_pass_csrf_with_the_lti_cookies(linked, question_set):
    _, learner = linked

    page = learner.get(f"/study/?set={question_set.pk}", secure=True)

    cookie = page.cookies["quizsite_lti_csrftoken"]
    assert (cookie["samesite"], cookie["secure"]) == ("None", True)
    assert "csrftoken" not in page.cookies
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    question = question_set.questions.order_by("position", "id").first()
    from questions.presentation import item_id
    from tests.web.test_study import post_answer

    right = question.answers.get(is_correct=True)
    shown_to = page.wsgi_request.user.pk
    fields = {"choice": item_id(question_id=question.pk, answer_id=right.pk, student_id=shown_to)}
    learner.defaults["wsgi.url_scheme"] = "https"
    learner.defaults["HTTP_REFERER"] = "https://testserver/study/"
    refused = post_answer(learner, question, fields, client_id="x")
    assert refused.status_code == 403  # CSRF is still checked inside the iframe
    learner.defaults["HTTP_X_CSRFTOKEN"] = token
    response = post_answer(learner, question, fields, client_id="x")
    assert response.status_code == 200
    assert question.reviews.get().is_correct


def test_scores_are_sent_at_most_once_per_debounce_and_the_last_one_waits(linked):
    resource = LinkedResource.objects.get()
    lti_user = resource.resource_link.context.memberships.get(user__sub="student-7").user

    first = grade_owed(resource=resource, lti_user=lti_user, now=NOW)
    assert first.not_before == NOW
    assert grades_send_due(now=NOW) == (1, 0)
    soon = grade_owed(resource=resource, lti_user=lti_user, now=NOW + timedelta(seconds=5))
    again = grade_owed(resource=resource, lti_user=lti_user, now=NOW + timedelta(seconds=9))

    assert again.pk == soon.pk  # one pending score per student and activity
    assert soon.not_before == NOW + DEBOUNCE
    assert grades_send_due(now=NOW + timedelta(seconds=10)) == (0, 0)
    assert grades_send_due(now=NOW + DEBOUNCE) == (1, 0)
    assert GradeSend.objects.filter(status=GradeStatus.SENT).count() == 2


def test_failed_sends_wait_longer_each_time_and_are_never_dropped(linked, platform):
    resource = LinkedResource.objects.get()
    lti_user = resource.resource_link.context.memberships.get(user__sub="student-7").user
    send = grade_owed(resource=resource, lti_user=lti_user, now=NOW)
    platform.fail_scores = 3

    waits = []
    at = NOW
    for _ in range(3):
        assert grades_send_due(now=at) == (0, 1)
        send.refresh_from_db()
        waits.append(send.not_before - at)
        at = send.not_before

    assert waits == sorted(waits)
    assert waits[0] < waits[-1]
    assert send.attempts == 3
    assert grades_send_due(now=at) == (1, 0)


def test_the_teacher_sends_a_failed_score_again_from_the_course_page(linked, platform):
    teacher, _ = linked
    resource = LinkedResource.objects.get()
    lti_user = resource.resource_link.context.memberships.get(user__sub="student-7").user
    send = grade_owed(resource=resource, lti_user=lti_user, now=NOW)
    platform.fail_scores = 1
    grades_send_due(now=NOW)
    course = CourseClass.objects.get()

    response = teacher.post(
        f"/lti/classes/{course.classroom_id}/grades/{send.pk}/retry/", secure=True
    )

    assert response.status_code == 302
    send.refresh_from_db()
    assert send.status == GradeStatus.SENT


def test_a_student_and_another_courses_teacher_cannot_open_the_course_page(linked, platform):
    _, learner = linked
    course = CourseClass.objects.get()
    other = Client()
    platform.course_id = "course-202"
    platform.deep_link_request(other, sub="teacher-2")

    assert learner.get(f"/lti/classes/{course.classroom_id}/", secure=True).status_code == 404
    assert other.get(f"/lti/classes/{course.classroom_id}/", secure=True).status_code == 404
    assert other.post(f"/lti/classes/{course.classroom_id}/roster/", secure=True).status_code == 404


def test_a_choice_the_teacher_may_not_link_is_refused(platform, client, question_set):
    from tests.factories import QuestionSetFactory, TeacherFactory

    private = QuestionSetFactory(owner=TeacherFactory(username="someone-else"))
    response = platform.deep_link_request(client, sub="teacher-1")
    client.get(response["Location"], secure=True)

    for choice in (f"set:{private.pk}", "quiz:999", "nonsense", f"set:{question_set.pk}x"):
        page = client.post("/lti/deep-link/", {"choice": choice}, secure=True)
        assert page.status_code == 200
        assert b"Choose one of the sets or quizzes listed" in page.content
    assert not CourseClass.objects.get().links.exists()


def test_a_learner_launch_before_any_teacher_opened_the_course_is_explained(platform, browser):
    response = platform.resource_launch(
        browser, sub="student-7", roles=[LEARNER], resource_link_id="rl-1"
    )

    assert response.status_code == 403
    assert "has not opened quizsite in this course yet" in response.content.decode()


def test_a_course_copied_in_the_lms_opens_the_same_set(platform, question_set, client):
    item = link_set(platform, client, question_set)
    platform.course_id = "course-101-copy"
    copy_teacher = Client()
    platform.deep_link_request(copy_teacher, sub="teacher-1")  # the copy's class
    learner = Client()

    response = platform.resource_launch(
        learner,
        sub="student-7",
        roles=[LEARNER],
        resource_link_id="rl-copied",
        custom=item["custom"],
    )

    assert response["Location"] == f"/study/?set={question_set.pk}"
    copy = CourseClass.objects.get(context__id_on_platform="course-101-copy")
    assert copy.links.get().question_set == question_set
    assert copy.classroom.assignments.filter(question_set=question_set).exists()


def test_a_token_from_another_platform_opens_nothing(platform, question_set, client):
    from tests.lti.platform import Platform

    item = link_set(platform, client, question_set)
    other = Platform(issuer="https://other-lms.example.org", client_id="c2")
    other.register()
    import responses as responses_module

    with responses_module.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        other.serve(mocked)
        other.deep_link_request(Client(), sub="their-teacher")
        response = other.resource_launch(
            Client(),
            sub="their-student",
            roles=[LEARNER],
            resource_link_id="rl-x",
            custom=item["custom"],
        )

    assert response.status_code == 403
    assert "does not point to a quizsite set yet" in response.content.decode()


def test_a_malformed_roster_is_reported_and_changes_nothing(platform, client, question_set):
    link_set(platform, client, question_set)
    course = CourseClass.objects.get()
    before = set(course.classroom.members.values_list("pk", flat=True))
    platform.raw_members = [{"name": "no id"}]

    response = client.post(f"/lti/classes/{course.classroom_id}/roster/", secure=True, follow=True)

    assert b"without a user id" in response.content
    course.refresh_from_db()
    assert "without a user id" in course.roster_error
    assert set(course.classroom.members.values_list("pk", flat=True)) == before
