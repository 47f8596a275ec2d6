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

from collections import Counter
from collections.abc import Mapping

from questions.grading_typed import grade_cloze, grade_numerical, grade_short_answer, typed_number
from questions.grading_types import (
    AGAIN,
    CLOZE,
    EASY,
    FLASHCARD,
    GOOD,
    HARD,
    MATCHING,
    MULTIPLE_CHOICE,
    NEEDS_BOOLEAN,
    NEEDS_CHOICES,
    NEEDS_OBJECT,
    NEEDS_ONE_CHOICE,
    NEEDS_ORDER,
    NEEDS_PAIRS,
    NEEDS_RESPONSE_TIME,
    NEEDS_SELF_RATING,
    NOTHING_CHOSEN,
    NOTHING_PAIRED,
    NUMERICAL,
    ORDERING,
    QUICK_ANSWER_BASE_MS,
    QUICK_ANSWER_MS_PER_WORD,
    SHORT_ANSWER,
    TRUE_FALSE,
    UNKNOWN_CHOICE,
    UNKNOWN_KIND,
    UNKNOWN_PAIR,
    AnswerKey,
    Grade,
    InvalidAnswer,
    KeyItem,
    Outcome,
    PartResult,
)
from questions.typed_answers import normalize
from questions.validation import is_distractor

__all__ = [
    "AGAIN",
    "EASY",
    "GOOD",
    "HARD",
    "QUICK_ANSWER_BASE_MS",
    "QUICK_ANSWER_MS_PER_WORD",
    "AnswerKey",
    "Grade",
    "InvalidAnswer",
    "KeyItem",
    "PartResult",
    "grade",
    "quick_answer_ms",
    "reading_words",
    "typed_number",
]


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


def _plain_verdict(outcome: Outcome) -> str:
    if outcome.is_correct:
        return "right"
    return "partly right" if outcome.partly else "wrong"


def _ids(value, message: str) -> list[int]:
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        raise InvalidAnswer(message)
    return value


def _grade_choices(key: AnswerKey, answer: Mapping) -> Outcome:
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
        return Outcome(True, 1.0, parts)
    if len(right) == 1:
        # One right choice: a choice with partial credit (Moodle's fraction) is partly right.
        credit = max(0.0, min(1.0, by_id[chosen[0]].fraction))
        return Outcome(False, credit, parts, partly=credit > 0)
    hits = len(right.intersection(chosen))
    misses = len(set(chosen) - right)
    score = max(0.0, (hits - misses) / len(right))
    # Partly right only with more right choices than wrong ones: ticking every box is a guess.
    return Outcome(False, score, parts, partly=score > 0)


def _grade_true_false(key: AnswerKey, answer: Mapping) -> Outcome:
    value = answer.get("value")
    if not isinstance(value, bool):
        raise InvalidAnswer(NEEDS_BOOLEAN)
    right = next(item for item in key.items if item.is_correct)
    expected = normalize(right.text) == "true"
    ok = value == expected
    parts = [PartResult(part="value", is_correct=ok, given=value, expected=expected)]
    return Outcome(ok, 1.0 if ok else 0.0, parts)


def _grade_matching(key: AnswerKey, answer: Mapping) -> Outcome:
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
    lefts = [item for item in key.items if not is_distractor(item)]
    # A right side given to more lefts than it belongs to is a guess spread over them: none of
    # those pairs counts (pairing every left with one right side earns nothing).
    wanted = Counter(normalize(item.match_text) for item in lefts)
    given_sides = Counter(normalize(by_id[right].match_text) for right in pairs.values())
    spread = {side for side, uses in given_sides.items() if uses > wanted[side]}
    # A distractor (a right side without a left) is only there to be chosen wrongly.
    for item in lefts:
        chosen = pairs.get(item.id)
        # Two rows may share a right side; matching either is right.
        side = normalize(by_id[chosen].match_text) if chosen is not None else None
        ok = side == normalize(item.match_text) and side not in spread
        parts.append(
            PartResult(
                part=f"pair {item.id}",
                is_correct=ok,
                given=by_id[chosen].match_text if chosen is not None else None,
                expected=item.match_text,
            )
        )
    right = sum(part.is_correct for part in parts)
    return Outcome(right == len(parts), right / len(parts), parts, partly=0 < right < len(parts))


def _grade_ordering(key: AnswerKey, answer: Mapping) -> Outcome:
    order = _ids(answer.get("order"), NEEDS_ORDER)
    expected = [item.id for item in sorted(key.items, key=lambda item: (item.position, item.id))]
    if sorted(order) != sorted(expected) or len(set(order)) != len(order):
        raise InvalidAnswer(NEEDS_ORDER)
    parts = [
        PartResult(part=f"place {place}", is_correct=given == wanted, given=given, expected=wanted)
        for place, (given, wanted) in enumerate(zip(order, expected, strict=True), start=1)
    ]
    if order == expected:
        return Outcome(True, 1.0, parts)
    rank = {item_id: place for place, item_id in enumerate(expected)}
    places = [rank[item_id] for item_id in order]
    pairs = len(places) * (len(places) - 1) // 2
    in_order = sum(
        places[i] < places[j] for i in range(len(places)) for j in range(i + 1, len(places))
    )
    # Exactly one pair out of order means one adjacent swap: partly right (Hard), unless there
    # are only two items (reversed, they are simply the wrong order).
    return Outcome(False, in_order / pairs, parts, partly=pairs - in_order == 1 and len(order) > 2)


_GRADERS = {
    MULTIPLE_CHOICE: _grade_choices,
    TRUE_FALSE: _grade_true_false,
    SHORT_ANSWER: grade_short_answer,
    NUMERICAL: grade_numerical,
    CLOZE: grade_cloze,
    MATCHING: _grade_matching,
    ORDERING: _grade_ordering,
}
