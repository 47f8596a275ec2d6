"""Who sees which sets and questions: the one visibility rule, for the engine, the API and the
pages, and the one filter of a study scope (live questions of some sets, a topic, a passage)."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from questions.models import (
    Assignment,
    Card,
    Classroom,
    Passage,
    Question,
    QuestionSet,
    Review,
    StudiedSet,
    Topic,
)


@dataclass(frozen=True)
class _Visibility:
    """The parts of the visibility rule, as filters on QuestionSet."""

    own: Q
    shared: Q  # public, or "my classes" of an owner who owns a class the user belongs to
    assigned: Q  # assigned to a class the user belongs to


def _visibility(user) -> _Visibility:
    # Subqueries with a join rather than nested ones: cheaper for Django to build, and for
    # the database the same plan.
    class_owners = Classroom.objects.filter(memberships__user=user).values("owner_id")
    assigned = Assignment.objects.filter(classroom__memberships__user=user)
    return _Visibility(
        own=Q(owner=user),
        shared=Q(visibility=QuestionSet.Visibility.PUBLIC)
        | Q(visibility=QuestionSet.Visibility.CLASSES, owner__in=class_owners),
        assigned=Q(pk__in=assigned.values("question_set_id")),
    )


def visible_sets(user, *, own_archived: bool = False) -> QuerySet[QuestionSet]:
    """The one visibility rule, for the engine, the API and the pages. A user sees their own
    sets; public sets; "my classes" sets whose owner owns a class the user belongs to; and sets
    assigned to a class the user belongs to. Never archived sets, except the user's own with
    `own_archived` (an owner still lists and exports them). Anonymous users see public sets."""
    live = Q(archived_at__isnull=True)
    if user is None or not user.is_authenticated:
        return QuestionSet.objects.filter(live, visibility=QuestionSet.Visibility.PUBLIC)
    rule = _visibility(user)
    if own_archived:
        return QuestionSet.objects.filter(rule.own | (live & (rule.shared | rule.assigned)))
    return QuestionSet.objects.filter(live & (rule.own | rule.shared | rule.assigned))


def studied_filter(user) -> Q:
    """Sets the user studies, as a filter on QuestionSet (see studied_sets)."""
    rule = _visibility(user)
    started = Q(pk__in=Card.objects.filter(user=user).values("question__question_set_id"))
    return Q(archived_at__isnull=True) & (rule.own | rule.assigned | (started & rule.shared))


def studied_rows_filter(user) -> Q:
    """The same sets as studied_filter, read from the data kept for it: the user's own live
    sets and their StudiedSet rows (questions.services.studied_sets keeps those equal to the
    rule). What the study queue reads, instead of working the rule out on every request."""
    rows = StudiedSet.objects.filter(user=user).values("question_set_id")
    return Q(archived_at__isnull=True) & (Q(owner=user) | Q(pk__in=rows))


def studied_sets(user) -> QuerySet[QuestionSet]:
    """Sets that make up "everything the user studies": the visible sets that are their own,
    assigned to their classes, or started (they have a card in it)."""
    return QuestionSet.objects.filter(studied_filter(user))


def studyable_questions(user: User) -> QuerySet[Question]:
    """Questions the user may answer: live questions of live sets they can see, and those they
    answered before, so that a retry finds its question after it was archived or unassigned
    (the engine refuses a new answer to an archived question)."""
    # Correlated, so it probes the (user, question) index for the one question asked about
    # instead of reading the user's whole history on every answer.
    answered = Exists(Review.objects.filter(user=user, question=OuterRef("pk")))
    return Question.objects.filter(
        Q(question_set__in=visible_sets(user), archived_at__isnull=True) | answered
    )


def question_scope(
    *, sets, topic: Topic | None = None, passage: Passage | None = None, on_card: bool = False
) -> Q:
    """The one filter of a study scope: live questions of `sets` (set ids, or a query of them),
    and of the topic (the question's or its set's) or the passage; as a filter on Question, or
    on Card with `on_card`. The queue, progress and the pages all scope with it."""
    prefix = "question__" if on_card else ""
    scope = Q(**{f"{prefix}question_set_id__in": sets, f"{prefix}archived_at__isnull": True})
    if topic is not None:
        question_topic = Question.topics.through.objects.filter(
            question_id=OuterRef("question_id" if on_card else "pk"), topic=topic
        )
        set_topic = QuestionSet.topics.through.objects.filter(
            questionset_id=OuterRef(f"{prefix}question_set_id"), topic=topic
        )
        scope &= Q(Exists(question_topic)) | Q(Exists(set_topic))
    if passage is not None:
        scope &= Q(**{f"{prefix}passage": passage})
    return scope


def studied_scope(
    *, user, question_set: QuestionSet | None = None, topic: Topic | None = None
) -> Q:
    """Live questions of one live set, or of everything the user studies, and of the topic."""
    sets = [question_set.pk] if question_set is not None else studied_sets(user).values("pk")
    return Q(question_set__archived_at__isnull=True) & question_scope(sets=sets, topic=topic)
