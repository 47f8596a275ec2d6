"""Reads of classes: the ones a user owns, teaches or belongs to."""

from django.contrib.auth.models import User
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)

from questions.models import (
    Classroom,
    Membership,
)


def classes_of(user: User) -> QuerySet[Classroom]:
    """Classes the user owns or belongs to, with whether they teach it."""
    teaching = Membership.objects.filter(
        classroom=OuterRef("pk"), user=user, role=Membership.Role.TEACHER
    )
    return (
        Classroom.objects.filter(
            Q(owner=user) | Q(pk__in=Membership.objects.filter(user=user).values("classroom_id"))
        )
        .select_related("owner")
        .annotate(
            is_teacher=ExpressionWrapper(
                Q(owner=user) | Q(Exists(teaching)), output_field=BooleanField()
            ),
            student_count=Count(
                "memberships",
                filter=Q(memberships__role=Membership.Role.STUDENT),
                distinct=True,
            ),
            set_count=Count("assignments", distinct=True),
        )
        .order_by("name", "id")
    )
