from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from questions.models import Card, CardState, QuestionKind, QuestionSet
from questions.selectors.queue import study_queue
from questions.selectors.study_days import study_day_bounds
from questions.selectors.visibility import visible_sets
from questions.services.reviews import review_record
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    QuestionFactory,
    QuestionSetFactory,
    StudentFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def review_card(user, question, *, stability, days_since_review, due_in_days=0.0, now=NOW):
    return Card.objects.create(
        user=user,
        question=question,
        state=CardState.REVIEW,
        stability=stability,
        difficulty=5.0,
        last_review=now - timedelta(days=days_since_review),
        due=now + timedelta(days=due_in_days),
        reps=3,
    )


def learning_card(user, question, *, due):
    return Card.objects.create(
        user=user,
        question=question,
        state=CardState.LEARNING,
        step=1,
        stability=2.3,
        difficulty=5.0,
        last_review=due - timedelta(minutes=10),
        due=due,
        reps=1,
    )


def learn(user, question, now):
    return review_record(
        user=user,
        question=question,
        client_id=f"{question.pk}-{now.isoformat()}",
        answer=None,
        rating=3,
        response_ms=3000,
        now=now,
    )


@pytest.fixture
def student_set():
    student = StudentFactory()
    question_set = QuestionSetFactory(owner=student)
    return student, question_set


def test_due_reviews_come_first_lowest_retrievability_first_then_learning_then_new(student_set):
    student, question_set = student_set
    fresh, faded, learning_q, new_q, later_q = QuestionFactory.create_batch(
        5, question_set=question_set
    )
    review_card(student, fresh, stability=30, days_since_review=3, due_in_days=-0.5)
    review_card(student, faded, stability=2, days_since_review=3, due_in_days=-1)
    learning_card(student, learning_q, due=NOW - timedelta(minutes=1))
    review_card(student, later_q, stability=10, days_since_review=1, due_in_days=5)

    queue = study_queue(user=student, now=NOW, question_set=question_set)

    assert [(item.question, item.reason) for item in queue] == [
        (faded, "review"),
        (fresh, "review"),
        (learning_q, "learning"),
        (new_q, "new"),
    ]
    assert queue[0].card.question_id == faded.pk
    assert queue[-1].card is None


def test_learning_card_waits_until_its_step_is_due(student_set):
    student, question_set = student_set
    question = QuestionFactory(question_set=question_set)
    learning_card(student, question, due=NOW + timedelta(minutes=5))

    assert study_queue(user=student, now=NOW, question_set=question_set) == []
    later = study_queue(user=student, now=NOW + timedelta(minutes=5), question_set=question_set)
    assert [item.reason for item in later] == ["learning"]


def test_new_questions_follow_the_set_order(student_set):
    student, question_set = student_set
    third = QuestionFactory(question_set=question_set, position=3)
    first = QuestionFactory(question_set=question_set, position=1)
    second = QuestionFactory(question_set=question_set, position=2)

    queue = study_queue(user=student, now=NOW, question_set=question_set)

    assert [item.question for item in queue] == [first, second, third]


def test_shuffled_set_gives_each_student_a_stable_order_of_its_own():
    question_set = QuestionSetFactory(new_order=QuestionSet.NewOrder.SHUFFLE)
    questions = QuestionFactory.create_batch(12, question_set=question_set)
    one, other = StudentFactory(), StudentFactory()
    for student in (one, other):
        AssignmentFactory(
            question_set=question_set, classroom=MembershipFactory(user=student).classroom
        )

    def order(student):
        return [
            item.question.pk
            for item in study_queue(user=student, now=NOW, question_set=question_set, limit=12)
        ]

    assert sorted(order(one)) == sorted(question.pk for question in questions)
    assert order(one) == order(one)
    assert order(one) != [question.pk for question in questions]
    assert order(one) != order(other)


def test_daily_new_limit_counts_what_was_learned_today(student_set):
    student, question_set = student_set
    question_set.daily_new_limit = 3
    question_set.save()
    questions = QuestionFactory.create_batch(6, question_set=question_set)

    assert len(study_queue(user=student, now=NOW, question_set=question_set)) == 3
    learn(student, questions[0], NOW)
    learn(student, questions[1], NOW + timedelta(seconds=10))

    queue = study_queue(user=student, now=NOW + timedelta(seconds=20), question_set=question_set)

    assert [item.question for item in queue if item.reason == "new"] == [questions[2]]


def test_daily_review_limit_caps_reviews_and_leaves_no_room_for_new(student_set):
    student, question_set = student_set
    question_set.daily_review_limit = 2
    question_set.save()
    reviewed = QuestionFactory.create_batch(3, question_set=question_set)
    QuestionFactory(question_set=question_set)
    for number, question in enumerate(reviewed):
        review_card(student, question, stability=5, days_since_review=5 + number, due_in_days=-1)

    queue = study_queue(user=student, now=NOW, question_set=question_set)

    assert [item.reason for item in queue] == ["review", "review"]


def test_new_questions_fill_what_the_review_limit_leaves(student_set):
    student, question_set = student_set
    question_set.daily_review_limit = 3
    question_set.daily_new_limit = 5
    question_set.save()
    due = QuestionFactory(question_set=question_set)
    QuestionFactory.create_batch(4, question_set=question_set)
    review_card(student, due, stability=5, days_since_review=6, due_in_days=-1)

    queue = study_queue(user=student, now=NOW, question_set=question_set)

    assert [item.reason for item in queue] == ["review", "new", "new"]


def test_limit_bounds_the_queue(student_set):
    student, question_set = student_set
    QuestionFactory.create_batch(8, question_set=question_set)

    assert len(study_queue(user=student, now=NOW, question_set=question_set, limit=5)) == 5


@pytest.mark.parametrize(
    ("time_zone", "rollover_utc"),
    [
        # 4 a.m. in New York in March 2026 (after the switch to summer time): 08:00 UTC.
        ("America/New_York", datetime(2026, 3, 11, 8, 0, tzinfo=UTC)),
        # 4 a.m. on the 12th in Auckland (summer time, UTC+13): 15:00 UTC on the 11th.
        ("Pacific/Auckland", datetime(2026, 3, 11, 15, 0, tzinfo=UTC)),
    ],
)
def test_new_limit_rolls_over_at_four_in_the_students_time_zone(
    student_set, time_zone, rollover_utc
):
    student, question_set = student_set
    student.profile.time_zone = time_zone
    student.profile.save()
    question_set.daily_new_limit = 1
    question_set.save()
    questions = QuestionFactory.create_batch(3, question_set=question_set)

    with time_machine.travel(rollover_utc - timedelta(hours=6), tick=False):
        learn(student, questions[0], timezone.now())

    def new_in_queue():
        queue = study_queue(user=student, now=timezone.now(), question_set=question_set)
        return [item.question for item in queue if item.reason == "new"]

    with time_machine.travel(rollover_utc - timedelta(seconds=1), tick=False):
        assert new_in_queue() == []
    with time_machine.travel(rollover_utc, tick=False):
        assert new_in_queue() == [questions[1]]


@pytest.mark.parametrize(
    ("time_zone", "hour", "now", "start", "end"),
    [
        (
            "UTC",
            4,
            datetime(2026, 5, 1, 3, 59, tzinfo=UTC),
            datetime(2026, 4, 30, 4, tzinfo=UTC),
            datetime(2026, 5, 1, 4, tzinfo=UTC),
        ),
        (
            "UTC",
            0,
            datetime(2026, 5, 1, 3, 59, tzinfo=UTC),
            datetime(2026, 5, 1, 0, tzinfo=UTC),
            datetime(2026, 5, 2, 0, tzinfo=UTC),
        ),
        # New York's spring-forward night: the day from 4 a.m. EST to 4 a.m. EDT is 23 hours.
        (
            "America/New_York",
            4,
            datetime(2026, 3, 8, 12, tzinfo=UTC),
            datetime(2026, 3, 8, 8, tzinfo=UTC),
            datetime(2026, 3, 9, 8, tzinfo=UTC),
        ),
        (
            "America/New_York",
            4,
            datetime(2026, 3, 8, 7, tzinfo=UTC),
            datetime(2026, 3, 7, 9, tzinfo=UTC),
            datetime(2026, 3, 8, 8, tzinfo=UTC),
        ),
        (
            "Asia/Kolkata",
            4,
            datetime(2026, 5, 1, 0, tzinfo=UTC),
            datetime(2026, 4, 30, 22, 30, tzinfo=UTC),
            datetime(2026, 5, 1, 22, 30, tzinfo=UTC),
        ),
    ],
)
def test_study_day_bounds(time_zone, hour, now, start, end):
    student = StudentFactory()
    student.profile.time_zone = time_zone
    student.profile.day_starts_at_hour = hour

    assert study_day_bounds(profile=student.profile, now=now) == (start, end)


def test_queue_across_everything_spans_own_and_assigned_sets_but_not_archived_ones():
    student = StudentFactory()
    own = QuestionFactory(question_set=QuestionSetFactory(owner=student))
    assigned_set = QuestionSetFactory()
    AssignmentFactory(
        question_set=assigned_set, classroom=MembershipFactory(user=student).classroom
    )
    assigned = QuestionFactory(question_set=assigned_set)
    QuestionFactory(question_set=QuestionSetFactory(visibility=QuestionSet.Visibility.PUBLIC))
    QuestionFactory(question_set=QuestionSetFactory(owner=student, archived_at=NOW))
    QuestionFactory(question_set=own.question_set, archived_at=NOW)

    queue = study_queue(user=student, now=NOW)

    assert {item.question for item in queue} == {own, assigned}


def test_queue_by_topic_takes_questions_tagged_directly_or_through_their_set(student_set):
    student, question_set = student_set
    topic = TopicFactory()
    tagged = QuestionFactory(question_set=question_set)
    tagged.topics.add(topic)
    QuestionFactory(question_set=question_set)
    tagged_set = QuestionSetFactory(owner=student)
    tagged_set.topics.add(topic)
    through_set = QuestionFactory(question_set=tagged_set)

    queue = study_queue(user=student, now=NOW, topic=topic)

    assert {item.question for item in queue} == {tagged, through_set}


def test_visible_sets_are_own_public_my_classes_and_assigned_but_not_archived():
    student = StudentFactory()
    classroom = MembershipFactory(user=student).classroom
    own = QuestionSetFactory(owner=student)
    own_archived = QuestionSetFactory(owner=student, archived_at=NOW)
    public = QuestionSetFactory(visibility=QuestionSet.Visibility.PUBLIC)
    assigned = QuestionSetFactory()
    AssignmentFactory(question_set=assigned, classroom=classroom)
    my_teachers = QuestionSetFactory(
        owner=classroom.owner, visibility=QuestionSet.Visibility.CLASSES
    )
    QuestionSetFactory(owner=classroom.owner)  # my teacher's private set
    QuestionSetFactory(visibility=QuestionSet.Visibility.CLASSES)  # another teacher's classes
    QuestionSetFactory(visibility=QuestionSet.Visibility.PUBLIC, archived_at=NOW)
    QuestionSetFactory(
        owner=classroom.owner, visibility=QuestionSet.Visibility.CLASSES, archived_at=NOW
    )

    assert set(visible_sets(student)) == {own, public, assigned, my_teachers}
    assert set(visible_sets(student, own_archived=True)) == {
        own,
        own_archived,
        public,
        assigned,
        my_teachers,
    }
    assert set(visible_sets(AnonymousUser())) == {public}


@pytest.mark.parametrize("size", [1, 30])
@pytest.mark.parametrize(
    ("room_short_of_limit", "queries", "named"),
    [
        (
            False,
            5,
            "SELECT the studied sets with today's counts; SELECT due reviews and learning "
            "cards; SELECT new questions; SELECT their answers; SELECT their topics",
        ),
        (
            True,
            7,
            "SELECT the studied sets with today's counts; SELECT due reviews ranked per set; "
            "SELECT due learning cards; SELECT due reviews per set; SELECT new questions; SELECT "
            "their answers; SELECT their topics",
        ),
    ],
)
def test_queue_runs_a_constant_number_of_queries(
    django_assert_num_queries, size, room_short_of_limit, queries, named
):
    limit = 3 * size
    owner = StudentFactory()
    question_set = QuestionSetFactory(
        owner=owner,
        daily_new_limit=100,
        # Less review room than the queue's limit asks for a ranking of reviews per set.
        daily_review_limit=limit - 1 if room_short_of_limit else 200,
    )
    for number in range(size):
        due = QuestionFactory(question_set=question_set, kind=QuestionKind.FLASHCARD)
        review_card(owner, due, stability=3, days_since_review=4 + number, due_in_days=-1)
        learning_card(owner, QuestionFactory(question_set=question_set), due=NOW)
    QuestionFactory.create_batch(size, question_set=question_set)
    # As API token authentication loads it: the user with the profile.
    student = User.objects.select_related("profile").get(pk=owner.pk)

    with django_assert_num_queries(queries, info=named):
        queue = study_queue(user=student, now=NOW, question_set=question_set, limit=limit)

    assert [item.reason for item in queue] == ["review"] * size + ["learning"] * size + [
        "new"
    ] * size


def test_study_ahead_adds_cards_not_yet_due_soonest_first(student_set):
    student, question_set = student_set
    later, sooner, due = QuestionFactory.create_batch(3, question_set=question_set)
    review_card(student, later, stability=20, days_since_review=1, due_in_days=19)
    review_card(student, sooner, stability=5, days_since_review=1, due_in_days=4)
    review_card(student, due, stability=5, days_since_review=6, due_in_days=-1)

    normal = study_queue(user=student, now=NOW, question_set=question_set)
    cramming = study_queue(user=student, now=NOW, question_set=question_set, ahead=True)

    assert [item.question for item in normal] == [due]
    assert [(item.question, item.reason) for item in cramming] == [
        (due, "review"),
        (sooner, "ahead"),
        (later, "ahead"),
    ]


def test_zero_limit_gives_an_empty_queue(student_set, django_assert_num_queries):
    student, question_set = student_set
    QuestionFactory(question_set=question_set)

    with django_assert_num_queries(0):
        assert study_queue(user=student, now=NOW, question_set=question_set, limit=0) == []
