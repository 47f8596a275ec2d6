"""How long until something, in words: one formatter for every page.

Anki's units and rounding: seconds, minutes, hours and days are rounded to whole numbers, months
(30 days) and years (365 days) to one decimal place; each span takes the largest unit it fills.
Unlike Anki, anything under a minute is "now": a student waiting seconds is not waiting.
"""

import math

MINUTE = 60.0
HOUR = 60 * MINUTE
DAY = 24 * HOUR
MONTH = 30 * DAY
YEAR = 365 * DAY

NOW = "now"
# (unit size in seconds, short suffix, singular, plural), largest first.
_UNITS = (
    (YEAR, "y", "year", "years"),
    (MONTH, "mo", "month", "months"),
    (DAY, "d", "day", "days"),
    (HOUR, "h", "hour", "hours"),
    (MINUTE, "m", "minute", "minutes"),
)
_FRACTIONAL = {YEAR, MONTH}


def _round_half_up(amount: float, places: int) -> float:
    """Halves away from zero, as Rust's round() in Anki; Python's round() goes to the even one."""
    scale = 10**places
    return math.floor(amount * scale + 0.5) / scale


def _amount(seconds: float) -> tuple[float, tuple] | None:
    """The span in the largest unit it fills, rounded as Anki rounds; None under a minute."""
    for unit in _UNITS:
        size = unit[0]
        if seconds >= size:
            return _round_half_up(seconds / size, 1 if size in _FRACTIONAL else 0), unit
    return None


def _number(amount: float) -> str:
    return f"{amount:g}"


def short_span(seconds: float) -> str:
    """For a rating button: "now", "10m", "3h", "4d", "2.1mo", "1.3y"."""
    found = _amount(seconds)
    if found is None:
        return NOW
    amount, (_, suffix, _, _) = found
    return f"{_number(amount)}{suffix}"


def long_span(seconds: float) -> str:
    """In a sentence: "now", "1 minute", "10 minutes", "1.5 months"."""
    found = _amount(seconds)
    if found is None:
        return NOW
    amount, (_, _, singular, plural) = found
    return f"{_number(amount)} {singular if amount == 1 else plural}"


def due_in(seconds: float) -> str:
    """When something is due, from now: "now" or "in 10 minutes"."""
    span = long_span(seconds)
    return span if span == NOW else f"in {span}"


def ago(seconds: float) -> str:
    """How long ago: "just now" under a minute, else "10 minutes ago"."""
    span = long_span(seconds)
    return "just now" if span == NOW else f"{span} ago"
