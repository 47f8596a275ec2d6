"""Helpers shared by the format tests: a set of every kind, and its rows as plain data."""

import pytest

from questions.models import QuestionKind, QuestionSet
from tests.factories import PassageFactory, QuestionSetFactory, TopicFactory, question_of_kind


def set_rows(question_set: QuestionSet) -> list[tuple]:
    """Everything a question is, in order, without database ids: what a round trip must keep."""
    rows = []
    for question in question_set.questions.order_by("position", "id"):
        rows.append(
            (
                question.kind,
                question.title,
                question.prompt,
                question.explanation,
                question.passage.position if question.passage else None,
                sorted(topic.slug for topic in question.topics.all()),
                [
                    (a.text, a.match_text, a.is_correct, a.fraction, a.gap, a.number,
                     a.tolerance or 0, a.feedback)
                    for a in question.answers.order_by("position")
                ],
            )
        )  # fmt: skip
    return rows


@pytest.fixture
def set_of_every_kind(db) -> QuestionSet:
    """A set with a source, topics, and one question of each kind with feedback and weights."""
    passage = PassageFactory(position=1, text="Talks began in Paris on May 13, 1968.")
    PassageFactory(source=passage.source, position=2, text="Harriman led the U.S. side.")
    question_set = QuestionSetFactory(
        title="Every kind", external_id="every-kind", source=passage.source, description="All."
    )
    topic = TopicFactory(slug="origins", name="Origins")
    question_set.topics.add(topic)
    overrides = {
        QuestionKind.MULTIPLE_CHOICE: [
            {"text": "Averell Harriman", "is_correct": True, "fraction": 1, "feedback": "Yes."},
            {"text": "Henry Kissinger", "fraction": 0.25, "feedback": "Later."},
            {"text": "Dean Rusk", "fraction": -0.5},
        ],
        QuestionKind.TRUE_FALSE: [
            {"text": "True", "feedback": "No: it was Paris."},
            {"text": "False", "is_correct": True, "fraction": 1, "feedback": "Right."},
        ],
        QuestionKind.NUMERICAL: [
            {"text": "1968", "number": 1968, "tolerance": 0, "is_correct": True, "fraction": 1},
            {
                "text": "1969",
                "number": 1969,
                "tolerance": 1,
                "is_correct": True,
                "fraction": 0.5,
                "feedback": "Close.",
            },
        ],
        QuestionKind.SHORT_ANSWER: [
            {"text": "Harriman", "is_correct": True, "fraction": 1, "feedback": "Yes."},
            {"text": "Averell", "is_correct": True, "fraction": 0.5},
        ],
    }
    for position, kind in enumerate(QuestionKind.values, start=1):
        kwargs = {"answers": overrides[kind]} if kind in overrides else {}
        question = question_of_kind(
            kind,
            question_set=question_set,
            passage=passage,
            position=position,
            external_id=f"q-{kind}",
            title=f"The {kind} one" if position % 2 else "",
            explanation="Because: the text says so.\nSecond line.",
            **kwargs,
        )
        question.topics.add(topic)
    return question_set
