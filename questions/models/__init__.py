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
    Rating,
    Review,
    ReviewMode,
)

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
    "Passage",
    "Profile",
    "Question",
    "QuestionKind",
    "QuestionSet",
    "Quiz",
    "QuizAttempt",
    "QuizResponse",
    "Rating",
    "Review",
    "ReviewMode",
    "Source",
    "StudiedSet",
    "Topic",
]
