"""/me/: the caller's study settings, and the FSRS parameters fitted to them (read-only)."""

from datetime import UTC, datetime

import fsrs
import pytest
from rest_framework.test import APIClient

from questions.models import Profile
from tests.api.conftest import client_for
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_me_pins_its_queries(django_assert_num_queries):
    client = APIClient()
    client.force_authenticate(StudentFactory(username="ada"))

    # SELECT the profile with its user; SELECT whether the user is a teacher.
    with django_assert_num_queries(2):
        response = client.get("/api/v1/me/")

    assert response.json() | {"id": 0} == {
        "id": 0,
        "username": "ada",
        "email": "ada@example.org",
        "is_teacher": False,
        "time_zone": "UTC",
        "day_starts_at_hour": 4,
        "desired_retention": None,
        "new_cards_per_day": None,
        "session_size": None,
        "fsrs_parameters": None,
        "fsrs_fitted_at": None,
        "fsrs_fitted_review_count": None,
    }


def test_study_settings_are_changed_and_fitted_parameters_are_not():
    user = StudentFactory()
    client = client_for(user)

    response = client.patch(
        "/api/v1/me/",
        {
            "time_zone": "Europe/Paris",
            "desired_retention": 0.85,
            "day_starts_at_hour": 6,
            "fsrs_parameters": [1.0] * 21,
            "fsrs_fitted_review_count": 5,
            "username": "someone-else",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    profile = Profile.objects.get(user=user)
    assert (profile.time_zone, profile.desired_retention, profile.day_starts_at_hour) == (
        "Europe/Paris",
        0.85,
        6,
    )
    assert profile.fsrs_parameters is None
    assert profile.fsrs_fitted_review_count is None
    user.refresh_from_db()
    assert user.username != "someone-else"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"desired_retention": 1.2}, "desired_retention"),
        ({"desired_retention": 0.5}, "desired_retention"),
        ({"day_starts_at_hour": 24}, "day_starts_at_hour"),
    ],
)
def test_bad_settings_are_refused_by_field(body, field):
    response = client_for(StudentFactory()).patch("/api/v1/me/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_fitted_parameters_are_shown_with_when_and_from_how_many_reviews():
    user = StudentFactory()
    parameters = list(fsrs.Scheduler().parameters)
    Profile.objects.filter(user=user).update(
        fsrs_parameters=parameters,
        fsrs_fitted_at=datetime(2026, 5, 1, tzinfo=UTC),
        fsrs_fitted_review_count=812,
    )

    body = client_for(user).get("/api/v1/me/").json()

    assert body["fsrs_parameters"] == pytest.approx(parameters)
    assert body["fsrs_fitted_at"] == "2026-05-01T00:00:00Z"
    assert body["fsrs_fitted_review_count"] == 812
