"""Study days as Anki counts them for FSRS: the learner's time zone and rollover hour."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest

from questions.fitting import DayClock

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def local(zone, *fields) -> datetime:
    return datetime(*fields, tzinfo=zone)


@pytest.mark.parametrize(
    ("zone", "moment", "day"),
    [
        (UTC, local(UTC, 2026, 3, 2, 3, 59), date(2026, 3, 1)),
        (UTC, local(UTC, 2026, 3, 2, 4, 1), date(2026, 3, 2)),
        (PARIS, local(PARIS, 2026, 3, 2, 3, 59), date(2026, 3, 1)),
        (PARIS, local(PARIS, 2026, 3, 2, 4, 1), date(2026, 3, 2)),
        # 02:30 UTC is 03:30 in Paris in winter (yesterday) and 04:30 in summer (today).
        (PARIS, local(UTC, 2026, 1, 15, 2, 30), date(2026, 1, 14)),
        (PARIS, local(UTC, 2026, 7, 15, 2, 30), date(2026, 7, 15)),
        # Late evening in New York is the next UTC date, but still the same local day.
        (NEW_YORK, local(UTC, 2026, 7, 16, 2, 0), date(2026, 7, 15)),
    ],
)
def test_a_moment_falls_on_the_local_day_that_began_at_the_rollover_hour(zone, moment, day):
    assert DayClock(zone=zone, rollover_hour=4).day(moment) == day


@pytest.mark.parametrize(
    ("previous", "current", "days"),
    [
        # 03:59 and 04:01 are on different days; 04:01 and 03:59 the next morning are not.
        (local(PARIS, 2026, 3, 2, 3, 59), local(PARIS, 2026, 3, 2, 4, 1), 1),
        (local(PARIS, 2026, 3, 2, 4, 1), local(PARIS, 2026, 3, 3, 3, 59), 0),
        # Summer time starts in Paris on 29 March 2026 (02:00 → 03:00): that study day lasts
        # 23 hours; 03:59 and 04:01 around it are still a day apart.
        (local(PARIS, 2026, 3, 29, 3, 59), local(PARIS, 2026, 3, 29, 4, 1), 1),
        (local(PARIS, 2026, 3, 28, 4, 30), local(PARIS, 2026, 3, 29, 4, 1), 1),
        (local(PARIS, 2026, 3, 28, 4, 30), local(PARIS, 2026, 3, 29, 3, 30), 0),
        # Summer time ends on 25 October 2026 (03:00 → 02:00): a 25-hour study day.
        (local(PARIS, 2026, 10, 24, 4, 0), local(PARIS, 2026, 10, 25, 3, 59), 0),
        (local(PARIS, 2026, 10, 25, 3, 59), local(PARIS, 2026, 10, 25, 4, 1), 1),
        # Six days of calendar, whatever the hours.
        (local(PARIS, 2026, 3, 25, 22, 0), local(PARIS, 2026, 3, 31, 9, 0), 6),
    ],
)
def test_elapsed_days_count_day_boundaries_in_wall_clock_time(previous, current, days):
    assert DayClock(zone=PARIS, rollover_hour=4).elapsed_days(previous, current) == days


def test_the_wall_clock_day_across_a_change_of_time_is_not_24_hours():
    start = local(PARIS, 2026, 3, 28, 4, 30)
    end = local(PARIS, 2026, 3, 29, 4, 1)

    # 22 h 31 min of real time (Python subtracts times in one zone by their wall clocks).
    assert end.astimezone(UTC) - start.astimezone(UTC) < timedelta(hours=23)
    assert DayClock(zone=PARIS).elapsed_days(start, end) == 1


@pytest.mark.parametrize(("rollover", "day"), [(0, date(2026, 3, 2)), (4, date(2026, 3, 1))])
def test_the_rollover_hour_moves_the_day_boundary(rollover, day):
    assert DayClock(rollover_hour=rollover).day(local(UTC, 2026, 3, 2, 2, 0)) == day


@pytest.mark.parametrize("hour", [-1, 24, 4.5])
def test_a_rollover_that_is_not_an_hour_is_refused(hour):
    with pytest.raises(ValueError, match="The day starts at a whole hour from 0 to 23"):
        DayClock(rollover_hour=hour)


def test_an_unknown_time_zone_is_refused_by_name():
    with pytest.raises(ValueError, match="Unknown time zone 'Mars/Olympus'"):
        DayClock.named("Mars/Olympus")


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        DayClock().day(datetime(2026, 3, 2, 8, 0))


@pytest.mark.parametrize(
    ("zone", "rollover", "previous", "current", "days"),
    [
        # The rollover hour falls in the hour summer time skips (02:00 in New York on 8 March
        # 2026): 01:59 EST (06:59 UTC) belongs to the day before, 03:00 EDT to the new day.
        ("America/New_York", 2, (2026, 3, 8, 6, 59), (2026, 3, 8, 7, 0), 1),
        # The rollover hour is the hour that happens twice (01:00 on 1 November 2026): both
        # 01:30s (05:30 and 06:30 UTC) are on the new day, 00:59 before them on the old one.
        ("America/New_York", 1, (2026, 11, 1, 5, 30), (2026, 11, 1, 6, 30), 0),
        ("America/New_York", 1, (2026, 11, 1, 4, 59), (2026, 11, 1, 5, 30), 1),
        # Zones half or three quarters of an hour off UTC: 04:00 local is 22:30 and 15:15 UTC.
        ("Asia/Kolkata", 4, (2026, 5, 1, 22, 29), (2026, 5, 1, 22, 31), 1),
        ("Pacific/Chatham", 4, (2026, 7, 1, 15, 14), (2026, 7, 1, 15, 16), 1),
        # South of the equator summer time starts in October: in Sydney at 02:00 on 4 October
        # 2026, so that day's 04:00 is already summer time (+11), 17:00 UTC.
        ("Australia/Sydney", 4, (2026, 10, 3, 16, 59), (2026, 10, 3, 17, 1), 1),
        ("Australia/Sydney", 4, (2026, 10, 3, 17, 1), (2026, 10, 3, 17, 59), 0),
    ],
)
def test_elapsed_days_follow_the_local_rollover_in_awkward_zones(
    zone, rollover, previous, current, days
):
    clock = DayClock.named(zone, rollover)

    assert clock.elapsed_days(local(UTC, *previous), local(UTC, *current)) == days
