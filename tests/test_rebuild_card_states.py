from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questions.models import Card, QuestionKind, Review
from questions.scheduling import SchedulerSettings
from questions.services.card_rebuild import card_states_rebuild
from questions.services.reviews import review_record
from tests.factories import QuestionSetFactory, StudentFactory, question_of_kind

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 2, 1, 7, 30, tzinfo=UTC)

answers = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),  # which of three questions
        st.integers(min_value=1, max_value=4),  # rating
        # gap since the previous answer: seconds (learning steps) up to two months
        st.one_of(
            st.integers(min_value=1, max_value=3600),
            st.integers(min_value=3600, max_value=60 * 86400),
        ),
        st.integers(min_value=0, max_value=999_999),  # microseconds
    ),
    min_size=1,
    max_size=25,
)
set_options = st.fixed_dictionaries(
    {
        "desired_retention": st.sampled_from([0.8, 0.9, 0.95]),
        "learning_steps": st.sampled_from([[], [60], [60, 600], [30, 300, 3600]]),
        "relearning_steps": st.sampled_from([[], [600], [300, 1200]]),
        "maximum_interval": st.sampled_from([7, 365, 36500]),
        "enable_fuzzing": st.booleans(),
    }
)


def study(student, questions, history):
    moment = T0
    for number, (which, rating, gap_seconds, micros) in enumerate(history):
        moment += timedelta(seconds=gap_seconds, microseconds=micros)
        review_record(
            user=student,
            question=questions[which],
            client_id=f"answer-{number}",
            answer=None,
            rating=rating,
            response_ms=2500,
            now=moment,
        )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=answers, options=set_options, own_retention=st.sampled_from([None, 0.85]))
def test_rebuilt_states_equal_stored_states(history, options, own_retention):
    student = StudentFactory()
    student.profile.desired_retention = own_retention
    student.profile.save()
    question_set = QuestionSetFactory(owner=student, **options)
    questions = [
        question_of_kind(QuestionKind.FLASHCARD, question_set=question_set) for _ in range(3)
    ]
    study(student, questions, history)
    stored = list(Card.objects.filter(user=student).order_by("question_id").values())

    report = card_states_rebuild(check=True, user_ids=[student.pk])

    assert report.differences == []
    assert report.cards_checked == len({which for which, *_ in history})
    card_states_rebuild(check=False, user_ids=[student.pk])
    assert list(Card.objects.filter(user=student).order_by("question_id").values()) == stored


@pytest.fixture
def studied():
    student = StudentFactory()
    question = question_of_kind(QuestionKind.FLASHCARD, question_set=QuestionSetFactory())
    study(student, [question], [(0, 3, 1, 0), (0, 3, 700, 0), (0, 3, 5 * 86400, 0)])
    return Card.objects.get(user=student)


def test_check_passes_when_states_match_the_log(studied):
    out = StringIO()

    call_command("rebuild_card_states", "--check", stdout=out)

    assert "Checked 1 cards: 0 differ" in out.getvalue()


def test_check_reports_a_tampered_card_and_fails(studied):
    original = Card.objects.values().get(pk=studied.pk)
    Card.objects.filter(pk=studied.pk).update(stability=99.0, reps=10)
    out = StringIO()

    with pytest.raises(CommandError, match="1 differ from their review log"):
        call_command("rebuild_card_states", "--check", stdout=out)

    assert f"question {studied.question_id}: stability stored 99.0" in out.getvalue()
    assert "reps stored 10, rebuilt 3" in out.getvalue()
    # --check changes nothing; the rebuild puts the state back.
    assert Card.objects.get(pk=studied.pk).stability == 99.0
    call_command("rebuild_card_states", stdout=StringIO())
    assert Card.objects.values().get(pk=studied.pk) == original


def test_rebuild_recreates_a_lost_card(studied):
    original = Card.objects.values().get(pk=studied.pk)
    Card.objects.filter(pk=studied.pk).delete()

    call_command("rebuild_card_states", stdout=StringIO())

    rebuilt = Card.objects.values().get(user_id=original["user_id"])
    assert {k: v for k, v in rebuilt.items() if k != "id"} == {
        k: v for k, v in original.items() if k != "id"
    }


def test_changing_the_sets_options_later_leaves_the_log_in_agreement(studied):
    """Each answer is replayed with the options it was scheduled with; new options apply
    from the next answer on, not retroactively."""
    question_set = studied.question.question_set
    question_set.desired_retention = 0.97
    question_set.learning_steps = [120]
    question_set.save()
    profile = studied.user.profile
    profile.fsrs_parameters = [
        round(w * 1.1, 4) for w in SchedulerSettings().parameters[:4]
    ] + list(SchedulerSettings().parameters[4:])
    profile.save()

    report = card_states_rebuild(check=True)

    assert report.differences == []
    assert Review.objects.filter(user=studied.user).first().scheduler_settings[
        "desired_retention"
    ] == pytest.approx(0.9)
