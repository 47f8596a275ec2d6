"""Fitting FSRS-6 to each learner: `fsrs_fit_user` and `manage.py fit_fsrs`."""

import io
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from fsrs.scheduler import DEFAULT_PARAMETERS

from questions.fitting import ANKI_DEFAULT_CLOCK, LoggedReview, chronological
from questions.fitting.prior import held_back_cut
from questions.learner_simulation import LEARNER_PARAMETERS, simulate_learner
from questions.models import CardState, Profile, Question, Review
from questions.services.fitting import FitOutcome, fsrs_fit_user, fsrs_population_parameters
from questions.services.reviews import review_record
from tests.factories import QuestionFactory, QuestionSetFactory, StudentFactory

NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def log_reviews(user, simulated) -> None:
    """Store a simulated learner's reviews as `user`'s review log, one question per card.

    Fitting reads only the question, the rating and the time of each review; the card states
    recorded beside them are placeholders.
    """
    question_set = QuestionSetFactory()
    card_ids = sorted({item.review.card for item in simulated})
    questions = Question.objects.bulk_create(
        QuestionFactory.build(question_set=question_set) for _ in card_ids
    )
    question_of = dict(zip(card_ids, questions, strict=True))
    Review.objects.bulk_create(
        Review(
            client_id=f"sim-{question_set.pk}-{number}",
            user=user,
            question=question_of[item.review.card],
            rating=item.review.rating,
            response_ms=item.duration_ms,
            reviewed_at=item.review.reviewed_at,
            state_before=CardState.REVIEW,
            state_after=CardState.REVIEW,
            stability_after=1.0,
            difficulty_after=5.0,
            due_after=item.review.reviewed_at + timedelta(days=1),
            interval_days=1.0,
        )
        for number, item in enumerate(simulated)
    )


@pytest.fixture(scope="module")
def learner_log():
    """300 cards over 240 days from 2026-01-05: about 3,500 reviews, all before NOW."""
    return simulate_learner(cards=300, days=240, seed=11)


def fit_command(*args: str) -> str:
    out = io.StringIO()
    call_command("fit_fsrs", *args, stdout=out)
    return out.getvalue()


def test_a_fit_that_predicts_recent_reviews_better_is_stored(learner_log):
    student = StudentFactory(username="ada")
    log_reviews(student, learner_log)

    result = fsrs_fit_user(user=student, now=NOW, min_reviews=400)

    assert result.outcome is FitOutcome.ADOPTED
    assert result.recent.log_loss < result.current.log_loss
    assert result.recent.n == result.current.n > 100
    profile = Profile.objects.get(user=student)
    assert profile.fsrs_parameters == result.parameters
    assert len(profile.fsrs_parameters) == 21
    assert profile.fsrs_parameters != list(DEFAULT_PARAMETERS)
    assert profile.fsrs_fitted_at == NOW
    # Judged by a trial fit that never saw the newest reviews; then fitted to all of them.
    assert profile.fsrs_fitted_review_count == len(learner_log)
    assert 0.7 * len(learner_log) < result.held_back_from < len(learner_log)
    assert result.message.startswith(
        f"Adopted parameters fitted to ada's {len(learner_log)} reviews: fitted without their "
        f"{result.recent.n} most recent reviews, they predicted those with log loss "
        f"{result.recent.log_loss:.4f}, was "
    )


def test_too_few_reviews_is_refused_clearly_and_the_defaults_stay():
    student = StudentFactory(username="bea")
    few = simulate_learner(cards=8, days=30, seed=2)
    log_reviews(student, few)

    output = fit_command("--user", "bea", "--min-reviews", "400")

    profile = Profile.objects.get(user=student)
    assert profile.fsrs_parameters is None
    assert profile.fsrs_fitted_at is None
    assert output.startswith("bea has ")
    assert (
        "reviews made on a later day than the previous review of the same question; fitting "
        "needs at least 400. The current parameters stay." in output
    )


def test_a_fit_that_predicts_worse_than_the_current_parameters_is_not_adopted(learner_log):
    # The learner's true parameters are already in use: a fit to a sample of their reviews
    # cannot predict their recent reviews better.
    student = StudentFactory(username="cyd")
    log_reviews(student, learner_log)
    fitted_before = datetime(2026, 6, 1, tzinfo=UTC)
    Profile.objects.filter(user=student).update(
        fsrs_parameters=list(LEARNER_PARAMETERS),
        fsrs_fitted_at=fitted_before,
        fsrs_fitted_review_count=1000,
    )

    result = fsrs_fit_user(user=student, now=NOW, min_reviews=400)

    assert result.outcome is FitOutcome.NOT_BETTER
    assert result.recent.log_loss >= result.current.log_loss
    profile = Profile.objects.get(user=student)
    assert profile.fsrs_parameters == list(LEARNER_PARAMETERS)
    assert profile.fsrs_fitted_at == fitted_before
    assert profile.fsrs_fitted_review_count == 1000
    assert "without cyd's" in result.message
    assert result.message.endswith("The current parameters stay.")


def test_fitting_again_on_the_same_reviews_keeps_the_first_fit(learner_log):
    student = StudentFactory(username="dov")
    log_reviews(student, learner_log)
    first = fsrs_fit_user(user=student, now=NOW, min_reviews=400)

    again = fsrs_fit_user(user=student, now=NOW + timedelta(hours=1), min_reviews=400)

    assert first.adopted
    assert again.outcome is FitOutcome.NOT_BETTER
    assert Profile.objects.get(user=student).fsrs_fitted_at == NOW


def test_the_engine_schedules_with_the_fitted_parameters(learner_log):
    student = StudentFactory(username="eve")
    log_reviews(student, learner_log)
    fsrs_fit_user(user=student, now=NOW, min_reviews=400)
    fitted = Profile.objects.get(user=student).fsrs_parameters
    question = QuestionFactory()

    result = review_record(
        user=student,
        question=question,
        client_id="first-look",
        answer=None,
        rating=3,
        response_ms=4000,
        now=NOW + timedelta(days=1),
    )

    # A first "Good" sets stability to w2: the learner's fitted value, not FSRS-6's default.
    assert fitted[2] != DEFAULT_PARAMETERS[2]
    assert result.card.stability == pytest.approx(fitted[2])


def test_fit_all_fits_each_user_with_new_reviews_and_sums_up(learner_log, time_machine):
    time_machine.move_to(NOW, tick=False)
    fitted = StudentFactory(username="fay")
    log_reviews(fitted, learner_log)
    log_reviews(StudentFactory(username="gus"), simulate_learner(cards=5, days=20, seed=4))
    StudentFactory(username="hal")  # no reviews: not mentioned

    output = fit_command("--all", "--min-reviews", "400", "--min-new-reviews", "5")

    lines = output.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Adopted parameters fitted to fay's ")
    assert lines[1].startswith("gus has ")
    assert lines[2] == (
        "2 of 2 learners had at least 5 new reviews: 1 adopted a fit, 0 kept parameters that "
        "predict as well, 1 have too few reviews."
    )
    profile = Profile.objects.get(user=fitted)
    assert profile.fsrs_parameters is not None
    assert profile.fsrs_fit_tried_at == NOW


def test_fit_all_skips_learners_without_enough_reviews_since_their_last_fit(
    learner_log, time_machine
):
    time_machine.move_to(NOW, tick=False)
    student = StudentFactory(username="jon")
    log_reviews(student, learner_log)
    fit_command("--all", "--min-reviews", "400")
    later = simulate_learner(cards=30, days=20, seed=5, start=NOW + timedelta(days=1))
    log_reviews(student, later[:40])
    time_machine.move_to(NOW + timedelta(days=30), tick=False)

    skipped = fit_command("--all", "--min-new-reviews", "50")
    log_reviews(student, later[40:])
    fitted_again = fit_command("--all", "--min-new-reviews", "50")

    assert skipped.splitlines() == [
        "0 of 1 learners had at least 50 new reviews: 0 adopted a fit, 0 kept parameters that "
        "predict as well, 0 have too few reviews."
    ]
    assert len(later) > 50
    assert fitted_again.splitlines()[-1].startswith("1 of 1 learners had at least 50 new")
    assert Profile.objects.get(user=student).fsrs_fit_tried_at == NOW + timedelta(days=30)


def test_days_are_counted_in_the_learners_time_zone(learner_log):
    # The same moments are other study days in Tokyo than in UTC: the fit sees other items.
    utc_student = StudentFactory(username="kim")
    tokyo_student = StudentFactory(username="lee")
    log_reviews(utc_student, learner_log)
    log_reviews(tokyo_student, learner_log)
    Profile.objects.filter(user=tokyo_student).update(time_zone="Asia/Tokyo")

    in_utc = fsrs_fit_user(user=utc_student, now=NOW, min_reviews=400)
    in_tokyo = fsrs_fit_user(user=tokyo_student, now=NOW, min_reviews=400)

    assert in_utc.review_count == in_tokyo.review_count
    assert in_utc.predictable_count != in_tokyo.predictable_count
    assert in_utc.recent.log_loss != in_tokyo.recent.log_loss


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--user", "nobody"), "There is no user named 'nobody'."),
        ((), "one of the arguments --user --all is required"),
        (("--user", "ivy", "--all"), "argument --all: not allowed with argument --user"),
        (("--all", "--min-reviews", "0"), "--min-reviews must be at least 1."),
        (("--all", "--min-new-reviews", "0"), "--min-new-reviews must be at least 1."),
    ],
)
def test_fit_fsrs_refuses_unclear_requests(args, message):
    StudentFactory(username="ivy")

    with pytest.raises(CommandError, match=message):
        fit_command(*args)


def test_with_three_learners_or_more_each_fit_is_shrunk_toward_the_population(time_machine):
    time_machine.move_to(NOW, tick=False)
    for number, name in enumerate(("mia", "ned", "ora")):
        log_reviews(
            StudentFactory(username=name), simulate_learner(cards=60, days=150, seed=20 + number)
        )

    output = fit_command("--all", "--min-new-reviews", "5")

    lines = output.splitlines()
    assert re.fullmatch(r"Population parameters: (\d+(\.\d+)?(e-\d+)?, ){20}\d+(\.\d+)?", lines[0])
    learner_lines = lines[1:4]
    assert all(line.startswith(("Adopted", "Parameters fitted without")) for line in learner_lines)
    adopted = [line for line in learner_lines if line.startswith("Adopted")]
    assert adopted
    assert all(", shrunk toward all learners' parameters:" in line for line in adopted)


def test_no_population_fits_each_learner_alone(time_machine):
    time_machine.move_to(NOW, tick=False)
    for number, name in enumerate(("pia", "quy", "rex")):
        log_reviews(
            StudentFactory(username=name), simulate_learner(cards=60, days=150, seed=20 + number)
        )

    output = fit_command(
        "--all", "--min-new-reviews", "5", "--min-reviews", "100", "--no-population"
    )

    assert not output.startswith("Population parameters")
    assert "shrunk toward" not in output


def test_a_time_zone_the_server_no_longer_knows_counts_days_in_utc():
    student = StudentFactory(username="sol")
    log_reviews(student, simulate_learner(cards=8, days=30, seed=2))
    Profile.objects.filter(user=student).update(time_zone="Mars/Olympus")

    lost = fsrs_fit_user(user=student, now=NOW)
    Profile.objects.filter(user=student).update(time_zone="UTC")
    in_utc = fsrs_fit_user(user=student, now=NOW)

    assert lost.outcome is FitOutcome.TOO_FEW_REVIEWS
    assert lost.predictable_count == in_utc.predictable_count > 0


def one_day_of_reviews(user, count: int) -> None:
    """`count` reviews of a handful of questions, a minute apart, all on one study day."""
    log_reviews(
        user,
        [
            SimpleNamespace(
                review=LoggedReview(
                    card=number % 7,
                    rating=1 + number % 4,
                    reviewed_at=NOW - timedelta(hours=2, minutes=number),
                ),
                duration_ms=4000,
            )
            for number in range(count)
        ],
    )


@pytest.mark.parametrize(
    ("name", "make_reviews"),
    [
        ("one-day", lambda user: one_day_of_reviews(user, 120)),
        ("few", lambda user: log_reviews(user, simulate_learner(cards=8, days=30, seed=2))),
    ],
)
def test_fit_all_twice_tries_a_learner_with_too_few_reviews_only_once(
    time_machine, name, make_reviews
):
    time_machine.move_to(NOW, tick=False)
    make_reviews(StudentFactory(username=name))
    StudentFactory(username="zed")  # no reviews at all: never tried

    first = fit_command("--all", "--min-new-reviews", "5")
    second = fit_command("--all", "--min-new-reviews", "5")

    assert first.splitlines()[0].startswith(f"{name} has ")
    assert first.splitlines()[-1].endswith("1 have too few reviews.")
    assert second.splitlines() == [
        "0 of 1 learners had at least 5 new reviews: 0 adopted a fit, 0 kept parameters that "
        "predict as well, 0 have too few reviews."
    ]
    assert Profile.objects.get(user__username=name).fsrs_parameters is None
    assert not Profile.objects.filter(user__username="zed", fsrs_fit_tried_at__isnull=False)


def test_the_population_never_learns_from_the_reviews_that_judge_a_learners_fit():
    simulated = simulate_learner(cards=40, days=150, seed=30)
    log = chronological(item.review for item in simulated)
    held_back_from = log[held_back_cut(log, clock=ANKI_DEFAULT_CLOCK)].reviewed_at
    other_future = [
        item
        if item.review.reviewed_at < held_back_from
        else replace(item, review=replace(item.review, rating=3 if item.review.rating == 1 else 1))
        for item in simulated
    ]
    others = [StudentFactory(username=name) for name in ("uma", "vic")]
    for number, student in enumerate(others):
        log_reviews(student, simulate_learner(cards=40, days=150, seed=31 + number))
    judged, judged_otherwise = StudentFactory(username="tam"), StudentFactory(username="tom")
    log_reviews(judged, simulated)
    log_reviews(judged_otherwise, other_future)

    honest = fsrs_population_parameters(users=[judged, *others], now=NOW)
    otherwise = fsrs_population_parameters(users=[judged_otherwise, *others], now=NOW)

    assert other_future != simulated
    assert honest is not None
    assert otherwise == honest
