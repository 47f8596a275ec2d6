import secrets

from django.conf import settings
from django.db import models

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Classroom(models.Model):
    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_classrooms"
    )
    join_code = models.CharField(max_length=16, unique=True, default=new_join_code)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="classrooms"
    )
    question_sets = models.ManyToManyField(
        "questions.QuestionSet", through="Assignment", related_name="classrooms"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        TEACHER = "teacher", "Teacher"
        STUDENT = "student", "Student"

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STUDENT)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["classroom", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "user"], name="membership_once_per_class"),
            models.CheckConstraint(
                condition=models.Q(role__in=["teacher", "student"]), name="membership_role_known"
            ),
        ]
        indexes = [models.Index(fields=["user", "role"], name="membership_user_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} in {self.classroom} ({self.role})"


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    question_set = models.ForeignKey(
        "questions.QuestionSet", on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["classroom", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "question_set"], name="assignment_once_per_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_set} → {self.classroom}"


class StudiedSet(models.Model):
    """A set a user studies besides their own: assigned to one of their classes (`class`), or
    chosen (`chosen`: started, with a card in it, and shared with them). Data kept up to date
    by the services that change it (questions.services.studied_sets), so the study queue reads
    it instead of working the rule out on every request; a user's own sets are not in it."""

    class Via(models.TextChoices):
        CLASS = "class", "Assigned to one of their classes"
        CHOSEN = "chosen", "Started by the student"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="studied_sets"
    )
    question_set = models.ForeignKey(
        "questions.QuestionSet", on_delete=models.CASCADE, related_name="studied_by"
    )
    via = models.CharField(max_length=10, choices=Via.choices)

    class Meta:
        ordering = ["user", "question_set", "via"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question_set", "via"], name="studied_set_once_per_way"
            ),
            models.CheckConstraint(
                condition=models.Q(via__in=["class", "chosen"]), name="studied_set_via_known"
            ),
        ]
        indexes = [models.Index(fields=["question_set", "via"], name="studied_set_set_via_idx")]

    def __str__(self) -> str:
        return f"{self.user} studies {self.question_set} ({self.via})"
