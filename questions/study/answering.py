"""Submitting an answer: the student's input to the grader's, graded, scheduled and logged."""

from datetime import datetime

from django.db.models import Exists, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet

from questions.errors import DomainError
from questions.grading import InvalidAnswer
from questions.models import Answer, Card, Question, QuestionKind, StudiedSet
from questions.selectors.question_cache import with_answers_and_topics
from questions.selectors.visibility import studyable_questions
from questions.services.reviews import SCHEDULING_FIELDS, ReviewResult, review_record

NOT_STUDYABLE = "You have no question with this id to study; take ids from /api/v1/study/queue/."
LARGEST_ID = 2**63 - 1


def answerable_questions(user) -> QuerySet[Question]:
    """The questions the user may answer, with what grading and the feedback read."""
    return (
        studyable_questions(user)
        .select_related("question_set", "passage__source")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("position", "id")), "topics"
        )
    )


def answerable_question(*, user, question_id: int) -> Question:
    """The question with this id if the user may answer it (else a DomainError naming the
    `question` input), with what grading and the feedback read: its row, set and passage in
    one query, its answers and topics from the in-process cache (questions.selectors.
    question_cache), whether its set is already one the user chose (`set_chosen`), and the
    user's card as read (`card_as_read`)."""
    question = None
    if 0 < question_id <= LARGEST_ID:
        chosen = StudiedSet.objects.filter(
            user=user, question_set=OuterRef("question_set_id"), via=StudiedSet.Via.CHOSEN
        )
        mine = {f"card_{name}": F(f"mine__{name}") for name in ("id", *SCHEDULING_FIELDS)}
        question = (
            studyable_questions(user)
            .select_related("question_set", "passage__source")
            .annotate(
                set_chosen=Exists(chosen),
                mine=FilteredRelation("cards", condition=Q(cards__user=user)),
                **mine,
            )
            .filter(pk=question_id)
            .first()
        )
    if question is None:
        raise DomainError(NOT_STUDYABLE, fields={"question": [NOT_STUDYABLE]})
    question.card_as_read = _card_as_read(question, user)
    with_answers_and_topics([question])
    return question


def _card_as_read(question: Question, user) -> Card | None:
    """The user's card as the question's query read it (no lock: review_record writes it only
    if it is still so), or None when they have none."""
    if question.card_id is None:
        return None
    fields = {name: getattr(question, f"card_{name}") for name in SCHEDULING_FIELDS}
    return Card(id=question.card_id, user=user, question=question, **fields)


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
