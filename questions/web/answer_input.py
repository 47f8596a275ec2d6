"""The study form's fields as the grading engine's answer shapes, for the study page and the
question editor's preview: one reading of what a student (or a teacher trying a question) typed.
"""

from questions.grading import AnswerKey, Grade, InvalidAnswer, KeyItem, grade
from questions.models import QuestionKind

# The kinds whose answer is typed: the editor's preview grades what the teacher types in them.
TYPED_KINDS = (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL, QuestionKind.CLOZE)


def parse_answer(kind: str, data) -> tuple[dict | None, int | None]:
    """The engine's answer shape from the study form's fields: (answer, flashcard rating)."""
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
            gaps = {
                key.removeprefix("gap_"): value
                for key, value in data.items()
                if key.startswith("gap_")
            }
            return {"gaps": gaps}, None
        case QuestionKind.MATCHING:
            pairs = {
                key.removeprefix("pair_"): value
                for key, value in data.items()
                if key.startswith("pair_") and value
            }
            return {"pairs": pairs}, None
        case QuestionKind.ORDERING:
            return {"order": [v for v in data.getlist("order") if v]}, None
    raise InvalidAnswer(f"Unknown question type {kind!r}.")


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
