"""GET /api/v1/me/retention/: help choosing a desired retention, for the caller's own cards."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from fsrs.scheduler import DEFAULT_PARAMETERS

from questions.fitting.retention import Workload
from questions.models import Card, CardState, Profile, Question, Review
from questions.services import retention as retention_service
from questions.services.retention import retention_help
from tests.api.conftest import client_for
from tests.factories import QuestionFactory, QuestionSetFactory, StudentFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def give_cards(user, count: int, *, daily_new_limit: int = 10) -> list[Question]:
    question_set = QuestionSetFactory(daily_new_limit=daily_new_limit)
    questions = Question.objects.bulk_create(
        QuestionFactory.build(question_set=question_set) for _ in range(count)
    )
    Card.objects.bulk_create(Card(user=user, question=question, due=NOW) for question in questions)
    return questions


def test_the_table_covers_070_to_097_and_suggests_one_of_its_rows(django_assert_num_queries):
    student = StudentFactory()
    give_cards(student, 40)
    client = client_for(student)

    # SELECT the session, the user; SELECT the profile; SELECT the largest daily new limit of
    # the user's sets; COUNT their cards; SELECT their latest timed reviews. (The table itself
    # is cached: the tests' cache is in memory.)
    with django_assert_num_queries(6):
        response = client.get("/api/v1/me/retention/")

    assert response.status_code == 200
    body = response.json()
    assert [row["desired_retention"] for row in body["rows"]] == [
        0.7, 0.73, 0.76, 0.79, 0.82, 0.85, 0.88, 0.91, 0.94, 0.97,
    ]  # fmt: skip
    assert body["suggested"] in body["rows"]
    assert body["chosen"] is None
    assert (body["card_count"], body["new_per_day"]) == (40, 10)
    assert (body["own_parameters"], body["own_timings"]) == (False, False)
    assert body["message"] is None
    assert set(body["rows"][0]) == {
        "desired_retention",
        "minutes_per_day",
        "reviews_per_day",
        "remembered",
        "minutes_per_card_remembered",
    }


def test_a_retention_asked_about_is_added_to_the_table():
    student = StudentFactory()
    give_cards(student, 20)

    body = client_for(student).get("/api/v1/me/retention/?desired_retention=0.93").json()

    assert body["chosen"]["desired_retention"] == 0.93
    assert len(body["rows"]) == 11
    assert body["chosen"] in body["rows"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.5", "A desired retention is from 0.70 to 0.99 (the chance of recalling a card when "
         "it comes due); 0.5 is outside."),
        ("0.995", "A desired retention is from 0.70 to 0.99 (the chance of recalling a card "
         "when it comes due); 0.995 is outside."),
        ("high", "A valid number is required."),
    ],
)  # fmt: skip
def test_a_retention_outside_070_to_099_is_refused_clearly(value, message):
    student = StudentFactory()
    give_cards(student, 5)

    response = client_for(student).get(f"/api/v1/me/retention/?desired_retention={value}")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"desired_retention": [message]}


def test_without_cards_there_is_nothing_to_simulate_and_it_says_so():
    body = client_for(StudentFactory()).get("/api/v1/me/retention/").json()

    assert body["rows"] == []
    assert body["suggested"] is None
    assert body["message"] == (
        "You have no cards yet: study a set first, then your year can be simulated."
    )


def test_the_learners_own_parameters_and_answering_times_are_used():
    student = StudentFactory()
    questions = give_cards(student, 30)
    Review.objects.bulk_create(
        Review(
            client_id=f"r{number}",
            user=student,
            question=questions[number],
            rating=3,
            response_ms=30_000,
            reviewed_at=NOW - timedelta(days=number),
            state_before=CardState.REVIEW,
            state_after=CardState.REVIEW,
            stability_after=5.0,
            difficulty_after=5.0,
            due_after=NOW,
            interval_days=5.0,
        )
        for number in range(6)
    )
    typical = retention_help(user=student)
    forgetful = [0.1, 0.3, 0.8, 4.0, *list(DEFAULT_PARAMETERS)[4:]]
    Profile.objects.filter(user=student).update(fsrs_parameters=forgetful)

    own = retention_help(user=student)

    assert typical.own_timings
    assert own.own_timings
    assert not typical.own_parameters
    assert own.own_parameters
    assert [row.reviews_per_day for row in own.rows] != [
        row.reviews_per_day for row in typical.rows
    ]


def test_an_anonymous_caller_is_asked_to_sign_in():
    assert client_for().get("/api/v1/me/retention/").status_code == 401


@pytest.fixture
def simulated_retentions(monkeypatch):
    """Every desired retention the simulator is run at, in order."""
    simulated: list[float] = []
    real_table = retention_service.workload_table

    def counting_table(**simulation):
        simulated.extend(simulation["retentions"])
        return real_table(**simulation)

    monkeypatch.setattr(retention_service, "workload_table", counting_table)
    return simulated


@pytest.mark.parametrize(
    ("asked", "chosen", "simulated_on_top"),
    [
        (["0.8123", "0.8149", "0.81", "0.806"], [0.81, 0.81, 0.81, 0.81], [0.81]),
        (["0.85", "0.850001"], [0.85, 0.85], []),
        (["0.93", "0.99"], [0.93, 0.99], [0.93, 0.99]),
    ],
)
def test_retentions_that_differ_past_the_hundredth_do_not_simulate_another_year(
    simulated_retentions, asked, chosen, simulated_on_top
):
    student = StudentFactory()
    give_cards(student, 10)
    client = client_for(student)

    bodies = [client.get(f"/api/v1/me/retention/?desired_retention={value}").json()
              for value in asked]  # fmt: skip

    assert [body["chosen"]["desired_retention"] for body in bodies] == chosen
    assert [len(body["rows"]) for body in bodies] == [
        len(retention_service.RETENTIONS) + (value not in retention_service.RETENTIONS)
        for value in chosen
    ]
    assert simulated_retentions == [*retention_service.RETENTIONS, *simulated_on_top]


def cheapest_at(cheapest: float):
    """A stand-in simulator under which `cheapest` costs the least per card remembered."""

    def table(*, retentions, **simulation):
        return [
            Workload(
                desired_retention=retention,
                minutes_per_day=1.0 + abs(retention - cheapest),
                reviews_per_day=10.0,
                remembered=100.0,
            )
            for retention in retentions
        ]

    return table


@pytest.mark.parametrize(
    ("asked", "suggested"),
    [(None, 0.82), ("0.83", 0.82), ("0.81", 0.82), ("0.99", 0.82)],
)
def test_trying_a_retention_never_moves_the_suggestion(monkeypatch, asked, suggested):
    monkeypatch.setattr(retention_service, "workload_table", cheapest_at(0.83))
    student = StudentFactory()
    give_cards(student, 10)
    query = "" if asked is None else f"?desired_retention={asked}"

    body = client_for(student).get(f"/api/v1/me/retention/{query}").json()

    assert body["suggested"]["desired_retention"] == suggested
