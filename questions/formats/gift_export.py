"""Writing a set as Moodle GIFT that Moodle imports and gift.read_gift reads back to the same
questions: Moodle's escapes, weights and feedback on each answer line, ids and topics in `//`
comments, and warnings for what GIFT cannot hold (a source text, ordering questions, a cloze
of several gaps).
"""

from questions.formats.common import (
    grades_moodle_refuses,
    looks_like_html,
    number_text,
)
from questions.formats.gift_answers import ESCAPABLE
from questions.formats.spec import (
    AnswerSpec,
    QuestionSpec,
    SetSpec,
    Written,
)
from questions.models.banks import QuestionKind

GIFT_NO_SOURCE = "GIFT has no place for the source text and passages; they were left out."
GIFT_SKIPPED = (
    "Question {label}: GIFT has no ordering questions; it was left out. Export the set as "
    "Moodle XML to keep it (as Moodle's ordering question)."
)
GIFT_MULTI_GAP = (
    "Question {label}: GIFT holds one gap per question; this cloze has several and was left out. "
    "Export the set as Moodle XML to keep it (as Moodle's embedded answers)."
)


def _comment_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("]", "\\]")


def _escape(text: str) -> str:
    """Moodle's repchar: the reserved characters escaped, line breaks as \\n."""
    text = text.replace("\\", "\\\\")
    for char in ESCAPABLE:
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _weighted(prefix: str, answer: AnswerSpec, default: float, text: str) -> str:
    """One answer line: its prefix, its weight unless it is the default, the already escaped
    `text`, and its feedback (never passed through str.format: texts hold braces)."""
    weight = ""
    if answer.fraction != default:
        percent = round(answer.fraction * 100, 5)
        weight = f"%{int(percent) if percent.is_integer() else percent}%"
    feedback = f"#{_escape(answer.feedback)}" if answer.feedback else ""
    return f"{prefix}{weight}{text}{feedback}"


def _answer_lines(question: QuestionSpec) -> list[str]:
    answers = question.answers
    choice_gap = question.kind == QuestionKind.CLOZE and any(a.is_choice for a in answers)
    match question.kind:
        case QuestionKind.FLASHCARD | QuestionKind.SHORT_ANSWER | QuestionKind.CLOZE if (
            not choice_gap
        ):
            return [_weighted("=", a, 1.0, _escape(a.text)) for a in answers]
        case QuestionKind.MULTIPLE_CHOICE | QuestionKind.CLOZE:
            # A cloze whose one gap is chosen from a list is GIFT's missing-word choice.
            correct = [a for a in answers if a.is_correct]
            single = bool(correct) and all(a.fraction == 1 for a in correct)
            lines = []
            for answer in answers:
                text = _escape(answer.text)
                if single and answer.is_correct:
                    lines.append(_weighted("=", answer, 1.0, text))
                else:
                    lines.append(_weighted("~", answer, 0.0, text))
            return lines
        case QuestionKind.TRUE_FALSE:
            by_value = {a.text.strip().lower() == "true": a for a in answers}
            truth = next(value for value, a in by_value.items() if a.is_correct)
            right, wrong = by_value[truth].feedback, by_value[not truth].feedback
            line = "TRUE" if truth else "FALSE"
            if right:
                line += f"#{_escape(wrong)}#{_escape(right)}"
            elif wrong:
                line += f"#{_escape(wrong)}"
            return [line]
        case QuestionKind.NUMERICAL:
            lines = []
            # "Any other answer" (~#feedback) must come last in the block.
            for answer in sorted(answers, key=lambda answer: answer.number is None):
                if answer.number is None:
                    lines.append(_weighted("~", answer, 0.0, ""))
                    continue
                value = f"{number_text(answer.number)}:{number_text(answer.tolerance or 0)}"
                lines.append(_weighted("=", answer, 1.0, value))
            lines[0] = "#" + lines[0]
            return lines
        case QuestionKind.MATCHING:
            return [f"={_escape(a.text)} -> {_escape(a.match_text)}" for a in answers]
    raise AssertionError(question.kind)


def _format_marker(text: str) -> str:
    """Always written, so a text that starts with // or :: still reads as the question."""
    return "[html]" if looks_like_html(text) else "[moodle]"


def write_gift(spec: SetSpec) -> Written:
    """The set as GIFT that Moodle imports and read_gift reads back to the same questions."""
    warnings = [GIFT_NO_SOURCE] if spec.source else []
    blocks = [f"// quizsite-set: {spec.external_id}" if spec.external_id else ""]
    blocks[0] += f"\n// quizsite-title: {spec.title}"
    if spec.description:
        blocks[0] += f"\n// quizsite-description: {' '.join(spec.description.split())}"
    blocks[0] = blocks[0].strip()
    for number, question in enumerate(spec.questions, start=1):
        label = question.external_id or str(number)
        if refused := grades_moodle_refuses(question, label=label):
            warnings.append(refused)
        if question.kind == QuestionKind.ORDERING:
            warnings.append(GIFT_SKIPPED.format(label=label))
            continue
        gaps = {answer.gap for answer in question.answers}
        if question.kind == QuestionKind.CLOZE and len(gaps) != 1:
            warnings.append(GIFT_MULTI_GAP.format(label=label))
            continue
        comment = []
        if question.external_id:
            comment.append(f"[id:{_comment_escape(question.external_id)}]")
        comment += [
            f"[tag:{_comment_escape(spec.topics.get(slug, slug))}]" for slug in question.topics
        ]
        if question.kind in (QuestionKind.FLASHCARD, QuestionKind.CLOZE):
            comment.append(f"[quizsite-type:{question.kind}]")
        lines = [f"// {' '.join(comment)}"] if comment else []
        head = f"::{_escape(question.title)}::" if question.title else ""
        head += _format_marker(question.prompt)
        answers = "\n".join(_answer_lines(question))
        if question.explanation:
            answers += f"\n####{_escape(question.explanation)}"
        if question.kind == QuestionKind.CLOZE:
            before, _, after = question.prompt.partition(f"{{{{{gaps.pop()}}}}}")
            lines.append(f"{head}{_escape(before)}{{\n{answers}\n}}{_escape(after)}")
        else:
            lines.append(f"{head}{_escape(question.prompt)}{{\n{answers}\n}}")
        blocks.append("\n".join(lines))
    return Written(("\n\n".join(blocks) + "\n").encode("utf-8"), warnings)
