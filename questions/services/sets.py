"""Writes of question sets by their owner."""

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from questions.models import Passage, QuestionSet, Review, Source, Topic
from questions.permissions import require_owner, require_teacher
from questions.services.studied_sets import studied_sets_sync, studiers_of

SOURCE_CITED = (
    "Questions of this set cite passages of its source; move or delete them before changing "
    "the source."
)
TOPIC_SLUG_EMPTY = "A topic needs letters or digits in its name."

SET_FIELDS = (
    "title",
    "description",
    "visibility",
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval",
    "enable_fuzzing",
    "new_order",
    "daily_new_limit",
    "daily_review_limit",
    "session_size",
)
"""What an owner may set; owner, archived_at and the timestamps are never taken from input."""


def topics_for(names: list[str]) -> list[Topic]:
    """Topics named by slug or name, created when new."""
    topics = []
    for name in names:
        slug = slugify(name)[:100]
        if not slug:
            raise ValidationError({"topics": TOPIC_SLUG_EMPTY})
        topic, _ = Topic.objects.get_or_create(slug=slug, defaults={"name": name.strip()[:200]})
        topics.append(topic)
    return topics


def _apply(question_set: QuestionSet, fields: dict) -> None:
    for name in SET_FIELDS:
        if name in fields:
            setattr(question_set, name, fields[name])


@transaction.atomic
def set_create(
    *, owner: User, fields: dict, source: Source | None = None, topics: list[str] | None = None
) -> QuestionSet:
    require_teacher(owner)
    question_set = QuestionSet(owner=owner, source=source)
    _apply(question_set, fields)
    question_set.full_clean()
    question_set.save()
    if topics:
        question_set.topics.set(topics_for(topics))
    return question_set


_UNCHANGED = object()


@transaction.atomic
def set_update(
    *,
    by: User,
    question_set: QuestionSet,
    fields: dict,
    source: Source | object | None = _UNCHANGED,
    topics: list[str] | None = None,
) -> QuestionSet:
    """Change a set's fields; `topics` replaces its topics when given. Owner only."""
    require_owner(by, question_set)
    visibility = question_set.visibility
    if source is not _UNCHANGED and source != question_set.source:
        if Passage.objects.filter(
            questions__question_set=question_set, questions__archived_at__isnull=True
        ).exists():
            raise ValidationError({"source": SOURCE_CITED})
        question_set.source = source
    _apply(question_set, fields)
    question_set.full_clean()
    question_set.save()
    if topics is not None:
        question_set.topics.set(topics_for(topics))
    if question_set.visibility != visibility:
        studied_sets_sync(user_ids=studiers_of(question_set), set_ids=[question_set.pk])
    return question_set


@transaction.atomic
def set_delete(*, by: User, question_set: QuestionSet, now: datetime) -> bool:
    """Delete the set, or archive it when anyone has studied it, so the review log stays whole.
    Owner only.

    Returns True when the set was archived rather than deleted.
    """
    require_owner(by, question_set)
    if Review.objects.filter(question__question_set=question_set).exists():
        if question_set.archived_at is None:
            question_set.archived_at = now
            question_set.save(update_fields=["archived_at", "updated_at"])
        return True
    question_set.delete()
    return False
