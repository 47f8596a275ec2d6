"""The study form's fields as the grading engine's answer shapes, for the study page and the
question editor's preview: one reading of what a student (or a teacher trying a question) typed.
"""

from questions.grading import AnswerKey, Grade, InvalidAnswer, KeyItem, grade
from questions.models import QuestionKind

# The kinds whose answer is typed: the editor's preview grades what the teacher types in them.
TYPED_KINDS = (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL, QuestionKind.CLOZE)


def _prefixed(data, prefix: str, *, keep_empty: bool) -> dict:
    return {
        key.removeprefix(prefix): value
        for key, value in data.items()
        if key.startswith(prefix) and (keep_empty or value)
    }


def parse_answer(kind: str, data) -> tuple[dict | None, int | None]:
    """(answer, flashcard rating) from the study form's fields; choices and items by the ids
    shown, true/false by the id of the choice picked (questions.answer_input reads them)."""
    match kind:
        case QuestionKind.FLASHCARD:
            rating = data.get("rating", "")
            return None, int(rating) if rating.isdigit() else None
        case QuestionKind.MULTIPLE_CHOICE:
            return {"choices": [v for v in data.getlist("choice") if v]}, None
        case QuestionKind.TRUE_FALSE:
            return {"choice": data.get("choice", "")}, None
        case QuestionKind.SHORT_ANSWER:
            return {"text": data.get("text", "")}, None
        case QuestionKind.NUMERICAL:
            # Read by grading, as the API's typed values are: "1,968", "3 days", "three".
            return {"value": data.get("number", "")}, None
        case QuestionKind.CLOZE:
            return {"gaps": _prefixed(data, "gap_", keep_empty=True)}, None
        case QuestionKind.MATCHING:
            return {"pairs": _prefixed(data, "pair_", keep_empty=False)}, None
        case QuestionKind.ORDERING:
            return {"order": [v for v in data.getlist("order") if v]}, None
    raise InvalidAnswer(f"Unknown question type {kind!r}.")


def given_fields(data) -> dict:
    """What the student sent, to keep it in the form after an error and show it in feedback."""
    return {
        key: data.getlist(key) if key in ("choice", "order") else value
        for key, value in data.items()
    }


def preview_grade(*, kind: str, prompt: str, rows: list[dict], data) -> Grade | None:
    """How the unsaved question (its answer rows as the editor has them) grades what the
    teacher typed into the preview; None when nothing is typed or the kind is not typed."""
    if kind not in TYPED_KINDS:
        return None
    answer, _ = parse_answer(kind, data)
    key = AnswerKey(
        prompt=prompt,
        items=tuple(
            KeyItem(
                id=index,
                text=row.get("text", ""),
                is_correct=row.get("is_correct", False),
                fraction=row.get("fraction", 0.0),
                gap=row.get("gap"),
                number=row.get("number"),
                tolerance=row.get("tolerance"),
                position=index,
                is_choice=row.get("is_choice", False),
            )
            for index, row in enumerate(rows, start=1)
        ),
    )
    try:
        return grade(kind=kind, answer_key=key, answer=answer, response_ms=0)
    except InvalidAnswer:
        return None
