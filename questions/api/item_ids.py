"""Opaque ids for matching right sides and ordering items shown before answering.

The engine names both by their answer row's id. A matching pair's right side then has the id
of its left side, and ordering items are created in their right order, so their ids sort into
the answer. A client could read the answer from the ids alone. The API therefore shows those
items under a keyed hash of (question, answer row) and maps them back when an answer arrives.
"""

import hashlib
import hmac

from django.conf import settings

from questions.models import Question, QuestionKind

OPAQUE_LENGTH = 16


def opaque_id(*, question_id: int, answer_id: int) -> str:
    message = f"quizsite-item:{question_id}:{answer_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[
        :OPAQUE_LENGTH
    ]


def hide_item_ids(view: dict) -> dict:
    """A student view with opaque ids for matching right sides and ordering items."""
    question_id = view["id"]
    for name in ("right", "items"):
        if name in view:
            view[name] = [
                {**item, "id": opaque_id(question_id=question_id, answer_id=item["id"])}
                for item in view[name]
            ]
    return view


UNKNOWN_ITEM_ID = (
    "Use the item ids the study queue showed for this question (strings such as "
    "'3f9a…'); other ids are not accepted for matching and ordering answers."
)


class UnknownItemId(ValueError):
    pass


def reveal_item_ids(*, question: Question, answer):
    """The answer with opaque ids replaced by answer row ids, as the engine grades it.

    Only the opaque ids are accepted: a raw row id would let a client pair each left side
    with the right side of the same id, or sort items by id, without knowing the answer.
    """
    if not isinstance(answer, dict) or question.kind not in (
        QuestionKind.MATCHING,
        QuestionKind.ORDERING,
    ):
        return answer
    real = {
        opaque_id(question_id=question.pk, answer_id=row.pk): row.pk
        for row in question.answers.all()
    }

    def to_row_id(item):
        if not isinstance(item, str) or item not in real:
            raise UnknownItemId(UNKNOWN_ITEM_ID)
        return real[item]

    if question.kind == QuestionKind.MATCHING and isinstance(answer.get("pairs"), dict):
        return {
            **answer,
            "pairs": {left: to_row_id(right) for left, right in answer["pairs"].items()},
        }
    if question.kind == QuestionKind.ORDERING and isinstance(answer.get("order"), list):
        return {**answer, "order": [to_row_id(item) for item in answer["order"]]}
    return answer
