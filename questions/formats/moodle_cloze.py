"""Moodle's embedded answers (Cloze, qtype_multianswer), read from and written into a prompt:
`{1:SHORTANSWER:=Paris#Right~%50%Lutetia}`, `{1:NUMERICAL:=1968:0}`, `{1:MULTICHOICE:=a~b}`.
"""

import re

from questions.formats.common import clean_html, html_to_text
from questions.formats.spec import AnswerSpec, QuestionSpec
from questions.validation import ANY_OTHER_ANSWER
from questions.validation import GAP_PATTERN as GAP

CLOZE_CHOICES_TYPED = (
    "Line {line}: gap {gap} was a choice of several right answers (check boxes) in Moodle; it "
    "is kept as a typed answer accepting each right choice."
)
CLOZE_TOLERANCE_DROPPED = (
    "Line {line}: gap {gap} accepted numbers within a tolerance; quizsite gaps take the exact "
    "value."
)
# Moodle's embedded answers: {1:SHORTANSWER:=Paris#Right~%50%Lutetia}, also SA, MW, NM, MC…
EMBEDDED = re.compile(r"\{(?P<mark>\d*):(?P<type>[A-Z_]+):(?P<answers>(?:\\.|[^}\\])*)\}")
TYPED_GAPS = {"SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"}
NUMBER_GAPS = {"NUMERICAL", "NM"}
CHOICE_GAPS = {
    "MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH",
    "MULTICHOICE_S", "MCS", "MULTICHOICE_VS", "MCVS", "MULTICHOICE_HS", "MCHS",
}  # fmt: skip
"""Gaps with one right option, chosen from a drop-down or radio buttons."""


class GapRefused(ValueError):
    """An embedded answer Moodle refuses; nothing of the file is imported."""


def _split_unescaped(text: str, separator: str, maxsplit: int = 0) -> list[str]:
    """`text` split at each `separator` that a backslash does not escape."""
    parts: list[str] = []
    current = ""
    position = 0
    while position < len(text):
        char = text[position]
        if char == "\\":
            current += text[position : position + 2]
            position += 2
            continue
        if char == separator and not (maxsplit and len(parts) >= maxsplit):
            parts.append(current)
            current = ""
        else:
            current += char
        position += 1
    return [*parts, current]


def _unescape(text: str) -> str:
    """An embedded answer's text: `\\}`, `\\#`, `\\~`, `\\/`, `\\"` and `\\\\` are the characters."""
    return re.sub(r"\\(.)", r"\1", text)


def read_embedded(
    prompt: str, *, line: int | None, warnings: list[str]
) -> tuple[str, list[AnswerSpec]]:
    """A cloze prompt's embedded answers as gaps {{1}}, {{2}} … and their answers; GapRefused
    for what Moodle refuses. What the gaps cannot keep is added to `warnings`."""
    answers: list[AnswerSpec] = []
    gap = 0

    def replace(match: re.Match) -> str:
        nonlocal gap
        gap += 1
        gap_type = match.group("type")
        choices = gap_type not in TYPED_GAPS | NUMBER_GAPS
        if choices and gap_type not in CHOICE_GAPS:
            warnings.append(CLOZE_CHOICES_TYPED.format(line=line, gap=gap))
        parts = [p.strip() for p in _split_unescaped(match.group("answers"), "~") if p.strip()]
        _check_gap(gap, gap_type, parts, choices=choices)
        for part in parts:
            weight_match = GAP_WEIGHT.match(part)
            if gap_type in CHOICE_GAPS:
                # A drop-down or radio gap: every option is kept, the wrong ones too.
                answers.append(_choice_option(part, weight_match, gap))
                continue
            if not weight_match:
                continue
            fraction = 1.0 if part.startswith("=") else float(weight_match.group(1)) / 100
            if fraction <= 0:
                continue
            text, *feedback = _split_unescaped(part[weight_match.end() :], "#", maxsplit=1)
            if gap_type in NUMBER_GAPS and ":" in text:
                text, _, tolerance = text.partition(":")
                if tolerance.strip() not in ("", "0"):
                    warnings.append(CLOZE_TOLERANCE_DROPPED.format(line=line, gap=gap))
            answers.append(
                AnswerSpec(
                    text=html_to_text(_unescape(text)),
                    gap=gap,
                    is_correct=True,
                    fraction=fraction,
                    feedback=clean_html(_unescape("".join(feedback))),
                )
            )
        return f"{{{{{gap}}}}}"

    prompt = EMBEDDED.sub(replace, prompt)
    if not answers:
        raise GapRefused(NO_EMBEDDED_ANSWERS)
    return prompt, answers


NO_EMBEDDED_ANSWERS = (
    "An embedded-answers (cloze) question needs at least one embedded answer, such as "
    "{1:SHORTANSWER:=Paris}."
)
GAP_WEIGHT = re.compile(r"^(?:=|%(-?\d+(?:\.\d+)?)%)")
GAP_TOO_FEW_CHOICES = "Gap {gap} is a choice between answers, and needs at least 2 of them."
GAP_NO_FULL_MARKS = "Gap {gap}: one of its answers must have a score of 100%."
GAP_NOT_A_NUMBER = "Gap {gap}: {value!r} is not a number; a numerical gap takes numbers or '*'."


def _check_gap(gap: int, gap_type: str, parts: list[str], *, choices: bool) -> None:
    """What Moodle refuses in an embedded answer: a choice of fewer than two, no answer worth
    100%, a numerical answer that is not a number."""
    if choices and len(parts) < 2:
        raise GapRefused(GAP_TOO_FEW_CHOICES.format(gap=gap))
    weights = [GAP_WEIGHT.match(part) for part in parts]
    full = [
        part
        for part, weight in zip(parts, weights, strict=True)
        if weight and (part.startswith("=") or abs(float(weight.group(1)) - 100) < 0.00001)
    ]
    if not full and not gap_type.startswith(("MULTIRESPONSE", "MR")):
        raise GapRefused(GAP_NO_FULL_MARKS.format(gap=gap))
    if gap_type in NUMBER_GAPS:
        for part, weight in zip(parts, weights, strict=True):
            value = _split_unescaped(part[weight.end() if weight else 0 :], "#", maxsplit=1)[0]
            value = value.partition(":")[0].strip()
            try:
                float(value)
            except ValueError:
                if value != ANY_OTHER_ANSWER:
                    raise GapRefused(GAP_NOT_A_NUMBER.format(gap=gap, value=value)) from None


def _choice_option(part: str, weight: re.Match | None, gap: int) -> AnswerSpec:
    """One option of a choice gap: `=right#feedback`, `%50%partly#…` or `wrong#…`."""
    fraction = 0.0
    if weight:
        fraction = 1.0 if part.startswith("=") else float(weight.group(1)) / 100
    text, *feedback = _split_unescaped(part[weight.end() if weight else 0 :], "#", maxsplit=1)
    return AnswerSpec(
        text=html_to_text(_unescape(text)),
        gap=gap,
        is_correct=fraction >= 1,
        fraction=fraction,
        feedback=clean_html(_unescape("".join(feedback))),
        is_choice=True,
    )


EMBEDDED_SPECIAL = re.compile(r'([}#~/"\\])')


def percent(fraction: float) -> str:
    percent = round(float(fraction) * 100, 5)
    return str(int(percent)) if percent.is_integer() else str(percent)


def write_embedded(question: QuestionSpec) -> str:
    """A cloze prompt in Moodle's embedded-answers syntax, {1:SHORTANSWER:=Paris~%50%France}."""

    def gap(match: re.Match) -> str:
        parts = []
        options = [a for a in question.answers if a.gap == int(match.group(1))]
        for answer in options:
            text = EMBEDDED_SPECIAL.sub(r"\\\1", answer.text)
            weight = "=" if answer.fraction == 1 else f"%{percent(answer.fraction)}%"
            if answer.is_choice and answer.fraction == 0:
                weight = ""  # a wrong option
            feedback = EMBEDDED_SPECIAL.sub(r"\\\1", answer.feedback)
            parts.append(weight + text + (f"#{feedback}" if feedback else ""))
        gap_type = "MULTICHOICE" if any(a.is_choice for a in options) else "SHORTANSWER"
        return f"{{1:{gap_type}:" + "~".join(parts) + "}"

    return GAP.sub(gap, question.prompt)
