"""Submitting an answer: the student's input to the grader's, graded, scheduled and logged."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from questions.grading import InvalidAnswer
from questions.models import Answer, Question, QuestionKind
from questions.selectors.visibility import studyable_questions
from questions.services.reviews import ReviewResult, review_record


def answerable_questions(user) -> QuerySet[Question]:
    """The questions the user may answer, with what grading and the feedback read."""
    return (
        studyable_questions(user)
        .select_related("question_set", "passage__source")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("position", "id")), "topics"
        )
    )


def answer_field(question: Question) -> str:
    """The input a student answers this question with: a flashcard's rating, else the answer."""
    return "rating" if question.kind == QuestionKind.FLASHCARD else "answer"


def submit_answer(
    *,
    user,
    question: Question,
    client_id: str,
    response_ms: int,
    now: datetime,
    answer: dict | None = None,
    rating: int | None = None,
) -> ReviewResult:
    """Grade the answer (item and choice ids as the student was shown them, see
    questions.answer_input), schedule the card and log the review; a retry of `client_id`
    returns the first result. Refusals are domain errors: InvalidAnswer names the input at
    fault (`rating` or `answer`), ReviewConflict a client_id used for another answer."""
    try:
        return review_record(
            user=user,
            question=question,
            client_id=client_id,
            answer=answer,
            rating=rating,
            response_ms=response_ms,
            now=now,
        )
    except InvalidAnswer as error:
        error.fields = error.fields or {answer_field(question): [error.message]}
        raise
