import json

import pytest

from questions.models import QuestionKind
from questions.presentation import answer_view, item_id, student_view
from tests.factories import PassageFactory, QuestionSetFactory, TopicFactory, question_of_kind

pytestmark = pytest.mark.django_db

SECRETS = ("is_correct", "explanation", "accepted", "fraction", "feedback", "number", "back")


def shown_id(question, answer) -> str:
    return item_id(question_id=question.pk, answer_id=answer.pk)


@pytest.mark.parametrize("kind", QuestionKind.values)
def test_student_view_never_gives_the_answer_away(kind):
    question = question_of_kind(kind, explanation="Because of the Tet offensive.")

    view = student_view(question)
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

    view = student_view(question)

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

    assert student_view(question)["multiple"] is True


def test_matching_right_side_is_shuffled_the_same_way_every_time():
    question = question_of_kind(QuestionKind.MATCHING)
    answers = list(question.answers.all())

    view = student_view(question)

    assert view["left"] == [{"id": a.pk, "text": a.text} for a in answers]
    right_in_key_order = [{"id": shown_id(question, a), "text": a.match_text} for a in answers]
    assert sorted(view["right"], key=right_in_key_order.index) == right_in_key_order
    assert view["right"] != right_in_key_order
    assert student_view(question)["right"] == view["right"]


def test_ordering_items_are_shuffled_the_same_way_every_time():
    question = question_of_kind(QuestionKind.ORDERING)
    in_order = [
        {"id": shown_id(question, a), "text": a.text} for a in question.answers.order_by("position")
    ]

    view = student_view(question)

    assert sorted(view["items"], key=in_order.index) == in_order
    assert view["items"] != in_order
    assert student_view(question)["items"] == view["items"]


def test_cloze_lists_its_gaps():
    question = question_of_kind(QuestionKind.CLOZE)

    assert student_view(question)["gaps"] == [1, 2]
    assert student_view(question)["gap_choices"] == {}


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

    view = student_view(question)

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

    view = answer_view(question)

    assert view[key] == expected
    assert view["explanation"] == "See the source."


def test_answer_view_of_ordering_is_in_the_right_order():
    question = question_of_kind(QuestionKind.ORDERING)

    assert [item["text"] for item in answer_view(question)["order"]] == [
        "Tet Offensive",
        "Johnson's speech of March 31",
        "Talks open in Paris",
    ]


def test_answer_view_of_choices_marks_the_right_one():
    question = question_of_kind(QuestionKind.MULTIPLE_CHOICE)

    choices = answer_view(question)["choices"]

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

    shown = [item["id"] for item in student_view(question)[field]]

    assert all(isinstance(value, str) and len(value) == 16 for value in shown)
    assert not row_ids & set(shown)
    assert shown != sorted(shown) or shown != sorted(shown, reverse=True)


def test_item_ids_differ_from_question_to_question():
    first, second = question_of_kind(QuestionKind.ORDERING), question_of_kind(QuestionKind.ORDERING)

    assert item_id(question_id=first.pk, answer_id=7) != item_id(question_id=second.pk, answer_id=7)


def test_multiple_choice_is_shown_in_a_fixed_order_other_than_the_authors():
    questions = [
        question_of_kind(
            QuestionKind.MULTIPLE_CHOICE,
            answers=[{"text": f"right {n}", "is_correct": True, "fraction": 1}]
            + [{"text": f"wrong {n}.{i}"} for i in range(3)],
        )
        for n in range(40)
    ]

    first_shown = [student_view(question)["choices"][0]["text"] for question in questions]

    assert [student_view(question)["choices"][0]["text"] for question in questions] == first_shown
    assert any(text.startswith("wrong") for text in first_shown)
    assert any(text.startswith("right") for text in first_shown)


def test_answer_view_names_items_as_the_student_view_did():
    question = question_of_kind(QuestionKind.ORDERING)

    shown = {item["id"] for item in student_view(question)["items"]}

    assert {item["id"] for item in answer_view(question)["order"]} == shown
