"""Sources: everyone signed in reads them; teachers add one from plain text."""

import pytest
from rest_framework.test import APIClient

from questions.models import Passage, Source
from tests.api.conftest import client_for
from tests.conftest import BUNDLED_SOURCE
from tests.factories import PassageFactory, SourceFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

TEXT = """The Paris Peace Talks

Date: 1968-1973

Opening

Talks opened in Paris on May 13, 1968.

The delegations argued over the shape of the table."""


def authenticated(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_source_list_pins_its_queries(django_assert_num_queries):
    for n in range(3):
        PassageFactory(source=SourceFactory(title=f"Source {n}"), position=1)
    client = authenticated(StudentFactory())

    # COUNT sources; SELECT the page with passage counts.
    with django_assert_num_queries(2):
        response = client.get("/api/v1/sources/")

    assert [item["passage_count"] for item in response.json()["results"]] == [1, 1, 1]


def test_a_source_is_read_with_its_passages(world, django_assert_num_queries):
    client = authenticated(world.student_b)

    # SELECT the source with its passage count; SELECT its passages.
    with django_assert_num_queries(2):
        response = client.get(f"/api/v1/sources/{world.source.pk}/")

    assert response.json()["passages"] == [
        {"id": world.passage.pk, "position": 1, "heading": "", "text": world.passage.text}
    ]


def test_a_teacher_creates_a_source_from_text_and_resending_it_is_harmless(
    django_assert_num_queries,
):
    client = authenticated(TeacherFactory())

    # SELECT teachers group; SAVEPOINT; SELECT source by slug FOR UPDATE; full_clean:
    # SELECT the creator exists, SELECT the slug is free; INSERT source; INSERT passages;
    # RELEASE; SELECT the source with passage count; SELECT its passages.
    with django_assert_num_queries(10):
        created = client.post("/api/v1/sources/", {"text": TEXT}, format="json")
    again = client.post("/api/v1/sources/", {"text": TEXT}, format="json")

    assert created.status_code == 201, created.json()
    assert again.status_code == 200
    body = created.json()
    assert body["slug"] == "the-paris-peace-talks"
    assert body["period"] == "1968-1973"
    assert [(p["heading"], p["text"][:11]) for p in body["passages"]] == [
        ("Opening", "Talks opene"),
        ("Opening", "The delegat"),
    ]
    assert Source.objects.count() == 1


def test_the_bundled_source_text_becomes_passages():
    text = BUNDLED_SOURCE.read_text(encoding="utf-8")

    response = client_for(TeacherFactory()).post(
        "/api/v1/sources/", {"text": text, "slug": "paris-talks-api"}, format="json"
    )

    assert response.status_code == 201
    assert len(response.json()["passages"]) > 5


def test_a_changed_text_under_a_cited_slug_is_a_conflict(world):
    response = client_for(world.owner).post(
        "/api/v1/sources/", {"text": TEXT, "slug": world.source.slug}, format="json"
    )

    assert response.status_code == 409
    assert "another slug" in response.json()["error"]["message"]
    assert list(Passage.objects.filter(source=world.source)) == [world.passage]


def test_an_empty_text_is_refused_with_a_field_error():
    response = client_for(TeacherFactory()).post(
        "/api/v1/sources/", {"text": " \n "}, format="json"
    )

    assert response.status_code == 400
    assert "text" in response.json()["error"]["fields"]


def test_a_student_cannot_create_a_source():
    response = client_for(StudentFactory()).post("/api/v1/sources/", {"text": TEXT}, format="json")

    assert response.status_code == 403
    assert not Source.objects.exists()


def test_sources_are_searched_by_title():
    SourceFactory(title="Treaty of Versailles")
    SourceFactory(title="Paris talks")

    response = client_for(StudentFactory()).get("/api/v1/sources/?search=versailles")

    assert [item["title"] for item in response.json()["results"]] == ["Treaty of Versailles"]
