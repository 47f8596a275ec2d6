"""Query counts of the endpoints whose main path no other test pins, one row each.

The callers are authenticated without queries (force_authenticate), so each count is the
view's own; the comment of each row names every query.
"""

import pytest
from rest_framework.test import APIClient

from questions.models import ApiToken

pytestmark = pytest.mark.django_db

ROWS = [
    # (method, url(world), body(world) or None, caller, status, queries, what they are)
    (
        "get",
        lambda w: f"/api/v1/questions/{w.questions['matching'].pk}/",
        None,
        "owner",
        200,
        3,
        "SELECT the owner's question; SELECT its answers; SELECT its topics",
    ),
    (
        "delete",
        lambda w: f"/api/v1/questions/{w.questions['ordering'].pk}/",
        None,
        "owner",
        204,
        16,
        "SAVEPOINT; SELECT the owner's question; SELECT its answers; SELECT its topics; SELECT it "
        "FOR UPDATE; SAVEPOINT; SELECT whether it has reviews; SELECT its reviews, its quiz "
        "answers and its answer claims (cascade collector, PROTECT); DELETE topic links; DELETE "
        "answers; DELETE cards; DELETE it; RELEASE; RELEASE",
    ),
    (
        "delete",
        lambda w: f"/api/v1/sets/{w.question_set.pk}/",
        None,
        "owner",
        204,
        23,
        "SAVEPOINT; SELECT the visible set; SELECT its topics; SELECT it FOR UPDATE; SAVEPOINT; "
        "SELECT whether it has reviews; SELECT its question ids, their reviews and their answer "
        "claims (collector); "
        "SELECT its questions' quiz answers, its quizzes, its LMS links (collector); "
        "DELETE question topic links, answers, cards, set topic links, assignments, students' "
        "extra new cards, studied set rows, questions, the set; RELEASE; RELEASE",
    ),
    (
        "get",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/",
        None,
        "student_a",
        200,
        1,
        "SELECT the class with the caller's role and counts",
    ),
    (
        "patch",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/",
        lambda w: {"name": "History 1B"},
        "owner",
        200,
        5,
        "SELECT the class with role; full_clean: SELECT owner exists, SELECT join code is free; "
        "UPDATE name; SELECT the class again with counts",
    ),
    (
        "get",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/sets/",
        None,
        "student_a",
        200,
        3,
        "SELECT the class with role; COUNT assignments; SELECT the page with sets",
    ),
    (
        "delete",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/sets/{w.question_set.pk}/",
        None,
        "owner",
        204,
        10,
        "SELECT the class with role; SELECT the assignment with its set; SAVEPOINT; DELETE it; "
        "the members' studied sets of that set: SELECT the members, SELECT their rows, SELECT "
        "what their classes assign, SELECT the sets they started; DELETE the rows no longer "
        "studied; RELEASE",
    ),
    (
        "delete",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/members/{w.student_a.pk}/",
        None,
        "owner",
        204,
        9,
        "SELECT the class with role; SELECT the membership with its user; SAVEPOINT; DELETE it; "
        "the member's studied sets: SELECT their rows, SELECT what their classes assign, SELECT "
        "the shared sets they started; DELETE the rows no longer studied; RELEASE",
    ),
    (
        "get",
        lambda w: f"/api/v1/tokens/{ApiToken.objects.get(user=w.owner).pk}/",
        None,
        "owner",
        200,
        1,
        "SELECT the caller's token",
    ),
    (
        "patch",
        lambda w: "/api/v1/me/",
        lambda w: {"day_starts_at_hour": 5},
        "student_a",
        200,
        15,
        "SELECT the profile with user; SELECT it again (service); full_clean: SELECT user exists, "
        "SELECT one profile per user, 3 × (SAVEPOINT, SELECT check, RELEASE) (retention, day "
        "start, session length); UPDATE it; "
        "SELECT whether the user is a teacher",
    ),
    (
        "get",
        lambda w: "/api/v1/study/queue/",
        None,
        "student_a",
        200,
        5,
        "SELECT the sets the student studies (their StudiedSet rows and own sets) with "
        "today's counts; SELECT due reviews and learning cards; SELECT new questions; SELECT "
        "their answers; SELECT their topics (the profile came with the user)",
    ),
]


@pytest.mark.parametrize(
    ("method", "url", "body", "caller", "status", "queries", "named"),
    [row for row in ROWS if row[5]],
    ids=[f"{row[0]} {row[6][:40]}" for row in ROWS if row[5]],
)
def test_main_path_query_counts(
    world, django_assert_num_queries, method, url, body, caller, status, queries, named
):
    client = APIClient()
    client.force_authenticate(getattr(world, caller))
    kwargs = {"format": "json", "HTTP_IF_MATCH": "*"}
    if body is not None:
        kwargs["data"] = body(world)
    address = url(world)

    with django_assert_num_queries(queries, info=named):
        response = getattr(client, method)(address, **kwargs)

    assert response.status_code == status, response.content


def test_login_pins_its_queries(world, django_assert_num_queries):
    # SELECT the user by username in any case (hashes are checked in Python); INSERT the token.
    with django_assert_num_queries(2):
        response = APIClient().post(
            "/api/v1/auth/token/",
            {"username": "student_a", "password": "correct horse battery staple"},
            format="json",
        )

    assert response.status_code == 201


def test_deleting_a_class_pins_its_queries(world, django_assert_num_queries):
    client = APIClient()
    client.force_authenticate(world.owner)

    # SELECT the class with role and counts; SAVEPOINT; SELECT its members; then Django's
    # cascade: SELECT its LMS course (collector), DELETE memberships, DELETE assignments, DELETE
    # the class; then the members' studied sets: SELECT their rows, SELECT what their other
    # classes assign, SELECT the shared sets they started; DELETE the rows no longer studied;
    # RELEASE.
    with django_assert_num_queries(12):
        response = client.delete(f"/api/v1/classes/{world.classroom.pk}/")

    assert response.status_code == 204
