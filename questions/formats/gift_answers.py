"""Reading a GIFT answer block `{…}`: Moodle's escapes and text-format markers, weights,
feedback, and the answers of each question type (multiple choice, matching, true/false, short
answer, numerical), with the problems that refuse a block; gift reads the file around it and
gift_export writes blocks back with the same escapes.
"""

import re

from questions.formats.common import (
    clean_html,
    html_to_text,
    looks_like_html,
    markdown_to_html,
    number_text,
)
from questions.formats.spec import (
    AnswerSpec,
)
from questions.models.banks import QuestionKind
from questions.validation import ANY_OTHER_ANSWER

ESCAPABLE = ":#={}~"
PLACEHOLDER_BASE = 0xE000  # private-use characters stand in for escaped ones while parsing
BACKSLASH = chr(PLACEHOLDER_BASE + ord("\\"))
ESCAPED_NEWLINE = chr(PLACEHOLDER_BASE + ord("\n"))
WEIGHT = re.compile(r"^%(-?)(\d{1,3}(?:\.\d*)?)%")
TEXT_FORMATS = {"html", "markdown", "plain", "moodle"}
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

BAD_WEIGHT = (
    "Bad weight {weight!r}: write a percentage from -100 to 100 between two % signs, "
    "as in ~%50%Answer."
)
EQUALS_WEIGHT = "A partial-credit choice is written ~%50%Answer, not =%50%Answer."
TOO_FEW_CHOICES = "A multiple-choice question needs at least two choices."
NO_ANSWER = "The answer block has no answer."
NOT_A_NUMBER = "{value!r} is not a number; write 1968, 1968:2 (give or take 2) or 1966..1970."
MATCH_WITHOUT_ARROW = "Every matching pair is written =left -> right; {pair!r} has no '->'."


def escape_pre(text: str) -> str:
    text = text.replace("\\\\", BACKSLASH)
    for char in ESCAPABLE:
        text = text.replace("\\" + char, chr(PLACEHOLDER_BASE + ord(char)))
    return text.replace("\\n", ESCAPED_NEWLINE)


def escape_post(text: str) -> str:
    for char in ESCAPABLE + "\n\\":
        text = text.replace(chr(PLACEHOLDER_BASE + ord(char)), char)
    return text


def with_format(text: str, default: str) -> tuple[str, str]:
    """Moodle's parse_text_with_format: a leading [format] marker, then the text."""
    text_format = default
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end].lower() if end > 0 else ""
        if name in TEXT_FORMATS:
            text_format = name
            text = text[end + 1 :]
    return escape_post(text).strip(), text_format


def markup(text: str, text_format: str) -> str:
    """How a text of this format is kept: HTML cleaned to safe markup, anything else as is."""
    if text_format == "html" or (text_format == "moodle" and looks_like_html(text)):
        return clean_html(text)
    if text_format == "markdown" and text:
        return markdown_to_html(text)
    return text


def plain(text: str) -> str:
    """An answer a student types: plain text whatever the format."""
    return html_to_text(text) if looks_like_html(text) else text


class Refuse(Exception):
    """A problem with a question; `fragment` is the text at fault, to find its line."""

    def __init__(self, message: str, *, line: int | None = None, fragment: str = ""):
        self.message = message
        self.line = line
        self.fragment = fragment


def _weight(answer: str) -> tuple[float | None, str]:
    """(fraction, rest) for an answer starting with %n%; (None, answer) when it has none."""
    if not answer.startswith("%"):
        return None, answer
    match = WEIGHT.match(answer)
    if not match:
        end = answer.find("%", 1)
        weight = answer[: end + 1] if end > 0 else answer
        raise Refuse(BAD_WEIGHT.format(weight=escape_post(weight)), fragment=answer)
    value = float(match.group(2)) * (-1 if match.group(1) else 1)
    if not -100 <= value <= 100:
        raise Refuse(BAD_WEIGHT.format(weight=match.group(0)), fragment=answer)
    return value / 100, answer[match.end() :]


def _split_feedback(answer: str, text_format: str) -> tuple[str, str]:
    text, _, feedback = answer.partition("#")
    answer_text, _ = with_format(text.strip(), text_format)
    feedback_text, feedback_format = with_format(feedback.strip(), text_format)
    return answer_text, markup(feedback_text, feedback_format)


def _parts(answer_text: str, separator: str) -> list[str]:
    parts = answer_text.split(separator)
    if parts and not parts[0].strip():
        parts.pop(0)
    return [part.strip() for part in parts]


def _number(value: str) -> float:
    try:
        return float(escape_post(value).strip())
    except ValueError:
        message = NOT_A_NUMBER.format(value=escape_post(value).strip())
        raise Refuse(message, fragment=value.strip()) from None


def read_answers(kind: str, answer_text: str, text_format: str) -> list[AnswerSpec]:
    match kind:
        case QuestionKind.MULTIPLE_CHOICE:
            single = "=" in answer_text
            answers = []
            for part in _parts(answer_text.replace("=", "~="), "~"):
                if part.startswith("="):
                    if part[1:].lstrip().startswith("%"):
                        raise Refuse(EQUALS_WEIGHT, fragment=part)
                    fraction, rest = 1.0, part[1:]
                else:
                    weight, rest = _weight(part)
                    fraction = weight or 0.0
                text, feedback = _split_feedback(rest, text_format)
                answers.append(
                    AnswerSpec(
                        text=markup(text, text_format),
                        is_correct=fraction >= 1 if single else fraction > 0,
                        fraction=fraction,
                        feedback=feedback,
                    )
                )
            if len(answers) < 2:
                raise Refuse(TOO_FEW_CHOICES)
            return answers
        case QuestionKind.MATCHING:
            answers = []
            for part in _parts(answer_text, "="):
                if "->" not in part:
                    message = MATCH_WITHOUT_ARROW.format(pair=escape_post(part))
                    raise Refuse(message, fragment=part)
                left, _, right = part.partition("->")
                left_text, left_format = with_format(left.strip(), text_format)
                # `= -> Chat` is a right-hand answer that matches no left side: a distractor.
                answers.append(
                    AnswerSpec(
                        text=markup(left_text, left_format) if left_text else "",
                        match_text=escape_post(right).strip(),
                        is_correct=bool(left_text),
                        fraction=1 if left_text else 0,
                    )
                )
            return answers
        case QuestionKind.TRUE_FALSE:
            value, _, feedbacks = answer_text.partition("#")
            wrong, _, right = feedbacks.partition("#")
            wrong_text, wrong_format = with_format(wrong.strip(), text_format)
            right_text, right_format = with_format(right.strip(), text_format)
            truth = TRUE_FALSE[value.strip()]
            feedback = {
                truth: markup(right_text, right_format),
                not truth: markup(wrong_text, wrong_format),
            }
            return [
                AnswerSpec(
                    text=str(option),
                    is_correct=option == truth,
                    fraction=1.0 if option == truth else 0.0,
                    feedback=feedback[option],
                )
                for option in (True, False)
            ]
        case QuestionKind.SHORT_ANSWER:
            answers = []
            for part in _parts(answer_text, "="):
                weight, rest = _weight(part)
                fraction = 1.0 if weight is None else weight
                text, feedback = _split_feedback(rest, text_format)
                answers.append(
                    AnswerSpec(
                        text=text,
                        is_correct=fraction > 0,
                        fraction=fraction,
                        feedback=feedback,
                    )
                )
            if not answers:
                raise Refuse(NO_ANSWER)
            return answers
        case QuestionKind.NUMERICAL:
            body, _, other = answer_text[1:].partition("~")
            answers = []
            for part in _parts(body, "="):
                weight, rest = _weight(part)
                fraction = 1.0 if weight is None else weight
                value, feedback = _split_feedback(rest, text_format)
                if ".." in value[1:]:
                    low, _, high = value.partition("..")
                    minimum, maximum = _number(low), _number(high)
                    # As Moodle does; rounded so that 3.141..3.142 gives 3.1415 ± 0.0005.
                    number = float(f"{(minimum + maximum) / 2:.12g}")
                    tolerance = float(f"{maximum - number:.12g}")
                elif ":" in value[1:]:
                    written, _, margin = value.partition(":")
                    number, tolerance = _number(written), _number(margin)
                else:
                    number, tolerance = _number(value), 0.0
                answers.append(
                    AnswerSpec(
                        text=number_text(number),
                        number=number,
                        tolerance=abs(tolerance),
                        is_correct=fraction > 0,
                        fraction=fraction,
                        feedback=feedback,
                    )
                )
            if other:
                # `~#feedback`: Moodle's "any other answer", kept for its feedback.
                weight, rest = _weight(other.strip())
                _, feedback = _split_feedback(rest, text_format)
                answers.append(
                    AnswerSpec(text=ANY_OTHER_ANSWER, fraction=weight or 0.0, feedback=feedback)
                )
            if not answers:
                raise Refuse(NO_ANSWER)
            return answers
    raise AssertionError(kind)


def answer_kind(answer_text: str) -> str | None:
    """Moodle's order of tests for the type of a question from its answer block."""
    if answer_text == "":
        return None
    if answer_text.startswith("#"):
        return QuestionKind.NUMERICAL
    if "~" in answer_text:
        return QuestionKind.MULTIPLE_CHOICE
    if "=" in answer_text and "->" in answer_text:
        return QuestionKind.MATCHING
    if answer_text.partition("#")[0].strip() in TRUE_FALSE:
        return QuestionKind.TRUE_FALSE
    return QuestionKind.SHORT_ANSWER
