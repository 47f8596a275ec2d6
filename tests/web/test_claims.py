"""'I was right': a student claims a wrong verdict, the teacher accepts or rejects it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from questions.models import AnswerClaim, Card, ClaimStatus, QuestionKind, Rating, Review
from questions.services.card_rebuild import card_states_rebuild
from questions.services.claims import CLAIMS_PER_DAY, claim_record
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    QuestionSetFactory,
    StudentFactory,
    question_of_kind,
)
from tests.web.test_study import post_answer

pytestmark = pytest.mark.django_db


def answer_wrongly(school, student=None, *, text="Averell Hariman of New York", client_id="1"):
    client = school.client("student") if student is None else logged_in(school, student)
    question = school.questions[QuestionKind.SHORT_ANSWER]
    response = post_answer(client, question, {"text": text}, client_id=client_id)
    return client, response, Review.objects.filter(question=question).latest("id")


def logged_in(school, user):
    client = school.client("anonymous")
    client.force_login(user)
    return client


def test_a_wrong_typed_answer_offers_a_claim_and_a_right_one_does_not(school):
    _, wrong, _ = answer_wrongly(school)
    _, right, _ = answer_wrongly(school, text="Harriman", client_id="2")

    assert "data-claim" in wrong.content.decode()
    assert "data-claim" not in right.content.decode()


def test_a_claim_is_recorded_and_reschedules_the_card_as_hard(school):
    client, _, review = answer_wrongly(school)
    again_due = Card.objects.get(user=school.student, question=review.question).due

    response = client.post(f"/study/claim/{review.pk}/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "rescheduled as Hard" in response.content.decode()
    claim = AnswerClaim.objects.get(review=review)
    assert (claim.status, claim.rating, claim.claimed) == (
        ClaimStatus.PENDING,
        Rating.HARD,
        {"text": "Averell Hariman of New York"},
    )
    # The log is untouched; the card now follows the claim's rating, as a rebuild does too.
    assert Review.objects.get(pk=review.pk).rating == Rating.AGAIN
    assert Card.objects.get(user=school.student, question=review.question).due > again_due
    assert card_states_rebuild(check=True).differences == []


def test_an_answer_is_claimed_once_and_only_by_its_student(school):
    client, _, review = answer_wrongly(school)
    client.post(f"/study/claim/{review.pk}/")

    again = client.post(f"/study/claim/{review.pk}/")
    stranger = logged_in(school, school.outsider).post(f"/study/claim/{review.pk}/")

    assert again.status_code == 400
    assert "already claimed" in again.content.decode()
    assert stranger.status_code == 404
    assert AnswerClaim.objects.count() == 1


def test_only_the_latest_answer_can_be_claimed(school):
    client, _, first = answer_wrongly(school)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        answer_wrongly(school, text="Kissinger", client_id="2")

    response = client.post(f"/study/claim/{first.pk}/")

    assert response.status_code == 400
    assert not AnswerClaim.objects.exists()


def wrong_answer_to_a_new_question(school, client_id: str) -> Review:
    question = question_of_kind(
        QuestionKind.SHORT_ANSWER, question_set=school.question_set, passage=school.passages[0]
    )
    post_answer(school.client("student"), question, {"text": "Kissinger"}, client_id=client_id)
    return Review.objects.get(question=question)


def test_claims_are_limited_per_student_per_day_over_all_questions(school):
    now = timezone.now()
    for index in range(CLAIMS_PER_DAY):
        review = wrong_answer_to_a_new_question(school, str(index))
        claim_record(user=school.student, review=review, now=now)
    over = wrong_answer_to_a_new_question(school, "over")

    response = school.client("student").post(f"/study/claim/{over.pk}/")

    assert response.status_code == 400
    assert "Try again tomorrow" in response.content.decode()
    assert AnswerClaim.objects.count() == CLAIMS_PER_DAY
    with time_machine.travel(now + timedelta(days=1, minutes=1)):
        assert school.client("student").post(f"/study/claim/{over.pk}/").status_code == 200


def test_the_teacher_sees_claims_and_accepting_one_makes_the_answer_right_for_everyone(school):
    client, _, review = answer_wrongly(school)
    client.post(f"/study/claim/{review.pk}/")
    teacher = school.client("teacher")

    report = teacher.get(f"/classes/{school.classroom.pk}/report/")
    claim = AnswerClaim.objects.get()
    assert "Averell Hariman of New York" in report.content.decode()
    assert f'data-accept-claim="{claim.pk}"' in report.content.decode()

    accepted = teacher.post(f"/classes/{school.classroom.pk}/claims/{claim.pk}/accept/")

    assert accepted.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (ClaimStatus.ACCEPTED, school.teacher)
    assert review.question.answers.filter(text="Averell Hariman of New York", is_correct=True)
    other = StudentFactory(username="ann")
    MembershipFactory(classroom=school.classroom, user=other)
    _, response, later = answer_wrongly(school, other, client_id="other")
    assert later.is_correct is True
    assert "data-claim" not in response.content.decode()


def test_a_rejected_claim_adds_nothing_and_cannot_be_decided_again(school):
    client, _, review = answer_wrongly(school)
    client.post(f"/study/claim/{review.pk}/")
    claim = AnswerClaim.objects.get()
    answers_before = review.question.answers.count()
    teacher = school.client("teacher")

    teacher.post(f"/classes/{school.classroom.pk}/claims/{claim.pk}/reject/")
    teacher.post(f"/classes/{school.classroom.pk}/claims/{claim.pk}/accept/")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert review.question.answers.count() == answers_before


def test_only_the_sets_owner_decides_and_only_for_a_class_they_teach(school):
    client, _, review = answer_wrongly(school)
    client.post(f"/study/claim/{review.pk}/")
    claim = AnswerClaim.objects.get()

    outsider = school.client("other_teacher").post(
        f"/classes/{school.classroom.pk}/claims/{claim.pk}/accept/"
    )
    student = client.post(f"/classes/{school.classroom.pk}/claims/{claim.pk}/accept/")

    assert outsider.status_code == 404
    assert student.status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_a_cloze_claim_names_the_wrong_gaps_and_accepting_adds_a_variant_to_each(school):
    question = school.questions[QuestionKind.CLOZE]
    client = school.client("student")
    post_answer(client, question, {"gap_1": "Paree", "gap_2": "May 12"})
    review = Review.objects.get(question=question)

    client.post(f"/study/claim/{review.pk}/")
    claim = AnswerClaim.objects.get()
    school.client("teacher").post(f"/classes/{school.classroom.pk}/claims/{claim.pk}/accept/")

    assert claim.claimed == {"gaps": {"1": "Paree"}}
    assert question.answers.filter(gap=1, text="Paree", is_correct=True).exists()


def test_the_reports_set_filter_chooses_the_claims_shown_too(school):
    client, _, review = answer_wrongly(school)
    client.post(f"/study/claim/{review.pk}/")
    other_set = QuestionSetFactory(title="Tet", owner=school.teacher)
    AssignmentFactory(classroom=school.classroom, question_set=other_set)
    teacher = school.client("teacher")
    report = f"/classes/{school.classroom.pk}/report/"

    this_set = teacher.get(report, {"set": school.question_set.pk}).content.decode()
    another = teacher.get(report, {"set": other_set.pk}).content.decode()
    every_set = teacher.get(report).content.decode()

    assert "Averell Hariman of New York" in this_set
    assert "Averell Hariman of New York" not in another
    assert "Averell Hariman of New York" in every_set
