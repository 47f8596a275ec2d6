"""How well a student knows what they study: the figures, the charts' series, the home counts.

Every read runs a fixed, small number of queries whatever the size of the bank or the history;
the figures are aggregated by the database, never by loading the review log.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Avg,
    Count,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate

from questions.models import (
    Card,
    CardState,
    Profile,
    Question,
    QuestionSet,
    Review,
    Topic,
)
from questions.models.study import recalled, retention_review
from questions.scheduling import (
    MASTERED_STABILITY_DAYS,
)
from questions.selectors.queue import STUDIED_STATES
from questions.selectors.sql import retrievability_expression
from questions.selectors.study_days import (
    profile_of,
    study_date,
    study_day_start,
    user_time_zone,
)
from questions.selectors.visibility import (
    studied_scope,
    studied_sets,
    studyable_questions,
    visible_sets,
)

FORECAST_DAYS = 30
# FSRS's default, and a new set's.
DEFAULT_DESIRED_RETENTION = 0.9


WEEK_DAYS = 7


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
    scope = studied_scope(user=user, question_set=question_set, topic=topic)
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

    reviews = Review.objects.counted().filter(
        user=user, question__in=scoped_ids, reviewed_at__lte=now
    )
    log = reviews.aggregate(  # 1 query
        reviews=Count("id"),
        retention_reviews=Count("id", filter=retention_review()),
        retention_passed=Count("id", filter=retention_review() & recalled()),
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


def readable_sets(*, learner, seen_by=None):
    """(the sets whose progress may be shown, the sets the learner studies among them): for a
    teacher reading a student's progress (`seen_by`), only the sets the teacher may see too."""
    sets, studied = visible_sets(learner), studied_sets(learner)
    if seen_by is not None:
        seen = visible_sets(seen_by).values("pk")
        sets, studied = sets.filter(pk__in=seen), studied.filter(pk__in=seen)
    return sets, studied


def retention_target(*, learner, question_set=None) -> float:
    """The retention the learner aims at: their own, else the set's, else FSRS's default 0.9."""
    profile = Profile.objects.filter(user=learner).first()
    return (profile and profile.desired_retention) or (
        question_set.desired_retention if question_set else DEFAULT_DESIRED_RETENTION
    )


def source_reading(*, user, source, now: datetime) -> list[dict]:
    """Each passage of a source with how many questions the user may answer cite it, and how
    far the user is with them. Four queries."""
    cited = dict(
        studyable_questions(user)
        .filter(passage__source=source)
        .values_list("passage_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    own_cards = (
        Card.objects.filter(user=user, question__passage__source=source)
        .exclude(state=CardState.NEW)
        .values("question__passage_id")
        .annotate(studied=Count("id"), due=Count("id", filter=Q(due__lte=now)))
        .order_by()
    )
    cards_by_passage = {row["question__passage_id"]: row for row in own_cards}
    known = {row.passage_id: row.known_share for row in progress(user=user, now=now).passages}
    passages = []
    for passage in source.passages.all():
        questions = cited.get(passage.pk, 0)
        cards = cards_by_passage.get(passage.pk, {"studied": 0, "due": 0})
        passages.append(
            {
                "passage": passage,
                "questions": questions,
                "studied": cards["studied"],
                "due": cards["due"],
                "known": known.get(passage.pk, 0.0) if questions else None,
                "studied_share": cards["studied"] / questions if questions else None,
            }
        )
    return passages
