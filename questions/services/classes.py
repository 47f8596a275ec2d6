"""Writes of classes: teachers create them and assign sets; students join with a code."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from questions.models import Assignment, Classroom, Membership, QuestionSet
from questions.permissions import (
    require_assignable,
    require_class_owner,
    require_teacher,
    require_teaches,
)
from questions.services.studied_sets import members_of, studied_sets_sync

UNKNOWN_JOIN_CODE = "No class has this code; check the code with your teacher."
OWNER_CANNOT_LEAVE = "The owner of a class cannot leave it; delete the class instead."


@transaction.atomic
def classroom_create(*, owner: User, name: str) -> Classroom:
    require_teacher(owner)
    classroom = Classroom(owner=owner, name=name)
    classroom.full_clean()
    classroom.save()
    Membership.objects.create(classroom=classroom, user=owner, role=Membership.Role.TEACHER)
    return classroom


def classroom_rename(*, by: User, classroom: Classroom, name: str) -> Classroom:
    require_teaches(by, classroom)
    classroom.name = name
    classroom.full_clean()
    classroom.save(update_fields=["name"])
    return classroom


@transaction.atomic
def classroom_delete(*, by: User, classroom: Classroom) -> None:
    """Memberships and assignments go with the class; the students' reviews stay theirs. The
    owner only."""
    require_class_owner(by, classroom)
    members = members_of(classroom)
    classroom.delete()
    studied_sets_sync(user_ids=members)


@transaction.atomic
def classroom_join(*, user: User, code: str) -> tuple[Membership, bool]:
    """Join the class with this join code as a student; joining twice changes nothing."""
    classroom = Classroom.objects.filter(join_code__iexact=code.strip()).first()
    if classroom is None:
        raise ValidationError({"code": UNKNOWN_JOIN_CODE})
    membership, created = Membership.objects.get_or_create(
        classroom=classroom, user=user, defaults={"role": Membership.Role.STUDENT}
    )
    if created:
        studied_sets_sync(user_ids=[user.pk])
    return membership, created


@transaction.atomic
def member_remove(*, by: User, classroom: Classroom, user: User) -> None:
    """A teacher removes a member; anyone may leave (remove themselves)."""
    if by.pk != user.pk:
        require_teaches(by, classroom)
    if user.pk == classroom.owner_id:
        raise ValidationError(OWNER_CANNOT_LEAVE)
    Membership.objects.filter(classroom=classroom, user=user).delete()
    studied_sets_sync(user_ids=[user.pk])


def _assign(*, classroom: Classroom, question_set: QuestionSet) -> tuple[Assignment, bool]:
    assignment, created = Assignment.objects.get_or_create(
        classroom=classroom, question_set=question_set
    )
    if created:
        studied_sets_sync(user_ids=members_of(classroom), set_ids=[question_set.pk])
    return assignment, created


@transaction.atomic
def set_assign(
    *, by: User, classroom: Classroom, question_set: QuestionSet
) -> tuple[Assignment, bool]:
    """A teacher of the class assigns a set they may assign; assigning twice changes nothing."""
    require_teaches(by, classroom)
    require_assignable(by, question_set)
    return _assign(classroom=classroom, question_set=question_set)


@transaction.atomic
def linked_set_assign(*, classroom: Classroom, question_set: QuestionSet) -> Assignment:
    """Give a class the set of an LMS link at launch. No user is checked here: the link was
    made by a teacher of a course, checked when it was made, and the platform's signed launch
    names the course (a copied course opens its links for its own class)."""
    return _assign(classroom=classroom, question_set=question_set)[0]


@transaction.atomic
def set_unassign(*, by: User, classroom: Classroom, question_set: QuestionSet) -> None:
    require_teaches(by, classroom)
    Assignment.objects.filter(classroom=classroom, question_set=question_set).delete()
    studied_sets_sync(user_ids=members_of(classroom), set_ids=[question_set.pk])
