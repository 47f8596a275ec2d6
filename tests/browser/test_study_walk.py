"""Studying in the browser as a student does: flashcards in two steps with undo, the
session-end offers, and a walk of 30 questions of every kind at a desktop's and a phone's
size, by keyboard only and then by touch. Writes the figures the README quotes (keystrokes
per flashcard, time from an answer to the next screen) to test-output/study-figures.json."""

import json
import statistics
from pathlib import Path

import pytest
from playwright.sync_api import expect

from questions.models import Classroom, Membership, Profile, QuestionSet, Review
from questions.templatetags.quiz import folded_passage
from questions.web.presenting import NEARLY_VERDICT, PARTLY_VERDICT, RIGHT_VERDICT, WRONG_VERDICT
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    TOUCH_PHONE,
    Screens,
    assert_no_axe_violations,
    log_in,
)
from tests.browser.test_student_studies import answer_with_keyboard
from tests.factories import StudentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS_SET = "paris-peace-talks-1968-1969"
PASSWORD = "pw-for-the-walk-42"
WALK_LENGTH = 30
FIGURES = SCREENSHOTS.parent / "study-figures.json"
TOUCH_DESKTOP = {**DESKTOP, "has_touch": True}

# Marks the moment of the last key or tap, and times each htmx swap from it, in the page.
TIMER = """() => {
  if (window.__timing) return;
  window.__timing = {last: performance.now(), spans: []};
  const mark = () => { window.__timing.last = performance.now(); };
  document.addEventListener("keydown", mark, true);
  document.addEventListener("pointerdown", mark, true);
  document.addEventListener("htmx:afterSwap",
    () => window.__timing.spans.push(performance.now() - window.__timing.last));
}"""


def _record(name: str, value) -> None:
    """Add one figure to test-output/study-figures.json (the README quotes them)."""
    figures = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    figures[name] = value
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    print(f"{name}: {value}")


def _student(name: str, **profile) -> object:
    """A student of the demo class (which studies the Paris set), with study settings."""
    student = StudentFactory(username=name, password=PASSWORD)
    Membership.objects.create(classroom=Classroom.objects.get(join_code="DEMO1968"), user=student)
    Profile.objects.update_or_create(user=student, defaults=profile)
    return student


class Keys:
    """The page's keyboard, counting each key pressed."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)


def _last_span(page) -> float:
    return page.evaluate("() => window.__timing.spans[window.__timing.spans.length - 1]")


def test_a_flashcard_takes_two_keys_and_the_last_rating_is_undone_with_u(seeded, new_page):
    student = _student("flash", session_size=40, new_cards_per_day=40)
    paris = QuestionSet.objects.get(external_id=PARIS_SET)
    page = new_page(**DESKTOP)
    screens = Screens("flashcards")
    log_in(page, "flash", PASSWORD)
    page.goto(f"/study/?set={paris.pk}")
    card = page.locator("#study-card")
    keys = Keys(page)
    per_card = []
    for _ in range(30):  # to the first three flashcards of the set
        if card.locator("[data-reveal]").count():
            before = keys.count
            expect(card.locator("[data-reveal]")).to_be_focused()
            keys.press("Space")
            expect(card.locator("[data-rating]")).to_have_count(4)
            keys.press("3")
            expect(card.locator("[data-rated]")).to_contain_text("Rated Good · next")
            per_card.append(keys.count - before)
            if len(per_card) == 3:
                break
        else:  # not a flashcard: any answer, then on
            answer_with_keyboard(page, card.locator(".badge").first.inner_text())
            expect(card.locator("[data-next]")).to_be_focused()
            page.keyboard.press("Enter")
            expect(card.locator("[data-next]")).to_have_count(0)
    assert len(per_card) == 3
    screens.shoot(page, "rated-desktop")
    assert_no_axe_violations(page, "the next card under the rated line")
    rated = Review.objects.filter(user=student).latest("id")
    answered = Review.objects.counted().filter(user=student).count()

    keys.press("u")

    expect(card.locator("[data-rated]")).to_contain_text("no longer counts")
    expect(card.locator("#session-count")).to_have_text(f"{answered - 1} of 40 answered")
    expect(card.locator("[data-reveal]")).to_be_focused()
    screens.shoot(page, "undone-desktop")
    assert_no_axe_violations(page, "the undone flashcard")
    assert Review.objects.counted().filter(user=student).count() == answered - 1
    assert rated.__class__.objects.get(pk=rated.pk).undo.undone_at is not None
    keys.press("Space")
    expect(card.locator("[data-rating]")).to_have_count(4)
    keys.press("4")
    expect(card.locator("[data-rated]")).to_contain_text("Rated Easy")
    _record("keystrokes_per_flashcard", statistics.mean(per_card))
    assert statistics.mean(per_card) == 2


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_session_end_says_why_and_its_offers_lead_on(seeded, new_page, size):
    _student(f"end-{size}", new_cards_per_day=2, session_size=30)
    paris = QuestionSet.objects.get(external_id=PARIS_SET)
    page = new_page(**(TOUCH_DESKTOP if size == "desktop" else TOUCH_PHONE))
    screens = Screens(f"session-end-{size}")
    log_in(page, f"end-{size}", PASSWORD)
    page.goto(f"/study/?set={paris.pk}")
    card = page.locator("#study-card")
    for _ in range(2):
        _answer_wrongly_by_touch(card)
    ended = card.locator("[data-ended-because]")
    expect(ended).to_have_attribute("data-ended-because", "new_limit")
    expect(ended).to_contain_text(f"{paris.questions.filter(archived_at=None).count() - 2} new")
    for offer in ("more-new", "ahead", "mistakes"):
        expect(card.locator(f"[data-offer='{offer}']")).to_be_visible()
    screens.shoot(page, "new-limit")
    assert_no_axe_violations(page, f"the session end ({size})")

    card.locator("[data-offer='mistakes']").click()
    expect(card.locator("[data-check], [data-reveal]").first).to_be_visible()
    expect(card.locator(".badge", has_text="Practice ahead of time")).to_be_visible()
    page.goto(f"/study/?set={paris.pk}")  # a fresh session: the limit still holds
    expect(ended).to_have_attribute("data-ended-because", "new_limit")
    card.locator("[data-offer='more-new']").click()
    expect(card.locator(".badge", has_text="New")).to_be_visible()
    screens.shoot(page, "ten-more-new")


def _answer_wrongly_by_touch(card) -> None:
    """Tap a wrong-ish answer (any will do), then on; a flashcard is rated Again."""
    if card.locator("[data-reveal]").count():
        card.locator("[data-reveal]").tap()
        card.locator("[data-rating='1']").tap()
        expect(card.locator("[data-rated]")).to_contain_text("Rated Again")
        return
    _answer_by_touch(card)
    card.get_by_role("button", name="Next question").tap()


def _answer_by_touch(card) -> None:
    choices = card.locator(".choice-list label")
    if choices.count():
        choices.last.tap()
    for box in card.locator("input[type=text], input[inputmode]").all():
        if box.is_visible():
            box.fill("1968")
    for select in card.locator("select").all():
        select.select_option(index=1)
    if card.locator("[data-ordering]").count():
        card.locator("[data-move='down']").first.tap()
    card.get_by_role("button", name="Check answer").tap()
    expect(card.locator("[data-verdict]")).to_be_visible()


WALKS = [
    ("keyboard", "desktop", DESKTOP),
    ("keyboard", "phone", PHONE),
    ("touch", "phone", TOUCH_PHONE),
    ("touch", "desktop", TOUCH_DESKTOP),
]


@pytest.mark.parametrize(("by", "size", "viewport"), WALKS, ids=[f"{b}-{s}" for b, s, _ in WALKS])
def test_a_walk_of_thirty_questions_of_every_kind(seeded, new_page, by, size, viewport):
    student = _student(f"walk-{by}-{size}", new_cards_per_day=WALK_LENGTH, session_size=WALK_LENGTH)
    paris = QuestionSet.objects.get(external_id=PARIS_SET)
    page = new_page(**viewport)
    screens = Screens(f"walk-{by}-{size}")
    log_in(page, student.username, PASSWORD)
    page.goto(f"/study/?set={paris.pk}")
    page.evaluate(TIMER)
    card = page.locator("#study-card")
    kinds, answer_spans, next_spans, sentences = set(), [], [], 0
    for number in range(WALK_LENGTH):
        expect(card.locator("[data-check], [data-reveal]").first).to_be_visible()
        kind = card.locator(".badge").first.inner_text()
        first_of_kind = kind not in kinds
        kinds.add(kind)
        if kind == "Flashcard":
            if by == "keyboard":
                page.keyboard.press("Space")
                expect(card.locator("[data-rating]")).to_have_count(4)
                page.keyboard.press("3")
            else:
                card.locator("[data-reveal]").tap()
                card.locator("[data-rating='3']").tap()
            expect(card.locator("[data-rated]")).to_contain_text("Rated Good")
            answer_spans.append(_last_span(page))
            continue
        if by == "keyboard":
            answer_with_keyboard(page, kind)
        else:
            _answer_by_touch(card)
        verdict = card.locator("[data-verdict]")
        expect(verdict).to_be_visible()
        answer_spans.append(_last_span(page))
        review = (
            Review.objects.select_related("question__passage").filter(user=student).latest("id")
        )
        expected = (
            (RIGHT_VERDICT, NEARLY_VERDICT)
            if review.is_correct
            else (PARTLY_VERDICT, WRONG_VERDICT)
        )
        assert verdict.inner_text().strip() in expected, (number, kind, review.is_correct)
        folded = folded_passage(review.question)
        if folded:
            expect(card.locator("mark[data-sentence]")).to_have_text(folded.sentence.strip())
            sentences += 1
        if first_of_kind:
            screens.shoot(page, f"feedback-{kind.lower().replace(' ', '-')}")
        if by == "keyboard":
            expect(card.locator("[data-next]")).to_be_focused()
            page.keyboard.press("Enter")
        else:
            card.locator("[data-next]").tap()
        expect(card.locator("[data-next]")).to_have_count(0)
        next_spans.append(_last_span(page))

    ended = card.locator("[data-ended-because]")
    expect(ended).to_have_attribute("data-ended-because", "session_length")
    expect(card.locator("[data-summary='answered']")).to_have_text(str(WALK_LENGTH))
    screens.shoot(page, "summary")
    assert_no_axe_violations(page, f"the summary after the walk ({by}, {size})")
    assert len(kinds) == 8, kinds
    assert sentences >= 15
    assert Review.objects.counted().filter(user=student).count() == WALK_LENGTH
    _record(f"answer_to_next_screen_ms_p50_{by}_{size}", round(statistics.median(answer_spans), 1))
    _record(f"next_to_question_ms_p50_{by}_{size}", round(statistics.median(next_spans), 1))


def test_the_settings_page_with_the_new_study_settings_passes_axe_core(seeded, new_page):
    _student("settings")
    for size, viewport in (("desktop", DESKTOP), ("phone", TOUCH_PHONE)):
        page = new_page(**viewport)
        log_in(page, "settings", PASSWORD)
        page.goto("/settings/")
        page.get_by_label("New cards per day").fill("15")
        page.get_by_label("Questions per session").fill("20")
        page.get_by_role("button", name="Save settings").click()
        expect(page.get_by_label("Questions per session")).to_have_value("20")
        Screens(f"settings-{size}").shoot(page, "saved")
        assert_no_axe_violations(page, f"settings ({size})")
    assert Path(FIGURES.parent).exists()
