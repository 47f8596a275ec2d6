"""From a student's answer to an FSRS rating: one pure function, `grade()`, no ORM.

The rule:
- wrong → Again (1);
- partly right → Hard (2): a short answer or gap accepted only through typo tolerance, some but
  not all gaps or matching pairs right, an ordering one adjacent swap away from right, a
  multiple-choice answer with some right choices, a choice or value with partial credit;
- right → Good (3), or Easy (4) when answered quickly: within the question's reading budget,
  `QUICK_ANSWER_BASE_MS` plus `QUICK_ANSWER_MS_PER_WORD` for each word the student reads
  (the prompt and any choices, pairs or items shown), i.e. reading at 240 words a minute plus two
  seconds to answer;
- flashcard → the student's own rating.

Typed text is compared by `questions.typed_answers.judge` (what is the same answer, what is a
forgivable typo and what never is; an accepted text with `*` in it, Moodle's wildcard, accepts
any text in its place); typed numbers and dates are read by
`questions.answer_values`. Every grade carries a `verdict` saying why, e.g. "accepted: spelling
of “Harriman”" or "wrong: a different date".

An answer with nothing chosen or typed is not an answer: it is refused (InvalidAnswer), like a
malformed one, so that nothing is recorded.

A gap chosen from a list (a choice gap) is right only as one of its right options, without typos;
a matching distractor (a right side without a left) is only there to be chosen wrongly.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from questions.answer_values import parse_number, unit_is_asked
from questions.domain import QuestionKind, Rating
from questions.errors import DomainError
from questions.formats.common import plain_text
from questions.typed_answers import EXACT, TYPO, TextVerdict, judge, normalize, vocabulary_of
from questions.validation import cloze_gaps, is_distractor

AGAIN, HARD, GOOD, EASY = Rating

QUICK_ANSWER_BASE_MS = 2000
QUICK_ANSWER_MS_PER_WORD = 250

FLASHCARD = QuestionKind.FLASHCARD
MULTIPLE_CHOICE = QuestionKind.MULTIPLE_CHOICE
TRUE_FALSE = QuestionKind.TRUE_FALSE
SHORT_ANSWER = QuestionKind.SHORT_ANSWER
NUMERICAL = QuestionKind.NUMERICAL
CLOZE = QuestionKind.CLOZE
MATCHING = QuestionKind.MATCHING
ORDERING = QuestionKind.ORDERING

NEEDS_SELF_RATING = "Rate this flashcard yourself: give a rating from 1 (Again) to 4 (Easy)."
NEEDS_OBJECT = "Give the answer as a JSON object."
NEEDS_CHOICES = 'Give "choices" as a list of the ids of the choices you picked.'
UNKNOWN_CHOICE = "Some of the chosen ids are not choices of this question."
NEEDS_ONE_CHOICE = "This question has one right choice: pick exactly one."
NEEDS_BOOLEAN = 'Give "value" as true or false.'
NEEDS_TEXT = 'Give "text" as a string.'
NEEDS_NUMBER = 'Give a number, for example 1968, 2.5, "1,968", "3 days" or "three".'
NOTHING_CHOSEN = "Choose an answer first: nothing was chosen."
NOTHING_TYPED = "Type an answer first: nothing was typed."
NOTHING_NUMBER = "Type a number first: nothing was typed."
NOTHING_IN_GAPS = "Fill in at least one gap first: every gap is empty."
NOTHING_PAIRED = "Match at least one pair first: nothing was matched."
NEEDS_GAPS = 'Give "gaps" as an object from gap number to text, e.g. {"1": "Paris"}.'
UNKNOWN_GAP = "Some gaps are not gaps of this question."
NEEDS_PAIRS = 'Give "pairs" as an object from each left id to the id of its right side.'
UNKNOWN_PAIR = "Some ids in the pairs are not items of this question."
NEEDS_ORDER = 'Give "order" as a list of every item id, each once, in your order.'
NEEDS_RESPONSE_TIME = "The response time must be a whole number of milliseconds, 0 or more."
UNKNOWN_KIND = "Questions of this kind cannot be graded."
NOTHING_CHOSEN_IN_GAP = "wrong: nothing chosen"
NOT_THE_RIGHT_OPTION = "wrong: not the right option"


class InvalidAnswer(DomainError, ValueError):
    """The answer does not have the shape this kind of question needs."""


@dataclass(frozen=True)
class KeyItem:
    """One row of an answer key, as plain values (see questions.models.Answer)."""

    id: int
    text: str = ""
    match_text: str = ""
    is_correct: bool = False
    fraction: float = 0.0
    gap: int | None = None
    number: float | None = None
    tolerance: float | None = None
    position: int = 0
    is_choice: bool = False


@dataclass(frozen=True)
class AnswerKey:
    """What grading needs to know about a question: its prompt and its answer rows."""

    prompt: str
    items: tuple[KeyItem, ...]

    @classmethod
    def of(cls, question) -> "AnswerKey":
        """The key of a saved question (reads `question.answers`; prefetch it for many)."""
        return cls(
            prompt=question.prompt,
            items=tuple(
                KeyItem(
                    id=row.id,
                    text=row.text,
                    match_text=row.match_text,
                    is_correct=row.is_correct,
                    fraction=row.fraction,
                    gap=row.gap,
                    number=row.number,
                    tolerance=row.tolerance,
                    position=row.position,
                    is_choice=row.is_choice,
                )
                for row in question.answers.all()
            ),
        )


@dataclass(frozen=True)
class PartResult:
    """How one part of the answer went: a choice, a gap, a pair or an item's place."""

    part: str
    is_correct: bool
    given: object = None
    expected: object = None
    reason: str = ""


@dataclass(frozen=True)
class Grade:
    rating: int
    is_correct: bool | None
    score: float | None
    parts: tuple[PartResult, ...] = field(default=())
    # Why: "right", "accepted: spelling of “Harriman”", "wrong: a different date".
    verdict: str = ""


def reading_words(kind: str, key: AnswerKey) -> int:
    """How many words the student reads before answering: the prompt and what is shown."""
    words = len(key.prompt.split())
    if kind in (MULTIPLE_CHOICE, TRUE_FALSE, ORDERING):
        words += sum(len(item.text.split()) for item in key.items)
    elif kind == MATCHING:
        words += sum(len(item.text.split()) + len(item.match_text.split()) for item in key.items)
    return words


def quick_answer_ms(kind: str, key: AnswerKey) -> int:
    """Answers at least this fast (and right) are rated Easy."""
    return QUICK_ANSWER_BASE_MS + QUICK_ANSWER_MS_PER_WORD * reading_words(kind, key)


def grade(
    *,
    kind: str,
    answer_key: AnswerKey,
    answer: Mapping | None,
    response_ms: int,
    self_rating: int | None = None,
) -> Grade:
    """Grade `answer` (the JSON shape for `kind`, see the contract) against `answer_key`."""
    if isinstance(response_ms, bool) or not isinstance(response_ms, int) or response_ms < 0:
        raise InvalidAnswer(NEEDS_RESPONSE_TIME)
    if kind == FLASHCARD:
        rating = self_rating
        if rating is None and isinstance(answer, Mapping):
            rating = answer.get("rating")
        if isinstance(rating, bool) or rating not in (AGAIN, HARD, GOOD, EASY):
            raise InvalidAnswer(NEEDS_SELF_RATING)
        return Grade(rating=rating, is_correct=None, score=None)
    if not isinstance(answer, Mapping):
        raise InvalidAnswer(NEEDS_OBJECT)
    grader = _GRADERS.get(kind)
    if grader is None:
        raise InvalidAnswer(UNKNOWN_KIND)
    outcome = grader(answer_key, answer)
    if outcome.partly:
        rating = HARD
    elif outcome.is_correct:
        rating = EASY if response_ms <= quick_answer_ms(kind, answer_key) else GOOD
    else:
        rating = AGAIN
    return Grade(
        rating=rating,
        is_correct=outcome.is_correct,
        score=round(outcome.score, 4),
        parts=tuple(outcome.parts),
        verdict=outcome.verdict or _plain_verdict(outcome),
    )


@dataclass
class _Outcome:
    is_correct: bool
    score: float
    parts: list[PartResult]
    # Partly right, rated Hard: right only thanks to typo tolerance, or some parts right.
    partly: bool = False
    verdict: str = ""


def _plain_verdict(outcome: _Outcome) -> str:
    if outcome.is_correct:
        return "right"
    return "partly right" if outcome.partly else "wrong"


def _ids(value, message: str) -> list[int]:
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        raise InvalidAnswer(message)
    return value


def _grade_choices(key: AnswerKey, answer: Mapping) -> _Outcome:
    chosen = _ids(answer.get("choices"), NEEDS_CHOICES)
    if not chosen:
        raise InvalidAnswer(NOTHING_CHOSEN)
    by_id = {item.id: item for item in key.items}
    if any(choice not in by_id for choice in chosen) or len(set(chosen)) != len(chosen):
        raise InvalidAnswer(UNKNOWN_CHOICE)
    right = {item.id for item in key.items if item.is_correct}
    if len(right) == 1 and len(chosen) > 1:
        raise InvalidAnswer(NEEDS_ONE_CHOICE)
    parts = [
        PartResult(part=f"choice {item.id}", is_correct=(item.id in chosen) == item.is_correct)
        for item in key.items
    ]
    if set(chosen) == right:
        return _Outcome(True, 1.0, parts)
    if len(right) == 1:
        # One right choice: a choice with partial credit (Moodle's fraction) is partly right.
        credit = max(0.0, min(1.0, by_id[chosen[0]].fraction))
        return _Outcome(False, credit, parts, partly=credit > 0)
    hits = len(right.intersection(chosen))
    misses = len(set(chosen) - right)
    score = max(0.0, (hits - misses) / len(right))
    return _Outcome(False, score, parts, partly=hits > 0)


def _grade_true_false(key: AnswerKey, answer: Mapping) -> _Outcome:
    value = answer.get("value")
    if not isinstance(value, bool):
        raise InvalidAnswer(NEEDS_BOOLEAN)
    right = next(item for item in key.items if item.is_correct)
    expected = normalize(right.text) == "true"
    ok = value == expected
    parts = [PartResult(part="value", is_correct=ok, given=value, expected=expected)]
    return _Outcome(ok, 1.0 if ok else 0.0, parts)


def _vocabulary(key: AnswerKey) -> frozenset[str]:
    texts = [key.prompt, *(item.text for item in key.items), *(i.match_text for i in key.items)]
    return vocabulary_of(texts)


def _grade_short_answer(key: AnswerKey, answer: Mapping) -> _Outcome:
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
                return _Outcome(False, credit, [part], partly=True, verdict="partly right")
        return _Outcome(False, 0.0, [part], verdict=verdict.reason)
    return _Outcome(True, 1.0, [part], partly=verdict.match == TYPO, verdict=verdict.reason)


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
        if typed.unit and not unit_is_asked(typed.unit, prompt_words=normalize(prompt).split()):
            return value, f"wrong: the question does not ask in “{typed.unit}”"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidAnswer(NEEDS_NUMBER)
    return value, ""


def _grade_numerical(key: AnswerKey, answer: Mapping) -> _Outcome:
    value, wrong_unit = typed_number(answer.get("value"), prompt=key.prompt)
    best = 0.0
    right = False
    for item in key.items:
        if wrong_unit or item.number is None or abs(value - item.number) > (item.tolerance or 0):
            continue
        if item.is_correct:
            right = True
        best = max(best, item.fraction)
    expected = next((item.number for item in key.items if item.is_correct), None)
    verdict = wrong_unit or ("right" if right else "wrong: a different number")
    part = PartResult(part="value", is_correct=right, given=value, expected=expected)
    if right:
        return _Outcome(True, 1.0, [part], verdict=verdict)
    credit = max(0.0, min(1.0, best))
    if credit > 0:
        verdict = "partly right: close to the number"
    return _Outcome(False, credit, [part], partly=credit > 0, verdict=verdict)


def _grade_cloze(key: AnswerKey, answer: Mapping) -> _Outcome:
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
    typos = False
    for gap in gaps:
        text = given.get(str(gap), "")
        accepted = [item.text for item in key.items if item.gap == gap and item.is_correct]
        options = [item for item in key.items if item.gap == gap and item.is_choice]
        if options:
            verdict = _choice_gap_verdict(text, options)
        else:
            verdict = judge(text, accepted, vocabulary=vocabulary)
        typos = typos or verdict.match == TYPO
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
    explained = [f"{part.part}: {part.reason}" for part in parts if part.reason != "right"]
    return _Outcome(
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


def _grade_matching(key: AnswerKey, answer: Mapping) -> _Outcome:
    given = answer.get("pairs")
    if not isinstance(given, Mapping):
        raise InvalidAnswer(NEEDS_PAIRS)
    by_id = {item.id: item for item in key.items}
    pairs: dict[int, int] = {}
    for left, right in given.items():
        try:
            left_id = int(left)
        except (TypeError, ValueError):
            raise InvalidAnswer(NEEDS_PAIRS) from None
        if isinstance(right, bool) or not isinstance(right, int):
            raise InvalidAnswer(NEEDS_PAIRS)
        if left_id not in by_id or right not in by_id:
            raise InvalidAnswer(UNKNOWN_PAIR)
        pairs[left_id] = right
    if not pairs:
        raise InvalidAnswer(NOTHING_PAIRED)
    parts = []
    # A distractor (a right side without a left) is only there to be chosen wrongly.
    for item in (item for item in key.items if not is_distractor(item)):
        chosen = pairs.get(item.id)
        # Two rows may share a right side; matching either is right.
        ok = chosen is not None and normalize(by_id[chosen].match_text) == normalize(
            item.match_text
        )
        parts.append(
            PartResult(
                part=f"pair {item.id}",
                is_correct=ok,
                given=by_id[chosen].match_text if chosen is not None else None,
                expected=item.match_text,
            )
        )
    right = sum(part.is_correct for part in parts)
    return _Outcome(right == len(parts), right / len(parts), parts, partly=0 < right < len(parts))


def _grade_ordering(key: AnswerKey, answer: Mapping) -> _Outcome:
    order = _ids(answer.get("order"), NEEDS_ORDER)
    expected = [item.id for item in sorted(key.items, key=lambda item: (item.position, item.id))]
    if sorted(order) != sorted(expected) or len(set(order)) != len(order):
        raise InvalidAnswer(NEEDS_ORDER)
    parts = [
        PartResult(part=f"place {place}", is_correct=given == wanted, given=given, expected=wanted)
        for place, (given, wanted) in enumerate(zip(order, expected, strict=True), start=1)
    ]
    if order == expected:
        return _Outcome(True, 1.0, parts)
    rank = {item_id: place for place, item_id in enumerate(expected)}
    places = [rank[item_id] for item_id in order]
    pairs = len(places) * (len(places) - 1) // 2
    in_order = sum(
        places[i] < places[j] for i in range(len(places)) for j in range(i + 1, len(places))
    )
    # Exactly one pair out of order means one adjacent swap: partly right (Hard).
    return _Outcome(False, in_order / pairs, parts, partly=pairs - in_order == 1)


_GRADERS = {
    MULTIPLE_CHOICE: _grade_choices,
    TRUE_FALSE: _grade_true_false,
    SHORT_ANSWER: _grade_short_answer,
    NUMERICAL: _grade_numerical,
    CLOZE: _grade_cloze,
    MATCHING: _grade_matching,
    ORDERING: _grade_ordering,
}
