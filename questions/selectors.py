"""Reads for studying: which sets a user sees, what to study next, and how well it is known.

Every selector runs a fixed, small number of queries whatever the size of the bank or the
history; the figures are aggregated by the database, never by loading the review log.
"""

import itertools
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Floor, Power, RowNumber, TruncDate

from questions.models import (
    Assignment,
    Card,
    CardState,
    Classroom,
    Profile,
    Question,
    QuestionSet,
    Review,
    ReviewMode,
    Topic,
)
from questions.models.sources import Passage
from questions.scheduling import (
    MASTERED_STABILITY_DAYS,
    SchedulerSettings,
    fitted_parameters,
    forgetting_curve_constants,
)

FORECAST_DAYS = 30
WEEK_DAYS = 7
SECONDS_PER_DAY = 86400.0
STUDIED_STATES = (CardState.LEARNING, CardState.REVIEW, CardState.RELEARNING)
# Multiplier and modulus of the integer hash that shuffles new questions per student.
_SHUFFLE_MULTIPLIER = 1103515245
_SHUFFLE_MODULUS = 2147483647
_SHUFFLE_STEP = 2654435761


class EpochSeconds(Func):
    """Seconds since 1970 of a datetime column, as a float, on PostgreSQL and SQLite."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM %(expressions)s)::double precision",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
            **extra_context,
        )


# ---------------------------------------------------------------------------------------------
# Study days


def profile_of(user) -> Profile:
    """The user's profile (a default, unsaved one for a user without a profile row).

    Read through the user's `profile` relation, so a profile loaded with the user (API token
    authentication selects it in the same query) or read earlier in the request costs nothing.
    """
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


def user_time_zone(profile: Profile) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(profile.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def study_date(*, profile: Profile, now: datetime) -> date:
    """The study day `now` belongs to: a day starts at day_starts_at_hour in the user's zone."""
    local = now.astimezone(user_time_zone(profile))
    return (local - timedelta(hours=profile.day_starts_at_hour)).date()


def study_day_start(*, profile: Profile, day: date) -> datetime:
    """When study day `day` begins, in UTC (wall-clock hour, so it follows summer time)."""
    local = datetime.combine(day, time(profile.day_starts_at_hour), user_time_zone(profile))
    return local.astimezone(zoneinfo.ZoneInfo("UTC"))


def study_day_bounds(*, profile: Profile, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the study day that `now` falls in."""
    today = study_date(profile=profile, now=now)
    return (
        study_day_start(profile=profile, day=today),
        study_day_start(profile=profile, day=today + timedelta(days=1)),
    )


# ---------------------------------------------------------------------------------------------
# Sets


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


def assignable_sets(user) -> QuerySet[QuestionSet]:
    """Sets a teacher may assign to their class: their own live sets and public ones. A set
    another teacher shares with "my classes" is theirs to assign, not this teacher's."""
    return QuestionSet.objects.filter(
        Q(archived_at__isnull=True) & (Q(owner=user) | Q(visibility=QuestionSet.Visibility.PUBLIC))
    )


def _studied(user) -> Q:
    rule = _visibility(user)
    started = Q(pk__in=Card.objects.filter(user=user).values("question__question_set_id"))
    return Q(archived_at__isnull=True) & (rule.own | rule.assigned | (started & rule.shared))


def studied_sets(user) -> QuerySet[QuestionSet]:
    """Sets that make up "everything the user studies": the visible sets that are their own,
    assigned to their classes, or started (they have a card in it)."""
    return QuestionSet.objects.filter(_studied(user))


def _question_scope(
    *, user, question_set=None, topic: Topic | None = None, passage: Passage | None = None
) -> Q:
    """Live questions of the scope, as a filter on Question."""
    scope = Q(archived_at__isnull=True, question_set__archived_at__isnull=True)
    if question_set is not None:
        scope &= Q(question_set=question_set)
    else:
        scope &= Q(question_set__in=studied_sets(user).values("pk"))
    if topic is not None:
        question_topic = Question.topics.through.objects.filter(
            question_id=OuterRef("pk"), topic=topic
        )
        set_topic = QuestionSet.topics.through.objects.filter(
            questionset_id=OuterRef("question_set_id"), topic=topic
        )
        scope &= Q(Exists(question_topic)) | Q(Exists(set_topic))
    if passage is not None:
        scope &= Q(passage=passage)
    return scope


# ---------------------------------------------------------------------------------------------
# Study queue


@dataclass(frozen=True)
class QueueItem:
    question: Question
    card: Card | None
    reason: str  # "review", "learning", "new" or "ahead"


REASON_REVIEW = "review"
REASON_LEARNING = "learning"
REASON_NEW = "new"
REASON_AHEAD = "ahead"


@dataclass(frozen=True)
class DailyCounts:
    """Per set, how many new questions and reviews the student did this study day."""

    new_done: dict[int, int]
    reviews_done: dict[int, int]


def daily_counts(*, user, day_start: datetime, now: datetime) -> DailyCounts:
    rows = (
        Review.objects.filter(user=user, reviewed_at__gte=day_start, reviewed_at__lte=now)
        .exclude(mode=ReviewMode.QUIZ)  # a graded quiz takes nothing from the daily limits
        .values("question__question_set_id")
        .annotate(
            new=Count("id", filter=Q(state_before=CardState.NEW)),
            reviews=Count("id", filter=Q(state_before=CardState.REVIEW)),
        )
        .order_by()
    )
    new_done, reviews_done = {}, {}
    for row in rows:
        new_done[row["question__question_set_id"]] = row["new"]
        reviews_done[row["question__question_set_id"]] = row["reviews"]
    return DailyCounts(new_done=new_done, reviews_done=reviews_done)


def _today_count(*, user, day_start: datetime, now: datetime, state_before: str):
    """How many answers the user gave today to cards in `state_before`, in the outer set."""
    answers = (
        Review.objects.filter(
            user=user,
            reviewed_at__gte=day_start,
            reviewed_at__lte=now,
            state_before=state_before,
            question__question_set=OuterRef("pk"),
        )
        .exclude(mode=ReviewMode.QUIZ)
        .order_by()
        .values("user_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(answers, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class _SetRoom:
    """A set of the queue, with what its daily limits leave for today."""

    question_set: QuestionSet
    new_done: int
    reviews: int  # reviews still allowed today: the review limit minus reviews and new cards

    @property
    def new(self) -> int:
        return self.question_set.daily_new_limit - self.new_done


def _set_rooms(*, user, question_set, day_start: datetime, now: datetime) -> dict[int, _SetRoom]:
    """The sets of the queue (one set, or everything the user studies), with today's counts:
    one query, whose set ids then stand for visibility in the queue's queries."""
    if question_set is not None:
        scope = Q(pk=question_set.pk, archived_at__isnull=True)
    else:
        scope = _studied(user)
    # Annotated and ordered before filtering: cloning a queryset copies its filters' subqueries.
    sets = (
        QuestionSet.objects.annotate(
            new_done=_today_count(
                user=user, day_start=day_start, now=now, state_before=CardState.NEW
            ),
            reviews_done=_today_count(
                user=user, day_start=day_start, now=now, state_before=CardState.REVIEW
            ),
        )
        .order_by("title", "id")
        .filter(scope)
    )
    rooms = {}
    for row in sets:
        used = row.new_done + row.reviews_done
        rooms[row.pk] = _SetRoom(
            question_set=row, new_done=row.new_done, reviews=row.daily_review_limit - used
        )
    return rooms


def _question_filter(
    *, set_ids, topic: Topic | None, passage: Passage | None, on_card: bool = False
) -> Q:
    """Live questions of these sets (and of the topic or passage), as a filter on Question, or
    on Card with `on_card`."""
    prefix = "question__" if on_card else ""
    scope = Q(**{f"{prefix}question_set_id__in": set_ids, f"{prefix}archived_at__isnull": True})
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
    card_scope = _question_filter(set_ids=list(rooms), topic=topic, passage=passage, on_card=True)
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
                reason=REASON_REVIEW if card.state == CardState.REVIEW else REASON_LEARNING,
            )
            for card in cards
        ]
        due_count = dict.fromkeys(rooms, 0)
        for item in items:
            if item.reason == REASON_REVIEW:
                due_count[item.question.question_set_id] += 1
    else:
        items, due_count = _capped_due_items(
            due=due, rooms=rooms, overdue=overdue, limit=limit
        )  # 1 to 3 queries

    if len(items) < limit:
        scope = _question_filter(set_ids=list(rooms), topic=topic, passage=passage)
        items += _new_items(
            user=user, scope=scope, rooms=rooms, due_count=due_count, limit=limit - len(items)
        )  # 1 query

    if ahead and len(items) < limit:
        not_due = Card.objects.filter(
            card_scope, user=user, state__in=STUDIED_STATES, due__gt=now
        ).select_related("question")
        items += [
            QueueItem(question=card.question, card=card, reason=REASON_AHEAD)
            for card in _with_sets(list(not_due.order_by("due", "id")[: limit - len(items)]), rooms)
        ]  # 1 query

    prefetch_related_objects([item.question for item in items], "answers", "topics")  # 2 queries
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
        QueueItem(question=card.question, card=card, reason=REASON_REVIEW)
        for card in _with_sets(list(review_rows[:limit]), rooms)  # 1 query
    ]
    if len(items) < limit:
        learning = due.filter(state__in=(CardState.LEARNING, CardState.RELEARNING))
        items += [
            QueueItem(question=card.question, card=card, reason=REASON_LEARNING)
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
    return [QueueItem(question=question, card=None, reason=REASON_NEW) for question in questions]


# ---------------------------------------------------------------------------------------------
# Progress


@dataclass(frozen=True)
class ForecastDay:
    day: date
    due: int


@dataclass(frozen=True)
class PassageProgress:
    passage_id: int
    position: int
    heading: str
    questions: int
    studied: int
    mastered: int
    mean_retrievability: float | None

    @classmethod
    def without_questions(cls, passage) -> "PassageProgress":
        """The progress of a passage that no question in scope cites: nothing to know yet."""
        return cls(
            passage_id=passage.pk,
            position=passage.position,
            heading=passage.heading,
            questions=0,
            studied=0,
            mastered=0,
            mean_retrievability=None,
        )

    @property
    def known_share(self) -> float:
        """How well the student knows this passage: mean retrievability over all its
        questions, counting questions never studied as 0."""
        if not self.questions:
            return 0.0
        return (self.mean_retrievability or 0.0) * self.studied / self.questions


@dataclass
class Progress:
    questions: int
    by_state: dict[str, int]
    due_now: int
    due_today: int
    due_this_week: int
    forecast: list[ForecastDay]
    reviews: int
    retention_reviews: int
    true_retention: float | None
    mean_retrievability: float | None
    mastered: int
    mastered_share: float
    streak_days: int
    studied_today: bool
    time_studied_ms: int
    time_studied_today_ms: int
    passages: list[PassageProgress] = field(default_factory=list)


def retrievability_expression(*, now: datetime, profile: Profile, prefix: str = ""):
    """FSRS-6 retrievability of a card row at `now`, in SQL, as py-fsrs computes it
    (whole days elapsed since the last review)."""
    settings = SchedulerSettings.build(parameters=fitted_parameters(profile.fsrs_parameters))
    factor, decay = forgetting_curve_constants(settings)
    elapsed_days = Floor(
        (Value(now.timestamp()) - EpochSeconds(f"{prefix}last_review")) / Value(SECONDS_PER_DAY)
    )
    return Power(
        Value(1.0) + Value(factor) * elapsed_days / F(f"{prefix}stability"),
        Value(decay),
        output_field=FloatField(),
    )


def progress(
    *,
    user,
    now: datetime,
    question_set: QuestionSet | None = None,
    topic: Topic | None = None,
    seen_by=None,
) -> Progress:
    """How far the student is, across what they study, in one set, or in one topic. 6 queries.

    `seen_by`, a teacher reading a student's progress, limits it to the sets that teacher may
    see: the student's work in another teacher's private set is not theirs to read.
    """
    profile = profile_of(user)  # 1 query
    today = study_date(profile=profile, now=now)
    day_starts = [
        study_day_start(profile=profile, day=today + timedelta(days=offset))
        for offset in range(FORECAST_DAYS + 1)
    ]
    scope = _question_scope(user=user, question_set=question_set, topic=topic)
    if seen_by is not None:
        scope &= Q(question_set__in=visible_sets(seen_by).values("pk"))
    scoped_ids = Question.objects.filter(scope).values("pk")
    cards = Card.objects.filter(user=user, question__in=scoped_ids).exclude(state=CardState.NEW)
    studied = Q(state__in=STUDIED_STATES)
    forecast_counts = {
        f"day_{offset}": Count(
            "id",
            filter=Q(due__lt=day_starts[offset + 1])
            & (Q(due__gte=day_starts[offset]) if offset else Q()),
        )
        for offset in range(FORECAST_DAYS)
    }
    figures = cards.aggregate(  # 1 query
        **{f"state_{state}": Count("id", filter=Q(state=state)) for state in STUDIED_STATES},
        due_now=Count("id", filter=Q(due__lte=now)),
        due_week=Count("id", filter=Q(due__lt=day_starts[WEEK_DAYS])),
        mastered=Count("id", filter=Q(stability__gt=MASTERED_STABILITY_DAYS)),
        mean_r=Avg(retrievability_expression(now=now, profile=profile), filter=studied),
        **forecast_counts,
    )
    questions = Question.objects.filter(scope).count()  # 1 query

    reviews = Review.objects.filter(user=user, question__in=scoped_ids, reviewed_at__lte=now)
    log = reviews.aggregate(  # 1 query
        reviews=Count("id"),
        retention_reviews=Count(
            "id", filter=Q(state_before=CardState.REVIEW, mode=ReviewMode.SCHEDULED)
        ),
        retention_passed=Count(
            "id",
            filter=Q(state_before=CardState.REVIEW, mode=ReviewMode.SCHEDULED, rating__gt=1),
        ),
        time_ms=Sum("response_ms"),
        time_today_ms=Sum("response_ms", filter=Q(reviewed_at__gte=day_starts[0])),
    )
    streak, studied_today = _streak(reviews=reviews, profile=profile, today=today)  # 1 query

    by_state = {CardState.NEW.value: 0}
    by_state.update({state.value: figures[f"state_{state}"] for state in STUDIED_STATES})
    studied_count = sum(by_state.values())
    by_state[CardState.NEW.value] = max(0, questions - studied_count)
    return Progress(
        questions=questions,
        by_state=by_state,
        due_now=figures["due_now"],
        due_today=figures["day_0"],
        due_this_week=figures["due_week"],
        forecast=[
            ForecastDay(day=today + timedelta(days=offset), due=figures[f"day_{offset}"])
            for offset in range(FORECAST_DAYS)
        ],
        reviews=log["reviews"],
        retention_reviews=log["retention_reviews"],
        true_retention=log["retention_passed"] / log["retention_reviews"]
        if log["retention_reviews"]
        else None,
        mean_retrievability=figures["mean_r"],
        mastered=figures["mastered"],
        mastered_share=figures["mastered"] / questions if questions else 0.0,
        streak_days=streak,
        studied_today=studied_today,
        time_studied_ms=log["time_ms"] or 0,
        time_studied_today_ms=log["time_today_ms"] or 0,
        passages=_passage_progress(user=user, scope=scope, now=now, profile=profile),  # 1 query
    )


def _streak(*, reviews: QuerySet[Review], profile: Profile, today: date) -> tuple[int, bool]:
    """Consecutive study days with at least one review, ending today (or yesterday, so that a
    streak is not lost before the student had a chance to study today)."""
    days = (
        reviews.annotate(
            day=TruncDate(
                F("reviewed_at") - timedelta(hours=profile.day_starts_at_hour),
                tzinfo=user_time_zone(profile),
            )
        )
        .values_list("day", flat=True)
        .distinct()
        .order_by("-day")
    )
    studied_days = [day for day in days if day <= today]
    if not studied_days or studied_days[0] < today - timedelta(days=1):
        return 0, False
    streak = 1
    for newer, older in itertools.pairwise(studied_days):
        if newer - older != timedelta(days=1):
            break
        streak += 1
    return streak, studied_days[0] == today


def _passage_progress(*, user, scope: Q, now: datetime, profile: Profile) -> list[PassageProgress]:
    rows = (
        Question.objects.filter(scope, passage__isnull=False)
        .annotate(
            own_card=FilteredRelation(
                "cards", condition=Q(cards__user=user) & ~Q(cards__state=CardState.NEW)
            )
        )
        .values("passage_id", "passage__position", "passage__heading")
        .annotate(
            questions=Count("id"),
            studied=Count("own_card"),
            mastered=Count("own_card", filter=Q(own_card__stability__gt=MASTERED_STABILITY_DAYS)),
            mean_r=Avg(retrievability_expression(now=now, profile=profile, prefix="own_card__")),
        )
        .order_by("passage__position")
    )
    return [
        PassageProgress(
            passage_id=row["passage_id"],
            position=row["passage__position"],
            heading=row["passage__heading"],
            questions=row["questions"],
            studied=row["studied"],
            mastered=row["mastered"],
            mean_retrievability=row["mean_r"],
        )
        for row in rows
    ]
