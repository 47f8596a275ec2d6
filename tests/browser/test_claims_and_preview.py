"""In the browser: a student claims "I was right", the teacher accepts it from the class
report, and the answer then grades right; the question editor's preview grades a try-out."""

import pytest
from playwright.sync_api import expect

from questions.models import AnswerClaim, ClaimStatus, QuestionKind
from tests.browser.conftest import log_in
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    PassageFactory,
    QuestionSetFactory,
    SourceFactory,
    StudentFactory,
    TeacherFactory,
    question_of_kind,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def one_question_class(db):
    teacher = TeacherFactory(username="ms-teacher")
    source = SourceFactory(title="Paris talks", slug="paris-talks")
    passage = PassageFactory(source=source, position=1, text="Harriman led the U.S. delegation.")
    question_set = QuestionSetFactory(title="Negotiators", owner=teacher, source=source)
    question = question_of_kind(
        QuestionKind.SHORT_ANSWER, question_set=question_set, passage=passage
    )
    classroom = ClassroomFactory(name="History 1", owner=teacher)
    AssignmentFactory(classroom=classroom, question_set=question_set)
    students = [StudentFactory(username=name) for name in ("sam", "ann")]
    for student in students:
        MembershipFactory(classroom=classroom, user=student)
    return teacher, classroom, question_set, question


def study_and_type(page, question_set, text: str) -> None:
    page.goto(f"/study/?set={question_set.pk}")
    card = page.locator("#study-card")
    card.locator("input[name=text]").fill(text)
    card.get_by_role("button", name="Check answer").click()
    expect(card.locator("[data-verdict]")).to_be_visible()


def test_a_claim_accepted_by_the_teacher_grades_right_for_everyone(
    new_page, one_question_class, screens
):
    _, classroom, question_set, _ = one_question_class
    student = new_page()
    log_in(student, "sam", PASSWORD)

    study_and_type(student, question_set, "Averell Hariman (New York)")
    card = student.locator("#study-card")
    expect(card.locator("[data-verdict-reason]")).to_contain_text("brackets")
    screens.shoot(student, "wrong-verdict-with-claim-button")
    card.get_by_role("button", name="I was right").click()
    expect(card.locator("[data-claim-result]")).to_contain_text("rescheduled as Hard")
    screens.shoot(student, "claim-sent")

    teacher_page = new_page()
    log_in(teacher_page, "ms-teacher", PASSWORD)
    teacher_page.goto(f"/classes/{classroom.pk}/report/")
    claims = teacher_page.locator("#claims")
    expect(claims).to_contain_text("Averell Hariman (New York)")
    screens.shoot(teacher_page, "report-lists-the-claim")
    claims.get_by_role("button", name="Accept as a variant").click()
    expect(teacher_page.locator("#claims")).to_contain_text("Accepted")
    screens.shoot(teacher_page, "claim-accepted")
    assert AnswerClaim.objects.get().status == ClaimStatus.ACCEPTED

    other = new_page()
    log_in(other, "ann", PASSWORD)
    study_and_type(other, question_set, "Averell Hariman (New York)")
    expect(other.locator("[data-verdict]")).to_contain_text("Right")
    expect(other.get_by_role("button", name="I was right")).to_have_count(0)
    screens.shoot(other, "variant-now-right")


def test_the_editor_preview_grades_what_the_teacher_types(new_page, one_question_class, screens):
    _, _, question_set, _ = one_question_class
    page = new_page()
    log_in(page, "ms-teacher", PASSWORD)
    page.goto(f"/teach/sets/{question_set.pk}/questions/new/")
    form = page.locator("#question-form")
    form.get_by_label("Type").select_option(QuestionKind.SHORT_ANSWER)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    form.get_by_label("Question", exact=True).fill("Who became president in 1969?")
    form.locator("input[name='answers-0-text']").fill("Nixon")
    form.locator("input[name='answers-1-text']").fill("Richard Nixon")
    form.get_by_label("Supporting passage").select_option(index=1)
    preview = page.locator("#preview")
    expect(preview.locator("input[name=text]")).to_be_visible()

    try_box = preview.locator("input[name=text]")
    try_box.fill("Dixon")
    expect(preview.locator("[data-preview-verdict]")).to_contain_text("different word")
    screens.shoot(page, "preview-dixon-wrong")
    try_box = preview.locator("input[name=text]")
    # A middle initial is accepted; a full middle name no variant gives leans to wrong.
    try_box.fill("Richard M. Nixon")
    expect(preview.locator("[data-preview-verdict]")).to_contain_text("middle names")
    expect(preview.locator("input[name=text]")).to_have_value("Richard M. Nixon")
    screens.shoot(page, "preview-middle-name-right")
