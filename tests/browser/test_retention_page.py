"""The "Help me choose a retention" page in a browser, on a desktop and a phone."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from questions.models import Card, Question
from tests.browser.conftest import log_in

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def student_with_cards(seeded):
    student = get_user_model().objects.get(username="student")
    Card.objects.bulk_create(
        Card(user=student, question=question, due=timezone.now())
        for question in Question.objects.all()
    )


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_retention_table_fits_the_screen_and_scrolls_inside_itself(
    student_with_cards, new_page, screens, width, height
):
    page = new_page(width=width, height=height)
    log_in(page, "student", "quizsite-student")

    page.goto("/settings/retention/?desired_retention=0.8123")

    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_role("rowheader", name="0.81 (yours to try)")).to_be_visible()
    screens.shoot(page, f"{width}px")
    assert page.evaluate(OVERFLOW) <= 0, "the page is wider than the screen"
