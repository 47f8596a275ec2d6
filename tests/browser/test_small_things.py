"""Keys 1–9 for choices, the browser's time zone at sign-up, confirming an unassign, and a
fresh form after "Save and add another"."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from questions.models import Assignment, Profile, QuestionKind, QuestionSet, Review
from questions.services.reviews import review_record
from tests.browser.conftest import log_in
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    QuestionSetFactory,
    StudentFactory,
    TeacherFactory,
    question_of_kind,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_number_keys_choose_a_multiple_choice_option_and_the_hint_says_so(new_page):
    StudentFactory(username="kim", password="pw-for-kim-42")
    question_set = QuestionSetFactory(visibility=QuestionSet.Visibility.PUBLIC)
    question = question_of_kind(QuestionKind.MULTIPLE_CHOICE, question_set=question_set)
    page = new_page()
    log_in(page, "kim", "pw-for-kim-42")
    page.goto(f"/study/?set={question_set.pk}")
    card = page.locator("#study-card")
    expect(card.locator("p.kbd-hint").first).to_contain_text("Keys 1–3 choose")

    page.keyboard.press("3")
    third = card.locator("input[name=choice]").nth(2)
    expect(third).to_be_checked()
    expect(third).to_be_focused()
    page.keyboard.press("2")
    expect(card.locator("input[name=choice]").nth(1)).to_be_checked()
    expect(third).not_to_be_checked()
    chosen = card.locator(".choice-list label").nth(1).inner_text().split("\n")[-1].strip()
    page.keyboard.press("Enter")

    expect(card.locator("[data-verdict]")).to_be_visible()
    review = Review.objects.get(user__username="kim", question=question)
    assert review.is_correct == question.answers.get(text=chosen).is_correct


def test_sign_up_preselects_the_browsers_time_zone(new_page):
    page = new_page(timezone_id="Asia/Tokyo")
    page.goto("/signup/")

    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    page.get_by_label("Username").fill("hana")
    page.get_by_label("Password", exact=True).fill("a long secret phrase 42")
    page.get_by_label("Password confirmation").fill("a long secret phrase 42")
    page.get_by_role("button", name="Sign up").click()

    page.wait_for_url("**/join/")
    assert Profile.objects.get(user__username="hana").time_zone == "Asia/Tokyo"


def test_unassigning_a_set_asks_first_and_a_no_keeps_it(new_page):
    teacher = TeacherFactory(username="tess", password="pw-for-tess-42")
    classroom = ClassroomFactory(owner=teacher)
    assignment = AssignmentFactory(classroom=classroom)
    page = new_page()
    log_in(page, "tess", "pw-for-tess-42")
    page.goto(f"/classes/{classroom.pk}/")
    asked: list[str] = []

    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name=f"Unassign {assignment.question_set.title}").click()
    expect(page.get_by_text(assignment.question_set.title).first).to_be_visible()
    assert Assignment.objects.filter(pk=assignment.pk).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Unassign {assignment.question_set.title}").click()
    expect(page.get_by_text("No sets assigned yet.")).to_be_visible()
    assert len(asked) == 1
    assert asked[0].startswith(f"Unassign “{assignment.question_set.title}”")
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_save_and_add_another_opens_a_clean_form(new_page, screens):
    teacher = TeacherFactory(username="tom", password="pw-for-tom-42")
    question_set = QuestionSetFactory(owner=teacher)
    page = new_page()
    log_in(page, "tom", "pw-for-tom-42")
    page.goto(f"/teach/sets/{question_set.pk}/questions/new/?kind=short_answer")
    form = page.locator("#question-form")
    form.get_by_label("Question", exact=True).fill("Who led the U.S. delegation?")
    form.get_by_label("Accepted answer, row 1").fill("Harriman")
    form.get_by_role("button", name="Save and add another").click()

    page.wait_for_url("**/questions/new/?kind=short_answer")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#preview")).to_contain_text("Type a question to see it here.")
    expect(page.get_by_text("This field is required")).to_have_count(0)
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)
    screens.shoot(page, "fresh-form")
    assert question_set.questions.count() == 1


def test_the_reviews_calendar_opens_at_today_on_a_phone(new_page):
    student = StudentFactory(username="ada", password="pw-for-ada-42")
    question_set = QuestionSetFactory(visibility=QuestionSet.Visibility.PUBLIC)
    question = question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)
    for days_ago in (300, 0):
        review_record(
            user=student,
            question=question,
            client_id=f"c{days_ago}",
            answer=None,
            rating=3,
            response_ms=1000,
            now=timezone.now() - timedelta(days=days_ago),
        )
    page = new_page(width=390, height=844)
    log_in(page, "ada", "pw-for-ada-42")
    page.goto("/progress/")

    wrap = page.locator("[data-scroll-end] .chart-scroll")
    overflow = wrap.evaluate("(el) => el.scrollWidth - el.clientWidth")
    assert overflow > 0  # the calendar is wider than a phone
    assert wrap.evaluate("(el) => el.scrollLeft") >= overflow - 1
