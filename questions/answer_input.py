"""What a student sends, as the grader's input: the one mapping for the web and the API.

A student names choices, matching right sides and ordering items by the item ids they were shown
(questions.presentation.item_id); the grader and the log use answer row ids. Row ids are refused:
a client that knows them could pair each left side with the right side of the same id, or sort
ordering items by id, without knowing the answer. So are ids shown to another student: item ids
are keyed per student. An answer longer than QUIZSITE_MAX_STUDENT_ANSWER_CHARS (as JSON) is
refused before anything else.

True/false is answered by choice id in both front ends ({"choice": "<item id>"}, the id of the
"True" or the "False" shown); the API also keeps {"value": true}. Anything else malformed is
passed on for grading to explain.
"""

import json

from django.conf import settings

from questions.grading import InvalidAnswer
from questions.models import Question, QuestionKind
from questions.presentation import item_id

UNKNOWN_ITEM_ID = (
    "Answer with the item ids shown with this question (strings such as '3f9a0c…'); "
    "answer row numbers and ids shown with other questions are not accepted."
)
CHOOSE_TRUE_OR_FALSE = "Choose True or False."
CHOICE_OR_VALUE = 'Answer true/false with "choice" (the id shown) or "value", not both.'
ANSWER_TOO_LONG = (
    "The answer is {length} characters long; at most {limit} are accepted "
    "(QUIZSITE_MAX_STUDENT_ANSWER_CHARS)."
)
# The answer field that names items by id, for each kind that has one.
_ITEM_FIELDS = {
    QuestionKind.MULTIPLE_CHOICE: "choices",
    QuestionKind.MATCHING: "pairs",
    QuestionKind.ORDERING: "order",
}


def _rows_by_item_id(question: Question, student_id: int) -> dict:
    return {
        item_id(question_id=question.id, answer_id=row.id, student_id=student_id): row
        for row in question.answers.all()
    }


def _refuse_too_long(answer) -> None:
    length = len(json.dumps(answer, ensure_ascii=False, default=str))
    limit = settings.QUIZSITE_MAX_STUDENT_ANSWER_CHARS
    if length > limit:
        raise InvalidAnswer(ANSWER_TOO_LONG.format(length=length, limit=limit))


def _true_false(question: Question, answer: dict, student_id: int) -> dict:
    """A true/false choice id as the grader's {"value": bool}."""
    if "value" in answer:
        raise InvalidAnswer(CHOICE_OR_VALUE)
    choice = answer["choice"]
    rows = _rows_by_item_id(question, student_id)
    row = rows.get(choice) if isinstance(choice, str) else None
    if row is None:
        raise InvalidAnswer(CHOOSE_TRUE_OR_FALSE)
    return {"value": row.text.strip().lower() == "true"}


def grader_input(*, question: Question, answer, student_id: int):
    """The answer with the ids the student was shown replaced by what the grader reads."""
    _refuse_too_long(answer)
    if question.kind == QuestionKind.TRUE_FALSE and isinstance(answer, dict) and "choice" in answer:
        return _true_false(question, answer, student_id)
    field = _ITEM_FIELDS.get(question.kind)
    given = answer.get(field) if field and isinstance(answer, dict) else None
    if not isinstance(given, (list, dict)):
        return answer
    rows = {shown: row.id for shown, row in _rows_by_item_id(question, student_id).items()}

    def row_id(value) -> int:
        if not isinstance(value, str) or value not in rows:
            raise InvalidAnswer(UNKNOWN_ITEM_ID)
        return rows[value]

    if question.kind == QuestionKind.MATCHING and isinstance(given, dict):
        return {**answer, field: {left: row_id(right) for left, right in given.items()}}
    if question.kind != QuestionKind.MATCHING and isinstance(given, list):
        return {**answer, field: [row_id(value) for value in given]}
    return answer


def sent_as(*, question: Question, logged, student_id: int):
    """A logged answer (row ids) as the student sent it, in the item ids they were shown: what a
    retry of it sends, still when its rows have since left the answer key. True/false, logged as
    its value, stays as logged."""
    field = _ITEM_FIELDS.get(question.kind)
    given = logged.get(field) if field and isinstance(logged, dict) else None

    def shown(row_id):
        if not isinstance(row_id, int):
            return row_id
        return item_id(question_id=question.id, answer_id=row_id, student_id=student_id)

    if isinstance(given, dict):
        return {**logged, field: {left: shown(right) for left, right in given.items()}}
    if isinstance(given, list):
        return {**logged, field: [shown(value) for value in given]}
    return logged
