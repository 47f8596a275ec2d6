"""Questions with their full answer keys: the set owner's CRUD, validated per kind."""

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from questions.api.serializers import NO_SUCH_PASSAGE
from questions.models import Question, QuestionKind
from questions.services.reviews import review_record
from questions.validation import NEEDS_A_RIGHT_CHOICE, PASSAGE_FROM_OTHER_SOURCE
from tests.api.conftest import client_for
from tests.factories import (
    DEFAULT_ANSWERS,
    DEFAULT_PROMPTS,
    PassageFactory,
    QuestionSetFactory,
)

pytestmark = pytest.mark.django_db


def authenticated(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_owner_lists_a_sets_questions_with_their_keys(world, django_assert_num_queries):
    client = authenticated(world.owner)

    # SELECT the owner's set; COUNT its questions; SELECT the page;
    # SELECT the page's answers; SELECT the page's topics.
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/sets/{world.question_set.pk}/questions/")

    body = response.json()
    assert body["count"] == len(QuestionKind.values)
    flashcard = next(item for item in body["results"] if item["kind"] == "flashcard")
    assert flashcard["answers"][0]["text"] == "Back of the card"
    assert flashcard["answers"][0]["is_correct"] is True


@pytest.mark.parametrize("kind", QuestionKind.values)
def test_the_owner_creates_a_question_of_every_kind(world, kind):
    body = {
        "kind": kind,
        "prompt": DEFAULT_PROMPTS.get(kind, f"A new {kind} question?"),
        "explanation": "See the passage.",
        "passage": world.passage.pk,
        "topics": ["paris"],
        "answers": DEFAULT_ANSWERS[kind],
    }

    response = client_for(world.owner).post(
        f"/api/v1/sets/{world.question_set.pk}/questions/", body, format="json"
    )

    assert response.status_code == 201, response.json()
    created = Question.objects.get(pk=response.json()["id"])
    assert created.question_set == world.question_set
    assert created.answers.count() == len(DEFAULT_ANSWERS[kind])
    assert response.headers["ETag"]


def test_creating_a_question_pins_its_queries(world, django_assert_num_queries):
    client = authenticated(world.owner)
    body = {
        "kind": "multiple_choice",
        "prompt": "Who led the American delegation?",
        "passage": world.passage.pk,
        "answers": DEFAULT_ANSWERS["multiple_choice"],
    }

    # SELECT the owner's set; SELECT teachers group; SELECT the passage (field);
    # SAVEPOINT; SELECT the last position; full_clean: SELECT the set exists, SELECT the
    # passage exists, then for each of the 5 constraints SAVEPOINT, SELECT check, RELEASE;
    # INSERT question; INSERT its answers; RELEASE; SELECT the new question; SELECT its
    # answers; SELECT its topics.
    with django_assert_num_queries(28):
        response = client.post(
            f"/api/v1/sets/{world.question_set.pk}/questions/", body, format="json"
        )

    assert response.status_code == 201, response.json()


def test_an_invalid_answer_key_is_refused_with_the_rule_it_breaks(world):
    body = {
        "kind": "multiple_choice",
        "prompt": "Which?",
        "passage": world.passage.pk,
        "answers": [{"text": "A"}, {"text": "B"}],
    }

    response = client_for(world.owner).post(
        f"/api/v1/sets/{world.question_set.pk}/questions/", body, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"answers": [NEEDS_A_RIGHT_CHOICE]}
    assert world.question_set.questions.count() == len(QuestionKind.values)


def test_a_passage_of_another_source_is_refused(world):
    body = {
        "kind": "flashcard",
        "prompt": "Front",
        "passage": PassageFactory().pk,
        "answers": [{"text": "Back", "is_correct": True}],
    }

    response = client_for(world.owner).post(
        f"/api/v1/sets/{world.question_set.pk}/questions/", body, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"passage": [PASSAGE_FROM_OTHER_SOURCE]}


def test_a_put_replaces_the_answer_key_under_if_match(world, django_assert_num_queries):
    question = world.questions["short_answer"]
    client = authenticated(world.owner)
    url = f"/api/v1/questions/{question.pk}/"
    etag = client.get(url).headers["ETag"]
    body = {
        "kind": "short_answer",
        "prompt": "Who led the talks for the United States?",
        "passage": world.passage.pk,
        "answers": [{"text": "W. Averell Harriman", "is_correct": True, "fraction": 1}],
    }
    first_answer_id = question.answers.get(position=1).pk

    # SAVEPOINT; SELECT the question; SELECT its answers; SELECT its topics;
    # SELECT it FOR UPDATE with its set; SELECT the passage (field); SAVEPOINT; full_clean:
    # SELECT the set exists, SELECT the passage exists, then for each of the 5 constraints
    # SAVEPOINT, SELECT check, RELEASE; UPDATE question; SELECT the answers it had; DELETE
    # the one no longer there; UPDATE the one kept; RELEASE; RELEASE; SELECT the question;
    # SELECT its answers; SELECT its topics.
    with django_assert_num_queries(33):
        response = client.put(url, body, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.json()
    assert [(a.pk, a.text) for a in question.answers.all()] == [
        (first_answer_id, "W. Averell Harriman")
    ]
    assert client.put(url, body, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert client.put(url, body, format="json").status_code == 428


def test_a_patch_without_answers_keeps_the_key(world):
    question = world.questions["cloze"]
    client = client_for(world.owner)
    url = f"/api/v1/questions/{question.pk}/"

    response = client.patch(
        url,
        {"explanation": "Both from §1."},
        format="json",
        HTTP_IF_MATCH=client.get(url).headers["ETag"],
    )

    assert response.status_code == 200
    assert len(response.json()["answers"]) == 2


def test_a_patch_that_breaks_the_key_is_refused_and_changes_nothing(world):
    question = world.questions["cloze"]
    client = client_for(world.owner)
    url = f"/api/v1/questions/{question.pk}/"

    response = client.patch(
        url,
        {"prompt": "Talks began in {{1}} on {{2}} and ended in {{3}}."},
        format="json",
        HTTP_IF_MATCH=client.get(url).headers["ETag"],
    )

    assert response.status_code == 400
    assert "answers" in response.json()["error"]["fields"]
    question.refresh_from_db()
    assert "{{3}}" not in question.prompt


def test_deleting_an_answered_question_archives_it(world):
    question = world.questions["flashcard"]
    review_record(
        user=world.student_a,
        question=question,
        client_id="a1",
        answer=None,
        rating=3,
        response_ms=1000,
        now=datetime(2026, 2, 1, tzinfo=UTC),
    )
    client = client_for(world.owner)
    url = f"/api/v1/questions/{question.pk}/"

    response = client.delete(url, HTTP_IF_MATCH=client.get(url).headers["ETag"])

    assert response.status_code == 204
    question.refresh_from_db()
    assert question.archived_at is not None
    assert client.get(url).status_code == 404


def test_deleting_an_unanswered_question_deletes_it(world):
    question = world.questions["ordering"]
    client = client_for(world.owner)
    url = f"/api/v1/questions/{question.pk}/"

    response = client.delete(url, HTTP_IF_MATCH=client.get(url).headers["ETag"])

    assert response.status_code == 204
    assert not Question.objects.filter(pk=question.pk).exists()


@pytest.mark.parametrize("who", ["student_a", "student_b", "other_teacher"])
def test_nobody_but_the_owner_reads_answer_keys(world, who):
    client = client_for(getattr(world, who))

    listed = client.get(f"/api/v1/sets/{world.question_set.pk}/questions/")
    single = client.get(f"/api/v1/questions/{world.questions['short_answer'].pk}/")

    assert listed.status_code == 404
    assert single.status_code == 404
    assert "Harriman" not in listed.content.decode() + single.content.decode()


def test_a_question_cannot_be_moved_or_placed_by_its_body(world):
    other_set = QuestionSetFactory(owner=world.owner)
    last_position = max(question.position for question in world.questions.values())
    body = {
        "kind": "flashcard",
        "prompt": "Front",
        "passage": world.passage.pk,
        "answers": [{"text": "Back", "is_correct": True, "id": 999_999}],
        "set": other_set.pk,
        "position": 99_999,
        "id": 123_456,
    }

    response = client_for(world.owner).post(
        f"/api/v1/sets/{world.question_set.pk}/questions/", body, format="json"
    )

    assert response.status_code == 201
    created = Question.objects.get(pk=response.json()["id"])
    assert created.pk != 123_456
    assert created.question_set == world.question_set
    assert created.position == last_position + 1
    assert created.answers.get().pk != 999_999


@pytest.mark.parametrize(
    ("field", "message"),
    [("passage", NO_SUCH_PASSAGE), ("kind", '"essay" is not a valid choice.')],
)
def test_an_unknown_reference_is_a_field_error_with_a_hint(world, field, message):
    body = {
        "kind": "flashcard",
        "prompt": "Front",
        "passage": world.passage.pk,
        "answers": [{"text": "Back", "is_correct": True}],
    } | {field: 999_999 if field == "passage" else "essay"}

    response = client_for(world.owner).put(
        f"/api/v1/questions/{world.questions['flashcard'].pk}/",
        body,
        format="json",
        HTTP_IF_MATCH="*",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: [message]}
