"""A teacher writes a set with one question of every type; a student of the class studies it."""

import pytest
from playwright.sync_api import expect

from questions.models import QuestionKind, QuestionSet, Review
from tests.browser.conftest import assert_every_control_labelled, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SET_TITLE = "Negotiators and dates"

# Per type: the prompt, the answer rows the teacher types (column name → text), and the
# fields the student fills in to answer right.
QUESTIONS = [
    (QuestionKind.FLASHCARD, "Who was the chief U.S. negotiator?", [{"text": "Averell Harriman"}]),
    (
        QuestionKind.MULTIPLE_CHOICE,
        "Which city hosted the talks?",
        [{"text": "Paris", "is_correct": True}, {"text": "Geneva"}, {"text": "Saigon"}],
    ),
    (QuestionKind.TRUE_FALSE, "The talks began in 1968.", "true"),
    (QuestionKind.SHORT_ANSWER, "Who was Secretary of Defense?", [{"text": "Clifford"}]),
    (QuestionKind.NUMERICAL, "In which year did the talks begin?", [{"number": "1968"}]),
    (
        QuestionKind.CLOZE,
        "Talks opened in {{1}} in {{2}}.",
        [{"gap": "1", "text": "Paris"}, {"gap": "2", "text": "May"}],
    ),
    (
        QuestionKind.MATCHING,
        "Match each person with a role.",
        [
            {"text": "Harriman", "match_text": "Chief negotiator"},
            {"text": "Clifford", "match_text": "Secretary of Defense"},
            {"text": "Johnson", "match_text": "President"},
        ],
    ),
    (
        QuestionKind.ORDERING,
        "Put these events in order.",
        [{"text": "Tet Offensive"}, {"text": "Johnson's speech"}, {"text": "Talks open"}],
    ),
]


def write_question(page, kind: str, prompt: str, answers, passage_index: int, screens) -> None:
    form = page.locator("#question-form")
    form.get_by_label("Type").select_option(kind)
    # Choosing a type redraws the answer fields; what is typed before that lands is redrawn away.
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    if kind == QuestionKind.TRUE_FALSE:
        expect(form.locator("input[name=true_false_answer]")).to_have_count(2)
    else:
        expect(form.locator("#answers-section")).to_contain_text(
            {
                "flashcard": "Back of the card",
                "multiple_choice": "Right",
                "short_answer": "Accepted answer",
                "numerical": "Give or take",
                "cloze": "Gap",
                "matching": "Matches",
                "ordering": "Item",
            }[kind]
        )
    form.get_by_label("Question", exact=True).fill(prompt)
    if kind == QuestionKind.TRUE_FALSE:
        form.locator(f"input[name=true_false_answer][value={answers}]").check()
    else:
        for row, fields in enumerate(answers):
            for name, value in fields.items():
                field = form.locator(f"[name=answers-{row}-{name}]")
                if value is True:
                    field.check()
                else:
                    field.fill(value)
    form.get_by_label("Supporting passage").select_option(index=passage_index)
    expect(page.locator("#preview [data-preview]")).to_be_visible()
    if kind == QuestionKind.CLOZE:
        expect(page.locator("#preview input.gap-input")).to_have_count(2)
    assert_every_control_labelled(page)
    if kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.MATCHING):
        screens.shoot(page, f"editor-{kind}")
    form.get_by_role("button", name="Save and add another").click()
    expect(page.locator(".message-success")).to_contain_text("saved")


def answer_right(page, kind: str, answers) -> None:
    card = page.locator("#study-card")
    if kind == QuestionKind.FLASHCARD:
        page.keyboard.press("Space")
        expect(card.locator(".flash-back")).to_contain_text("Averell Harriman")
        page.keyboard.press("4")
        return
    if kind == QuestionKind.MULTIPLE_CHOICE:
        card.get_by_label("Paris").check()
    elif kind == QuestionKind.TRUE_FALSE:
        card.get_by_label("True").check()
    elif kind in (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL):
        card.locator("input[type=text]").fill(answers[0].get("text") or answers[0]["number"])
    elif kind == QuestionKind.CLOZE:
        card.get_by_label("Gap 1").fill("paris")
        card.get_by_label("Gap 2").fill("May")
    elif kind == QuestionKind.MATCHING:
        for pair in answers:
            card.get_by_label(pair["text"]).select_option(label=pair["match_text"])
    elif kind == QuestionKind.ORDERING:
        for place, item in enumerate(answers):
            # Move each item up with its button until it reaches its place.
            while True:
                texts = card.locator("[data-ordering] .item-text").all_inner_texts()
                index = texts.index(item["text"])
                if index == place:
                    break
                card.get_by_role("button", name=f"Move “{item['text']}” up").click()
    card.get_by_role("button", name="Check answer").click()


def test_a_teacher_writes_every_type_of_question_and_a_student_studies_them(
    seeded, new_page, screens
):
    teacher = new_page(width=1280)
    log_in(teacher, "teacher", "quizsite-teacher")
    teacher.get_by_role("link", name="My sets").click()
    teacher.get_by_role("link", name="New set").click()
    teacher.get_by_role("textbox", name="Title").fill(SET_TITLE)
    teacher.get_by_role("combobox", name="Source").select_option(label="Paris Peace Talks")
    teacher.get_by_label("New topics").fill("Negotiators")
    screens.shoot(teacher, "new-set")
    teacher.get_by_role("button", name="Save set").click()
    expect(teacher.get_by_role("heading", name=SET_TITLE)).to_be_visible()

    teacher.get_by_role("link", name="Add a question").click()
    for number, (kind, prompt, answers) in enumerate(QUESTIONS):
        write_question(teacher, kind, prompt, answers, 1 + number % 3, screens)

    created = QuestionSet.objects.get(title=SET_TITLE)
    assert [q.kind for q in created.questions.order_by("position")] == [q[0] for q in QUESTIONS]
    assert all(q.passage_id for q in created.questions.all())

    teacher.goto(f"/teach/sets/{created.pk}/")
    screens.shoot(teacher, "set")
    # Reorder with the keyboard: the second question up, then (focus kept) back down.
    items = teacher.locator("#set-detail li")
    teacher.get_by_role("button", name="Move question 2 up").focus()
    teacher.keyboard.press("Enter")
    expect(items.first).to_contain_text(QUESTIONS[1][1])
    expect(teacher.get_by_role("button", name="Move question 1 down")).to_be_focused()
    teacher.keyboard.press("Enter")
    expect(items.nth(1)).to_contain_text(QUESTIONS[1][1])
    teacher.get_by_role("link", name="Classes").click()
    teacher.get_by_role("link", name="Demo class").click()
    teacher.get_by_label("Set to assign").select_option(label=SET_TITLE)
    teacher.get_by_role("button", name="Assign", exact=True).click()
    expect(teacher.locator(".message-success")).to_contain_text(SET_TITLE)
    screens.shoot(teacher, "class")
    assert_every_control_labelled(teacher)

    student = new_page()
    log_in(student, "student", "quizsite-student")
    student.get_by_role("link", name=f"Study {SET_TITLE}").click()
    for kind, _, answers in QUESTIONS:
        card = student.locator("#study-card")
        expect(card.locator(".badge").first).to_have_text(QuestionKind(kind).label)
        answer_right(student, kind, answers)
        if kind == QuestionKind.FLASHCARD:
            # Two steps, as in Anki: the next card is there at once, the rating above it.
            expect(card.locator("[data-rated]")).to_contain_text("Rated Easy")
            continue
        expect(card.locator("[data-verdict]")).to_contain_text("Right")
        expect(card.locator("[data-passage]")).to_be_visible()
        if kind == QuestionKind.ORDERING:
            screens.shoot(student, "feedback-ordering")
        card.get_by_role("button", name="Next question").click()
        expect(card.locator("[data-next]")).to_have_count(0)

    expect(student.locator("[data-summary='answered']")).to_have_text(str(len(QUESTIONS)))
    expect(student.locator("[data-summary='right']")).to_have_text(str(len(QUESTIONS)))
    screens.shoot(student, "summary")
    assert Review.objects.filter(
        user__username="student", question__question_set=created
    ).count() == len(QUESTIONS)

    teacher.goto("/classes/")
    teacher.get_by_role("link", name="Demo class").click()
    teacher.get_by_role("link", name="Class report").click()
    expect(teacher.get_by_role("img", name="Hardest questions")).to_be_visible()
    screens.shoot(teacher, "class-report")
