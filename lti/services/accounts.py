"""quizsite accounts for LMS users: one per (platform registration, sub), never found by e-mail."""

import hashlib

from django.contrib.auth.models import Group, User
from django.db import transaction
from lti_tool.models import LtiUser

from questions.permissions import TEACHERS_GROUP

USERNAME_PREFIX = "lti-"
USERNAME_HASH_LENGTH = 20


def lti_username(lti_user: LtiUser) -> str:
    """A stable username for the LMS user, from the registration and sub, so two platforms'
    users with the same sub (or the same e-mail) never share an account."""
    digest = hashlib.sha256(f"{lti_user.registration.uuid}:{lti_user.sub}".encode()).hexdigest()
    return USERNAME_PREFIX + digest[:USERNAME_HASH_LENGTH]


def is_lms_account(user) -> bool:
    """Whether the user came from an LMS, without a query: only LMS accounts have LMS links,
    and they all have lti_username's prefix. Lets every other answer skip the LMS's outbox."""
    return user.username.startswith(USERNAME_PREFIX)


@transaction.atomic
def account_for(*, lti_user: LtiUser, is_teacher: bool) -> User:
    """The quizsite user linked to this LMS user, created (without a password: they sign in
    through the LMS) on first sight. Names and e-mail follow the LMS; the link itself never
    changes. An instructor joins the teachers group; the group is never taken away here, since
    a teacher may be a learner in another course."""
    user = lti_user.auth_user
    if user is None:
        user = User(username=lti_username(lti_user))
        user.set_unusable_password()
    user.first_name = (lti_user.given_name or lti_user.name)[:150]
    user.last_name = lti_user.family_name[:150]
    user.email = lti_user.email
    user.save()
    if lti_user.auth_user_id != user.pk:
        lti_user.auth_user = user
        lti_user.save(update_fields=["auth_user", "datetime_modified"])
    if is_teacher:
        user.groups.add(Group.objects.get_or_create(name=TEACHERS_GROUP)[0])
    return user
