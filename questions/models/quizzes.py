from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Quiz(models.Model):
    """A graded test drawn from a set: beside spaced repetition, answered once per attempt."""

    class Feedback(models.TextChoices):
        AFTER_EACH = "after_each", "After each question"
        AT_END = "at_end", "At the end"

    question_set = models.ForeignKey(
        "questions.QuestionSet", on_delete=models.CASCADE, related_name="quizzes"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quizzes"
    )
    title = models.CharField(max_length=200)
    question_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Questions drawn at random for each student; empty for all of the set's.",
    )
    time_limit_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty for no time limit."
    )
    attempts_allowed = models.PositiveSmallIntegerField(default=1)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    feedback = models.CharField(max_length=12, choices=Feedback.choices, default=Feedback.AT_END)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=Q(question_count__isnull=True) | Q(question_count__gte=1),
                name="quiz_draws_at_least_one_question",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_minutes__isnull=True) | Q(time_limit_minutes__gte=1),
                name="quiz_time_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(attempts_allowed__gte=1), name="quiz_allows_an_attempt"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="quiz_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(feedback__in=["after_each", "at_end"]), name="quiz_feedback_known"
            ),
        ]
        indexes = [models.Index(fields=["question_set"], name="quiz_set_idx")]

    def __str__(self) -> str:
        return self.title


class QuizAttempt(models.Model):
    """One student's go at a quiz: the questions drawn for them, their deadline by the
    server's clock, and the score once submitted."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField()
    question_ids = models.JSONField(help_text="The questions drawn, in the order shown.")
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True, help_text="Share right, 0 to 1.")

    class Meta:
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="quiz_attempt_number_once"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="quiz_attempt_score_is_a_share",
            ),
        ]
        indexes = [models.Index(fields=["user", "quiz"], name="quiz_attempt_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} · attempt {self.number}"


class QuizResponse(models.Model):
    """A student's answer in an attempt, saved as they go (autosave) and graded on submit."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(
        "questions.Question", on_delete=models.PROTECT, related_name="quiz_responses"
    )
    answer = models.JSONField(help_text="The answer in the engine's form, row ids resolved.")
    saved_at = models.DateTimeField()
    locked = models.BooleanField(
        default=False, help_text="Feedback was shown after it, so it can no longer change."
    )
    review = models.OneToOneField(
        "questions.Review", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["attempt", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="quiz_response_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · question {self.question_id}"
