"""The vocabulary of the domain, in plain Python: the one definition of each enum that the pure
code (grading, scheduling, validation) and the ORM both need. The models' TextChoices take their
values from here and add the labels the admin and the pages show.

The members are str (or int) enums, so they compare equal to the values stored in the database
and sent by clients: QuestionKind.CLOZE == "cloze", Rating.GOOD == 3.
"""

from enum import IntEnum, StrEnum


class QuestionKind(StrEnum):
    FLASHCARD = "flashcard"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    NUMERICAL = "numerical"
    CLOZE = "cloze"
    MATCHING = "matching"
    ORDERING = "ordering"


class Rating(IntEnum):
    """FSRS's four ratings: what grading gives an answer, or a student gives a flashcard."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class CardState(StrEnum):
    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


class ReviewMode(StrEnum):
    SCHEDULED = "scheduled"
    AHEAD = "ahead"  # answered before it was due (see questions.study)
    QUIZ = "quiz"  # a graded quiz's answer (questions.services.quizzes): the card is left alone


class QueueReason(StrEnum):
    """Why an item is offered: see questions.selectors.queue and, for "ahead", questions.study."""

    REVIEW = "review"
    LEARNING = "learning"
    NEW = "new"
    AHEAD = "ahead"
    RETRY = "retry"  # shown again after its answer was refused


class Practice(StrEnum):
    """How a study session goes on once what is due is done (see questions.study)."""

    NONE = ""
    AHEAD = "ahead"  # cards not yet due, soonest first (the queue's ahead=True)
    MISTAKES = "mistakes"  # today's wrong answers again, each once a session


class SessionEnd(StrEnum):
    """Why a study session ended (questions.study.session_end)."""

    SESSION_LENGTH = "session_length"  # it holds its number of answers
    NEW_LIMIT = "new_limit"  # new questions remain, but today's new-card limit is reached
    NOTHING_DUE = "nothing_due"  # a learning or review card comes due later today
    ALL_DONE = "all_done"  # nothing new is left and nothing is due today
