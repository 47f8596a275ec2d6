from django.conf import settings
from django.db import models

from questions import domain


class Rating(models.IntegerChoices):
    AGAIN = domain.Rating.AGAIN.value, "Again"
    HARD = domain.Rating.HARD.value, "Hard"
    GOOD = domain.Rating.GOOD.value, "Good"
    EASY = domain.Rating.EASY.value, "Easy"


class CardState(models.TextChoices):
    NEW = domain.CardState.NEW.value, "New"
    LEARNING = domain.CardState.LEARNING.value, "Learning"
    REVIEW = domain.CardState.REVIEW.value, "Review"
    RELEARNING = domain.CardState.RELEARNING.value, "Relearning"


class ReviewMode(models.TextChoices):
    SCHEDULED = domain.ReviewMode.SCHEDULED.value, "Scheduled"
    AHEAD = domain.ReviewMode.AHEAD.value, "Studied ahead of time"
    # A graded quiz's answer: logged (for statistics and fitting) without changing the card.
    QUIZ = domain.ReviewMode.QUIZ.value, "Graded quiz"


class Card(models.Model):
    """One student's FSRS scheduling state for one question; derived from their reviews."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards"
    )
    question = models.ForeignKey(
        "questions.Question", on_delete=models.CASCADE, related_name="cards"
    )
    state = models.CharField(max_length=10, choices=CardState.choices, default=CardState.NEW)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["user", "due"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="card_once_per_user_question"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=CardState.values), name="card_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(stability__isnull=True) | models.Q(stability__gt=0),
                name="card_stability_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(difficulty__isnull=True)
                | models.Q(difficulty__gte=1, difficulty__lte=10),
                name="card_difficulty_between_one_and_ten",
            ),
        ]
        indexes = [models.Index(fields=["user", "due"], name="card_user_due_idx")]

    def __str__(self) -> str:
        return f"{self.user} · question {self.question_id} · {self.state} due {self.due:%Y-%m-%d}"


def right_answer(prefix: str = "") -> models.Q:
    """A right answer, as a filter on Review (or through a relation, with its `prefix`): graded
    right, or a self-rated flashcard not rated Again."""
    return models.Q(**{f"{prefix}is_correct": True}) | models.Q(
        **{f"{prefix}is_correct__isnull": True, f"{prefix}rating__gt": Rating.AGAIN}
    )


def counted(prefix: str = "") -> models.Q:
    """An answer that counts: not undone (see ReviewUndo). Every count of answers (daily
    limits, sessions, progress, the class report, fitting, card rebuilds) filters with this."""
    return models.Q(**{f"{prefix}undo__isnull": True})


def recalled(prefix: str = "") -> models.Q:
    """An answer the student recalled (any rating but Again): what true retention counts."""
    return models.Q(**{f"{prefix}rating__gt": Rating.AGAIN})


def retention_review() -> models.Q:
    """A scheduled review of a card in review: what true retention is measured on (learning
    steps and study ahead are not)."""
    return models.Q(state_before=CardState.REVIEW, mode=ReviewMode.SCHEDULED)


class ReviewQuerySet(models.QuerySet):
    def counted(self) -> "ReviewQuerySet":
        """The answers that count: those not undone."""
        return self.filter(counted())

    def retention_reviews(self) -> "ReviewQuerySet":
        return self.filter(retention_review())

    def right(self) -> "ReviewQuerySet":
        return self.filter(right_answer())

    def recalled(self) -> "ReviewQuerySet":
        return self.filter(recalled())

    def update(self, **kwargs):
        raise TypeError("The review log is append-only: reviews are never updated.")

    def delete(self):
        raise TypeError("The review log is append-only: reviews are never deleted.")


class Review(models.Model):
    """One answer, kept for good: the append-only log that card states are derived from."""

    client_id = models.CharField(
        max_length=64, help_text="The client's unique id for this answer, so a retry is harmless."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    question = models.ForeignKey(
        "questions.Question", on_delete=models.PROTECT, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    answer = models.JSONField(null=True, blank=True, help_text="The answer as the student gave it.")
    is_correct = models.BooleanField(null=True, help_text="Empty for a self-rated flashcard.")
    score = models.FloatField(
        null=True, blank=True, help_text="Share of the answer that was right."
    )
    response_ms = models.PositiveIntegerField(help_text="Time from showing to answering, in ms.")
    reviewed_at = models.DateTimeField()
    mode = models.CharField(max_length=10, choices=ReviewMode.choices, default=ReviewMode.SCHEDULED)

    state_before = models.CharField(max_length=10, choices=CardState.choices)
    stability_before = models.FloatField(null=True, blank=True)
    difficulty_before = models.FloatField(null=True, blank=True)
    due_before = models.DateTimeField(null=True, blank=True)
    state_after = models.CharField(max_length=10, choices=CardState.choices)
    stability_after = models.FloatField()
    difficulty_after = models.FloatField()
    due_after = models.DateTimeField()
    interval_days = models.FloatField(help_text="Days from this review to the next due date.")
    scheduler_settings = models.JSONField(
        null=True,
        blank=True,
        help_text="The FSRS options this answer was scheduled with, so the log replays exactly "
        "even after a set's options or the student's parameters change.",
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["user", "reviewed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "client_id"], name="review_client_id_per_user"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=4), name="review_rating_one_to_four"
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=ReviewMode.values), name="review_mode_known"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "reviewed_at"], name="review_user_time_idx"),
            models.Index(fields=["question", "reviewed_at"], name="review_question_time_idx"),
            models.Index(fields=["user", "question", "reviewed_at"], name="review_card_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} rated question {self.question_id} {self.rating} at {self.reviewed_at}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The review log is append-only: reviews are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The review log is append-only: reviews are never deleted.")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the teacher"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class AnswerClaim(models.Model):
    """A student's "I was right" about a typed answer graded wrong.

    The review stays as logged (the log is append-only); the claim supersedes its rating:
    the card is rescheduled as if the answer had been rated `rating` (Hard), and a rebuild of
    card states from the log reads the claim's rating in place of the review's. The set's owner
    accepts a claim, adding the typed text as an accepted variant, or rejects it.
    """

    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="claim")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answer_claims"
    )
    question = models.ForeignKey(
        "questions.Question", on_delete=models.PROTECT, related_name="answer_claims"
    )
    # What the student typed and claims is right: {"text": …} or, for a cloze, the wrong gaps
    # {"gaps": {"2": …}}.
    claimed = models.JSONField()
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, default=Rating.HARD)
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_claims",
    )

    class Meta:
        ordering = ["question", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ClaimStatus.values), name="claim_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status=ClaimStatus.PENDING) | models.Q(decided_at__isnull=False),
                name="claim_decided_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "created_at"], name="claim_user_time_idx"),
            models.Index(fields=["question", "status"], name="claim_question_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} claims review {self.review_id} was right ({self.status})"


class ReviewUndo(models.Model):
    """A student's undo of their last answer, within minutes of giving it.

    The review stays as logged (the log is append-only); this row says it no longer counts:
    the card is rescheduled from the other reviews, a rebuild of card states skips it, and no
    count of answers includes it (Review.objects.counted()).
    """

    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="undo")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_undos"
    )
    undone_at = models.DateTimeField()

    class Meta:
        ordering = ["user", "undone_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} undid review {self.review_id} at {self.undone_at}"


class NewCardsExtension(models.Model):
    """More new cards today: a student's raise of one set's daily new-card limit for one study
    day (questions.services.study_limits); the queue adds `extra` to the limit that day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="new_cards_extensions"
    )
    question_set = models.ForeignKey(
        "questions.QuestionSet", on_delete=models.CASCADE, related_name="new_cards_extensions"
    )
    day = models.DateField(help_text="The study day (see questions.selectors.study_days).")
    extra = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["user", "day", "question_set"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question_set", "day"], name="new_cards_extension_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.user}: {self.extra} more new cards of set {self.question_set_id} on {self.day}"
        )
