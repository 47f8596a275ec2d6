from questions.models.accounts import ApiToken, Profile
from questions.models.banks import Answer, Question, QuestionKind, QuestionSet, Topic
from questions.models.classes import Assignment, Classroom, Membership, StudiedSet
from questions.models.jobs import Job
from questions.models.quizzes import Quiz, QuizAttempt, QuizResponse
from questions.models.sources import Passage, Source
from questions.models.study import (
    AnswerClaim,
    Card,
    CardState,
    ClaimStatus,
    NewCardsExtension,
    Rating,
    Review,
    ReviewMode,
    ReviewUndo,
)
from questions.models.throttles import RateCounter

__all__ = [
    "Answer",
    "AnswerClaim",
    "ApiToken",
    "Assignment",
    "Card",
    "CardState",
    "ClaimStatus",
    "Classroom",
    "Job",
    "Membership",
    "NewCardsExtension",
    "Passage",
    "Profile",
    "Question",
    "QuestionKind",
    "QuestionSet",
    "Quiz",
    "QuizAttempt",
    "QuizResponse",
    "RateCounter",
    "Rating",
    "Review",
    "ReviewMode",
    "ReviewUndo",
    "Source",
    "StudiedSet",
    "Topic",
]
