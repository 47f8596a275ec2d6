"""Flashcards in two steps, as in Anki: the rating shows the next card at once, with a line
saying how it was rated and an Undo; and the end of a session says why, with what may follow."""

import pytest

from questions.domain import SessionEnd
from questions.models import (
    Card,
    CardState,
    NewCardsExtension,
    Profile,
    QuestionKind,
    Review,
    ReviewUndo,
)
from questions.services.study_limits import EXTRA_NEW_CARDS
from tests.factories import QuestionSetFactory, StudentFactory, question_of_kind
from tests.web.test_study import SESSION, post_answer, right_answer_fields

pytestmark = pytest.mark.django_db


def undo(client, review, *, session=SESSION, set_id=None):
    data = {"session": session, "set": set_id or review.question.question_set_id}
    return client.post(f"/study/undo/{review.pk}/", data, headers={"HX-Request": "true"})


def test_a_rating_shows_the_next_card_at_once_with_the_rating_and_an_undo(school):
    flashcard = school.questions[QuestionKind.FLASHCARD]

    response = post_answer(school.client("student"), flashcard, {"rating": "3"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Rated <strong>Good</strong> · next 10m" in html
    assert "data-undo" in html
    assert response.context["item"].question != flashcard  # the next card, not feedback
    assert "data-next" not in html


def test_undo_takes_the_rating_back_and_shows_the_card_again(school):
    client = school.client("student")
    flashcard = school.questions[QuestionKind.FLASHCARD]
    post_answer(client, flashcard, {"rating": "4"})
    review = Review.objects.get(user=school.student)

    response = undo(client, review)

    assert response.status_code == 200
    assert response.context["item"].question == flashcard
    assert "no longer counts" in response.content.decode()
    assert Card.objects.get(user=school.student, question=flashcard).state == CardState.NEW
    assert response.context["answered"] == 0
    again = undo(client, review)
    assert again.status_code == 409
    assert "already been undone" in again.content.decode()


def test_another_students_answer_cannot_be_undone_from_the_page(school):
    flashcard = school.questions[QuestionKind.FLASHCARD]
    post_answer(school.client("student"), flashcard, {"rating": "4"})
    review = Review.objects.get(user=school.student)
    other = StudentFactory()

    assert undo(_client_for(other), review, set_id=school.question_set.pk).status_code == 404
    assert not ReviewUndo.objects.exists()


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_session_end_says_the_new_limit_and_offers_ten_more_new(db):
    question_set = QuestionSetFactory(visibility="public", daily_new_limit=1)
    cards = [question_of_kind(QuestionKind.FLASHCARD, question_set=question_set) for _ in range(3)]
    student = StudentFactory(username="sam")
    client = _client_for(student)

    response = post_answer(client, cards[0], right_answer_fields(cards[0]))

    assert response.context["summary"].ended_because == SessionEnd.NEW_LIMIT
    html = response.content.decode()
    assert "2 new questions remain unseen" in html
    assert f"{EXTRA_NEW_CARDS} more new cards today" in html
    assert 'data-offer="ahead"' in html

    more = client.post("/study/more-new/", {"set": question_set.pk})
    assert more.status_code == 302
    assert more.url == f"/study/?set={question_set.pk}"
    assert NewCardsExtension.objects.get(user=student).extra == EXTRA_NEW_CARDS
    assert client.get(more.url).context["item"] is not None


def test_ten_more_new_cards_needs_a_set(school):
    assert school.client("student").post("/study/more-new/", {}).status_code == 404


def test_the_settings_page_saves_new_cards_per_day_and_the_session_length(school):
    client = school.client("student")

    response = client.post(
        "/settings/",
        {"time_zone": "UTC", "day_starts_at_hour": 4, "new_cards_per_day": 5, "session_size": 3},
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user=school.student)
    assert (profile.new_cards_per_day, profile.session_size) == (5, 3)
    page = client.get(f"/study/?set={school.question_set.pk}")
    assert page.context["session_size"] == 3


def test_a_teacher_sets_a_sets_session_length(school):
    from questions.web.forms import SET_FORM_FIELDS

    assert "session_size" in SET_FORM_FIELDS
    school.question_set.session_size = 4
    school.question_set.save()
    page = school.client("student").get(f"/study/?set={school.question_set.pk}")
    assert page.context["session_size"] == 4
