"""A student studies ten questions of the Paris Peace Talks bank with mouse and keyboard."""

import pytest
from playwright.sync_api import expect

from questions.models import QuestionSet, Review
from tests.browser.conftest import assert_every_control_labelled, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS_SET = "paris-peace-talks-1968-1969"


def answer_with_keyboard(page, kind: str) -> None:
    """Answer the question on screen with the keyboard only (any answer will do)."""
    card = page.locator("#study-card")
    if kind == "Flashcard":
        page.keyboard.press("Space")
        expect(card.locator("[data-rating]")).to_have_count(4)
        page.keyboard.press("3")
        return
    if kind in ("Multiple choice", "True or false"):
        expect(card.locator("input[name=choice]").first).to_be_focused()
        page.keyboard.press("Space")
    elif kind in ("Short answer", "Numerical"):
        expect(card.locator("input[type=text]")).to_be_focused()
        page.keyboard.type("1968")
    elif kind == "Cloze":
        card.locator("input.gap-input").first.focus()
        for index in range(card.locator("input.gap-input").count()):
            if index:
                page.keyboard.press("Tab")
            page.keyboard.type("1968")
    elif kind == "Matching":
        for select in card.locator("select").all():
            select.focus()
            page.keyboard.press("ArrowDown")
    elif kind == "Ordering":
        first = card.locator("[data-ordering] > li").first
        moved = first.inner_text()
        first.focus()
        page.keyboard.press("Alt+ArrowDown")
        expect(card.locator("[data-ordering] > li").nth(1)).to_contain_text(moved.split("\n")[0])
    page.keyboard.press("Enter")


def answer_with_mouse(page, kind: str) -> None:
    card = page.locator("#study-card")
    if kind == "Flashcard":
        card.get_by_role("button", name="Show answer").click()
        good = card.locator("[data-rating='3']")
        expect(good).to_contain_text("Good")
        good.click()
        return
    if kind in ("Multiple choice", "True or false"):
        card.locator(".choice-list label").last.click()
    elif kind in ("Short answer", "Numerical"):
        card.locator("input[type=text]").fill("1968")
    elif kind == "Cloze":
        for gap in card.locator("input.gap-input").all():
            gap.fill("1968")
    elif kind == "Matching":
        for select in card.locator("select").all():
            select.select_option(index=1)
    elif kind == "Ordering":
        items = card.locator("[data-ordering] > li")
        last = items.last
        moved = last.locator(".item-text").inner_text()
        box = items.first.bounding_box()
        last.drag_to(items.first, target_position={"x": 20, "y": 3})
        assert box is not None
        expect(items.first).to_contain_text(moved)
    card.get_by_role("button", name="Check answer").click()


def test_a_student_studies_ten_questions_with_mouse_and_keyboard(seeded, new_page, screens):
    paris = QuestionSet.objects.get(external_id=PARIS_SET)
    page = new_page()

    page.goto("/")
    screens.shoot(page, "login")
    log_in(page, "student", "quizsite-student")
    expect(page.get_by_role("heading", name="Your sets")).to_be_visible()
    screens.shoot(page, "home")
    assert_every_control_labelled(page)

    page.get_by_role("link", name=f"Study {paris.title}").click()
    kinds_seen: list[str] = []
    passages_seen = 0
    for number in range(10):
        card = page.locator("#study-card")
        expect(card.locator("[data-check], [data-reveal]").first).to_be_visible()
        kind = card.locator(".badge").first.inner_text()
        if kind not in kinds_seen:
            screens.shoot(page, f"question-{kind.lower().replace(' ', '-')}")
            assert_every_control_labelled(page)
        kinds_seen.append(kind)
        if number % 2:
            answer_with_keyboard(page, kind)
        else:
            answer_with_mouse(page, kind)

        if kind == "Flashcard":
            # Two steps, as in Anki: the rating shows the next card (or the summary) at once.
            expect(card.locator("[data-rated]")).to_contain_text("Rated Good")
            if number < 9:
                expect(card.locator("#session-count")).to_have_text(f"{number + 1} of 10 answered")
            continue
        verdict = card.locator("[data-verdict]")
        expect(verdict).to_be_visible()
        expect(card.locator("#session-count")).to_have_text(f"{number + 1} of 10 answered")
        if card.locator("[data-passage]").count():
            passages_seen += 1
            expect(card.locator("figcaption")).to_contain_text("Paris Peace Talks, passage")
            if passages_seen == 1:
                screens.shoot(page, "feedback-with-passage")
        if number % 2:
            expect(card.get_by_role("button", name="Next question")).to_be_focused()
            page.keyboard.press("Enter")
        else:
            card.get_by_role("button", name="Next question").click()
        expect(card.locator("[data-next]")).to_have_count(0)

    summary = page.locator("[data-summary='answered']")
    expect(summary).to_have_text("10")
    screens.shoot(page, "summary")
    assert Review.objects.filter(user__username="student").count() == 10
    assert len(set(kinds_seen)) >= 4, kinds_seen
    assert passages_seen >= 5

    page.get_by_role("link", name="See your progress").click()
    for chart in ("Reviews per day", "Due forecast", "Retention over time", "Mastery per topic"):
        expect(page.get_by_role("img", name=chart)).to_be_visible()
    expect(page.locator("svg rect[data-count='10']")).to_have_count(1)
    expect(page.locator(".passage-map a").first).to_be_visible()
    screens.shoot(page, "progress")
    assert_every_control_labelled(page)

    page.locator(".passage-map a").first.click()
    expect(page.locator(".passage-block.cited").first).to_be_visible()
    screens.shoot(page, "source")


def test_the_study_page_fits_a_phone(seeded, new_page, screens):
    page = new_page(width=375, height=740)
    log_in(page, "student", "quizsite-student")
    page.get_by_role("link", name="Study everything due").click()

    expect(page.locator("#study-card")).to_be_visible()
    overflow = "document.documentElement.scrollWidth - window.innerWidth"
    assert page.evaluate(overflow) <= 0
    screens.shoot(page, "phone-question")
    for url in ("/progress/", "/"):
        page.goto(url)
        assert page.evaluate(overflow) <= 0, f"{url} is wider than a phone"
    screens.shoot(page, "phone-home")


def test_a_malformed_answer_is_explained_in_place_and_keeps_what_was_typed(
    new_page, screens, transactional_db
):
    from tests.factories import QuestionSetFactory, StudentFactory, question_of_kind

    StudentFactory(username="nina", password="pw-for-nina-42")
    question_set = QuestionSetFactory(title="Years", visibility=QuestionSet.Visibility.PUBLIC)
    question_of_kind("numerical", question_set=question_set, prompt="When did the talks open?")
    page = new_page()
    log_in(page, "nina", "pw-for-nina-42")

    page.goto(f"/study/?set={question_set.pk}")
    box = page.get_by_label("Your answer (a number)")
    expect(box).to_be_focused()
    page.keyboard.type("nineteen sixty")
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text("Give a number")
    expect(box).to_have_value("nineteen sixty")
    screens.shoot(page, "answer-error")
    box.fill("1968")
    page.keyboard.press("Enter")
    expect(page.locator("[data-verdict]")).to_contain_text("Right")
    assert Review.objects.filter(user__username="nina").count() == 1
