from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template

from questions.durations import ago, due_in, long_span, short_span

MINUTE, HOUR, DAY = 60, 3600, 86400


@pytest.mark.parametrize(
    ("seconds", "short", "long"),
    [
        (0, "now", "now"),
        (59.4, "now", "now"),
        (60, "1m", "1 minute"),
        (9.5 * MINUTE, "10m", "10 minutes"),
        (10 * MINUTE - 1, "10m", "10 minutes"),
        (90 * MINUTE, "2h", "2 hours"),
        (HOUR, "1h", "1 hour"),
        (DAY * 1.4, "1d", "1 day"),
        (DAY * 29, "29d", "29 days"),
        (DAY * 45, "1.5mo", "1.5 months"),
        (DAY * 30, "1mo", "1 month"),
        (DAY * 400, "1.1y", "1.1 years"),
        # Halves round up, as Anki's Rust round() does, not to the even number.
        (2.5 * DAY, "3d", "3 days"),
        (30.5 * MINUTE, "31m", "31 minutes"),
        (DAY * 30 * 2.25, "2.3mo", "2.3 months"),
    ],
)
def test_a_span_takes_its_largest_unit_rounded_as_anki_rounds(seconds, short, long):
    assert short_span(seconds) == short
    assert long_span(seconds) == long


def test_anything_under_a_minute_is_due_now_and_later_is_due_in_words():
    assert due_in(-300) == "now"
    assert due_in(30) == "now"
    assert due_in(599.6) == "in 10 minutes"


def test_the_feedback_counts_from_the_answer_so_it_agrees_with_the_button():
    """Good said "10m"; the page rendered a few seconds later still says 10 minutes."""
    reviewed = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    due = reviewed + timedelta(minutes=10)
    page = Template("{% load quiz %}{{ due|due_in:reviewed }} · {{ gap|interval }}").render(
        Context({"due": due, "reviewed": reviewed, "gap": due - reviewed})
    )
    assert page == "in 10 minutes · 10m"


def test_a_past_moment_reads_just_now_or_how_long_ago():
    assert ago(20) == "just now"
    assert ago(3 * DAY) == "3 days ago"
