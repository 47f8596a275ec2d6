import json
from collections import Counter

import pytest

from questions.models import QuestionKind
from questions.presentation import answer_view, item_id, student_view
from tests.factories import PassageFactory, QuestionSetFactory, TopicFactory, question_of_kind

pytestmark = pytest.mark.django_db

STUDENT = 7
SECRETS = ("is_correct", "explanation", "accepted", "fraction", "feedback", "number", "back")


def shown_id(question, answer) -> str:
    return item_id(question_id=question.pk, answer_id=answer.pk, student_id=STUDENT)


@pytest.mark.parametrize("kind", QuestionKind.values)
def test_student_view_never_gives_the_answer_away(kind):
    question = question_of_kind(kind, explanation="Because of the Tet offensive.")

    view = student_view(question, student_id=STUDENT)
    text = json.dumps(view)

    assert not any(f'"{secret}"' in text for secret in SECRETS)
    assert "Because of the Tet offensive" not in text
    if kind in (QuestionKind.FLASHCARD, QuestionKind.SHORT_ANSWER, QuestionKind.CLOZE):
        for answer in question.answers.all():
            assert answer.text not in text
    if kind == QuestionKind.NUMERICAL:
        assert "1968" not in text


def test_student_view_has_the_common_fields():
    source_set = QuestionSetFactory()
    passage = PassageFactory()
    question = question_of_kind(
        QuestionKind.TRUE_FALSE, question_set=source_set, passage=passage, title="Opening"
    )
    question.topics.add(TopicFactory(slug="paris-talks", name="Paris talks"))

    view = student_view(question, student_id=STUDENT)

    assert view == {
        "id": question.pk,
        "kind": "true_false",
        "title": "Opening",
        "prompt": question.prompt,
        "set_id": source_set.pk,
        "passage_id": passage.pk,
        "topics": [{"slug": "paris-talks", "name": "Paris talks"}],
        "choices": [
            {"id": shown_id(question, a), "text": a.text}
            for a in question.answers.order_by("-text")  # "True" before "False"
        ],
        "multiple": False,
    }


def test_multiple_choice_says_when_several_choices_are_right():
    question = question_of_kind(
        QuestionKind.MULTIPLE_CHOICE,
        answers=[
            {"text": "Harriman", "is_correct": True, "fraction": 0.5},
            {"text": "Vance", "is_correct": True, "fraction": 0.5},
            {"text": "Tho"},
        ],
    )

    assert student_view(question, student_id=STUDENT)["multiple"] is True


def test_matching_right_side_is_the_same_for_one_student_on_every_reload():
    question = question_of_kind(QuestionKind.MATCHING)
    answers = list(question.answers.all())

    view = student_view(question, student_id=STUDENT)

    assert view["left"] == [{"id": a.pk, "text": a.text} for a in answers]
    right_in_key_order = [{"id": shown_id(question, a), "text": a.match_text} for a in answers]
    assert sorted(view["right"], key=right_in_key_order.index) == right_in_key_order
    assert student_view(question, student_id=STUDENT)["right"] == view["right"]


def test_ordering_items_are_the_same_for_one_student_on_every_reload():
    question = question_of_kind(QuestionKind.ORDERING)
    in_order = [
        {"id": shown_id(question, a), "text": a.text} for a in question.answers.order_by("position")
    ]

    view = student_view(question, student_id=STUDENT)

    assert sorted(view["items"], key=in_order.index) == in_order
    assert student_view(question, student_id=STUDENT)["items"] == view["items"]


def test_students_see_every_order_of_ordering_items_equally_often():
    question = question_of_kind(QuestionKind.ORDERING)
    students = range(1, 1201)

    seen = Counter(
        tuple(item["text"] for item in student_view(question, student_id=s)["items"])
        for s in students
    )

    # 3 items: 6 orders, each expected 200 times; 4.5 standard deviations either side.
    assert len(seen) == 6
    assert all(140 <= count <= 260 for count in seen.values())


def test_the_order_depends_on_the_secret_key(settings):
    question = question_of_kind(QuestionKind.MULTIPLE_CHOICE)
    orders = set()
    for key in ("first-secret", "second-secret", "third-secret", "fourth-secret"):
        settings.SECRET_KEY = key
        orders.add(tuple(c["text"] for c in student_view(question, student_id=STUDENT)["choices"]))

    assert len(orders) > 1


def test_cloze_lists_its_gaps():
    question = question_of_kind(QuestionKind.CLOZE)

    assert student_view(question, student_id=STUDENT)["gaps"] == [1, 2]
    assert student_view(question, student_id=STUDENT)["gap_choices"] == {}


def test_a_choice_gap_offers_its_options_without_saying_which_is_right():
    question = question_of_kind(
        QuestionKind.CLOZE,
        prompt="Talks began in {{1}} on {{2}}.",
        answers=[
            {"text": "London", "gap": 1, "is_choice": True},
            {
                "text": "<b>Paris</b>",
                "gap": 1,
                "is_correct": True,
                "fraction": 1,
                "is_choice": True,
            },
            {"text": "May 13", "gap": 2, "is_correct": True, "fraction": 1},
        ],
    )

    view = student_view(question, student_id=STUDENT)

    assert view["gap_choices"] == {"1": ["London", "Paris"]}
    assert "is_correct" not in json.dumps(view)


@pytest.mark.parametrize(
    ("kind", "key", "expected"),
    [
        (QuestionKind.FLASHCARD, "back", "Back of the card"),
        (QuestionKind.SHORT_ANSWER, "accepted", ["Harriman", "Averell Harriman"]),
        (QuestionKind.NUMERICAL, "values", [{"number": 1968.0, "tolerance": 0}]),
        (QuestionKind.CLOZE, "gaps", {"1": ["Paris"], "2": ["May 12"]}),
    ],
)
def test_answer_view_gives_the_right_answer(kind, key, expected):
    question = question_of_kind(kind, explanation="See the source.")

    view = answer_view(question, student_id=STUDENT)

    assert view[key] == expected
    assert view["explanation"] == "See the source."


def test_answer_view_of_ordering_is_in_the_right_order():
    question = question_of_kind(QuestionKind.ORDERING)

    assert [item["text"] for item in answer_view(question, student_id=STUDENT)["order"]] == [
        "Tet Offensive",
        "Johnson's speech of March 31",
        "Talks open in Paris",
    ]


def test_answer_view_of_choices_marks_the_right_one():
    question = question_of_kind(QuestionKind.MULTIPLE_CHOICE)

    choices = answer_view(question, student_id=STUDENT)["choices"]

    assert [(c["text"], c["is_correct"]) for c in choices] == [
        ("Averell Harriman", True),
        ("Henry Kissinger", False),
        ("Dean Rusk", False),
    ]


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (QuestionKind.MULTIPLE_CHOICE, "choices"),
        (QuestionKind.TRUE_FALSE, "choices"),
        (QuestionKind.MATCHING, "right"),
        (QuestionKind.ORDERING, "items"),
    ],
)
def test_shown_item_ids_say_nothing_of_answer_rows(kind, field):
    question = question_of_kind(kind)
    row_ids = {str(answer.pk) for answer in question.answers.all()}

    shown = [item["id"] for item in student_view(question, student_id=STUDENT)[field]]

    assert all(isinstance(value, str) and len(value) == 16 for value in shown)
    assert not row_ids & set(shown)
    assert shown != sorted(shown) or shown != sorted(shown, reverse=True)


def test_item_ids_differ_from_question_to_question():
    first, second = question_of_kind(QuestionKind.ORDERING), question_of_kind(QuestionKind.ORDERING)

    assert item_id(question_id=first.pk, answer_id=7, student_id=STUDENT) != item_id(
        question_id=second.pk, answer_id=7, student_id=STUDENT
    )


def test_item_ids_differ_from_student_to_student():
    question = question_of_kind(QuestionKind.ORDERING)

    first, second = (
        {item["id"] for item in student_view(question, student_id=s)["items"]} for s in (1, 2)
    )

    assert not first & second


def test_multiple_choice_order_is_fixed_per_student_and_differs_between_students():
    questions = [
        question_of_kind(
            QuestionKind.MULTIPLE_CHOICE,
            answers=[{"text": f"right {n}", "is_correct": True, "fraction": 1}]
            + [{"text": f"wrong {n}.{i}"} for i in range(3)],
        )
        for n in range(40)
    ]

    def first_shown(student_id):
        return [student_view(q, student_id=student_id)["choices"][0]["text"] for q in questions]

    assert first_shown(STUDENT) == first_shown(STUDENT)
    assert first_shown(STUDENT) != first_shown(STUDENT + 1)
    assert any(text.startswith("wrong") for text in first_shown(STUDENT))
    assert any(text.startswith("right") for text in first_shown(STUDENT))


def test_answer_view_names_items_as_the_student_view_did():
    question = question_of_kind(QuestionKind.ORDERING)

    shown = {item["id"] for item in student_view(question, student_id=STUDENT)["items"]}

    assert {item["id"] for item in answer_view(question, student_id=STUDENT)["order"]} == shown
