"""What the study and preview templates need beyond the engine's student_view/answer_view."""

from django.utils.text import Truncator

from questions.formats.common import plain_text, render_markup
from questions.models import Question, QuestionKind, Rating
from questions.presentation import answer_view, student_view
from questions.validation import GAP_PATTERN


def cloze_segments(prompt: str) -> list[dict]:
    """The prompt cut into text and gaps, so a template can put an input in each gap."""
    segments: list[dict] = []
    position = 0
    for match in GAP_PATTERN.finditer(prompt):
        if match.start() > position:
            segments.append({"text": prompt[position : match.start()]})
        segments.append({"gap": int(match.group(1))})
        position = match.end()
    if position < len(prompt):
        segments.append({"text": prompt[position:]})
    return segments


GAP_SHOWN = "____"
LABEL_CHARS = 140


def question_text(question: Question, *, limit: int = LABEL_CHARS) -> str:
    """A question in one line of plain text, for a chart or a table: its title, or its prompt
    without markup and with each cloze gap drawn as a blank."""
    text = question.title or GAP_PATTERN.sub(GAP_SHOWN, plain_text(question.prompt))
    return Truncator(" ".join(text.split())).chars(limit)


def student_question(question: Question, *, student_id: int) -> dict:
    """The engine's student view for this student, with the prompt pre-cut for cloze gaps."""
    view = student_view(question, student_id=student_id)
    if question.kind == QuestionKind.CLOZE:
        view["segments"] = cloze_segments(question.prompt)
        for segment in view["segments"]:
            if "gap" in segment:
                segment["choices"] = view["gap_choices"].get(str(segment["gap"]))
    return view


def right_answer(question: Question, *, student_id: int) -> dict:
    view = answer_view(question, student_id=student_id)
    if question.kind == QuestionKind.CLOZE:
        view["segments"] = cloze_segments(question.prompt)
        view["gap_answers"] = [
            {"gap": int(gap), "accepted": accepted} for gap, accepted in view["gaps"].items()
        ]
    return view


def is_htmx(request) -> bool:
    """The request came from htmx and wants a fragment, not a whole page."""
    return request.headers.get("HX-Request") == "true"


RIGHT, PARTLY, WRONG, NO_MARK = "right", "partly", "wrong", ""
# The heading over the marks, in words that agree with them.
RIGHT_VERDICT, NEARLY_VERDICT, PARTLY_VERDICT, WRONG_VERDICT = (
    "Right!",
    "Right, nearly",
    "Partly right",
    "Not quite",
)


def _single_mark(part, grade) -> str:
    """The mark of a one-part answer: partly right when it earned credit without being right."""
    if part and part.is_correct:
        return RIGHT
    return PARTLY if grade.score else WRONG


def verdict(*, is_correct: bool | None, rating: int, lines: list[dict]) -> str:
    """Right, nearly right (a typo, rated Hard), partly right (some ✓ among the marks), or not.

    An ordering with every place wrong earns some credit for pairs kept in order, but with no
    ✓ beside any line it reads "Not quite", as its marks do."""
    if is_correct:
        return NEARLY_VERDICT if rating == Rating.HARD else RIGHT_VERDICT
    if any(line["relevant"] and line["mark"] in (RIGHT, PARTLY) for line in lines):
        return PARTLY_VERDICT
    return WRONG_VERDICT


def _number(value) -> str:
    return "" if value is None else f"{value:g}"


def feedback_lines(*, kind: str, right: dict, grade, given: dict) -> list[dict]:
    """One line per part of the answer: what the student gave, what was right, and whether it matched.

    `given` is what the student typed, or for matching and ordering the stored text they picked,
    ready for the page (a stored text may hold imported markup; a typed one is escaped there)."""
    parts = {part.part: part for part in getattr(grade, "parts", ())}
    lines: list[dict] = []
    match kind:
        case QuestionKind.MULTIPLE_CHOICE | QuestionKind.TRUE_FALSE:
            chosen = {str(value) for value in given.get("choice", [])}
            # One right choice and a wrong pick with credit: the pick was partly right.
            single = sum(choice["is_correct"] for choice in right.get("choices", [])) == 1
            credited = single and not grade.is_correct and bool(grade.score)
            for choice in right.get("choices", []):
                picked = str(choice["id"]) in chosen
                if picked:
                    mark = RIGHT if choice["is_correct"] else PARTLY if credited else WRONG
                else:
                    mark = NO_MARK
                lines.append(
                    {
                        "label": choice["text"],
                        "given": "Your choice" if picked else "Not chosen",
                        "expected": "Right answer" if choice["is_correct"] else "",
                        "mark": mark,
                        # A choice's feedback speaks to whoever chose it ("Right — …").
                        "note": choice.get("feedback", "") if picked else "",
                        "relevant": picked or choice["is_correct"],
                    }
                )
        case QuestionKind.SHORT_ANSWER:
            part = parts.get("text")
            lines.append(
                {
                    "label": "Your answer",
                    "given": given.get("text", ""),
                    "expected": " · ".join(right.get("accepted", [])),
                    "mark": _single_mark(part, grade),
                    "relevant": True,
                }
            )
        case QuestionKind.NUMERICAL:
            part = parts.get("value")
            expected = " or ".join(
                _number(value["number"])
                + (f" ± {_number(value['tolerance'])}" if value["tolerance"] else "")
                for value in right.get("values", [])
            )
            lines.append(
                {
                    "label": "Your answer",
                    "given": given.get("number", ""),
                    "expected": expected,
                    "mark": _single_mark(part, grade),
                    "relevant": True,
                }
            )
        case QuestionKind.CLOZE:
            for gap, accepted in right.get("gaps", {}).items():
                part = parts.get(f"gap {gap}")
                lines.append(
                    {
                        "label": f"Gap {gap}",
                        "given": given.get(f"gap_{gap}", ""),
                        "expected": " · ".join(accepted),
                        "mark": RIGHT if part and part.is_correct else WRONG,
                        "relevant": True,
                    }
                )
        case QuestionKind.MATCHING:
            for pair in right.get("pairs", []):
                part = parts.get(f"pair {pair['left']['id']}")
                lines.append(
                    {
                        "label": pair["left"]["text"],
                        "given": render_markup((part.given if part else "") or "—", inline=True),
                        "expected": pair["right"]["text"],
                        "mark": RIGHT if part and part.is_correct else WRONG,
                        "relevant": True,
                    }
                )
        case QuestionKind.ORDERING:
            texts = {str(item["id"]): item["text"] for item in right.get("order", [])}
            order = [str(value) for value in given.get("order", [])]
            for place, item in enumerate(right.get("order", []), start=1):
                part = parts.get(f"place {place}")
                given_id = order[place - 1] if place <= len(order) else ""
                lines.append(
                    {
                        "label": f"{place}.",
                        "given": render_markup(texts.get(given_id, "—"), inline=True),
                        "expected": item["text"],
                        "mark": RIGHT if part and part.is_correct else WRONG,
                        "relevant": True,
                    }
                )
    return lines
