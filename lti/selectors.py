"""Reads for the LTI pages."""

import json

from django.db.models import QuerySet
from django.urls import reverse
from lti_tool.models import Key, LtiRegistration

from lti.models import ContentKind, CourseClass, GradeSend, GradeStatus, LinkedResource
from questions.models import Membership, Quiz
from questions.permissions import assignable_sets

GRADES_SHOWN = 100


def linkable_quizzes(user) -> QuerySet[Quiz]:
    """A teacher links their own quizzes on sets they may assign."""
    return Quiz.objects.filter(owner=user, question_set__in=assignable_sets(user)).select_related(
        "question_set"
    )


def landing_url(resource: LinkedResource) -> str:
    """Where a student lands from a resource link: studying its set, or its quiz."""
    link = resource.link
    if link.kind == ContentKind.QUIZ:
        return reverse("quiz", args=[link.quiz_id])
    return f"{reverse('study')}?set={link.question_set_id}"


def deep_link_choices(user) -> list[dict]:
    """The teacher's quizzes, then the sets they may assign, as deep-linking choices."""
    quizzes = [
        {
            "value": f"{ContentKind.QUIZ}:{quiz.pk}",
            "title": f"{quiz.title} (from {quiz.question_set.title})",
            "kind": ContentKind.QUIZ.label,
        }
        for quiz in linkable_quizzes(user).order_by("title")
    ]
    sets = [
        {
            "value": f"{ContentKind.SET}:{question_set.pk}",
            "title": question_set.title,
            "kind": ContentKind.SET.label,
        }
        for question_set in assignable_sets(user).order_by("title")
    ]
    return quizzes + sets


def courses_taught(user) -> QuerySet[CourseClass]:
    return CourseClass.objects.filter(
        classroom__memberships__user=user, classroom__memberships__role=Membership.Role.TEACHER
    ).select_related("classroom", "context")


def course_grades(course: CourseClass) -> QuerySet[GradeSend]:
    return GradeSend.objects.filter(resource__link__course=course)


def course_status(course: CourseClass) -> dict:
    grades = course_grades(course).select_related(
        "lti_user__auth_user", "resource__link", "resource__resource_link"
    )
    return {
        "course": course,
        "classroom": course.classroom,
        "links": course.links.select_related("question_set").prefetch_related(
            "resources__resource_link"
        ),
        "pending": list(grades.filter(status=GradeStatus.PENDING).order_by("not_before")),
        "sent": list(grades.filter(status=GradeStatus.SENT).order_by("-sent_at")[:GRADES_SHOWN]),
    }


def tool_setup(request) -> dict:
    absolute = request.build_absolute_uri
    return {
        "jwks_url": absolute(reverse("lti:jwks")),
        "login_url": absolute(reverse("lti:login")),
        "launch_url": absolute(reverse("lti:launch")),
        "deep_link_url": absolute(reverse("lti:launch")),
        "jwks": json.dumps(Key.objects.as_jwks(), indent=2),
        "public_keys": [
            key.public_key for key in Key.objects.active().order_by("-datetime_created")
        ],
        "registrations": LtiRegistration.objects.prefetch_related("deployments").order_by("name"),
        "has_key": Key.objects.active().exists(),
    }
