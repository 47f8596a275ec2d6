"""What a validated launch does in quizsite: the account, the class, and where it lands."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from lti_tool.lti_core.constants import AgsScope
from lti_tool.models import LtiLaunch
from lti_tool.utils import sync_data_from_launch

from lti.models import ContentLink, CourseClass, LinkedResource, UsedNonce
from lti.services.accounts import account_for
from lti.services.courses import course_join, course_role
from questions.models import Membership
from questions.services.classes import linked_set_assign

LINK_PARAMETER = "quizsite_link"
# Longer than any id_token lives (pylti1p3 keeps the nonces it issues for a day).
NONCES_KEPT = timedelta(days=2)
NONCE_REPLAYED = "This launch was already used. Open quizsite again from your course."
NO_CLASS_YET = (
    "Your teacher has not opened quizsite in this course yet. "
    "Ask them to open it once, then try again."
)
NO_CONTENT_YET = (
    "This link does not point to a quizsite set yet. "
    "Ask your teacher to choose one by editing the activity in the course."
)


class LaunchRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Landing:
    user: User
    course: CourseClass | None
    resource: LinkedResource | None = None
    is_teacher: bool = False


def nonce_spend(*, issuer: str, nonce: str, now: datetime) -> None:
    """Remember the nonce; a second launch with it is a replay and is refused."""
    UsedNonce.objects.filter(used_at__lt=now - NONCES_KEPT).delete()
    try:
        with transaction.atomic():
            UsedNonce.objects.create(issuer=issuer, nonce=nonce, used_at=now)
    except IntegrityError:
        raise LaunchRefused(NONCE_REPLAYED) from None


@transaction.atomic
def launch_accept(*, lti_launch: LtiLaunch, now: datetime) -> Landing:
    """Store what the launch says (django-lti's records), then sign-in user, class, and the
    resource it opens. Raises LaunchRefused when there is nothing to open yet."""
    nonce_spend(issuer=lti_launch.get_claim("iss"), nonce=lti_launch.get_claim("nonce"), now=now)
    sync_data_from_launch(lti_launch)
    role = course_role(lti_launch.membership)
    is_teacher = role == Membership.Role.TEACHER
    user = account_for(lti_user=lti_launch.user, is_teacher=is_teacher)
    course = course_join(context=lti_launch.context, user=user, role=role)
    landing = Landing(user=user, course=course, is_teacher=is_teacher)
    if lti_launch.is_resource_launch:
        if course is None:
            raise LaunchRefused(NO_CLASS_YET)
        landing.resource = _resource_for(lti_launch=lti_launch, course=course)
    return landing


def _link_for(*, token: str, course: CourseClass) -> ContentLink | None:
    """The content the token names for this course. A course copied in the LMS keeps its
    links' tokens: the copy gets its own link to the same content, from the same platform."""
    if not token:
        return None
    link = ContentLink.objects.filter(course=course, token=token).first()
    if link is not None:
        return link
    registration_id = course.context.deployment.registration_id
    original = ContentLink.objects.filter(
        token=token, course__context__deployment__registration_id=registration_id
    ).first()
    if original is None:
        return None
    return ContentLink.objects.create(
        course=course,
        kind=original.kind,
        question_set_id=original.question_set_id,
        quiz_id=original.quiz_id,
        title=original.title,
        created_by=original.created_by,
        created_at=original.created_at,
    )


def _resource_for(*, lti_launch: LtiLaunch, course: CourseClass) -> LinkedResource:
    custom = lti_launch.get_claim("https://purl.imsglobal.org/spec/lti/claim/custom") or {}
    link = _link_for(token=custom.get(LINK_PARAMETER, ""), course=course)
    if link is None:
        existing = LinkedResource.objects.filter(resource_link=lti_launch.resource_link).first()
        if existing is None:
            raise LaunchRefused(NO_CONTENT_YET)
        link = existing.link
    ags = lti_launch.ags_claim or {}
    resource, _ = LinkedResource.objects.update_or_create(
        resource_link=lti_launch.resource_link,
        defaults={
            "link": link,
            "lineitem_url": ags.get("lineitem", ""),
            "ags_scopes": list(ags.get("scope", [])),
        },
    )
    linked_set_assign(classroom=course.classroom, question_set=link.question_set)
    return resource


def can_publish_scores(resource: LinkedResource) -> bool:
    return bool(resource.lineitem_url) and AgsScope.PUBLISH_SCORES in resource.ags_scopes
