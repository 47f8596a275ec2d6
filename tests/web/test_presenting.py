"""The feedback's marks and its verdict agree (questions/web/presenting.py)."""

import pytest

from questions.grading import Grade, PartResult
from questions.models import QuestionKind, Rating
from questions.web.presenting import (
    NO_MARK,
    PARTLY,
    RIGHT,
    WRONG,
    feedback_lines,
    verdict,
)


def _choices(*rights: bool, feedback: str = "") -> dict:
    return {
        "choices": [
            {"id": f"c{index}", "text": f"choice {index}", "is_correct": ok, "feedback": feedback}
            for index, ok in enumerate(rights)
        ]
    }


def _verdict_of(lines, grade) -> str:
    return verdict(is_correct=grade.is_correct, rating=grade.rating, lines=lines)


def test_an_ordering_with_every_place_wrong_is_not_partly_right():
    right = {"order": [{"id": f"i{n}", "text": f"item {n}"} for n in range(4)]}
    given = {"order": ["i3", "i2", "i0", "i1"]}  # some pairs in order, no place right
    parts = tuple(
        PartResult(part=f"place {n + 1}", is_correct=False, given=g, expected=f"i{n}")
        for n, g in enumerate(given["order"])
    )
    grade = Grade(rating=Rating.AGAIN, is_correct=False, score=0.17, parts=parts)
    lines = feedback_lines(kind=QuestionKind.ORDERING, right=right, grade=grade, given=given)
    assert [line["mark"] for line in lines] == [WRONG] * 4
    assert _verdict_of(lines, grade) == "Not quite"


def test_an_ordering_with_some_places_right_is_partly_right():
    right = {"order": [{"id": f"i{n}", "text": f"item {n}"} for n in range(3)]}
    given = {"order": ["i0", "i2", "i1"]}
    parts = (
        PartResult(part="place 1", is_correct=True),
        PartResult(part="place 2", is_correct=False),
        PartResult(part="place 3", is_correct=False),
    )
    grade = Grade(rating=Rating.HARD, is_correct=False, score=0.67, parts=parts)
    lines = feedback_lines(kind=QuestionKind.ORDERING, right=right, grade=grade, given=given)
    assert [line["mark"] for line in lines] == [RIGHT, WRONG, WRONG]
    assert _verdict_of(lines, grade) == "Partly right"


def test_the_right_answer_not_chosen_has_no_cross_and_no_right_feedback():
    right = _choices(True, False, feedback="Right — it began in May 1968.")
    grade = Grade(rating=Rating.AGAIN, is_correct=False, score=0.0)
    lines = feedback_lines(
        kind=QuestionKind.MULTIPLE_CHOICE, right=right, grade=grade, given={"choice": ["c1"]}
    )
    the_right_one, the_pick = lines
    assert (the_right_one["expected"], the_right_one["mark"]) == ("Right answer", NO_MARK)
    assert the_right_one["note"] == ""
    assert (the_pick["given"], the_pick["mark"]) == ("Your choice", WRONG)
    assert the_pick["note"] == "Right — it began in May 1968."  # what the author wrote for it
    assert _verdict_of(lines, grade) == "Not quite"


def test_a_wrong_pick_with_partial_credit_is_marked_partly_right():
    right = _choices(True, False)
    grade = Grade(rating=Rating.HARD, is_correct=False, score=0.5)
    lines = feedback_lines(
        kind=QuestionKind.MULTIPLE_CHOICE, right=right, grade=grade, given={"choice": ["c1"]}
    )
    assert [line["mark"] for line in lines] == [NO_MARK, PARTLY]
    assert _verdict_of(lines, grade) == "Partly right"


def test_with_several_right_choices_one_found_is_partly_right_and_a_wrong_pick_is_wrong():
    right = _choices(True, True, False)
    grade = Grade(rating=Rating.HARD, is_correct=False, score=0.0)
    lines = feedback_lines(
        kind=QuestionKind.MULTIPLE_CHOICE, right=right, grade=grade, given={"choice": ["c0", "c2"]}
    )
    assert [line["mark"] for line in lines] == [RIGHT, NO_MARK, WRONG]
    assert _verdict_of(lines, grade) == "Partly right"


@pytest.mark.parametrize(
    ("is_correct", "rating", "score", "expected"),
    [
        (True, Rating.GOOD, 1.0, "Right!"),
        (True, Rating.HARD, 1.0, "Right, nearly"),
        (False, Rating.HARD, 0.5, "Partly right"),
        (False, Rating.AGAIN, 0.0, "Not quite"),
    ],
)
def test_a_short_answer_verdict_follows_its_one_mark(is_correct, rating, score, expected):
    grade = Grade(
        rating=rating,
        is_correct=is_correct,
        score=score,
        parts=(PartResult(part="text", is_correct=is_correct),),
    )
    lines = feedback_lines(
        kind=QuestionKind.SHORT_ANSWER,
        right={"accepted": ["Harriman"]},
        grade=grade,
        given={"text": "Harriman"},
    )
    assert _verdict_of(lines, grade) == expected


@pytest.mark.django_db
def test_feedback_folds_the_passage_to_the_sentence_the_answer_rests_on(school):
    from questions.models import Question
    from tests.web.test_study import post_answer

    question = school.questions[QuestionKind.SHORT_ANSWER]
    text = question.passage.text
    start = text.index("Harriman")
    Question.objects.filter(pk=question.pk).update(sentence_start=start, sentence_end=len(text))
    plain = school.questions[QuestionKind.NUMERICAL]

    folded = post_answer(school.client("student"), question, {"text": "x"}, client_id="a")
    whole = post_answer(school.client("student"), plain, {"number": "1"}, client_id="b")

    html = folded.content.decode()
    assert f"<mark data-sentence>{text[start:]}</mark>" in html
    assert "<summary>Show the whole passage</summary>" in html
    assert "data-sentence" not in whole.content.decode()
    assert plain.passage.text in whole.content.decode()
