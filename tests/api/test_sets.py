"""Question sets: listing what the caller may see, and the owner's edits under If-Match."""

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from questions.models import QuestionSet
from questions.services.reviews import review_record
from tests.api.conftest import client_for
from tests.factories import (
    AssignmentFactory,
    QuestionSetFactory,
    SourceFactory,
    StudentFactory,
    TeacherFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def authenticated(user) -> APIClient:
    """A client authenticated without queries, so counts show the view's own queries."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_set_list_pins_its_queries(world, django_assert_num_queries):
    topic = TopicFactory(slug="diplomacy")
    for n in range(3):
        QuestionSetFactory(owner=world.owner, title=f"Extra {n}").topics.add(topic)
    client = authenticated(world.owner)

    # COUNT visible sets; SELECT the page with owner, source and question counts;
    # SELECT the page's topics.
    with django_assert_num_queries(3):
        response = client.get("/api/v1/sets/")

    assert response.json()["count"] == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("search=treaty", ["Treaty of Paris"]),
        ("topic=diplomacy", ["Treaty of Paris"]),
        ("visibility=public", ["Treaty of Paris"]),
        ("source={source}", ["Paris 1968"]),
        ("owner={other}", ["Treaty of Paris"]),
        ("assigned_class={classroom}", ["Paris 1968"]),
        ("", ["Paris 1968", "Treaty of Paris"]),
    ],
)
def test_sets_are_searched_and_filtered(world, query, expected):
    public = QuestionSetFactory(
        owner=world.other_teacher, title="Treaty of Paris", visibility="public"
    )
    public.topics.add(TopicFactory(slug="diplomacy"))
    QuestionSetFactory(owner=world.other_teacher, title="Private notes")
    client = client_for(world.student_a)
    url = "/api/v1/sets/?" + query.format(
        source=world.source.pk, other=world.other_teacher.pk, classroom=world.classroom.pk
    )

    response = client.get(url)

    assert [item["title"] for item in response.json()["results"]] == expected


def test_a_set_retrieve_gives_an_etag(world, django_assert_num_queries):
    client = authenticated(world.student_a)

    # SELECT the visible set with owner, source and question count; SELECT its topics.
    with django_assert_num_queries(2):
        response = client.get(f"/api/v1/sets/{world.question_set.pk}/")

    assert response.status_code == 200
    assert response.headers["ETag"].startswith('"')
    assert response.json()["is_owner"] is False


def test_a_teacher_creates_a_set_owned_by_them_whatever_the_body_says(
    world, django_assert_num_queries
):
    client = authenticated(world.other_teacher)
    body = {
        "title": "Vietnam war",
        "visibility": "classes",
        "topics": ["Cold War"],
        "learning_steps": [30, 300],
        "owner": world.owner.pk,
        "archived_at": "2020-01-01T00:00:00Z",
        "question_count": 99,
    }

    # SELECT teachers group; SAVEPOINT; full_clean: SELECT owner exists, then for each of the
    # 3 constraints SAVEPOINT, SELECT check, RELEASE; INSERT set; get_or_create the topic:
    # SELECT, SAVEPOINT, INSERT, RELEASE; SELECT the set's topics; INSERT the link; RELEASE;
    # SELECT the new set with owner, source and question count; SELECT its topics.
    with django_assert_num_queries(22):
        response = client.post("/api/v1/sets/", body, format="json")

    assert response.status_code == 201, response.json()
    created = QuestionSet.objects.get(pk=response.json()["id"])
    assert created.owner == world.other_teacher
    assert created.archived_at is None
    assert response.json()["topics"] == ["cold-war"]
    assert response.json()["question_count"] == 0
    assert created.learning_steps == [30, 300]


def test_a_student_cannot_create_a_set():
    response = client_for(StudentFactory()).post("/api/v1/sets/", {"title": "x"}, format="json")

    assert response.status_code == 403
    assert not QuestionSet.objects.exists()


def test_an_edit_needs_if_match_and_a_stale_one_is_refused(world):
    client = client_for(world.owner)
    url = f"/api/v1/sets/{world.question_set.pk}/"
    etag = client.get(url).headers["ETag"]

    missing = client.patch(url, {"title": "New"}, format="json")
    fresh = client.patch(url, {"title": "New"}, format="json", HTTP_IF_MATCH=etag)
    stale = client.patch(url, {"title": "Newer"}, format="json", HTTP_IF_MATCH=etag)

    assert missing.status_code == 428
    assert fresh.status_code == 200
    assert fresh.headers["ETag"] != etag
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    world.question_set.refresh_from_db()
    assert world.question_set.title == "New"


def test_an_edit_pins_its_queries(world, django_assert_num_queries):
    client = authenticated(world.owner)
    url = f"/api/v1/sets/{world.question_set.pk}/"
    etag = client.get(url).headers["ETag"]

    # SAVEPOINT; SELECT the visible set; SELECT its topics; SELECT the set FOR UPDATE;
    # SAVEPOINT; full_clean: SELECT owner exists, SELECT source exists, then for each of the
    # 3 constraints SAVEPOINT, SELECT check, RELEASE; UPDATE the set; RELEASE; RELEASE;
    # SELECT the set with owner, source and question count; SELECT its topics.
    with django_assert_num_queries(21):
        response = client.patch(
            url, {"description": "Spring 1968"}, format="json", HTTP_IF_MATCH=etag
        )

    assert response.status_code == 200, response.json()


def test_changing_the_source_of_a_set_whose_questions_cite_it_is_refused(world):
    client = client_for(world.owner)
    url = f"/api/v1/sets/{world.question_set.pk}/"
    etag = client.get(url).headers["ETag"]

    response = client.patch(url, {"source": SourceFactory().pk}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"source"}


def test_others_visible_sets_are_read_only(world):
    public = QuestionSetFactory(owner=world.owner, visibility="public")
    client = client_for(world.other_teacher)
    url = f"/api/v1/sets/{public.pk}/"
    etag = client.get(url).headers["ETag"]

    response = client.patch(url, {"title": "Mine now"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Only the owner may change this; you may read it."


def test_deleting_an_unstudied_set_deletes_it(world):
    fresh = QuestionSetFactory(owner=world.owner)
    client = client_for(world.owner)
    url = f"/api/v1/sets/{fresh.pk}/"

    response = client.delete(url, HTTP_IF_MATCH=client.get(url).headers["ETag"])

    assert response.status_code == 204
    assert not QuestionSet.objects.filter(pk=fresh.pk).exists()


def test_deleting_a_studied_set_archives_it(world):
    review_record(
        user=world.student_a,
        question=world.questions["flashcard"],
        client_id="first",
        answer=None,
        rating=3,
        response_ms=2000,
        now=datetime(2026, 1, 5, tzinfo=UTC),
    )
    client = client_for(world.owner)
    url = f"/api/v1/sets/{world.question_set.pk}/"

    response = client.delete(url, HTTP_IF_MATCH=client.get(url).headers["ETag"])

    assert response.status_code == 204
    world.question_set.refresh_from_db()
    assert world.question_set.archived_at is not None
    assert client_for(world.student_a).get(url).status_code == 404
    listed = client.get("/api/v1/sets/?archived=true").json()["results"]
    assert [item["id"] for item in listed] == [world.question_set.pk]
    assert client.get("/api/v1/sets/").json()["count"] == 0


def test_a_set_shared_with_my_classes_is_visible_to_their_members(world):
    shared = QuestionSetFactory(owner=world.owner, visibility="classes")
    AssignmentFactory()  # a class and set of someone else, to be left out

    seen_by_member = client_for(world.student_a).get(f"/api/v1/sets/{shared.pk}/")
    seen_by_outsider = client_for(world.student_b).get(f"/api/v1/sets/{shared.pk}/")

    assert seen_by_member.status_code == 200
    assert seen_by_outsider.status_code == 404


def test_the_set_list_is_paginated(world):
    for n in range(5):
        QuestionSetFactory(owner=world.owner, title=f"Bulk {n}")

    response = client_for(world.owner).get("/api/v1/sets/?page_size=2&page=2")

    body = response.json()
    assert body["count"] == 6
    assert len(body["results"]) == 2
    assert body["next"]
    assert body["previous"]


def test_teacher_factory_is_a_teacher():
    assert client_for(TeacherFactory()).get("/api/v1/me/").json()["is_teacher"] is True


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        ("{etag}", 200),
        ("W/{etag}", 200),
        ('"stale", {etag}', 200),
        ("*", 200),
        ('"stale"', 412),
        ("not-even-quoted", 412),
    ],
)
def test_if_match_takes_weak_lists_and_star(world, if_match, status):
    client = client_for(world.owner)
    url = f"/api/v1/sets/{world.question_set.pk}/"
    etag = client.get(url).headers["ETag"]

    response = client.patch(
        url, {"title": "Checked"}, format="json", HTTP_IF_MATCH=if_match.format(etag=etag)
    )

    assert response.status_code == status
