"""Study days: a student's day starts at their profile's hour in their time zone."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    F,
    Q,
)

from questions.models import (
    CardState,
    Profile,
    Review,
    ReviewMode,
)


def profile_of(user) -> Profile:
    """The user's profile (a default, unsaved one for a user without a profile row).

    Read through the user's `profile` relation, so a profile loaded with the user (API token
    authentication selects it in the same query) or read earlier in the request costs nothing.
    """
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


def user_time_zone(profile: Profile) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(profile.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def study_date(*, profile: Profile, now: datetime) -> date:
    """The study day `now` belongs to: a day starts at day_starts_at_hour in the user's zone."""
    local = now.astimezone(user_time_zone(profile))
    return (local - timedelta(hours=profile.day_starts_at_hour)).date()


def study_day_start(*, profile: Profile, day: date) -> datetime:
    """When study day `day` begins, in UTC (wall-clock hour, so it follows summer time)."""
    local = datetime.combine(day, time(profile.day_starts_at_hour), user_time_zone(profile))
    return local.astimezone(zoneinfo.ZoneInfo("UTC"))


def study_day_bounds(*, profile: Profile, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the study day that `now` falls in."""
    today = study_date(profile=profile, now=now)
    return (
        study_day_start(profile=profile, day=today),
        study_day_start(profile=profile, day=today + timedelta(days=1)),
    )


@dataclass(frozen=True)
class DailyCounts:
    """Per set, how many new questions and reviews the student did this study day."""

    new_done: dict[int, int]
    reviews_done: dict[int, int]


def daily_counts_query(*, user, day_start: datetime, now: datetime):
    """Rows (set_id, new, reviews): today's counts per set, grouped over the user's reviews
    since `day_start` (the review log's (user, reviewed_at) index). The one place that says
    which answers count towards the daily limits: not an undone one, nor a graded quiz's."""
    return (
        Review.objects.counted()
        .filter(user=user, reviewed_at__gte=day_start, reviewed_at__lte=now)
        .exclude(mode=ReviewMode.QUIZ)  # a graded quiz takes nothing from the daily limits
        .values(set_id=F("question__question_set_id"))
        .annotate(
            new=Count("id", filter=Q(state_before=CardState.NEW)),
            reviews=Count("id", filter=Q(state_before=CardState.REVIEW)),
        )
        .order_by()
    )


def daily_counts(*, user, day_start: datetime, now: datetime) -> DailyCounts:
    new_done, reviews_done = {}, {}
    for row in daily_counts_query(user=user, day_start=day_start, now=now):
        new_done[row["set_id"]] = row["new"]
        reviews_done[row["set_id"]] = row["reviews"]
    return DailyCounts(new_done=new_done, reviews_done=reviews_done)
