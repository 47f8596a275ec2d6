"""Every question type, valid and invalid, through model validation and database constraints."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from questions.models import Answer, Question, QuestionKind
from questions.validation import (
    CLOZE_NEEDS_GAP,
    MATCHING_NEEDS_THREE_PAIRS,
    NEEDS_A_RIGHT_CHOICE,
    NEEDS_AN_ACCEPTED_ANSWER,
    NEEDS_ONE_ANSWER,
    ORDERING_NEEDS_THREE_ITEMS,
    PASSAGE_FROM_OTHER_SOURCE,
    PASSAGE_REQUIRED,
    PASSAGE_WITHOUT_SOURCE,
    TRUE_FALSE_SHAPE,
    cloze_gaps,
    validate_answer_key,
)
from tests.factories import (
    DEFAULT_ANSWERS,
    DEFAULT_PROMPTS,
    PassageFactory,
    QuestionSetFactory,
    SourceFactory,
    question_of_kind,
)


def answer(**fields) -> SimpleNamespace:
    row = {
        "text": "",
        "match_text": "",
        "is_correct": False,
        "fraction": 0.0,
        "gap": None,
        "number": None,
        "tolerance": None,
    }
    row.update(fields)
    return SimpleNamespace(**row)


@pytest.mark.parametrize("kind", QuestionKind.values)
def test_default_answer_key_of_every_kind_is_valid(kind):
    prompt = DEFAULT_PROMPTS.get(kind, "A question?")
    answers = [answer(**row) for row in DEFAULT_ANSWERS[kind]]

    validate_answer_key(kind=kind, prompt=prompt, answers=answers)


@pytest.mark.parametrize(
    ("kind", "prompt", "answers", "message"),
    [
        (QuestionKind.FLASHCARD, "Front", [], NEEDS_ONE_ANSWER),
        (
            QuestionKind.MULTIPLE_CHOICE,
            "Who?",
            [answer(text="Harriman"), answer(text="Clifford")],
            NEEDS_A_RIGHT_CHOICE,
        ),
        (
            QuestionKind.TRUE_FALSE,
            "True?",
            [answer(text="True", is_correct=True), answer(text="False", is_correct=True)],
            TRUE_FALSE_SHAPE,
        ),
        (QuestionKind.SHORT_ANSWER, "Who?", [answer(text="Harriman")], NEEDS_AN_ACCEPTED_ANSWER),
        (
            QuestionKind.CLOZE,
            "No gap in this sentence.",
            [answer(text="Paris", gap=1, is_correct=True)],
            CLOZE_NEEDS_GAP,
        ),
        (
            QuestionKind.MATCHING,
            "Match",
            [answer(text="Harriman", match_text="Negotiator", is_correct=True)],
            MATCHING_NEEDS_THREE_PAIRS,
        ),
        (
            QuestionKind.ORDERING,
            "Order",
            [answer(text="Tet", is_correct=True)],
            ORDERING_NEEDS_THREE_ITEMS,
        ),
    ],
)
def test_invalid_answer_key_is_rejected_with_its_reason(kind, prompt, answers, message):
    with pytest.raises(ValidationError) as error:
        validate_answer_key(kind=kind, prompt=prompt, answers=answers)

    assert message in error.value.messages


def test_cloze_gap_without_accepted_answer_is_named():
    answers = [answer(text="Paris", gap=1, is_correct=True)]

    with pytest.raises(ValidationError) as error:
        validate_answer_key(kind=QuestionKind.CLOZE, prompt="In {{1}} on {{2}}.", answers=answers)

    assert error.value.messages == ["Every gap needs an accepted answer; missing for gap {{2}}."]


def test_numerical_answer_needs_a_number():
    answers = [answer(text="about then", is_correct=True, fraction=1)]

    with pytest.raises(ValidationError):
        validate_answer_key(kind=QuestionKind.NUMERICAL, prompt="Year?", answers=answers)


def test_cloze_gaps_are_listed_once_in_order():
    assert cloze_gaps("{{2}} then {{1}} and {{2}} again") == [2, 1]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", QuestionKind.values)
def test_saved_question_of_every_kind_passes_model_validation(kind):
    question = question_of_kind(kind)

    question.full_clean()
    validate_answer_key(kind=kind, prompt=question.prompt, answers=question.answers.all())


@pytest.mark.django_db
def test_question_must_cite_a_passage_when_its_set_has_a_source():
    question_set = QuestionSetFactory(source=SourceFactory())
    question = Question(question_set=question_set, kind=QuestionKind.FLASHCARD, prompt="Front")

    with pytest.raises(ValidationError) as error:
        question.full_clean()

    assert error.value.message_dict["passage"] == [PASSAGE_REQUIRED]


@pytest.mark.django_db
def test_passage_from_another_source_is_rejected():
    question_set = QuestionSetFactory(source=SourceFactory())
    stray_passage = PassageFactory()
    question = Question(
        question_set=question_set,
        kind=QuestionKind.FLASHCARD,
        prompt="Front",
        passage=stray_passage,
    )

    with pytest.raises(ValidationError) as error:
        question.full_clean()

    assert error.value.message_dict["passage"] == [PASSAGE_FROM_OTHER_SOURCE]


@pytest.mark.django_db
def test_passage_cannot_be_cited_by_a_set_without_source():
    question = Question(
        question_set=QuestionSetFactory(),
        kind=QuestionKind.FLASHCARD,
        prompt="Front",
        passage=PassageFactory(),
    )

    with pytest.raises(ValidationError) as error:
        question.full_clean()

    assert error.value.message_dict["passage"] == [PASSAGE_WITHOUT_SOURCE]


@pytest.mark.django_db
def test_passage_of_the_sets_own_source_is_accepted():
    passage = PassageFactory()
    question_set = QuestionSetFactory(source=passage.source)

    Question(
        question_set=question_set, kind=QuestionKind.FLASHCARD, prompt="Front", passage=passage
    ).full_clean()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Question, {"kind": "essay", "prompt": "Why?"}),
        (Question, {"kind": QuestionKind.CLOZE, "prompt": "A sentence without a gap."}),
        (Question, {"kind": QuestionKind.FLASHCARD, "prompt": ""}),
        (Answer, {"fraction": 1.5}),
        (Answer, {"tolerance": -1}),
        (Answer, {"gap": 0}),
    ],
)
def test_database_refuses_what_must_never_be_stored(model, fields):
    question_set = QuestionSetFactory()
    if model is Question:
        row = Question(question_set=question_set, **fields)
    else:
        question = question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)
        row = Answer(question=question, position=99, text="x", **fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            [
                answer(text="Paris", gap=1, is_correct=True, is_choice=True),
                answer(text="London", gap=1),
            ],
            "Gap 1 mixes options to choose with answers to type; make it one or the other.",
        ),
        (
            [answer(text="Paris", gap=1, is_correct=True, is_choice=True)],
            "Gap 1 is chosen from a list, and needs at least two options.",
        ),
    ],
)
def test_a_choice_gap_offers_only_options_and_at_least_two(answers, message):
    with pytest.raises(ValidationError) as error:
        validate_answer_key(kind=QuestionKind.CLOZE, prompt="In {{1}}.", answers=answers)

    assert error.value.messages == [message]


def test_a_choice_gap_with_a_right_option_among_others_is_valid():
    answers = [
        answer(text="London", gap=1, is_choice=True),
        answer(text="Paris", gap=1, is_correct=True, fraction=1, is_choice=True),
    ]

    validate_answer_key(kind=QuestionKind.CLOZE, prompt="In {{1}}.", answers=answers)
