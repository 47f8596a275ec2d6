from django.conf import settings
from django.db import models

from questions.models.banks import SESSION_SIZE_MAX


class Profile(models.Model):
    """What a user chooses for their own study, and FSRS parameters fitted to their history."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    day_starts_at_hour = models.PositiveSmallIntegerField(
        default=4, help_text="The hour, in the user's time zone, at which a new study day begins."
    )
    desired_retention = models.FloatField(
        null=True, blank=True, help_text="Overrides the set's desired retention when given."
    )
    new_cards_per_day = models.PositiveIntegerField(
        null=True, blank=True, help_text="Overrides each set's daily new-card limit when given."
    )
    session_size = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Answers in one study session; overrides the set's (and the site's) default.",
    )
    fsrs_parameters = models.JSONField(
        null=True, blank=True, help_text="FSRS-6 parameters fitted to this user's review log."
    )
    fsrs_fitted_at = models.DateTimeField(null=True, blank=True)
    fsrs_fitted_review_count = models.PositiveIntegerField(null=True, blank=True)
    fsrs_fit_tried_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a fit was last made for this user, adopted or not: `fit_fsrs --all` "
        "fits again only after enough new reviews.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(desired_retention__isnull=True)
                | models.Q(desired_retention__gt=0.5, desired_retention__lt=1),
                name="profile_desired_retention_between_half_and_one",
            ),
            models.CheckConstraint(
                condition=models.Q(day_starts_at_hour__lte=23), name="profile_day_start_is_an_hour"
            ),
            models.CheckConstraint(
                condition=models.Q(session_size__isnull=True)
                | models.Q(session_size__gte=1, session_size__lte=SESSION_SIZE_MAX),
                name="profile_session_size_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 hash is stored, the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell it.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
