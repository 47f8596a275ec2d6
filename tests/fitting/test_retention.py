"""The workload table of "Help me choose a retention": fsrs-rs's simulator at each retention."""

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from questions.fitting.retention import RETENTIONS, least_work_per_card, workload_table


@pytest.fixture(scope="module")
def rows():
    return workload_table(parameters=DEFAULT_PARAMETERS, card_count=60, new_per_day=10)


def test_the_table_has_one_row_per_retention_from_070_to_097(rows):
    assert RETENTIONS == (0.7, 0.73, 0.76, 0.79, 0.82, 0.85, 0.88, 0.91, 0.94, 0.97)
    assert [row.desired_retention for row in rows] == list(RETENTIONS)


def test_a_higher_retention_costs_more_work_and_keeps_more_cards(rows):
    minutes = [row.minutes_per_day for row in rows]
    reviews = [row.reviews_per_day for row in rows]
    remembered = [row.remembered for row in rows]

    assert minutes == sorted(minutes)
    assert len(set(minutes)) == len(minutes)
    assert reviews == sorted(reviews)
    assert remembered == sorted(remembered)
    assert len(set(remembered)) == len(remembered)
    assert remembered[0] > 0
    assert remembered[-1] <= 60
    # The last points buy little knowledge for much work.
    assert minutes[-1] > 1.5 * minutes[5]


def test_the_suggestion_is_the_least_work_per_card_remembered(rows):
    suggested = least_work_per_card(rows)

    assert suggested in rows
    assert suggested.minutes_per_card_remembered == min(
        row.minutes_per_card_remembered for row in rows
    )
    assert suggested.minutes_per_card_remembered == pytest.approx(
        suggested.minutes_per_day * 365 / suggested.remembered
    )


def test_a_retention_asked_about_joins_the_table_in_order():
    rows = workload_table(
        parameters=DEFAULT_PARAMETERS, card_count=20, new_per_day=5, retentions=(0.9, 0.8, 0.99)
    )

    assert [row.desired_retention for row in rows] == [0.8, 0.9, 0.99]


def test_slower_answers_cost_more_minutes_for_the_same_reviews():
    quick, slow = (
        workload_table(
            parameters=DEFAULT_PARAMETERS,
            card_count=20,
            new_per_day=5,
            seconds_per_rating=[[seconds] * 4] * 3,
            retentions=(0.9,),
        )[0]
        for seconds in (5.0, 20.0)
    )

    assert slow.reviews_per_day == quick.reviews_per_day
    assert slow.minutes_per_day == pytest.approx(4 * quick.minutes_per_day)
