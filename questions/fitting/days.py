"""Days as FSRS means them: calendar days of the learner, starting at their rollover hour.

FSRS's parameters are fitted by Anki in these days: a review's `delta_t` is the number of
day boundaries crossed since the card's previous review, where a day begins at the learner's
"next day starts at" hour in their own time zone (4 a.m. by default). A review at 03:59 belongs to
the day before; one at 04:01 to the new day. Counting whole 24-hour periods instead calls a review
at 23:00 followed by one at 09:00 "the same day" and shifts every interval by up to a day, which
is enough for a fit to lose to the defaults.

The local time is the wall-clock time, so a day that is 23 or 25 hours long (a change of summer
time) is still one day.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

DEFAULT_ROLLOVER_HOUR = 4  # Anki's default "next day starts at"

BAD_ROLLOVER = "The day starts at a whole hour from 0 to 23, not {hour!r}."
UNKNOWN_ZONE = "Unknown time zone {name!r}; use an IANA name such as Europe/Paris."


@dataclass(frozen=True)
class DayClock:
    """Which study day a moment falls on, for one learner."""

    zone: tzinfo = UTC
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR

    def __post_init__(self) -> None:
        if not isinstance(self.rollover_hour, int) or not 0 <= self.rollover_hour <= 23:
            raise ValueError(BAD_ROLLOVER.format(hour=self.rollover_hour))

    @classmethod
    def named(cls, zone_name: str, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> "DayClock":
        """A clock for an IANA zone name; raises ValueError for a name that is not one."""
        try:
            zone = zoneinfo.ZoneInfo(zone_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(UNKNOWN_ZONE.format(name=zone_name)) from None
        return cls(zone=zone, rollover_hour=rollover_hour)

    def day(self, moment: datetime) -> date:
        """The study day of an aware moment: its local date, less the rollover hours."""
        if moment.tzinfo is None:
            raise ValueError("Review times must be timezone-aware.")
        local = moment.astimezone(self.zone).replace(tzinfo=None)
        return (local - timedelta(hours=self.rollover_hour)).date()

    def elapsed_days(self, previous: datetime, current: datetime) -> int:
        """Study days from one review of a card to the next: 0 on the same study day."""
        return max(0, (self.day(current) - self.day(previous)).days)


ANKI_DEFAULT_CLOCK = DayClock()  # UTC, day starting at 4 a.m.
