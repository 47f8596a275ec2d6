"""Deep linking: an instructor picks a set, the LMS gets a resource link with a grade column."""

from datetime import datetime

from django.core.exceptions import ValidationError
from lti_tool.models import LtiLaunch, LtiRegistration
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from lti.models import ContentKind, ContentLink, CourseClass
from lti.selectors import linkable_quizzes
from lti.services.grades import SCORE_MAXIMUM
from lti.services.launch import LINK_PARAMETER
from questions.models import QuestionSet, Quiz
from questions.permissions import assignable_sets
from questions.services.classes import set_assign

DEEP_LINK_SESSION_KEY = "lti_deep_link"
UNKNOWN_CHOICE = "Choose one of the sets or quizzes listed."
LINE_ITEM_TAG = "quizsite"


def deep_link_start(*, lti_launch: LtiLaunch, course: CourseClass, launch_url: str) -> dict:
    """What the answer to this deep-linking request needs, kept in the teacher's session."""
    settings_claim = lti_launch.get_claim(
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
    )
    return {
        "registration": lti_launch.registration.pk,
        "deployment_id": lti_launch.deployment.deployment_id,
        "settings": settings_claim,
        "course": course.pk,
        "launch_url": launch_url,
    }


def _choice(user, choice: str) -> tuple[str, QuestionSet, Quiz | None]:
    """("set", the set, None) or ("quiz", its set, the quiz), from "set:12" or "quiz:3"."""
    kind, _, pk = choice.partition(":")
    if not pk.isdigit():
        raise ValidationError(UNKNOWN_CHOICE)
    if kind == ContentKind.SET:
        question_set = assignable_sets(user).filter(pk=int(pk)).first()
        if question_set is not None:
            return kind, question_set, None
    if kind == ContentKind.QUIZ:
        quiz = linkable_quizzes(user).filter(pk=int(pk)).first()
        if quiz is not None:
            return kind, quiz.question_set, quiz
    raise ValidationError(UNKNOWN_CHOICE)


def deep_link_response(*, user, started: dict, choice: str, now: datetime) -> str:
    """Record the teacher's choice and return the auto-submitting form that hands the LMS a
    signed LtiDeepLinkingResponse: one resource link, opening quizsite's launch URL with the
    choice's token, and a line item so the gradebook gets a column."""
    kind, question_set, quiz = _choice(user, choice)
    course = CourseClass.objects.select_related("classroom").get(pk=started["course"])
    if not course.classroom.memberships.filter(user=user, role="teacher").exists():
        raise ValidationError("Only a teacher of the course can choose its content.")
    link = ContentLink.objects.create(
        course=course,
        kind=kind,
        question_set=question_set,
        quiz=quiz,
        title=(quiz.title if quiz else question_set.title)[:255],
        created_by=user,
        created_at=now,
    )
    set_assign(by=user, classroom=course.classroom, question_set=question_set)
    registration = LtiRegistration.objects.get(pk=started["registration"]).to_registration()
    line_item = (
        LineItem()
        .set_label(link.title)
        .set_score_maximum(SCORE_MAXIMUM)
        .set_resource_id(f"{kind}-{quiz.pk if quiz else question_set.pk}")
        .set_tag(LINE_ITEM_TAG)
    )
    resource = (
        DeepLinkResource()
        .set_url(started["launch_url"])
        .set_title(link.title)
        .set_custom_params({LINK_PARAMETER: link.token})
        .set_lineitem(line_item)
    )
    deep_link = DeepLink(registration, started["deployment_id"], started["settings"])
    return deep_link.output_response_form([resource])
