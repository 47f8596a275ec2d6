"""The question editor's answer rows and a question's answer key, both ways.

A row's "credit" is Moodle's fraction in percent: blank means the usual (full credit for a right
row, none for a wrong one; several right choices share it). Below 100 on an accepted answer or
value makes it a partly-right variant, as GIFT's `%50%` and the set format's `fraction` do.
"""

from questions.models import Question, QuestionKind

FULL_CREDIT = 100.0
# Kinds whose rows all count as right unless a credit below 100 says partly right.
_CREDITED_VARIANTS = (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL)


def _credit(fraction: float) -> float:
    return round(fraction * 100, 3)


def answer_initial(question: Question | None) -> list[dict]:
    """The editor's rows for a saved question's answer key."""
    if question is None or question.kind == QuestionKind.TRUE_FALSE:
        return []
    return [
        {
            "text": answer.text,
            "match_text": answer.match_text,
            "is_correct": answer.is_correct,
            "credit": _credit(answer.fraction)
            if _credit(answer.fraction) != _usual_credit(question, answer)
            else None,
            "feedback": answer.feedback,
            "gap": answer.gap,
            "number": answer.number,
            "tolerance": answer.tolerance,
            "is_choice": answer.is_choice,
        }
        for answer in question.answers.all()
    ]


def _usual_credit(question: Question, answer) -> float:
    """What a blank credit would give this row, so that only a chosen credit is shown."""
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        right = sum(1 for other in question.answers.all() if other.is_correct) or 1
        return _credit(round(1 / right, 5)) if answer.is_correct else 0.0
    return FULL_CREDIT if answer.is_correct else 0.0


def answer_rows(kind: str, *, true_is_right: bool, filled: list[dict]) -> list[dict]:
    """The answer key from the rows the teacher filled in (cleaned data), for the kind."""
    if kind == QuestionKind.TRUE_FALSE:
        return [
            {"text": "True", "is_correct": true_is_right, "fraction": float(true_is_right)},
            {
                "text": "False",
                "is_correct": not true_is_right,
                "fraction": float(not true_is_right),
            },
        ]
    if kind == QuestionKind.MULTIPLE_CHOICE:
        right = sum(1 for data in filled if data["is_correct"]) or 1
        return [
            {
                "text": data["text"].strip(),
                "is_correct": data["is_correct"],
                "fraction": _fraction(
                    data, usual=round(1 / right, 5) if data["is_correct"] else 0.0
                ),
                "feedback": (data.get("feedback") or "").strip(),
            }
            for data in filled
        ]
    rows = []
    for data in filled:
        row = {"text": (data["text"] or "").strip(), "is_correct": True, "fraction": 1.0}
        if kind in _CREDITED_VARIANTS:
            row["fraction"] = _fraction(data, usual=1.0)
            row["is_correct"] = row["fraction"] >= 1
            row["feedback"] = (data.get("feedback") or "").strip()
        if kind == QuestionKind.NUMERICAL:
            row["number"] = data["number"]
            row["tolerance"] = data["tolerance"] or 0.0
            if not row["text"] and data["number"] is not None:
                row["text"] = f"{data['number']:g}"
        elif kind == QuestionKind.CLOZE:
            row["gap"] = data["gap"]
            if data.get("is_choice"):  # an option of a drop-down gap: right only if ticked
                right_option = bool(data["is_correct"])
                row.update(is_choice=True, is_correct=right_option, fraction=float(right_option))
        elif kind == QuestionKind.MATCHING:
            row["match_text"] = (data["match_text"] or "").strip()
        rows.append(row)
    return rows


def _fraction(data: dict, *, usual: float) -> float:
    credit = data.get("credit")
    return usual if credit is None else round(credit / 100, 5)


def nothing_typed(data, *, prefix: str) -> bool:
    """The editor's fields hold no prompt, title or answer yet (true or false counts as one)."""
    answer_fields = ("text", "match_text", "number", "feedback")
    typed = [
        value
        for key, value in data.items()
        if key in ("title", "prompt", "true_false_answer")
        or (key.startswith(f"{prefix}-") and key.rsplit("-", 1)[-1] in answer_fields)
    ]
    return not any(value.strip() for value in typed)
