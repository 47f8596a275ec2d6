"""POST /api/v1/reviews/{id}/undo/: your own last answer, once, within minutes."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from questions.models import Card, CardState, Review, ReviewUndo
from questions.services.undo import UNDO_WINDOW
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def answer(client, world, client_id="u-1", text="Harriman"):
    body = {
        "client_id": client_id,
        "question": world.questions["short_answer"].pk,
        "answer": {"text": text},
        "response_ms": 4000,
    }
    response = client.post("/api/v1/reviews/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["review"]


def test_undo_of_your_last_answer_reschedules_the_card_and_pins_its_queries(
    world, django_assert_num_queries
):
    client = client_for(token=world.tokens["student_a"])
    review_id = answer(client, world)

    # SELECT the token with its user and profile; SELECT the review (yours) with its question
    # and set; SAVEPOINT; SELECT the card FOR UPDATE with profile and set; SELECT whether the
    # review is undone; SELECT your latest study answer; INSERT the undo; SELECT the card's
    # answers that count (to replay); UPDATE the card; RELEASE. (The token's last use was
    # written by the answer a moment ago, and is written again only minutes later.)
    with django_assert_num_queries(10):
        response = client.post(f"/api/v1/reviews/{review_id}/undo/")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["review"], body["card"]["state"]) == (review_id, CardState.NEW)
    assert ReviewUndo.objects.get().review_id == review_id
    assert Review.objects.filter(pk=review_id).exists()
    assert Card.objects.get(user=world.student_a).state == CardState.NEW


def test_another_students_answer_is_not_found(world):
    review_id = answer(client_for(token=world.tokens["student_a"]), world)

    response = client_for(token=world.tokens["student_b"]).post(
        f"/api/v1/reviews/{review_id}/undo/"
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert not ReviewUndo.objects.exists()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("twice", "already been undone"),
        ("too late", "within 10 minutes"),
        ("not the last", "Only your last answer"),
    ],
)
def test_an_answer_that_cannot_be_undone_is_a_409_saying_why(world, case, message):
    client = client_for(token=world.tokens["student_a"])
    review_id = answer(client, world)
    if case == "twice":
        assert client.post(f"/api/v1/reviews/{review_id}/undo/").status_code == 200
    if case == "not the last":
        answer(client, world, client_id="u-2", text="Johnson")

    later = timezone.now() + (
        UNDO_WINDOW + timedelta(minutes=1) if case == "too late" else timedelta()
    )
    with time_machine.travel(later):
        response = client.post(f"/api/v1/reviews/{review_id}/undo/")

    assert response.status_code == 409
    assert message in response.json()["error"]["message"]
    assert ReviewUndo.objects.count() == (1 if case == "twice" else 0)


def test_me_takes_new_cards_per_day_and_the_session_length(world):
    client = client_for(token=world.tokens["student_a"])

    response = client.patch(
        "/api/v1/me/", {"new_cards_per_day": 5, "session_size": 20}, format="json"
    )
    refused = client.patch("/api/v1/me/", {"session_size": 0}, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["new_cards_per_day"], response.json()["session_size"]) == (5, 20)
    assert refused.status_code == 400
    assert "session_size" in refused.json()["error"]["fields"]
    assert client.get("/api/v1/me/").json()["session_size"] == 20
