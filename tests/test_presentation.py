import json

import pytest

from questions.models import QuestionKind
from questions.presentation import answer_view, student_view
from tests.factories import PassageFactory, QuestionSetFactory, TopicFactory, question_of_kind

pytestmark = pytest.mark.django_db

SECRETS = ("is_correct", "explanation", "accepted", "fraction", "feedback", "number", "back")


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
        "choices": [{"id": a.pk, "text": a.text} for a in question.answers.all()],
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
    right_in_key_order = [{"id": a.pk, "text": a.match_text} for a in answers]
    assert sorted(view["right"], key=lambda item: item["id"]) == right_in_key_order
    assert view["right"] != right_in_key_order
    assert student_view(question)["right"] == view["right"]


def test_ordering_items_are_shuffled_the_same_way_every_time():
    question = question_of_kind(QuestionKind.ORDERING)
    in_order = [{"id": a.pk, "text": a.text} for a in question.answers.order_by("position")]

    view = student_view(question)

    assert sorted(view["items"], key=lambda item: item["id"]) == in_order
    assert view["items"] != in_order
    assert student_view(question)["items"] == view["items"]


def test_cloze_lists_its_gaps():
    question = question_of_kind(QuestionKind.CLOZE)

    assert student_view(question)["gaps"] == [1, 2]


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
