"""The "Help me choose a retention" page, linked from the settings page."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from questions.models import Card

NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def studied(school):
    Card.objects.bulk_create(
        Card(user=school.student, question=question, due=NOW)
        for question in school.questions.values()
    )
    return school


def test_the_settings_page_links_to_the_helper(school):
    page = school.client("student").get("/settings/").content.decode()

    assert '<a href="/settings/retention/">Help me choose a retention</a>' in page


def test_the_helper_shows_a_year_at_each_retention_and_suggests_one(
    studied, django_assert_num_queries
):
    client = studied.client("student")

    # SELECT the session, the user; SELECT the profile; SELECT the largest daily new limit of
    # the student's sets; COUNT their cards; SELECT their latest timed reviews; SELECT whether
    # they are a teacher (the page's navigation).
    with django_assert_num_queries(7):
        response = client.get("/settings/retention/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<caption>A simulated year at each desired retention</caption>" in page
    for retention in ("0.70", "0.73", "0.85", "0.97"):
        assert f'<th scope="row">{retention}' in page
    assert page.count("(suggested)") == 1
    cards = len(studied.questions)
    assert f"simulates a year of study of your\n  {cards} cards, 20 new a day" in page


def test_a_retention_to_try_is_added_to_the_table(studied):
    page = studied.client("student").get("/settings/retention/?desired_retention=0.93")

    assert '<th scope="row">0.93 (yours to try)</th>' in page.content.decode()


@pytest.mark.parametrize("value", ["0.6", "1", "0.999"])
def test_a_retention_outside_070_to_099_is_refused_with_the_reason(studied, value):
    page = studied.client("student").get(f"/settings/retention/?desired_retention={value}")

    text = page.content.decode()
    assert page.status_code == 200
    assert "A desired retention is from 0.70 to 0.99" in text
    assert f"{value} is outside." in text
    assert "(yours to try)" not in text
    assert "(suggested)" in text  # the table is still there


def test_a_student_without_cards_is_told_to_study_first(school):
    page = school.client("outsider").get("/settings/retention/").content.decode()

    assert "You have no cards yet: study a set first" in page
    assert "<table" not in page


def test_the_helper_is_for_signed_in_users(school):
    response = school.client("anonymous").get("/settings/retention/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
