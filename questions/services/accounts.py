"""Writes for a user's own account: signing up and choosing study settings."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from questions.models import Profile

USERNAME_TAKEN = "That username is taken (usernames are the same whatever their case)."


def username_taken(username: str) -> bool:
    """Usernames are unique regardless of case (a database index says so too)."""
    return User.objects.filter(username__iexact=username).exists()


@transaction.atomic
def user_sign_up(*, username: str, password: str, email: str = "", time_zone: str = "UTC") -> User:
    """Create a student account (new users are students; teachers are made by an admin)."""
    if username_taken(username):
        raise ValidationError({"username": USERNAME_TAKEN})
    user = User.objects.create_user(username=username, password=password, email=email)
    # The profile itself comes from the post_save signal; only the choices are filled in here.
    Profile.objects.filter(user=user).update(time_zone=time_zone)
    return user


def profile_update(
    *,
    user: User,
    time_zone: str,
    desired_retention: float | None,
    day_starts_at_hour: int,
    new_cards_per_day: int | None = None,
    session_size: int | None = None,
) -> Profile:
    """Save the user's study settings; an empty retention, new-card count or session length
    means "use each set's own"."""
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.time_zone = time_zone
    profile.desired_retention = desired_retention
    profile.day_starts_at_hour = day_starts_at_hour
    profile.new_cards_per_day = new_cards_per_day
    profile.session_size = session_size
    profile.full_clean()
    profile.save(
        update_fields=[
            "time_zone",
            "desired_retention",
            "day_starts_at_hour",
            "new_cards_per_day",
            "session_size",
        ]
    )
    return profile
