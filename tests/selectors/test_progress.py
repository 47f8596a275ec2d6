"""Progress figures on a hand-built history; every expected number is worked out by hand below."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import User

from questions.models import Card, CardState, Review, ReviewMode
from questions.selectors.progress import progress
from tests.factories import (
    PassageFactory,
    QuestionFactory,
    QuestionSetFactory,
    StudentFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

# A Tuesday afternoon. The student's day starts at 4 a.m. UTC, so "today" is the study day
# from 10 March 04:00 to 11 March 04:00.
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)

# FSRS-6 defaults: decay d = -0.1542, factor f = 0.9 ** (1 / d) - 1 = 0.98036.
# R = (1 + f · whole days since the last review / S) ** d.
R_Q1 = 0.957335  # (1 + 0.98036 · 10 / 30) ** -0.1542 = 1.32679 ** -0.1542
R_Q2 = 0.886992  # (1 + 0.98036 · 6 / 5) ** -0.1542 = 2.17643 ** -0.1542
R_SAME_DAY = 1.0  # no whole day has passed


def card(user, question, state, *, stability, last_review, due):
    return Card.objects.create(
        user=user,
        question=question,
        state=state,
        step=0 if state != CardState.REVIEW else None,
        stability=stability,
        difficulty=5.0,
        last_review=last_review,
        due=due,
        reps=2,
    )


def log(user, question, at, *, before, rating, response_ms, mode=ReviewMode.SCHEDULED):
    Review.objects.create(
        client_id=f"{question.pk}-{at.isoformat()}",
        user=user,
        question=question,
        rating=rating,
        answer={"rating": rating},
        response_ms=response_ms,
        reviewed_at=at,
        mode=mode,
        state_before=before,
        state_after=CardState.REVIEW,
        stability_after=3.0,
        difficulty_after=5.0,
        due_after=at + timedelta(days=3),
        interval_days=3.0,
    )


@pytest.fixture
def history():
    student = StudentFactory()
    question_set = QuestionSetFactory(owner=student)
    first, second = PassageFactory(position=1), PassageFactory(position=2)
    q1, q2 = QuestionFactory.create_batch(2, question_set=question_set, passage=first)
    q3 = QuestionFactory(question_set=question_set, passage=second)
    q4, q5 = QuestionFactory.create_batch(2, question_set=question_set)
    # q1: mastered (S 30 > 21), due in 20 days.
    card(
        student,
        q1,
        CardState.REVIEW,
        stability=30,
        last_review=NOW - timedelta(days=10),
        due=NOW + timedelta(days=20),
    )
    # q2: overdue by a day.
    card(
        student,
        q2,
        CardState.REVIEW,
        stability=5,
        last_review=NOW - timedelta(days=6),
        due=NOW - timedelta(days=1),
    )
    # q3: relearning, its step is due in 5 minutes (today, not now).
    card(
        student,
        q3,
        CardState.RELEARNING,
        stability=1,
        last_review=NOW - timedelta(hours=1),
        due=NOW + timedelta(minutes=5),
    )
    # q4: learning, due on 12 March at 10:00 (study day +2).
    card(
        student,
        q4,
        CardState.LEARNING,
        stability=2,
        last_review=NOW - timedelta(hours=2),
        due=datetime(2026, 3, 12, 10, tzinfo=UTC),
    )
    # q5 never studied.

    log(
        student,
        q1,
        datetime(2026, 3, 6, 12, tzinfo=UTC),
        before=CardState.REVIEW,
        rating=3,
        response_ms=10_000,
    )
    log(
        student,
        q2,
        datetime(2026, 3, 8, 12, tzinfo=UTC),
        before=CardState.REVIEW,
        rating=1,
        response_ms=20_000,
    )
    # 03:00 on the 9th is still the study day of the 8th.
    log(
        student,
        q1,
        datetime(2026, 3, 9, 3, tzinfo=UTC),
        before=CardState.REVIEW,
        rating=3,
        response_ms=5_000,
    )
    # 03:30 on the 10th is still the study day of the 9th.
    log(
        student,
        q3,
        datetime(2026, 3, 10, 3, 30, tzinfo=UTC),
        before=CardState.REVIEW,
        rating=1,
        response_ms=8_000,
    )
    log(
        student,
        q4,
        datetime(2026, 3, 10, 13, tzinfo=UTC),
        before=CardState.NEW,
        rating=3,
        response_ms=7_000,
    )
    # Studied ahead: not a measure of retention.
    log(
        student,
        q2,
        datetime(2026, 3, 10, 14, tzinfo=UTC),
        before=CardState.REVIEW,
        rating=4,
        response_ms=3_000,
        mode=ReviewMode.AHEAD,
    )

    # Noise that must not count: another student's card and answer, and a question of another set.
    other = StudentFactory()
    card(other, q5, CardState.REVIEW, stability=50, last_review=NOW, due=NOW)
    log(other, q5, NOW - timedelta(hours=1), before=CardState.REVIEW, rating=1, response_ms=99_000)
    elsewhere = QuestionFactory(question_set=QuestionSetFactory(owner=student))
    card(student, elsewhere, CardState.REVIEW, stability=3, last_review=NOW, due=NOW)
    log(
        student,
        elsewhere,
        datetime(2026, 3, 7, 12, tzinfo=UTC),
        before=CardState.REVIEW,
        rating=1,
        response_ms=1_000,
    )
    return student, question_set


def test_progress_of_a_set_on_a_hand_built_history(history, django_assert_num_queries):
    student, question_set = history
    student = User.objects.select_related("profile").get(pk=student.pk)  # as token auth loads it

    # card figures, question count, log figures, study days, passages (the profile came along)
    with django_assert_num_queries(5):
        result = progress(user=student, now=NOW, question_set=question_set)

    assert result.questions == 5
    assert result.by_state == {"new": 1, "learning": 1, "review": 2, "relearning": 1}
    assert (result.due_now, result.due_today, result.due_this_week) == (1, 2, 3)
    forecast = {day.day: day.due for day in result.forecast if day.due}
    assert forecast == {date(2026, 3, 10): 2, date(2026, 3, 12): 1, date(2026, 3, 30): 1}
    assert len(result.forecast) == 30
    assert result.forecast[0].day == date(2026, 3, 10)
    # Scheduled answers to review cards: q1 pass, q2 fail, q1 pass, q3 fail.
    assert (result.retention_reviews, result.true_retention) == (4, 0.5)
    assert result.mean_retrievability == pytest.approx(
        (R_Q1 + R_Q2 + R_SAME_DAY + R_SAME_DAY) / 4, abs=1e-5
    )
    assert (result.mastered, result.mastered_share) == (1, 0.2)
    # Study days 6, 8, 9 and 10 March: the streak is 8–10 March.
    assert (result.streak_days, result.studied_today) == (3, True)
    assert result.reviews == 6
    assert result.time_studied_ms == 53_000
    assert result.time_studied_today_ms == 10_000

    first, second = result.passages
    assert (first.position, first.questions, first.studied, first.mastered) == (1, 2, 2, 1)
    assert first.mean_retrievability == pytest.approx((R_Q1 + R_Q2) / 2, abs=1e-5)
    assert (second.position, second.questions, second.studied, second.mastered) == (2, 1, 1, 0)
    assert second.mean_retrievability == pytest.approx(R_SAME_DAY)
    assert second.known_share == pytest.approx(1.0)


def test_streak_survives_until_the_student_studies_today(history):
    student, question_set = history
    tomorrow_morning = datetime(2026, 3, 11, 9, tzinfo=UTC)

    result = progress(user=student, now=tomorrow_morning, question_set=question_set)

    assert (result.streak_days, result.studied_today) == (3, False)


def test_streak_breaks_after_a_day_without_study(history):
    student, question_set = history

    result = progress(
        user=student, now=datetime(2026, 3, 12, 9, tzinfo=UTC), question_set=question_set
    )

    assert result.streak_days == 0


def test_streak_follows_the_students_time_zone(history):
    student, question_set = history
    # In New York (UTC-4 from 8 March) the reviews at 03:00 and 03:30 UTC fall on the evenings
    # of the 8th and 9th, and 12:00 UTC on the 6th and 8th are mornings: study days 6, 8, 9, 10.
    # Now (11:00 on the 10th in New York) the streak is still 8–10 March.
    student.profile.time_zone = "America/New_York"
    student.profile.save()

    result = progress(user=student, now=NOW, question_set=question_set)

    assert (result.streak_days, result.studied_today) == (3, True)
    assert result.forecast[0].day == date(2026, 3, 10)


def test_progress_across_everything_counts_every_set(history):
    student, _ = history

    result = progress(user=student, now=NOW)

    assert result.questions == 6
    assert result.by_state["review"] == 3
    assert result.reviews == 7
    # 7 March joins the run: 6, 7, 8, 9 and 10 March.
    assert result.streak_days == 5


def test_progress_by_topic(history):
    student, question_set = history
    topic = TopicFactory()
    tagged = question_set.questions.order_by("position").first()
    tagged.topics.add(topic)

    result = progress(user=student, now=NOW, topic=topic)

    assert result.questions == 1
    assert result.by_state["review"] == 1
    assert result.reviews == 2


def test_progress_with_no_history():
    student = StudentFactory()
    question_set = QuestionSetFactory(owner=student)
    QuestionFactory.create_batch(3, question_set=question_set)

    result = progress(user=student, now=NOW, question_set=question_set)

    assert result.by_state == {"new": 3, "learning": 0, "review": 0, "relearning": 0}
    assert result.true_retention is None
    assert result.mean_retrievability is None
    assert (result.streak_days, result.time_studied_ms, result.mastered_share) == (0, 0, 0.0)


@pytest.mark.parametrize("size", [1, 40])
def test_progress_runs_a_constant_number_of_queries(django_assert_num_queries, size):
    student = StudentFactory()
    question_set = QuestionSetFactory(owner=student)
    passage = PassageFactory()
    for number in range(size):
        question = QuestionFactory(question_set=question_set, passage=passage)
        card(
            student,
            question,
            CardState.REVIEW,
            stability=number + 1,
            last_review=NOW - timedelta(days=number),
            due=NOW + timedelta(days=number),
        )
        for day in range(3):
            log(
                student,
                question,
                NOW - timedelta(days=day, minutes=number),
                before=CardState.REVIEW,
                rating=3,
                response_ms=1000,
            )

    student = User.objects.get(pk=student.pk)  # without its profile

    # profile, card figures, question count, log figures, study days, passages
    with django_assert_num_queries(6):
        result = progress(user=student, now=NOW)

    assert result.reviews == 3 * size
    assert result.passages[0].questions == size
