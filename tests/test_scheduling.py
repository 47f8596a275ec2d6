"""The scheduling maths, on plain values: no database."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest
from fsrs.scheduler import FUZZ_RANGES
from hypothesis import given, settings
from hypothesis import strategies as st

from questions.scheduling import (
    NEW_CARD,
    CardSnapshot,
    SchedulerSettings,
    fitted_parameters,
    preview_intervals,
    replay,
    retrievability,
    schedule,
    settings_for,
)

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
NO_FUZZ = SchedulerSettings(enable_fuzzing=False)


@dataclass
class FakeSet:
    desired_retention: float = 0.9
    learning_steps: tuple = (60, 600)
    relearning_steps: tuple = (600,)
    maximum_interval: int = 36500
    enable_fuzzing: bool = True


@dataclass
class FakeProfile:
    desired_retention: float | None = None
    fsrs_parameters: object = None


HISTORY = [
    (3, T0),
    (3, T0 + timedelta(minutes=10)),
    (3, T0 + timedelta(days=2)),
    (2, T0 + timedelta(days=9)),
    (1, T0 + timedelta(days=30)),
    (3, T0 + timedelta(days=30, minutes=10)),
    (4, T0 + timedelta(days=33)),
]


def test_schedule_gives_what_fsrs_gives_for_the_same_ratings_and_times():
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    expected = fsrs.Card(card_id=1)
    card = NEW_CARD
    for rating, moment in HISTORY:
        expected, _ = scheduler.review_card(expected, fsrs.Rating(rating), moment)
        card = schedule(card=card, rating=rating, now=moment, settings=NO_FUZZ)

        assert card.stability == expected.stability
        assert card.difficulty == expected.difficulty
        assert card.due == expected.due
        assert card.step == expected.step
        assert card.state == expected.state.name.lower()


def test_reps_and_lapses_are_counted():
    card = replay(ratings=HISTORY, settings=NO_FUZZ)

    assert (card.reps, card.lapses) == (7, 1)


def test_again_on_a_new_card_starts_the_first_learning_step():
    card = schedule(card=NEW_CARD, rating=1, now=T0, settings=NO_FUZZ)

    assert (card.state, card.step, card.due) == ("learning", 0, T0 + timedelta(minutes=1))


def test_no_learning_steps_sends_a_new_card_straight_to_review():
    settings_ = SchedulerSettings(learning_steps=(), enable_fuzzing=False)

    card = schedule(card=NEW_CARD, rating=3, now=T0, settings=settings_)

    assert card.state == "review"
    assert card.due - T0 >= timedelta(days=1)


def test_times_in_other_zones_are_taken_as_utc():
    paris = T0.astimezone(ZoneInfo("Europe/Paris"))

    assert schedule(card=NEW_CARD, rating=3, now=paris, settings=NO_FUZZ) == schedule(
        card=NEW_CARD, rating=3, now=T0, settings=NO_FUZZ
    )


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule(card=NEW_CARD, rating=3, now=datetime(2026, 1, 1), settings=NO_FUZZ)


@pytest.mark.parametrize("rating", [0, 5, None])
def test_unknown_ratings_are_refused(rating):
    with pytest.raises(ValueError, match="rating"):
        schedule(card=NEW_CARD, rating=rating, now=T0, settings=NO_FUZZ)


def review_card_due_in_weeks() -> CardSnapshot:
    return replay(ratings=HISTORY[:4], settings=NO_FUZZ)


def test_fuzz_is_the_same_for_the_same_card_and_time():
    card = review_card_due_in_weeks()
    moment = T0 + timedelta(days=40)
    fuzzed = SchedulerSettings(enable_fuzzing=True)

    first = schedule(card=card, rating=3, now=moment, settings=fuzzed, fuzz_key="7:9")
    second = schedule(card=card, rating=3, now=moment, settings=fuzzed, fuzz_key="7:9")

    assert first == second


def test_fuzz_spreads_cards_within_fsrs_range():
    card = review_card_due_in_weeks()
    moment = T0 + timedelta(days=40)
    plain = schedule(card=card, rating=3, now=moment, settings=NO_FUZZ)
    plain_days = (plain.due - moment).days
    fuzzed = SchedulerSettings(enable_fuzzing=True)

    days = {
        (
            schedule(card=card, rating=3, now=moment, settings=fuzzed, fuzz_key=f"1:{n}").due
            - moment
        ).days
        for n in range(60)
    }

    assert len(days) > 1
    # py-fsrs: an interval of 20+ days is fuzzed by at most 1 + 0.15·4.5 + 0.1·13 + 5% beyond 20.
    delta = 1 + 0.15 * 4.5 + 0.1 * 13 + 0.05 * max(0, plain_days - 20)
    assert min(days) >= round(plain_days - delta)
    # py-fsrs draws uniformly in [min, max + 1) and rounds, so max + 1 can come out too.
    assert max(days) <= round(plain_days + delta) + 1


def test_preview_gives_the_interval_of_each_rating():
    card = review_card_due_in_weeks()
    moment = T0 + timedelta(days=40)
    fuzzed = SchedulerSettings(enable_fuzzing=True)

    preview = preview_intervals(card=card, now=moment, settings=fuzzed, fuzz_key="2:3")

    for rating in (1, 2, 3, 4):
        after = schedule(card=card, rating=rating, now=moment, settings=fuzzed, fuzz_key="2:3")
        assert preview[rating] == after.due - moment
    assert preview[1] < preview[2] <= preview[3] <= preview[4]


def test_retrievability_is_fsrs_and_zero_for_new_cards():
    card = review_card_due_in_weeks()
    moment = T0 + timedelta(days=20)
    expected = fsrs.Scheduler().get_card_retrievability(
        fsrs.Card(
            card_id=1,
            state=fsrs.State.Review,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        ),
        moment,
    )

    assert retrievability(card=card, now=moment, settings=NO_FUZZ) == expected
    assert retrievability(card=NEW_CARD, now=moment, settings=NO_FUZZ) == 0.0


def test_profile_retention_wins_and_fitted_parameters_are_used():
    parameters = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    parameters[0] = 0.5
    profile = FakeProfile(desired_retention=0.95, fsrs_parameters=parameters)

    result = settings_for(question_set=FakeSet(desired_retention=0.8), profile=profile)

    assert result.desired_retention == 0.95
    assert result.parameters[0] == 0.5


def test_set_options_are_used_without_a_profile_choice():
    result = settings_for(
        question_set=FakeSet(desired_retention=0.8, learning_steps=[30], maximum_interval=90),
        profile=FakeProfile(),
    )

    assert result == SchedulerSettings(
        desired_retention=0.8, learning_steps=(30,), maximum_interval=90
    )


@pytest.mark.parametrize(
    "raw", [None, [], [1.0, 2.0], ["x"] * 21, [1000.0] * 21, {"parameters": [1.0]}]
)
def test_invalid_fitted_parameters_fall_back_to_the_defaults(raw):
    assert fitted_parameters(raw) is None


def test_fitted_parameters_may_be_wrapped():
    parameters = list(fsrs.scheduler.DEFAULT_PARAMETERS)

    assert fitted_parameters({"parameters": parameters}) == tuple(parameters)


def test_maximum_interval_caps_the_interval():
    settings_ = SchedulerSettings(maximum_interval=5, enable_fuzzing=True)
    card = replay(ratings=[(4, T0), (4, T0 + timedelta(days=5))], settings=settings_)

    assert card.due - (T0 + timedelta(days=5)) <= timedelta(days=5)


@settings(max_examples=60, deadline=None)
@given(
    early_by=st.floats(min_value=0.0, max_value=1.0),
    rating=st.sampled_from([2, 3, 4]),
    fuzz=st.booleans(),
)
def test_passing_a_card_early_never_brings_it_due_sooner(early_by, rating, fuzz):
    """Study ahead does not wreck the schedule."""
    settings_ = SchedulerSettings(enable_fuzzing=fuzz)
    card = replay(ratings=HISTORY[:4], settings=NO_FUZZ)
    interval = card.due - card.last_review
    moment = card.due - interval * early_by

    after = schedule(card=card, rating=rating, now=moment, settings=settings_, fuzz_key="k")

    # Without fuzz the due date never moves up; fuzz may then move it within its own range.
    unfuzzed = schedule(card=card, rating=rating, now=moment, settings=NO_FUZZ)
    slack = fuzz_allowance(unfuzzed.due - moment) if fuzz else timedelta(0)
    assert unfuzzed.due >= card.due
    assert after.due >= card.due - slack
    assert after.stability >= card.stability


def fuzz_allowance(interval: timedelta) -> timedelta:
    """The most py-fsrs's fuzz can take off an interval: its range, plus rounding to days."""
    days = interval / timedelta(days=1)
    delta = 1.0 + sum(
        fuzz_range["factor"] * max(min(days, fuzz_range["end"]) - fuzz_range["start"], 0.0)
        for fuzz_range in FUZZ_RANGES
    )
    return timedelta(days=delta + 1)
