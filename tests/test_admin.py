"""Every admin changelist, add and change page renders for a staff user."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from questions.models import Card, CardState, Question, Rating, Review
from tests.factories import ApiTokenFactory


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-pw-pw-pw")
    client.force_login(user)
    return client


@pytest.fixture
def study_history(seeded):
    """A token, a card and a review, so that every admin page has a row to open."""
    student = User.objects.get(username="student")
    question = Question.objects.first()
    reviewed_at = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    due = reviewed_at + dt.timedelta(days=3)
    ApiTokenFactory(user=student)
    Card.objects.create(
        user=student,
        question=question,
        state=CardState.REVIEW,
        stability=3.1,
        difficulty=5.0,
        due=due,
        last_review=reviewed_at,
        reps=1,
    )
    Review.objects.create(
        client_id="admin-test",
        user=student,
        question=question,
        rating=Rating.GOOD,
        answer={"text": "Harriman"},
        is_correct=True,
        score=1.0,
        response_ms=4000,
        reviewed_at=reviewed_at,
        state_before=CardState.NEW,
        state_after=CardState.REVIEW,
        stability_after=3.1,
        difficulty_after=5.0,
        due_after=due,
        interval_days=3,
    )


def registered_models():
    return [model for model in admin.site._registry if model._meta.app_label == "questions"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", registered_models(), ids=lambda model: model.__name__)
def test_changelist_and_change_page_render(staff_client, study_history, model):
    meta = model._meta
    changelist = staff_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert changelist.status_code == 200

    instance = model.objects.first()
    change = staff_client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])
    )
    assert change.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", registered_models(), ids=lambda model: model.__name__)
def test_search_of_every_changelist_works(staff_client, study_history, model):
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")

    assert staff_client.get(url, {"q": "Harriman"}).status_code == 200


@pytest.mark.django_db
def test_review_log_cannot_be_edited_in_the_admin(staff_client):
    url = reverse("admin:questions_review_add")

    assert staff_client.get(url).status_code == 403
    assert Review in admin.site._registry
    assert Card in admin.site._registry


@pytest.mark.django_db
def test_invalid_answer_key_is_refused_in_the_admin(staff_client, seeded):
    from questions.models import Question, QuestionKind

    question = Question.objects.filter(kind=QuestionKind.SHORT_ANSWER).first()
    answers = list(question.answers.all())
    url = reverse("admin:questions_question_change", args=[question.pk])
    data = {
        "question_set": question.question_set_id,
        "kind": question.kind,
        "title": question.title,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "passage": question.passage_id or "",
        "position": question.position,
        "external_id": question.external_id,
        "answers-TOTAL_FORMS": len(answers),
        "answers-INITIAL_FORMS": len(answers),
        "answers-MIN_NUM_FORMS": 0,
        "answers-MAX_NUM_FORMS": 1000,
    }
    for index, answer in enumerate(answers):
        data.update(
            {
                f"answers-{index}-id": answer.pk,
                f"answers-{index}-question": question.pk,
                f"answers-{index}-position": answer.position,
                f"answers-{index}-text": answer.text,
                f"answers-{index}-fraction": 0,
                f"answers-{index}-is_correct": "",
            }
        )

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "needs at least one accepted answer" in response.content.decode()
    assert question.answers.filter(is_correct=True).count() == len(answers)
