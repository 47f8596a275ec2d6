"""LMS courses as quizsite classes, and their rosters from the Names and Role service."""

import logging
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from lti_tool.models import LtiContext, LtiMembership
from pylti1p3.exception import LtiException
from pylti1p3.names_roles import NamesRolesProvisioningService
from requests import RequestException

from lti.models import CourseClass
from lti.services.accounts import account_for
from lti.tool import service_connector
from questions.models import Membership
from questions.services.classes import classroom_create
from questions.services.studied_sets import studied_sets_sync

logger = logging.getLogger(__name__)

# A launch syncs the roster when the last sync is older than this.
ROSTER_FRESH_FOR = timedelta(minutes=10)
UNNAMED_COURSE = "Course from the LMS"
NO_ROSTER_SERVICE = "The LMS did not offer its roster (Names and Role Provisioning) to quizsite."


def course_role(membership: LtiMembership) -> str:
    """Instructors (and course administrators and designers) teach; everyone else studies."""
    teaches = (
        membership.is_instructor or membership.is_administrator or membership.is_content_developer
    )
    return Membership.Role.TEACHER if teaches else Membership.Role.STUDENT


@transaction.atomic
def course_join(*, context: LtiContext, user: User, role: str) -> CourseClass | None:
    """Put the user in the course's class with the LMS's role. The class is made on an
    instructor's first launch, owned by them; before that a learner has no class to join."""
    course = CourseClass.objects.filter(context=context).select_related("classroom").first()
    if course is None:
        if role != Membership.Role.TEACHER:
            return None
        name = context.title or context.label or context.id_on_platform or UNNAMED_COURSE
        classroom = classroom_create(owner=user, name=name[:200])
        course = CourseClass.objects.create(context=context, classroom=classroom)
    membership, created = Membership.objects.get_or_create(
        classroom=course.classroom, user=user, defaults={"role": role}
    )
    if created:
        studied_sets_sync(user_ids=[user.pk])
    elif membership.role != role and user.pk != course.classroom.owner_id:
        membership.role = role
        membership.save(update_fields=["role"])
    return course


def roster_sync_if_stale(*, course: CourseClass, now: datetime) -> None:
    """On launch: sync a roster not synced lately. A failure is kept on the course for its
    teacher to see, and never stops the launch."""
    fresh = course.roster_synced_at and course.roster_synced_at > now - ROSTER_FRESH_FOR
    if fresh or not course.context.memberships_url:
        return
    try:
        roster_sync(course=course, now=now)
    except (LtiException, RequestException, ValueError):
        logger.warning("Roster of %s not synced on launch: %s", course, course.roster_error)


def roster_sync(*, course: CourseClass, now: datetime) -> tuple[int, int]:
    """Read the course's members from the LMS and make the class match: members who are
    active in the LMS are in the class with their role, the others are taken out (the owner
    stays). Returns (added, removed). An LMS error is kept on the course and raised again."""
    context = course.context
    if not context.memberships_url:
        course.roster_error = NO_ROSTER_SERVICE
        course.save(update_fields=["roster_error"])
        raise LtiException(NO_ROSTER_SERVICE)
    try:
        service = NamesRolesProvisioningService(
            service_connector(context.deployment.registration),
            {"context_memberships_url": context.memberships_url},
        )
        members = [_member(entry) for entry in service.get_members()]
    except (LtiException, RequestException, ValueError) as error:
        course.roster_error = f"{now:%Y-%m-%d %H:%M} UTC: {error}"
        course.save(update_fields=["roster_error"])
        raise
    return _roster_apply(course=course, members=members, now=now)


def _member(entry) -> dict:
    """One NRPS member, checked: a user id is required; status defaults to Active."""
    if not isinstance(entry, dict) or not isinstance(entry.get("user_id"), str):
        raise ValueError(f"The LMS's roster has a member without a user id: {entry!r:.200}")
    roles = entry.get("roles") or []
    if not isinstance(roles, list):
        raise ValueError(f"The LMS's roster gives roles that are not a list: {roles!r:.200}")
    return {**entry, "roles": roles, "status": entry.get("status") or "Active"}


@transaction.atomic
def _roster_apply(*, course: CourseClass, members: list[dict], now: datetime) -> tuple[int, int]:
    context = course.context
    context.update_memberships(members)
    listed = {member["user_id"] for member in members}
    context.memberships.exclude(user__sub__in=listed).update(is_active=False)
    classroom = course.classroom
    before = set(classroom.memberships.values_list("user_id", flat=True))
    keep = {classroom.owner_id}
    for lti_membership in context.memberships.filter(is_active=True).select_related(
        "user__registration", "user__auth_user"
    ):
        role = course_role(lti_membership)
        user = account_for(lti_user=lti_membership.user, is_teacher=role == Membership.Role.TEACHER)
        if user.pk != classroom.owner_id:
            Membership.objects.update_or_create(
                classroom=classroom, user=user, defaults={"role": role}
            )
        keep.add(user.pk)
    removed = classroom.memberships.exclude(user_id__in=keep)
    removed_count = removed.count()
    removed.delete()
    studied_sets_sync(user_ids=before | keep)
    course.roster_synced_at = now
    course.roster_error = ""
    course.save(update_fields=["roster_synced_at", "roster_error"])
    return len(keep - before), removed_count
