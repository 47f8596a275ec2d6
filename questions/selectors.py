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
    Sum,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Floor, Power, RowNumber, TruncDate

from questions.models import (
    Assignment,
    Card,
    CardState,
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
    """The user's profile (a default, unsaved one for a user without a profile row)."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


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


def visible_sets(user) -> QuerySet[QuestionSet]:
    """Sets the user may study: their own, public ones, and those assigned to their classes."""
    live = QuestionSet.objects.filter(archived_at__isnull=True)
    if user is None or not user.is_authenticated:
        return live.filter(visibility=QuestionSet.Visibility.PUBLIC)
    assigned = Assignment.objects.filter(
        question_set=OuterRef("pk"), classroom__memberships__user=user
    )
    return live.filter(
        Q(owner=user) | Q(visibility=QuestionSet.Visibility.PUBLIC) | Q(Exists(assigned))
    )


def studied_sets(user) -> QuerySet[QuestionSet]:
    """Sets that make up "everything the user studies": their own, those assigned to their
    classes, and any visible set they have started."""
    assigned = Assignment.objects.filter(
        question_set=OuterRef("pk"), classroom__memberships__user=user
    )
    started = Card.objects.filter(user=user, question__question_set=OuterRef("pk"))
    return visible_sets(user).filter(Q(owner=user) | Q(Exists(assigned)) | Q(Exists(started)))


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


def _per_set(values: dict[int, int], *, field_name: str = "question__question_set_id"):
    """A SQL value that is values[set id] for each set (0 for sets not in `values`)."""
    if not values:
        return Value(0)
    return Case(
        *(When(**{field_name: set_id}, then=Value(n)) for set_id, n in values.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


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
    The day rolls over at the profile's day_starts_at_hour in its time zone. At most 8 queries
    (9 with `ahead`).
    """
    if limit < 1:
        return []
    profile = profile_of(user)  # 1 query
    day_start, _ = study_day_bounds(profile=profile, now=now)
    done = daily_counts(user=user, day_start=day_start, now=now)  # 1 query
    scope = _question_scope(user=user, question_set=question_set, topic=topic, passage=passage)
    in_scope = Q(question__in=Question.objects.filter(scope).values("pk"))
    due_reviews = Card.objects.filter(in_scope, user=user, state=CardState.REVIEW, due__lte=now)
    due_count = dict(  # 1 query
        due_reviews.values_list("question__question_set_id").annotate(n=Count("id")).order_by()
    )

    items: list[QueueItem] = []
    # The review room of a set: its daily review limit minus today's reviews and new cards.
    used = {
        set_id: done.reviews_done.get(set_id, 0) + done.new_done.get(set_id, 0)
        for set_id in done.new_done
    }
    review_rows = (
        due_reviews.select_related("question__question_set")
        .annotate(
            overdue=(Value(now.timestamp()) - EpochSeconds("last_review")) / F("stability"),
            place_in_set=Window(
                RowNumber(),
                partition_by=[F("question__question_set_id")],
                order_by=[F("overdue").desc(), F("due").asc(), F("id").asc()],
            ),
        )
        .filter(place_in_set__lte=F("question__question_set__daily_review_limit") - _per_set(used))
        .order_by("-overdue", "due", "id")
    )
    items += [
        QueueItem(question=card.question, card=card, reason=REASON_REVIEW)
        for card in review_rows[:limit]  # 1 query
    ]

    if len(items) < limit:
        learning = (
            Card.objects.filter(
                in_scope,
                user=user,
                state__in=(CardState.LEARNING, CardState.RELEARNING),
                due__lte=now,
            )
            .select_related("question__question_set")
            .order_by("due", "id")
        )
        items += [
            QueueItem(question=card.question, card=card, reason=REASON_LEARNING)
            for card in learning[: limit - len(items)]  # 1 query
        ]

    if len(items) < limit:
        items += _new_items(
            user=user,
            scope=scope,
            done=done,
            used=used,
            due_count=due_count,
            limit=limit - len(items),
        )  # 1 query

    if ahead and len(items) < limit:
        not_due = (
            Card.objects.filter(in_scope, user=user, state__in=STUDIED_STATES, due__gt=now)
            .select_related("question__question_set")
            .order_by("due", "id")
        )
        items += [
            QueueItem(question=card.question, card=card, reason=REASON_AHEAD)
            for card in not_due[: limit - len(items)]  # 1 query
        ]

    prefetch_related_objects([item.question for item in items], "answers", "topics")  # 2 queries
    return items


def _new_items(*, user, scope, done, used, due_count, limit) -> list[QueueItem]:
    studied = Card.objects.filter(user=user, question=OuterRef("pk")).exclude(state=CardState.NEW)
    # A small integer hash of (question, student) that SQL can compute on any backend: an affine
    # step then a squaring modulo a prime (products stay below 2**62). It shuffles differently
    # for each student, and stably from one call to the next.
    seed = (user.pk * _SHUFFLE_STEP) % _SHUFFLE_MODULUS
    mixed = (F("id") * Value(_SHUFFLE_MULTIPLIER) + Value(seed)) % Value(_SHUFFLE_MODULUS)
    shuffle_key = (mixed * mixed + Value(seed)) % Value(_SHUFFLE_MODULUS)
    set_order = Case(
        When(question_set__new_order=QuestionSet.NewOrder.SHUFFLE, then=shuffle_key),
        default=F("position"),
        output_field=IntegerField(),
    )
    review_used = {
        set_id: used.get(set_id, 0) + due_count.get(set_id, 0) for set_id in {*used, *due_count}
    }
    rows = (
        Question.objects.filter(scope)
        .exclude(Exists(studied))
        .select_related("question_set")
        .annotate(
            set_order=set_order,
            place_in_set=Window(
                RowNumber(),
                partition_by=[F("question_set_id")],
                order_by=[F("set_order").asc(), F("id").asc()],
            ),
        )
        .filter(
            place_in_set__lte=F("question_set__daily_new_limit")
            - _per_set(done.new_done, field_name="question_set_id"),
        )
        .filter(
            place_in_set__lte=F("question_set__daily_review_limit")
            - _per_set(review_used, field_name="question_set_id"),
        )
        .order_by("question_set__title", "question_set_id", "place_in_set")
    )
    return [QueueItem(question=question, card=None, reason=REASON_NEW) for question in rows[:limit]]


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
) -> Progress:
    """How far the student is, across what they study, in one set, or in one topic. 6 queries."""
    profile = profile_of(user)  # 1 query
    today = study_date(profile=profile, now=now)
    day_starts = [
        study_day_start(profile=profile, day=today + timedelta(days=offset))
        for offset in range(FORECAST_DAYS + 1)
    ]
    scope = _question_scope(user=user, question_set=question_set, topic=topic)
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
