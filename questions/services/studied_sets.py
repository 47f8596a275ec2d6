"""What each student studies besides their own sets, kept as data (questions.models.StudiedSet).

The rule is questions.selectors.visibility.studied_filter's: a set assigned to one of the
user's classes (`class`), or one they started (have a card in) that is shared with them
(`chosen`: public, or "my classes" of an owner of one of their classes). Whatever changes one
of those facts calls studied_sets_sync for the users (and sets) it touches, in its own
transaction: joining, leaving or being removed from a class, deleting a class, assigning or
unassigning a set, changing a set's visibility, and a first answer in a set
(studied_set_started). Liveness (archived_at) and a user's own sets are read with the set.
"""

from collections import defaultdict
from collections.abc import Iterable

from questions.models import Assignment, Card, Membership, QuestionSet, StudiedSet

Via = StudiedSet.Via


def _ruled(user_ids: list[int], set_ids: list[int] | None) -> set[tuple[int, int, str]]:
    """(user id, set id, via) of what the rule says for these users (and sets)."""
    assigned = Assignment.objects.filter(classroom__memberships__user_id__in=user_ids)
    cards = Card.objects.filter(user_id__in=user_ids)
    if set_ids is not None:
        assigned = assigned.filter(question_set_id__in=set_ids)
        cards = cards.filter(question__question_set_id__in=set_ids)
    ruled = {
        (user_id, set_id, Via.CLASS)
        for user_id, set_id in assigned.values_list(
            "classroom__memberships__user_id", "question_set_id"
        )
        .order_by()
        .distinct()
    }
    started = list(
        cards.exclude(question__question_set__visibility=QuestionSet.Visibility.PRIVATE)
        .values_list(
            "user_id",
            "question__question_set_id",
            "question__question_set__visibility",
            "question__question_set__owner_id",
        )
        .order_by()
        .distinct()
    )
    class_owners = defaultdict(set)
    if any(visibility == QuestionSet.Visibility.CLASSES for _, _, visibility, _ in started):
        for user_id, owner_id in Membership.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "classroom__owner_id"
        ):
            class_owners[user_id].add(owner_id)
    for user_id, set_id, visibility, owner_id in started:
        shared = visibility == QuestionSet.Visibility.PUBLIC or (
            visibility == QuestionSet.Visibility.CLASSES and owner_id in class_owners[user_id]
        )
        if shared:
            ruled.add((user_id, set_id, Via.CHOSEN))
    return ruled


def studied_sets_sync(*, user_ids: Iterable[int], set_ids: Iterable[int] | None = None) -> None:
    """Make the users' rows (only those of `set_ids`, when given) say what the rule says; in
    the transaction of the change that calls it."""
    user_ids = list(user_ids)
    set_ids = None if set_ids is None else list(set_ids)
    if not user_ids or set_ids == []:
        return
    rows = StudiedSet.objects.filter(user_id__in=user_ids)
    if set_ids is not None:
        rows = rows.filter(question_set_id__in=set_ids)
    held = {
        (user_id, set_id, via): pk
        for pk, user_id, set_id, via in rows.values_list("pk", "user_id", "question_set_id", "via")
    }
    ruled = _ruled(user_ids, set_ids)
    stale = [pk for row, pk in held.items() if row not in ruled]
    if stale:
        StudiedSet.objects.filter(pk__in=stale).delete()
    missing = ruled - held.keys()
    if missing:
        StudiedSet.objects.bulk_create(
            [StudiedSet(user_id=u, question_set_id=s, via=via) for u, s, via in missing],
            ignore_conflicts=True,
        )


def studied_set_started(*, user_id: int, question_set: QuestionSet) -> None:
    """A first card in a set: it becomes a chosen set if it is shared with the user (never
    when it is private: no query then)."""
    if question_set.visibility == QuestionSet.Visibility.PRIVATE:
        return
    if not StudiedSet.objects.filter(
        user_id=user_id, question_set=question_set, via=Via.CHOSEN
    ).exists():
        studied_sets_sync(user_ids=[user_id], set_ids=[question_set.pk])


def members_of(classroom) -> list[int]:
    members = Membership.objects.filter(classroom=classroom).order_by()
    return list(members.values_list("user_id", flat=True))


def studiers_of(question_set) -> list[int]:
    """Users who may hold a row of this set: those with a card in it or a row for it."""
    started = Card.objects.filter(question__question_set=question_set).values_list("user_id")
    held = StudiedSet.objects.filter(question_set=question_set).values_list("user_id")
    return [user_id for (user_id,) in started.order_by().union(held.order_by())]
