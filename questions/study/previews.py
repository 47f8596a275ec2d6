"""A flashcard's rating previews: when it would be due again after each self-rating now."""

from datetime import datetime, timedelta

from questions.errors import NotFound
from questions.models import Card, Question, QuestionKind, Rating
from questions.scheduling import NEW_CARD, preview_intervals, settings_for
from questions.selectors.study_days import profile_of
from questions.selectors.visibility import studyable_questions
from questions.services.reviews import fuzz_key, snapshot_of

NO_SUCH_FLASHCARD = "You have no flashcard with this id to study."


def rating_previews(*, user, question: Question, card: Card | None, now: datetime):
    """{rating: interval} for a flashcard, as the scheduler would compute it with the same fuzz;
    None for a question the student does not rate."""
    if question.kind != QuestionKind.FLASHCARD:
        return None
    return preview_intervals(
        card=snapshot_of(card) if card else NEW_CARD,
        now=now,
        settings=settings_for(question_set=question.question_set, profile=profile_of(user)),
        fuzz_key=fuzz_key(user_id=user.pk, question_id=question.pk),
    )


def preview_days(previews) -> dict[str, float] | None:
    """The previews in days by rating name (again, hard, good, easy), as the API shows them."""
    if previews is None:
        return None
    return {
        Rating(rating).name.lower(): round(interval / timedelta(days=1), 6)
        for rating, interval in previews.items()
    }


def flashcard_reveal(*, user, question_id: int, now: datetime) -> tuple[Question, dict]:
    """A flashcard the user may study, with its rating previews from their card now."""
    question = (
        studyable_questions(user)
        .select_related("question_set")
        .filter(pk=question_id, kind=QuestionKind.FLASHCARD)
        .first()
    )
    if question is None:
        raise NotFound(NO_SUCH_FLASHCARD)
    card = Card.objects.filter(user=user, question=question).first()
    return question, rating_previews(user=user, question=question, card=card, now=now)
