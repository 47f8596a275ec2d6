"""Serializers of the API's accounts: tokens, token login and the caller's own profile."""

import zoneinfo

from rest_framework import serializers

from questions.api.serializers import StrictModelSerializer
from questions.models import ApiToken, Profile
from questions.models.banks import (
    DESIRED_RETENTION_MAX,
    DESIRED_RETENTION_MIN,
    SESSION_SIZE_MAX,
)
from questions.permissions import is_teacher
from questions.scheduling import fitted_parameters

UNKNOWN_TIME_ZONE = "Unknown time zone; use an IANA name such as Europe/Paris."
RETENTION_RANGE = (
    f"Desired retention must be from {DESIRED_RETENTION_MIN} to {DESIRED_RETENTION_MAX}, e.g. 0.9."
)


class TokenSerializer(StrictModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at"]
        extra_kwargs = {"name": {"max_length": 100}}


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(
        read_only=True,
        help_text="The token itself. It is shown only in this response: store it now.",
    )

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    token_name = serializers.CharField(max_length=100, required=False, default="API token")


class ProfileSerializer(StrictModelSerializer):
    id = serializers.IntegerField(source="user.id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.CharField(source="user.email", read_only=True)
    is_teacher = serializers.SerializerMethodField()
    time_zone = serializers.CharField(max_length=64)
    day_starts_at_hour = serializers.IntegerField(min_value=0, max_value=23)
    desired_retention = serializers.FloatField(
        allow_null=True,
        required=False,
        min_value=DESIRED_RETENTION_MIN,
        max_value=DESIRED_RETENTION_MAX,
        error_messages={"min_value": RETENTION_RANGE, "max_value": RETENTION_RANGE},
    )
    new_cards_per_day = serializers.IntegerField(
        allow_null=True,
        required=False,
        min_value=0,
        max_value=10_000,
        help_text="New cards a day in each set; null to use each set's own.",
    )
    session_size = serializers.IntegerField(
        allow_null=True,
        required=False,
        min_value=1,
        max_value=SESSION_SIZE_MAX,
        help_text="Answers in one study session; null to use the set's (or the site's).",
    )
    fsrs_parameters = serializers.SerializerMethodField(
        help_text="FSRS-6 parameters fitted to your reviews; empty until they are fitted."
    )

    class Meta:
        model = Profile
        fields = [
            "id",
            "username",
            "email",
            "is_teacher",
            "time_zone",
            "day_starts_at_hour",
            "desired_retention",
            "new_cards_per_day",
            "session_size",
            "fsrs_parameters",
            "fsrs_fitted_at",
            "fsrs_fitted_review_count",
        ]
        read_only_fields = ["fsrs_fitted_at", "fsrs_fitted_review_count"]

    def get_fsrs_parameters(self, profile) -> list[float] | None:
        parameters = fitted_parameters(profile.fsrs_parameters)
        return list(parameters) if parameters else None

    def get_is_teacher(self, profile) -> bool:
        return is_teacher(profile.user)

    def validate_time_zone(self, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise serializers.ValidationError(UNKNOWN_TIME_ZONE) from None
        return value

    def validate_desired_retention(self, value: float | None) -> float | None:
        if value is not None and not DESIRED_RETENTION_MIN <= value <= DESIRED_RETENTION_MAX:
            raise serializers.ValidationError(RETENTION_RANGE)
        return value
