"""The study form's fields as the answer a student sends (questions.answer_input reads it)."""

from questions.grading import InvalidAnswer
from questions.models import QuestionKind

GIVE_A_NUMBER = "Give a number, for example 1968 or 2.5."


def _prefixed(data, prefix: str, *, keep_empty: bool) -> dict:
    return {
        key.removeprefix(prefix): value
        for key, value in data.items()
        if key.startswith(prefix) and (keep_empty or value)
    }


def parse_answer(kind: str, data) -> tuple[dict | None, int | None]:
    """(answer, flashcard rating) from the study form's fields; choices and items by the ids
    shown, true/false by the id of the choice picked."""
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
            raw = data.get("number", "").strip().replace(",", ".").replace(" ", "")
            try:
                return {"value": float(raw)}, None
            except ValueError:
                raise InvalidAnswer(GIVE_A_NUMBER) from None
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
