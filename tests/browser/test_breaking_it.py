"""What a new teacher and student tried, to break the pages: long unbroken titles, the report's
filter and headings on a phone."""

import pytest

from questions.models import QuestionKind, QuestionSet
from tests.browser.conftest import DESKTOP, TOUCH_PHONE, log_in
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuestionSetFactory,
    TeacherFactory,
    question_of_kind,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNBROKEN_TITLE = "Negotiations" * 20
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# Table headings whose one word is broken over two lines.
BROKEN_HEADINGS = """() => [...document.querySelectorAll('th')].filter((th) => {
  const range = document.createRange();
  range.selectNodeContents(th);
  return !th.textContent.trim().includes(' ') && range.getClientRects().length > 1;
}).map((th) => th.textContent.trim())"""


@pytest.mark.parametrize("size", [DESKTOP, TOUCH_PHONE], ids=["desktop", "phone"])
def test_a_long_unbroken_set_title_wraps_on_every_page_that_shows_it(new_page, screens, size):
    teacher = TeacherFactory(username="tess", password="pw-for-tess-42")
    question_set = QuestionSetFactory(
        owner=teacher, title=UNBROKEN_TITLE, visibility=QuestionSet.Visibility.PUBLIC
    )
    question = question_of_kind(QuestionKind.MULTIPLE_CHOICE, question_set=question_set)
    classroom = ClassroomFactory(owner=teacher)
    MembershipFactory(classroom=classroom)
    AssignmentFactory(classroom=classroom, question_set=question_set)
    AssignmentFactory(classroom=classroom, question_set=QuestionSetFactory(owner=teacher))
    sized = dict(size)
    page = new_page(width=sized.pop("width"), height=sized.pop("height"), **sized)

    page.goto("/")
    screens.shoot(page, "landing")
    assert page.evaluate(OVERFLOW) <= 0, "the landing page is wider than the screen"
    log_in(page, "tess", "pw-for-tess-42")
    for label, url in [
        ("set", f"/teach/sets/{question_set.pk}/"),
        ("editor", f"/teach/sets/{question_set.pk}/questions/{question.pk}/"),
        ("class", f"/classes/{classroom.pk}/"),
        ("report", f"/classes/{classroom.pk}/report/?set={question_set.pk}"),
    ]:
        page.goto(url)
        screens.shoot(page, label)
        assert page.evaluate(OVERFLOW) <= 0, f"{url} is wider than the screen"
        assert page.evaluate(BROKEN_HEADINGS) == [], f"{url} breaks a heading's word"
    assert page.get_by_label("Set").input_value() == str(question_set.pk)
