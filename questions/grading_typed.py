"""Grading typed answers: short answers, numbers and cloze gaps. Pure, no ORM.

The text rule is questions.typed_answers.judge; numbers are read by questions.answer_values.
See questions.grading for the scale.
"""

import math
import re
from collections.abc import Mapping

from questions.answer_values import parse_number, unit_is_asked
from questions.formats.common import plain_text
from questions.grading_types import (
    NEEDS_GAPS,
    NEEDS_NUMBER,
    NEEDS_TEXT,
    NOT_THE_RIGHT_OPTION,
    NOTHING_CHOSEN_IN_GAP,
    NOTHING_IN_GAPS,
    NOTHING_NUMBER,
    NOTHING_TYPED,
    UNKNOWN_GAP,
    AnswerKey,
    InvalidAnswer,
    KeyItem,
    Outcome,
    PartResult,
)
from questions.typed_answers import EXACT, TYPO, TextVerdict, judge, normalize, vocabulary_of
from questions.validation import cloze_gaps

# The possessive `'s` of "Johnson's" is not a word of the prompt (nor a unit it asks for).
_POSSESSIVE = re.compile(r"['’]s\b")
MAX_WHOLE_NUMBER = 10**300


def _vocabulary(key: AnswerKey) -> frozenset[str]:
    texts = [key.prompt, *(item.text for item in key.items), *(i.match_text for i in key.items)]
    return vocabulary_of(texts)


def grade_short_answer(key: AnswerKey, answer: Mapping) -> Outcome:
    text = answer.get("text")
    if not isinstance(text, str):
        raise InvalidAnswer(NEEDS_TEXT)
    if not normalize(text):
        raise InvalidAnswer(NOTHING_TYPED)
    accepted = [item.text for item in key.items if item.is_correct]
    verdict = judge(text, accepted, vocabulary=_vocabulary(key))
    part = PartResult(
        part="text",
        is_correct=verdict.accepted,
        given=text,
        expected=accepted[0],
        reason=verdict.reason,
    )
    if not verdict.accepted:
        # A variant with partial credit (fraction between 0 and 1) is partly right.
        partial = [item for item in key.items if not item.is_correct and item.fraction > 0]
        for item in partial:
            if judge(text, [item.text], vocabulary=_vocabulary(key)).match == EXACT:
                credit = min(1.0, item.fraction)
                return Outcome(False, credit, [part], partly=True)
        return Outcome(False, 0.0, [part], verdict=verdict.reason)
    return Outcome(True, 1.0, [part], partly=verdict.match == TYPO, verdict=verdict.reason)


def typed_number(value, *, prompt: str) -> tuple[float, str]:
    """A numerical answer as (number, "") or, with a unit the prompt does not name,
    (number, why it is wrong). `value` is a JSON number or the text typed in the box."""
    if isinstance(value, str):
        if not value.strip():
            raise InvalidAnswer(NOTHING_NUMBER)
        typed = parse_number(value)
        if typed is None:
            raise InvalidAnswer(NEEDS_NUMBER)
        value = typed.value
        asked = normalize(_POSSESSIVE.sub("", prompt)).split()
        if typed.unit and not unit_is_asked(typed.unit, prompt_words=asked):
            return value, f"wrong: the question does not ask in “{typed.unit}”"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidAnswer(NEEDS_NUMBER)
    if isinstance(value, int) and abs(value) > MAX_WHOLE_NUMBER:
        raise InvalidAnswer(NEEDS_NUMBER)  # beyond a float (JSON allows 10**400)
    if not math.isfinite(value):
        raise InvalidAnswer(NEEDS_NUMBER)
    return value, ""


def grade_numerical(key: AnswerKey, answer: Mapping) -> Outcome:
    value, wrong_unit = typed_number(answer.get("value"), prompt=key.prompt)
    best = 0.0
    right = False
    for item in key.items:
        if wrong_unit or item.number is None or not _within(value, item.number, item.tolerance):
            continue
        if item.is_correct:
            right = True
        best = max(best, item.fraction)
    expected = next((item.number for item in key.items if item.is_correct), None)
    verdict = wrong_unit or "wrong: a different number"
    part = PartResult(part="value", is_correct=right, given=value, expected=expected)
    if right:
        return Outcome(True, 1.0, [part])
    credit = max(0.0, min(1.0, best))
    if credit > 0:
        verdict = "partly right: close to the number"
    return Outcome(False, credit, [part], partly=credit > 0, verdict=verdict)


def grade_cloze(key: AnswerKey, answer: Mapping) -> Outcome:
    given = answer.get("gaps")
    if not isinstance(given, Mapping) or not all(isinstance(v, str) for v in given.values()):
        raise InvalidAnswer(NEEDS_GAPS)
    gaps = cloze_gaps(key.prompt)
    if any(str(name) not in {str(gap) for gap in gaps} for name in given):
        raise InvalidAnswer(UNKNOWN_GAP)
    if not any(normalize(text) for text in given.values()):
        raise InvalidAnswer(NOTHING_IN_GAPS)
    vocabulary = _vocabulary(key)
    parts = []
    matches = []
    for gap in gaps:
        text = given.get(str(gap), "")
        accepted = [item.text for item in key.items if item.gap == gap and item.is_correct]
        options = [item for item in key.items if item.gap == gap and item.is_choice]
        if options:
            verdict = _choice_gap_verdict(text, options)
        else:
            verdict = judge(text, accepted, vocabulary=vocabulary)
        matches.append(verdict.match)
        parts.append(
            PartResult(
                part=f"gap {gap}",
                is_correct=verdict.accepted,
                given=text,
                expected=accepted[0] if accepted else None,
                reason=verdict.reason,
            )
        )
    right = sum(part.is_correct for part in parts)
    all_right = right == len(gaps)
    typos = TYPO in matches
    explained = [f"{part.part}: {part.reason}" for part in parts if part.reason != "right"]
    return Outcome(
        all_right,
        right / len(gaps),
        parts,
        partly=(all_right and typos) or 0 < right < len(gaps),
        verdict="; ".join(explained),
    )


def _choice_gap_verdict(given: str, options: list[KeyItem]) -> TextVerdict:
    """A gap chosen from a list: right only when the option given is a right one (no typo
    allowance, the student chose rather than typed); an option not offered is wrong."""
    if not normalize(given):
        return TextVerdict(None, NOTHING_CHOSEN_IN_GAP)
    chosen = normalize(given)
    right = any(item.is_correct and normalize(plain_text(item.text)) == chosen for item in options)
    return TextVerdict(EXACT, "right") if right else TextVerdict(None, NOT_THE_RIGHT_OPTION)


def _within(value: float, number: float, tolerance: float | None) -> bool:
    """Whether `value` is `number` give or take `tolerance`, the bounds included: a float's
    rounding (1.3 - 1.2 is 0.10000000000000009) does not push a bound out."""
    slack = 1e-12 * max(abs(value), abs(number))  # a few units in the last place, relative
    return abs(value - number) <= (tolerance or 0) + slack
