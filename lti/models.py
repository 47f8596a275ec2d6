"""What quizsite keeps about LMS courses, beside django-lti's own registrations and launches.

django-lti (`lti_tool`) stores the platforms, deployments, users (issuer + sub), contexts,
memberships and resource links as the LMS describes them; these models tie them to quizsite's
classes, sets and grades.
"""

import secrets

from django.db import models
from lti_tool.models import LtiContext, LtiResourceLink, LtiUser

LINK_TOKEN_BYTES = 18


def new_link_token() -> str:
    return secrets.token_urlsafe(LINK_TOKEN_BYTES)


class CourseClass(models.Model):
    """An LMS course (an LTI context) as a quizsite class."""

    context = models.OneToOneField(LtiContext, on_delete=models.CASCADE, related_name="course")
    classroom = models.OneToOneField(
        "questions.Classroom", on_delete=models.CASCADE, related_name="lti_course"
    )
    roster_synced_at = models.DateTimeField(null=True, blank=True)
    roster_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "course class"
        verbose_name_plural = "course classes"

    def __str__(self) -> str:
        return f"{self.context} → {self.classroom}"


class ContentKind(models.TextChoices):
    SET = "set", "Study set"
    QUIZ = "quiz", "Graded quiz"


class ContentLink(models.Model):
    """What an instructor chose by deep linking; the LMS carries its token back in each launch.

    The token is random, so a custom parameter edited in the LMS cannot name another set.
    """

    token = models.CharField(max_length=32, unique=True, default=new_link_token)
    course = models.ForeignKey(CourseClass, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=10, choices=ContentKind.choices, default=ContentKind.SET)
    question_set = models.ForeignKey(
        "questions.QuestionSet", on_delete=models.CASCADE, related_name="lti_links"
    )
    quiz = models.ForeignKey(
        "questions.Quiz", on_delete=models.CASCADE, null=True, blank=True, related_name="lti_links"
    )
    title = models.CharField(max_length=255)
    created_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["course", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ContentKind.values), name="lti_content_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="quiz", quiz__isnull=False)
                | models.Q(kind="set", quiz__isnull=True),
                name="lti_quiz_link_names_its_quiz",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"


class LinkedResource(models.Model):
    """A resource link in the LMS course, opening one chosen piece of content, with its grade
    column (the AGS line item) when the LMS gave one."""

    resource_link = models.OneToOneField(
        LtiResourceLink, on_delete=models.CASCADE, related_name="quizsite"
    )
    link = models.ForeignKey(ContentLink, on_delete=models.CASCADE, related_name="resources")
    lineitem_url = models.URLField(max_length=500, blank=True)
    ags_scopes = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["link"], name="lti_resource_link_idx")]

    def __str__(self) -> str:
        return f"{self.resource_link} → {self.link}"


class UsedNonce(models.Model):
    """Each launch's nonce, once: a replayed id_token is refused."""

    issuer = models.CharField(max_length=255)
    nonce = models.CharField(max_length=255)
    used_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "nonce"], name="lti_nonce_once"),
        ]
        indexes = [models.Index(fields=["used_at"], name="lti_nonce_used_at_idx")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.nonce}"


class GradeStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"


class GradeSend(models.Model):
    """The outbox of scores for the LMS gradebook: written in the answer's transaction, sent
    after it, retried until the LMS takes it. Never deleted, so a teacher sees every failure."""

    resource = models.ForeignKey(LinkedResource, on_delete=models.CASCADE, related_name="grades")
    lti_user = models.ForeignKey(LtiUser, on_delete=models.CASCADE, related_name="quizsite_grades")
    status = models.CharField(
        max_length=10, choices=GradeStatus.choices, default=GradeStatus.PENDING
    )
    # A quiz attempt's score is fixed when it is submitted; a study set's is read when sent.
    fixed_score = models.FloatField(null=True, blank=True)
    score_given = models.FloatField(null=True, blank=True)
    score_maximum = models.FloatField(default=100)
    activity_progress = models.CharField(max_length=20, blank=True)
    grading_progress = models.CharField(max_length=20, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    not_before = models.DateTimeField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "lti_user"],
                condition=models.Q(status="pending"),
                name="lti_one_pending_grade_per_student",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=GradeStatus.values), name="lti_grade_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "not_before"], name="lti_grade_due_idx"),
            models.Index(fields=["resource", "lti_user", "status"], name="lti_grade_student_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.lti_user} on {self.resource}: {self.get_status_display()}"
