"""Reads of sets, questions, sources, tokens and the review history, as each caller may see them."""

from django.contrib.auth.models import User
from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
)

from questions.models import (
    Answer,
    ApiToken,
    Passage,
    Question,
    QuestionSet,
    Review,
    Source,
)
from questions.selectors.visibility import visible_sets


def set_list(user: User) -> QuerySet[QuestionSet]:
    """Sets the user may read (questions.selectors.visible_sets), with their own archived ones,
    which the `archived` filter lists."""
    return (
        visible_sets(user, own_archived=True)
        .select_related("owner", "source")
        .prefetch_related("topics")
        .annotate(question_count=Count("questions", filter=Q(questions__archived_at__isnull=True)))
        .order_by("title", "id")
    )


def owned_sets(user: User) -> QuerySet[QuestionSet]:
    return QuestionSet.objects.filter(owner=user)


def authored_questions(user: User) -> QuerySet[Question]:
    """Questions with their answer keys: only the set's owner reads or edits them."""
    return (
        Question.objects.filter(question_set__owner=user, archived_at__isnull=True)
        .select_related("question_set")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("position", "id")), "topics"
        )
        .order_by("position", "id")
    )


def source_list() -> QuerySet[Source]:
    """Sources are reference texts: every signed-in user may read them."""
    return Source.objects.annotate(passage_count=Count("passages")).order_by("title", "id")


def source_detail() -> QuerySet[Source]:
    return source_list().prefetch_related(
        Prefetch("passages", queryset=Passage.objects.order_by("position"))
    )


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def review_history(user: User) -> QuerySet[Review]:
    return (
        Review.objects.filter(user=user).select_related("question").order_by("-reviewed_at", "-id")
    )
