"""The study queue: what a student should do next, within each set's daily limits."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from questions.domain import QueueReason
from questions.models import (
    Card,
    CardState,
    Passage,
    Question,
    QuestionSet,
    Topic,
)
from questions.selectors.question_cache import with_answers_and_topics
from questions.selectors.sql import EpochSeconds
from questions.selectors.study_days import (
    daily_counts_query,
    profile_of,
    study_date,
    study_day_bounds,
)
from questions.selectors.study_limits import extra_new_today, new_cards_limit
from questions.selectors.visibility import question_scope, studied_rows_filter

STUDIED_STATES = (CardState.LEARNING, CardState.REVIEW, CardState.RELEARNING)


# Multiplier and modulus of the integer hash that shuffles new questions per student.
_SHUFFLE_MULTIPLIER = 1103515245


_SHUFFLE_MODULUS = 2147483647


_SHUFFLE_STEP = 2654435761


@dataclass(frozen=True)
class QueueItem:
    question: Question
    card: Card | None
    reason: QueueReason


@dataclass(frozen=True)
class _SetRoom:
    """A set of the queue, with what its daily limits leave for today."""

    question_set: QuestionSet
    new_done: int
    reviews: int  # reviews still allowed today: the review limit minus reviews and new cards
    new_limit: int  # today's new-card limit (questions.selectors.study_limits)

    @property
    def new(self) -> int:
        return self.new_limit - self.new_done


def _set_rooms(*, user, question_set, day_start: datetime, now: datetime) -> dict[int, _SetRoom]:
    """The sets of the queue (one set, or everything the user studies, from the StudiedSet
    rows), with today's counts: two queries, whose set ids then stand for visibility in the
    queue's queries."""
    if question_set is not None:
        scope = Q(pk=question_set.pk, archived_at__isnull=True)
    else:
        scope = studied_rows_filter(user)
    # Today's extra new cards ride along as a column of the sets' own query.
    sets = QuestionSet.objects.filter(scope).annotate(
        new_extra=extra_new_today(user=user, day=study_date(profile=profile_of(user), now=now))
    )
    rooms = {}
    for row in _with_counts(sets, user, day_start, now):  # 1 query
        used = row.new_done + row.reviews_done
        rooms[row.pk] = _SetRoom(
            question_set=row,
            new_done=row.new_done,
            reviews=row.daily_review_limit - used,
            new_limit=new_cards_limit(
                profile=profile_of(user), question_set=row, extra=row.new_extra
            ),
        )
    return rooms


def _with_counts(sets, user, day_start: datetime, now: datetime):
    """The sets in title order, each with today's `new_done` and `reviews_done`: the grouped
    counts (questions.selectors.study_days.daily_counts_query) joined in one statement."""
    sets_sql, sets_params = sets.order_by().query.sql_with_params()
    counts = daily_counts_query(user=user, day_start=day_start, now=now)
    counts_sql, counts_params = counts.query.sql_with_params()
    return QuestionSet.objects.raw(
        f"SELECT s.*, COALESCE(t.new, 0) AS new_done, COALESCE(t.reviews, 0) AS reviews_done "
        f"FROM ({sets_sql}) s LEFT JOIN ({counts_sql}) t ON t.set_id = s.id "
        "ORDER BY s.title, s.id",
        (*sets_params, *counts_params),
    )


def _per_set(values: dict[int, int], *, field_name: str = "question__question_set_id"):
    """A SQL value that is values[set id] for each set (0 for sets not in `values`)."""
    if not values:
        return Value(0)
    return Case(
        *(When(**{field_name: set_id}, then=Value(n)) for set_id, n in values.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def _with_sets(cards: list[Card], rooms: dict[int, _SetRoom]) -> list[Card]:
    """Attach each card's question to the set already read, instead of joining it again."""
    for card in cards:
        card.question.question_set = rooms[card.question.question_set_id].question_set
    return cards


def study_queue(
    *,
    user,
    now: datetime,
    question_set: QuestionSet | None = None,
    topic: Topic | None = None,
    passage: Passage | None = None,
    limit: int = 10,
    ahead: bool = False,
) -> list[QueueItem]:
    """What the student should do next, at most `limit` items, in this order:

    1. reviews that are due, lowest retrievability first, within each set's daily review limit;
    2. learning and relearning cards whose step is due, earliest first;
    3. new questions, in the set's order (or a per-student shuffle when the set says so), up to
       each set's daily new limit and within what its daily review limit leaves over;
    4. with `ahead=True` (study ahead, cramming), then cards not yet due, the soonest due first.
    The day rolls over at the profile's day_starts_at_hour in its time zone.

    Queries: the sets with today's counts; the due cards; new questions when the due cards do
    not fill the queue; then answers and topics of the items. A set whose daily review limit
    leaves less room than `limit` needs a ranking per set: then reviews, learning cards and
    the due count per set are up to three queries. At most 7 (8 with `ahead`); the profile comes
    from the user (see profile_of), one more query when not loaded with it.
    """
    if limit < 1:
        return []
    profile = profile_of(user)
    day_start, _ = study_day_bounds(profile=profile, now=now)
    rooms = _set_rooms(user=user, question_set=question_set, day_start=day_start, now=now)
    if not rooms:
        return []
    card_scope = question_scope(sets=list(rooms), topic=topic, passage=passage, on_card=True)
    due = Card.objects.filter(card_scope, user=user, due__lte=now).select_related("question")
    overdue = (Value(now.timestamp()) - EpochSeconds("last_review")) / F("stability")
    open_for_review = [set_id for set_id, room in rooms.items() if room.reviews > 0]

    if all(rooms[set_id].reviews >= limit for set_id in open_for_review):
        # No set's limit can cut into the first `limit` reviews: reviews and learning cards in
        # one ordered query, and the due reviews of the open sets are all in it when it falls
        # short of `limit`.
        review = Q(state=CardState.REVIEW)
        cards = _with_sets(
            list(
                due.filter(
                    (review & Q(question__question_set_id__in=open_for_review))
                    | Q(state__in=(CardState.LEARNING, CardState.RELEARNING))
                )
                .annotate(
                    learning_first=Case(
                        When(review, then=Value(0)), default=Value(1), output_field=IntegerField()
                    ),
                    overdue=Case(
                        When(review, then=overdue),
                        default=Value(0.0),
                        output_field=FloatField(),
                    ),
                )
                .order_by("learning_first", "-overdue", "due", "id")[:limit]  # 1 query
            ),
            rooms,
        )
        items = [
            QueueItem(
                question=card.question,
                card=card,
                reason=QueueReason.REVIEW
                if card.state == CardState.REVIEW
                else QueueReason.LEARNING,
            )
            for card in cards
        ]
        due_count = dict.fromkeys(rooms, 0)
        for item in items:
            if item.reason == QueueReason.REVIEW:
                due_count[item.question.question_set_id] += 1
    else:
        items, due_count = _capped_due_items(
            due=due, rooms=rooms, overdue=overdue, limit=limit
        )  # 1 to 3 queries

    if len(items) < limit:
        scope = question_scope(sets=list(rooms), topic=topic, passage=passage)
        items += _new_items(
            user=user, scope=scope, rooms=rooms, due_count=due_count, limit=limit - len(items)
        )  # 1 query

    if ahead and len(items) < limit:
        not_due = Card.objects.filter(
            card_scope, user=user, state__in=STUDIED_STATES, due__gt=now
        ).select_related("question")
        items += [
            QueueItem(question=card.question, card=card, reason=QueueReason.AHEAD)
            for card in _with_sets(list(not_due.order_by("due", "id")[: limit - len(items)]), rooms)
        ]  # 1 query

    # 2 queries, or none when the questions' answers and topics are cached.
    with_answers_and_topics([item.question for item in items])
    return items


def _capped_due_items(*, due, rooms, overdue, limit) -> tuple[list[QueueItem], dict[int, int]]:
    """Due reviews ranked within each set, so each set's daily review limit holds, then due
    learning cards, and, when they fall short of `limit`, the number of due reviews per set."""
    review_rows = (
        due.filter(state=CardState.REVIEW)
        .annotate(
            overdue=overdue,
            room=_per_set({set_id: room.reviews for set_id, room in rooms.items()}),
            place_in_set=Window(
                RowNumber(),
                partition_by=[F("question__question_set_id")],
                order_by=[F("overdue").desc(), F("due").asc(), F("id").asc()],
            ),
        )
        .filter(place_in_set__lte=F("room"))
        .order_by("-overdue", "due", "id")
    )
    items = [
        QueueItem(question=card.question, card=card, reason=QueueReason.REVIEW)
        for card in _with_sets(list(review_rows[:limit]), rooms)  # 1 query
    ]
    if len(items) < limit:
        learning = due.filter(state__in=(CardState.LEARNING, CardState.RELEARNING))
        items += [
            QueueItem(question=card.question, card=card, reason=QueueReason.LEARNING)
            for card in _with_sets(
                list(learning.order_by("due", "id")[: limit - len(items)]), rooms
            )  # 1 query
        ]
    if len(items) == limit:
        return items, {}  # no new questions asked for
    due_count = dict(  # 1 query
        due.filter(state=CardState.REVIEW)
        .values_list("question__question_set_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return items, due_count


def _new_items(*, user, scope, rooms, due_count, limit) -> list[QueueItem]:
    studied = Card.objects.filter(user=user, question=OuterRef("pk")).exclude(state=CardState.NEW)
    # New questions of a set are limited by its daily new limit and by what its review limit
    # leaves once today's reviews, today's new cards and the due reviews are counted.
    room = {
        set_id: min(set_room.new, set_room.reviews - due_count.get(set_id, 0))
        for set_id, set_room in rooms.items()
    }
    open_sets = {set_id: n for set_id, n in room.items() if n > 0}
    if not open_sets:
        return []
    # A small integer hash of (question, student) that SQL can compute on any backend: an affine
    # step then a squaring modulo a prime (products stay below 2**62). It shuffles differently
    # for each student, and stably from one call to the next.
    seed = (user.pk * _SHUFFLE_STEP) % _SHUFFLE_MODULUS
    mixed = (F("id") * Value(_SHUFFLE_MULTIPLIER) + Value(seed)) % Value(_SHUFFLE_MODULUS)
    shuffled = [
        set_id
        for set_id in open_sets
        if rooms[set_id].question_set.new_order == QuestionSet.NewOrder.SHUFFLE
    ]
    if shuffled:
        set_order = Case(
            When(
                question_set_id__in=shuffled,
                then=(mixed * mixed + Value(seed)) % Value(_SHUFFLE_MODULUS),
            ),
            default=F("position"),
            output_field=IntegerField(),
        )
    else:
        set_order = F("position")
    # Sets come in title order (rooms is ordered so): their rank, rather than a join.
    set_rank = _per_set(
        {set_id: rank for rank, set_id in enumerate(open_sets)}, field_name="question_set_id"
    )
    rows = (
        Question.objects.filter(scope, question_set_id__in=list(open_sets))
        .exclude(Exists(studied))
        .annotate(set_rank=set_rank, set_order=set_order)
    )
    if any(n < limit for n in open_sets.values()):
        rows = rows.annotate(
            room=_per_set(open_sets, field_name="question_set_id"),
            place_in_set=Window(
                RowNumber(),
                partition_by=[F("question_set_id")],
                order_by=[F("set_order").asc(), F("id").asc()],
            ),
        ).filter(place_in_set__lte=F("room"))
    questions = list(rows.order_by("set_rank", "set_order", "id")[:limit])
    for question in questions:
        question.question_set = rooms[question.question_set_id].question_set
    return [
        QueueItem(question=question, card=None, reason=QueueReason.NEW) for question in questions
    ]
