"""The values grading works with: answer keys, grades, and the messages of a refused answer.

Pure, no ORM (`AnswerKey.of` reads a saved question's prefetched answers). See questions.grading.
"""

from dataclasses import dataclass, field

from questions.domain import QuestionKind, Rating
from questions.errors import DomainError

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


@dataclass
class Outcome:
    is_correct: bool
    score: float
    parts: list[PartResult]
    # Partly right, rated Hard: right only thanks to typo tolerance, or some parts right.
    partly: bool = False
    verdict: str = ""
