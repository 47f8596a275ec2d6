""" "I was right" through the API: the student's claim, the teacher's list and decision."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from questions.models import AnswerClaim, Card, ClaimStatus, QuestionKind, Rating, Review
from questions.services.claims import CLAIMS_PER_DAY, claim_record
from questions.services.reviews import review_record
from tests.api.conftest import client_for
from tests.api.test_schema import CHECKS, OPERATIONS, _connection_kept_between_requests  # noqa: F401
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuestionSetFactory,
    question_of_kind,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
WRONG = "Averell Hariman of New York"


def answered(world, *, text=WRONG, student=None, question=None, when=NOW) -> Review:
    """A short answer recorded for a student (through the service the API's reviews use)."""
    question = question or world.questions[QuestionKind.SHORT_ANSWER]
    return review_record(
        user=student or world.student_a,
        question=question,
        answer={"text": text},
        rating=None,
        response_ms=9000,
        client_id=f"{question.pk}-{text}-{when.isoformat()}",
        now=when,
    ).review


def claim(client, review):
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        return client.post(f"/api/v1/reviews/{review.pk}/claim/", format="json")


def test_a_student_claims_a_wrong_typed_answer_and_the_card_is_rescheduled_as_hard(world):
    review = answered(world)
    again_due = Card.objects.get(user=world.student_a, question=review.question).due

    response = claim(client_for(world.student_a), review)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["claims_left"] == CLAIMS_PER_DAY - 1
    assert body["claim"] | {"id": 0, "created_at": ""} == {
        "id": 0,
        "review": review.pk,
        "question": review.question_id,
        "student": "student_a",
        "claimed": {"text": WRONG},
        "rating": Rating.HARD,
        "status": "pending",
        "created_at": "",
        "decided_at": None,
        "decided_by": None,
    }
    assert Card.objects.get(user=world.student_a, question=review.question).due > again_due
    assert Review.objects.get(pk=review.pk).rating == Rating.AGAIN


def test_another_students_review_is_not_found_and_nothing_is_claimed(world):
    review = answered(world)

    response = claim(client_for(world.student_b), review)
    teacher = claim(client_for(world.owner), review)

    assert (response.status_code, teacher.status_code) == (404, 404)
    assert response.json()["error"]["code"] == "not_found"
    assert not AnswerClaim.objects.exists()


@pytest.mark.parametrize(
    ("kind", "answer", "message"),
    [
        (QuestionKind.SHORT_ANSWER, {"text": "Harriman"}, "graded wrong"),
        (QuestionKind.NUMERICAL, {"value": 1975}, "typed answer"),
        (QuestionKind.TRUE_FALSE, {"value": False}, "typed answer"),
    ],
)
def test_a_right_verdict_or_an_untyped_kind_cannot_be_claimed(world, kind, answer, message):
    review = review_record(
        user=world.student_a,
        question=world.questions[kind],
        answer=answer,
        rating=None,
        response_ms=9000,
        client_id=f"c-{kind}",
        now=NOW,
    ).review

    response = claim(client_for(world.student_a), review)

    assert response.status_code == 400, response.json()
    assert response.json()["error"]["code"] == "claim_refused"
    assert message in response.json()["error"]["message"]
    assert not AnswerClaim.objects.exists()


def test_the_daily_limit_refuses_the_next_claim_with_a_400(world):
    questions = [
        question_of_kind(QuestionKind.SHORT_ANSWER, question_set=world.question_set)
        for _ in range(CLAIMS_PER_DAY + 1)
    ]
    reviews = [answered(world, question=question) for question in questions]
    for review in reviews[:CLAIMS_PER_DAY]:
        claim_record(user=world.student_a, review=review, now=NOW)

    response = claim(client_for(world.student_a), reviews[-1])

    assert response.status_code == 400
    assert "Try again tomorrow" in response.json()["error"]["message"]
    assert AnswerClaim.objects.count() == CLAIMS_PER_DAY


def test_claiming_twice_is_refused(world):
    review = answered(world)
    client = client_for(world.student_a)
    claim(client, review)

    again = claim(client, review)

    assert again.status_code == 400
    assert "already claimed" in again.json()["error"]["message"]


def claimed(world, **kwargs) -> AnswerClaim:
    return claim_record(user=world.student_a, review=answered(world, **kwargs), now=NOW)


def test_the_teacher_lists_the_classs_claims_per_question(world):
    made = claimed(world)

    response = client_for(world.owner).get(f"/api/v1/classes/{world.classroom.pk}/claims/")

    assert response.status_code == 200
    (group,) = response.json()["results"]
    assert (group["id"], group["pending"], group["kind"]) == (
        made.question_id,
        1,
        "short_answer",
    )
    assert [(c["id"], c["claimed"], c["student"]) for c in group["claims"]] == [
        (made.pk, {"text": WRONG}, "student_a")
    ]


def test_the_claims_list_follows_the_reports_set_filter(world):
    claimed(world)
    other_set = QuestionSetFactory(owner=world.owner, title="Tet")
    AssignmentFactory(classroom=world.classroom, question_set=other_set)
    client = client_for(world.owner)
    address = f"/api/v1/classes/{world.classroom.pk}/claims/"

    this_set = client.get(address, {"set": world.question_set.pk}).json()["results"]
    another = client.get(address, {"set": other_set.pk}).json()["results"]
    unassigned = client.get(address, {"set": QuestionSetFactory(owner=world.owner).pk})

    assert (len(this_set), another, unassigned.status_code) == (1, [], 404)


def test_the_claims_list_is_for_the_classs_teachers_only(world):
    claimed(world)
    address = f"/api/v1/classes/{world.classroom.pk}/claims/"

    other_teacher = client_for(world.other_teacher).get(address)
    student = client_for(world.student_a).get(address)
    outsider = client_for(world.student_b).get(address)

    assert (other_teacher.status_code, student.status_code, outsider.status_code) == (
        404,
        403,
        404,
    )


def test_accepting_a_claim_makes_the_text_right_for_everyone(world):
    made = claimed(world)

    response = client_for(world.owner).post(f"/api/v1/claims/{made.pk}/accept/", format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["decided_by"]) == ("accepted", "owner")
    MembershipFactory(classroom=world.classroom, user=world.student_b)
    later = answered(world, student=world.student_b, when=NOW + timedelta(hours=1))
    assert later.is_correct is True


def test_rejecting_adds_nothing_and_a_decided_claim_is_a_conflict(world):
    made = claimed(world)
    question = made.question
    before = question.answers.count()
    client = client_for(world.owner)

    rejected = client.post(f"/api/v1/claims/{made.pk}/reject/", format="json")
    again = client.post(f"/api/v1/claims/{made.pk}/accept/", format="json")

    assert (rejected.status_code, rejected.json()["status"]) == (200, "rejected")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
    assert question.answers.count() == before
    made.refresh_from_db()
    assert made.status == ClaimStatus.REJECTED


def test_a_teacher_of_another_class_cannot_see_or_decide_a_claim(world):
    made = claimed(world)
    their_class = ClassroomFactory(owner=world.other_teacher, name="History 2")
    MembershipFactory(classroom=their_class, user=world.student_b)
    other = client_for(world.other_teacher)

    decided = other.post(f"/api/v1/claims/{made.pk}/accept/", format="json")
    listed = other.get(f"/api/v1/classes/{their_class.pk}/claims/").json()["results"]
    by_student = client_for(world.student_a).post(
        f"/api/v1/claims/{made.pk}/accept/", format="json"
    )

    assert (decided.status_code, listed, by_student.status_code) == (404, [], 404)
    made.refresh_from_db()
    assert made.status == ClaimStatus.PENDING


def test_a_co_teacher_who_does_not_own_the_set_may_not_decide(world):
    made = claimed(world)
    MembershipFactory(classroom=world.classroom, user=world.other_teacher, role="teacher")

    response = client_for(world.other_teacher).post(
        f"/api/v1/claims/{made.pk}/reject/", format="json"
    )

    assert response.status_code == 403
    made.refresh_from_db()
    assert made.status == ClaimStatus.PENDING


def test_claim_endpoints_pin_their_queries(world, django_assert_num_queries):
    review = answered(world)
    client = APIClient()
    client.force_authenticate(world.student_a)

    # SELECT the caller's review with its question; SAVEPOINT; SELECT the card FOR UPDATE;
    # SELECT the latest answer's time; SELECT COUNT the day's claims; INSERT the claim;
    # replay: SELECT the card's reviews with their claims, SELECT the card's question, its
    # set, the student and their profile (settings), UPDATE the card; RELEASE;
    # SELECT COUNT the claims left.
    with django_assert_num_queries(14), time_machine.travel(NOW, tick=False):
        made = client.post(f"/api/v1/reviews/{review.pk}/claim/", format="json")
    assert made.status_code == 201

    client.force_authenticate(world.owner)
    # SELECT the class with the caller's role; SELECT the class's claims with their students,
    # questions, sets and reviews (one query, as the report's).
    with django_assert_num_queries(2):
        listed = client.get(f"/api/v1/classes/{world.classroom.pk}/claims/")
    assert listed.status_code == 200

    # SELECT the claim of a student taught by the caller, with question, set and student;
    # SAVEPOINT; SELECT the claim FOR UPDATE; SELECT its question; SELECT the question's
    # answers; INSERT the new variant; UPDATE the question's updated_at (so cached answer keys
    # are read again); UPDATE the claim; RELEASE; SELECT the student of the claim read again
    # (for its username).
    with django_assert_num_queries(10):
        decided = client.post(f"/api/v1/claims/{made.json()['claim']['id']}/accept/")
    assert decided.status_code == 200


def short_answer(world):
    return question_of_kind(QuestionKind.SHORT_ANSWER, question_set=world.question_set)


@pytest.mark.usefixtures("_connection_kept_between_requests")
def test_the_claim_endpoints_answer_as_the_schema_says(world):
    made = claimed(world)
    second = claimed(world, question=short_answer(world))
    review = answered(world, question=short_answer(world))
    calls = [
        ("student_a", "POST /api/v1/reviews/{review_id}/claim/", {"review_id": review.pk}, {}),
        ("owner", "GET /api/v1/classes/{class_id}/claims/", {"class_id": world.classroom.pk}, {}),
        ("owner", "POST /api/v1/claims/{claim_id}/accept/", {"claim_id": made.pk}, {}),
        ("owner", "POST /api/v1/claims/{claim_id}/accept/", {"claim_id": made.pk}, {}),  # 409
        ("owner", "POST /api/v1/claims/{claim_id}/reject/", {"claim_id": second.pk}, {}),
        ("student_a", "POST /api/v1/reviews/{review_id}/claim/", {"review_id": review.pk}, {}),
    ]
    statuses = []
    for caller, label, path, query in calls:
        case = OPERATIONS[label].Case(path_parameters=path, query=query)
        response = case.call(headers={"Authorization": f"Bearer {world.tokens[caller]}"})
        case.validate_response(response, checks=CHECKS)
        statuses.append(response.status_code)

    assert statuses == [201, 200, 200, 409, 200, 400]
