"""The series of the progress page's charts and the home page's counts."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate

from questions.models import (
    Card,
    CardState,
    Question,
    QuestionSet,
    Review,
    Topic,
)
from questions.models.study import recalled
from questions.scheduling import (
    MASTERED_STABILITY_DAYS,
)
from questions.selectors.study_days import (
    daily_counts,
    profile_of,
    study_date,
    study_day_bounds,
    user_time_zone,
)
from questions.selectors.study_limits import new_cards_limit
from questions.selectors.visibility import studied_sets, visible_sets

HEATMAP_WEEKS = 26


RETENTION_WEEKS = 12


@dataclass
class SetSummary:
    question_set: QuestionSet
    questions: int
    due: int
    new: int
    studied: int


def home_sets(*, user, now: datetime) -> tuple[list[SetSummary], list[QuestionSet]]:
    """The sets a student studies, with due and new counts, and other sets they could start."""
    studying = list(
        studied_sets(user)
        .select_related("owner", "source")
        .annotate(live=Count("questions", filter=Q(questions__archived_at__isnull=True)))
        .order_by("title", "id")
    )
    cards = (
        Card.objects.filter(
            user=user,
            question__archived_at__isnull=True,
            question__question_set__in=[s.pk for s in studying],
        )
        .exclude(state=CardState.NEW)
        .values("question__question_set_id")
        .annotate(studied=Count("id"), due=Count("id", filter=Q(due__lte=now)))
        .order_by()
    )
    by_set = {row["question__question_set_id"]: row for row in cards}
    day_start, _ = study_day_bounds(profile=profile_of(user), now=now)
    new_done = daily_counts(user=user, day_start=day_start, now=now).new_done
    summaries = []
    for question_set in studying:
        row = by_set.get(question_set.pk, {"studied": 0, "due": 0})
        unstudied = max(0, question_set.live - row["studied"])
        limit = new_cards_limit(profile=profile_of(user), question_set=question_set)
        new_left_today = max(0, limit - new_done.get(question_set.pk, 0))
        summaries.append(
            SetSummary(
                question_set=question_set,
                questions=question_set.live,
                due=row["due"],
                new=min(unstudied, new_left_today),
                studied=row["studied"],
            )
        )
    others = list(
        visible_sets(user)
        .exclude(pk__in=[s.pk for s in studying])
        .filter(visibility=QuestionSet.Visibility.PUBLIC)
        .select_related("owner")
        .order_by("title")[:20]
    )
    return summaries, others


PUBLIC_SETS_SHOWN = 12


def public_sets() -> list[QuestionSet]:
    """The public sets a signed-out visitor may start, with their live question counts."""
    return list(
        visible_sets(None)
        .annotate(live=Count("questions", filter=Q(questions__archived_at__isnull=True)))
        .filter(live__gt=0)
        .select_related("owner", "source")
        .order_by("title", "id")[:PUBLIC_SETS_SHOWN]
    )


@dataclass
class DayCount:
    day: date
    count: int


def _in_sets(reviews, sets):
    """The reviews of questions of `sets`, or all of them (None)."""
    return reviews if sets is None else reviews.filter(question__question_set__in=sets)


def review_calendar(
    *, user, now: datetime, weeks: int = HEATMAP_WEEKS, sets: QuerySet[QuestionSet] | None = None
) -> list[DayCount]:
    """Reviews per study day over the last `weeks` weeks, ending today, days without reviews as 0;
    only those in `sets` when given (a teacher reads a student's work in the sets they see)."""
    profile = profile_of(user)
    today = study_date(profile=profile, now=now)
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    shifted = timedelta(hours=profile.day_starts_at_hour)
    rows = (
        _in_sets(Review.objects.counted(), sets)
        .filter(user=user, reviewed_at__gte=now - timedelta(weeks=weeks + 1))
        .annotate(
            day=TruncDate(_minus(shifted), tzinfo=user_time_zone(profile)),
        )
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["day"]: row["n"] for row in rows}
    return [
        DayCount(
            day=first + timedelta(days=offset), count=counts.get(first + timedelta(days=offset), 0)
        )
        for offset in range((today - first).days + 1)
    ]


def _minus(delta: timedelta):

    return F("reviewed_at") - delta


@dataclass
class WeekRetention:
    week_start: date
    reviews: int
    passed: int

    @property
    def retention(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None


def weekly_retention(
    *, user, now: datetime, weeks: int = RETENTION_WEEKS, sets: QuerySet[QuestionSet] | None = None
) -> list[WeekRetention]:
    """True retention per week: the share of scheduled reviews of review cards not rated Again;
    only those in `sets` when given."""
    profile = profile_of(user)
    today = study_date(profile=profile, now=now)
    this_week = today - timedelta(days=today.weekday())
    first = this_week - timedelta(weeks=weeks - 1)
    rows = (
        _in_sets(Review.objects.counted().retention_reviews(), sets)
        .filter(
            user=user,
            reviewed_at__gte=now - timedelta(weeks=weeks + 1),
        )
        .annotate(
            day=TruncDate(
                _minus(timedelta(hours=profile.day_starts_at_hour)), tzinfo=user_time_zone(profile)
            )
        )
        .values("day")
        .annotate(n=Count("id"), passed=Count("id", filter=recalled()))
        .order_by()
    )
    weeks_data = {first + timedelta(weeks=i): [0, 0] for i in range(weeks)}
    for row in rows:
        start = row["day"] - timedelta(days=row["day"].weekday())
        if start in weeks_data:
            weeks_data[start][0] += row["n"]
            weeks_data[start][1] += row["passed"]
    return [WeekRetention(start, n, passed) for start, (n, passed) in weeks_data.items()]


@dataclass
class TopicMastery:
    topic: Topic
    questions: int
    studied: int
    mastered: int

    @property
    def mastered_share(self) -> float:
        return self.mastered / self.questions if self.questions else 0.0

    @property
    def studied_share(self) -> float:
        return self.studied / self.questions if self.questions else 0.0


def topic_mastery(*, user, sets: QuerySet[QuestionSet]) -> list[TopicMastery]:
    """Per topic of the questions of `sets`: how many the student studies and has mastered."""
    questions = Question.objects.filter(
        question_set__in=sets, archived_at__isnull=True, question_set__archived_at__isnull=True
    )
    topics = (
        Topic.objects.filter(Q(questions__in=questions))
        .annotate(
            total=Count("questions", filter=Q(questions__in=questions), distinct=True),
            studied=Count(
                "questions__cards",
                filter=Q(questions__in=questions, questions__cards__user=user)
                & ~Q(questions__cards__state=CardState.NEW),
                distinct=True,
            ),
            mastered=Count(
                "questions__cards",
                filter=Q(
                    questions__in=questions,
                    questions__cards__user=user,
                    questions__cards__stability__gt=MASTERED_STABILITY_DAYS,
                ),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    return [TopicMastery(t, t.total, t.studied, t.mastered) for t in topics.distinct()]
