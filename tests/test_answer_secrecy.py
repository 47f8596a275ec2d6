"""An attacker with a student's account plays the whole shipped bank from what is shown before
answering: no strategy it tries does better than guessing."""

import math
from collections.abc import Callable

import pytest

from questions import presentation
from questions.answer_input import grader_input
from questions.models import Question, QuestionKind
from questions.presentation import student_view

pytestmark = pytest.mark.django_db

STUDENTS = range(1, 301)
# How far above chance a strategy may land by luck: 4.5 standard deviations (about 1 in 300,000
# per strategy), so a real leak fails the test and an honest shuffle does not.
LUCK_SIGMAS = 4.5
KINDS = (QuestionKind.MULTIPLE_CHOICE, QuestionKind.MATCHING, QuestionKind.ORDERING)


def _choice_strategies() -> dict[str, Callable[[list[dict]], dict]]:
    def pick(chooser):
        return lambda items: {"choices": [chooser(items)["id"]]}

    return {
        "first shown": pick(lambda items: items[0]),
        "last shown": pick(lambda items: items[-1]),
        "lowest id": pick(lambda items: min(items, key=lambda item: item["id"])),
        "highest id": pick(lambda items: max(items, key=lambda item: item["id"])),
        "first in text order": pick(lambda items: min(items, key=lambda item: item["text"])),
    }


def _sequence_strategies() -> dict[str, Callable[[list[dict]], list[str]]]:
    return {
        "as shown": lambda items: [item["id"] for item in items],
        "reversed": lambda items: [item["id"] for item in reversed(items)],
        "by id": lambda items: sorted(item["id"] for item in items),
        "by id, descending": lambda items: sorted((item["id"] for item in items), reverse=True),
        "rotated": lambda items: [item["id"] for item in items[1:] + items[:1]],
    }


def attacks(view: dict) -> dict[str, dict]:
    """Each strategy's answer to one question, from the student view alone."""
    match view["kind"]:
        case QuestionKind.MULTIPLE_CHOICE:
            return {name: play(view["choices"]) for name, play in _choice_strategies().items()}
        case QuestionKind.ORDERING:
            return {
                name: {"order": play(view["items"])}
                for name, play in _sequence_strategies().items()
            }
        case QuestionKind.MATCHING:
            lefts = [str(left["id"]) for left in view["left"]]
            return {
                name: {"pairs": dict(zip(lefts, play(view["right"]), strict=True))}
                for name, play in _sequence_strategies().items()
            }
    return {}


def is_right(question: Question, answer: dict, student_id: int) -> bool:
    rows = grader_input(question=question, answer=answer, student_id=student_id)
    answers = list(question.answers.all())
    match question.kind:
        case QuestionKind.MULTIPLE_CHOICE:
            right = {a.pk for a in answers if a.is_correct}
            return set(rows["choices"]) == right if len(right) > 1 else rows["choices"][0] in right
        case QuestionKind.ORDERING:
            return rows["order"] == [a.pk for a in sorted(answers, key=lambda a: a.position)]
        case QuestionKind.MATCHING:
            return all(int(left) == right for left, right in rows["pairs"].items())
    raise AssertionError(question.kind)


def chance(question: Question) -> float:
    """The probability that a blind guess of the same form is right."""
    answers = list(question.answers.all())
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        right = sum(a.is_correct for a in answers)
        # One choice named: right when it is the only right one (never, with several right).
        return 1 / len(answers) if right == 1 else 0.0
    return 1 / math.factorial(len(answers))


def play_the_bank(questions: list[Question]) -> dict[str, tuple[int, float, float]]:
    """For each strategy: (answers right, expected by chance, standard deviation)."""
    tally: dict[str, list[float]] = {}
    for question in questions:
        p = chance(question)
        for student_id in STUDENTS:
            for name, answer in attacks(student_view(question, student_id=student_id)).items():
                right, expected, variance = tally.setdefault(name, [0, 0.0, 0.0])
                tally[name] = [
                    right + is_right(question, answer, student_id),
                    expected + p,
                    variance + p * (1 - p),
                ]
    return {name: (int(r), e, math.sqrt(v)) for name, (r, e, v) in tally.items()}


@pytest.fixture
def bank(seeded) -> list[Question]:
    questions = list(
        Question.objects.filter(kind__in=KINDS, question_set__owner__username="teacher")
        .prefetch_related("answers", "topics")
        .order_by("pk")
    )
    assert len(questions) >= 20
    return questions


def test_no_strategy_beats_chance_over_the_shipped_bank(bank):
    results = play_the_bank(bank)

    beaten = {
        name: f"{right} right, {expected:.0f} expected by chance"
        for name, (right, expected, sd) in results.items()
        if right > expected + LUCK_SIGMAS * sd
    }
    assert len(results) == 10
    assert beaten == {}


def test_the_attacker_would_win_against_an_unkeyed_order(bank, monkeypatch):
    """The attacker test can fail: with the author's order shown, strategies win outright."""
    monkeypatch.setattr(presentation, "_shuffled", lambda items, **_: list(items))

    results = play_the_bank(bank)

    right, expected, sd = results["as shown"]
    assert right > expected + LUCK_SIGMAS * sd
    right, expected, sd = results["first shown"]
    assert right > expected + LUCK_SIGMAS * sd


@pytest.mark.parametrize("kind", [QuestionKind.MATCHING, QuestionKind.ORDERING])
def test_the_bank_has_no_ordering_or_matching_question_under_three_items(bank, kind):
    sizes = [q.answers.count() for q in bank if q.kind == kind]

    assert sizes
    assert min(sizes) >= 3


def test_two_students_see_the_bank_in_different_orders(bank):
    def shown(student_id):
        return [
            [item["id"] for item in view.get("choices") or view.get("items") or view["right"]]
            for view in (student_view(q, student_id=student_id) for q in bank)
        ]

    assert shown(1) == shown(1)
    assert shown(1) != shown(2)
