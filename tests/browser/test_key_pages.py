"""Every key page at a desktop's and a phone's size: a screenshot of each under
test-output/screenshots/, no axe-core violation of any impact, nothing wider than the screen."""

import pytest
from playwright.sync_api import expect

from questions.models import Classroom, QuestionSet
from tests.browser.conftest import DESKTOP, TOUCH_PHONE, Screens, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS_SET = "paris-peace-talks-1968-1969"
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll("body *")]
  .filter((el) => el.offsetParent !== null || el.closest("svg"))
  .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
  .filter((el) => !el.closest(".visually-hidden"))
  .map((el) => {
    const size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest("svg");
    if (!svg || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) return size;
    return size * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  }))"""
SMALLEST_READABLE_PX = 11


class Walk:
    """Visits pages, shooting each and gathering what is wrong with it."""

    def __init__(self, page, size: str):
        self.page = page
        self.screens = Screens(f"{size}")
        self.size = size
        self.problems: list[str] = []

    def check(self, label: str) -> None:
        self.page.wait_for_load_state("networkidle")
        self.screens.shoot(self.page, label)
        where = f"{label} ({self.page.url})"
        self.problems += [f"{where}: {line}" for line in axe_violations(self.page)]
        if self.page.evaluate(OVERFLOW) > 0:
            self.problems.append(f"{where}: wider than the screen")
        smallest = self.page.evaluate(SMALLEST_TEXT)
        if smallest < SMALLEST_READABLE_PX:
            self.problems.append(f"{where}: text as small as {smallest:.1f} px")
        if self.size == "phone" and self.page.locator(".kbd-hint:visible").count():
            self.problems.append(f"{where}: keyboard hints on a touch screen")

    def visit(self, url: str, label: str) -> None:
        self.page.goto(url)
        self.check(label)


def _assert_in_the_first_screen(walk: Walk, card, kind: str) -> None:
    """On a phone the verdict, the right answer and the Next button show without scrolling."""
    height = walk.page.viewport_size["height"]
    walk.page.evaluate("window.scrollTo(0, 0)")
    wanted = {"verdict": card.locator("[data-verdict]"), "Next": card.locator("[data-next]")}
    if kind != "flashcard":
        wanted["answer"] = card.locator(".answer-line").first
    for name, element in wanted.items():
        box = element.bounding_box()
        assert box is not None
        if box["y"] < 0 or box["y"] + box["height"] > height:
            walk.problems.append(f"feedback-{kind}: the {name} is not in the first screen")


def _answer_until_seen(walk: Walk, wanted: set[str]) -> None:
    """Study the Paris set, shooting the first question, feedback and revealed flashcard of
    each kind, until every wanted kind has been seen (or ten questions passed)."""
    page = walk.page
    card = page.locator("#study-card")
    seen: set[str] = set()
    for _ in range(10):
        expect(card.locator("[data-check], [data-reveal]").first).to_be_visible()
        kind = card.locator(".badge").first.inner_text().lower().replace(" ", "-")
        first = kind not in seen
        seen.add(kind)
        if first:
            walk.check(f"question-{kind}")
            if walk.size == "desktop":
                # The same hints a touch screen must not show are there for a keyboard.
                expect(card.locator(".kbd-hint:visible").first).to_be_visible()
        if kind == "flashcard":
            card.locator("[data-reveal]").click()
            expect(card.locator("[data-rating]")).to_have_count(4)
            if first:
                walk.check("flashcard-revealed")
            card.locator("[data-rating='3']").click()
            # Two steps, as in Anki: the next card is there at once, the rating above it.
            expect(card.locator("[data-rated]")).to_contain_text("Rated Good")
            if first:
                walk.check("flashcard-rated")
            if wanted <= seen:
                return
            continue
        else:
            choices = card.locator(".choice-list label")
            if choices.count():
                choices.last.click()
            for box in card.locator("input[type=text]").all():
                box.fill("1968")
            for select in card.locator("select").all():
                select.select_option(index=1)
            card.get_by_role("button", name="Check answer").click()
        expect(card.locator("[data-verdict]")).to_be_visible()
        if first and kind != "flashcard":
            walk.check(f"feedback-{kind}")
        if walk.size == "phone":
            _assert_in_the_first_screen(walk, card, kind)
        if wanted <= seen:
            return
        card.get_by_role("button", name="Next question").click()
        expect(card.locator("[data-next]")).to_have_count(0)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_key_page_passes_axe_core_and_fits_the_screen(seeded, new_page, size):
    viewport = DESKTOP if size == "desktop" else TOUCH_PHONE
    page = new_page(**viewport)
    walk = Walk(page, size)
    paris = QuestionSet.objects.get(external_id=PARIS_SET)
    classroom = Classroom.objects.get(join_code="DEMO1968")

    walk.visit("/", "landing")
    walk.visit("/login/", "login")
    walk.visit("/signup/", "signup")

    log_in(page, "student", "quizsite-student")
    walk.check("home")
    page.goto(f"/study/?set={paris.pk}")
    _answer_until_seen(walk, {"multiple-choice", "flashcard", "ordering"})
    walk.visit("/progress/", "progress")
    walk.visit(f"/progress/?set={paris.pk}", "progress-set")
    walk.visit(f"/sources/{paris.source_id}/", "source")
    walk.visit("/settings/", "settings")
    walk.visit("/join/", "join")
    page.context.clear_cookies()

    log_in(page, "teacher", "quizsite-teacher")
    walk.visit("/teach/sets/", "teacher-sets")
    walk.visit(f"/teach/sets/{paris.pk}/", "teacher-set")
    walk.visit(f"/teach/sets/{paris.pk}/questions/new/", "teacher-question-new")
    walk.visit("/classes/", "teacher-classes")
    walk.visit(f"/classes/{classroom.pk}/", "teacher-class")
    walk.visit(f"/classes/{classroom.pk}/report/", "teacher-report")

    assert not walk.problems, "\n".join(walk.problems)
