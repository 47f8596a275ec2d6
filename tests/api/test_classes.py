"""Classes: teachers create them, assign sets and read reports; students join with a code."""

from datetime import UTC, datetime, timedelta

import pytest
from rest_framework.test import APIClient

from questions.models import Assignment, Card, Classroom, Membership, QuestionKind
from questions.selectors.class_report import discrimination_index
from questions.services.reviews import review_record
from tests.api.conftest import client_for
from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    QuestionFactory,
    QuestionSetFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db
START = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def authenticated(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_class_list_pins_its_queries(world, django_assert_num_queries):
    ClassroomFactory(owner=world.owner, name="History 2")
    client = authenticated(world.owner)

    # COUNT the caller's classes; SELECT the page with owner, role and counts.
    with django_assert_num_queries(2):
        response = client.get("/api/v1/classes/")

    results = response.json()["results"]
    assert [(c["name"], c["student_count"], c["set_count"]) for c in results] == [
        ("History 1", 1, 1),
        ("History 2", 0, 0),
    ]
    assert all(c["join_code"] for c in results)


def test_students_see_their_class_without_its_join_code(world):
    results = client_for(world.student_a).get("/api/v1/classes/").json()["results"]

    assert [(c["name"], c["is_teacher"], c["join_code"]) for c in results] == [
        ("History 1", False, None)
    ]


def test_a_teacher_creates_a_class_and_teaches_it(django_assert_num_queries):
    teacher = TeacherFactory()
    client = authenticated(teacher)

    # SELECT teachers group; SAVEPOINT; full_clean: SELECT owner exists, SELECT join code free;
    # INSERT class; INSERT teacher membership; RELEASE; SELECT the class with counts.
    with django_assert_num_queries(8):
        response = client.post("/api/v1/classes/", {"name": "Seminar"}, format="json")

    assert response.status_code == 201
    classroom = Classroom.objects.get(pk=response.json()["id"])
    assert classroom.owner == teacher
    assert Membership.objects.get(classroom=classroom).role == "teacher"


def test_a_student_cannot_create_a_class():
    response = client_for(StudentFactory()).post("/api/v1/classes/", {"name": "x"}, format="json")

    assert response.status_code == 403


def test_a_student_joins_with_a_code_in_any_case_and_twice_is_harmless(
    world, django_assert_num_queries
):
    client = authenticated(world.student_b)
    code = world.classroom.join_code.lower()

    # SAVEPOINT; SELECT the class by code; SELECT the membership; SAVEPOINT; INSERT it;
    # RELEASE; the student's studied sets: SELECT their rows, SELECT what their classes
    # assign, SELECT the shared sets they started, INSERT the new rows; RELEASE; SELECT the
    # class with counts.
    with django_assert_num_queries(12):
        first = client.post("/api/v1/classes/join/", {"code": code}, format="json")
    second = client.post("/api/v1/classes/join/", {"code": code}, format="json")

    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["join_code"] is None
    assert Membership.objects.filter(classroom=world.classroom, user=world.student_b).count() == 1
    assert client.get(f"/api/v1/sets/{world.question_set.pk}/").status_code == 200


def test_a_wrong_code_is_a_field_error(world):
    response = client_for(world.student_b).post(
        "/api/v1/classes/join/", {"code": "NOPE"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "code": ["No class has this code; check the code with your teacher."]
    }


def test_members_are_listed_for_teachers_only(world, django_assert_num_queries):
    client = authenticated(world.owner)

    # SELECT the class with the caller's role; COUNT members; SELECT the page with users.
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/classes/{world.classroom.pk}/members/")

    assert [(m["user"]["username"], m["role"]) for m in response.json()["results"]] == [
        ("student_a", "student"),
        ("owner", "teacher"),
    ]
    assert (
        client_for(world.student_a)
        .get(f"/api/v1/classes/{world.classroom.pk}/members/")
        .status_code
        == 403
    )


def test_a_teacher_removes_a_student_and_a_student_may_leave(world):
    other = MembershipFactory(classroom=world.classroom).user
    teacher = client_for(world.owner)

    removed = teacher.delete(f"/api/v1/classes/{world.classroom.pk}/members/{other.pk}/")
    left = client_for(world.student_a).delete(
        f"/api/v1/classes/{world.classroom.pk}/members/{world.student_a.pk}/"
    )

    assert (removed.status_code, left.status_code) == (204, 204)
    assert list(world.classroom.memberships.values_list("user__username", flat=True)) == ["owner"]


def test_the_owner_cannot_be_removed(world):
    response = client_for(world.owner).delete(
        f"/api/v1/classes/{world.classroom.pk}/members/{world.owner.pk}/"
    )

    assert response.status_code == 400


def test_a_teacher_assigns_own_and_public_sets_only(world, django_assert_num_queries):
    own = QuestionSetFactory(owner=world.owner)
    public = QuestionSetFactory(owner=world.other_teacher, visibility="public")
    private = QuestionSetFactory(owner=world.other_teacher)
    client = authenticated(world.owner)
    url = f"/api/v1/classes/{world.classroom.pk}/sets/"

    # SELECT the class with the caller's role; SELECT the set among assignable ones;
    # SAVEPOINT; SELECT the assignment; SAVEPOINT; INSERT it; RELEASE; the members' studied
    # sets of that set: SELECT the members, SELECT their rows, SELECT what their classes
    # assign, SELECT the shared sets they started, INSERT the new rows; RELEASE.
    with django_assert_num_queries(13):
        assigned = client.post(url, {"set": own.pk}, format="json")
    public_assigned = client.post(url, {"set": public.pk}, format="json")
    refused = client.post(url, {"set": private.pk}, format="json")

    assert (assigned.status_code, public_assigned.status_code) == (201, 201)
    assert refused.status_code == 400
    listed = client_for(world.student_a).get(url).json()["results"]
    assert [item["set"] for item in listed] == [world.question_set.pk, own.pk, public.pk]


def test_a_teacher_unassigns_a_set(world):
    response = client_for(world.owner).delete(
        f"/api/v1/classes/{world.classroom.pk}/sets/{world.question_set.pk}/"
    )

    assert response.status_code == 204
    assert not Assignment.objects.filter(classroom=world.classroom).exists()
    assert (
        client_for(world.student_a).get(f"/api/v1/sets/{world.question_set.pk}/").status_code == 404
    )


def test_a_student_cannot_assign_or_unassign(world):
    client = client_for(world.student_a)

    assigned = client.post(
        f"/api/v1/classes/{world.classroom.pk}/sets/",
        {"set": QuestionSetFactory(visibility="public").pk},
        format="json",
    )
    unassigned = client.delete(
        f"/api/v1/classes/{world.classroom.pk}/sets/{world.question_set.pk}/"
    )

    assert (assigned.status_code, unassigned.status_code) == (403, 403)


def test_renaming_and_deleting_a_class(world):
    client = client_for(world.owner)
    url = f"/api/v1/classes/{world.classroom.pk}/"

    renamed = client.patch(url, {"name": "History 1A"}, format="json")
    by_student = client_for(world.student_a).delete(url)
    deleted = client.delete(url)

    assert renamed.json()["name"] == "History 1A"
    assert by_student.status_code == 403
    assert deleted.status_code == 204
    assert not Classroom.objects.filter(pk=world.classroom.pk).exists()


@pytest.fixture
def reported_class():
    """Three students answer three true/false questions; facility and discrimination worked
    out by hand. s2 also rates a flashcard Good, which is not an answer that was right.

    Right (1) or wrong (0) on first answers:   q1 q2 q3
        s1                                      1  1  1
        s2                                      1  0  0
        s3                                      0  0  1   (and later q1 right)
    """
    teacher = TeacherFactory()
    classroom = ClassroomFactory(owner=teacher)
    question_set = QuestionSetFactory(owner=teacher)
    classroom.assignments.create(question_set=question_set)
    q1, q2, q3 = (
        QuestionFactory(question_set=question_set, position=n, kind=QuestionKind.TRUE_FALSE)
        for n in (1, 2, 3)
    )
    card = QuestionFactory(question_set=question_set, position=4)
    students = [StudentFactory(username=f"s{n}") for n in (1, 2, 3)]
    for student in students:
        MembershipFactory(classroom=classroom, user=student)
    outsider = StudentFactory(username="outsider")
    answers = [
        (students[0], q1, 3, 1000),
        (students[0], q2, 3, 1000),
        (students[0], q3, 3, 1000),
        (students[1], q1, 3, 2000),
        (students[1], q2, 1, 2000),
        (students[1], q3, 1, 2000),
        (students[2], q1, 1, 3000),
        (students[2], q2, 1, 3000),
        (students[2], q3, 3, 3000),
        (students[2], q1, 3, 4000),
        (outsider, q1, 1, 9000),
        (students[1], card, 3, 5000),
    ]
    for n, (student, question, rating, response_ms) in enumerate(answers):
        flashcard = question.kind == QuestionKind.FLASHCARD
        review_record(
            user=student,
            question=question,
            client_id=f"r{n}",
            answer=None if flashcard else {"value": rating == 3},
            rating=rating if flashcard else None,
            response_ms=response_ms,
            now=START + timedelta(days=n),
        )
    Card.objects.filter(user=students[0], question=q1).update(stability=30)
    return classroom, teacher, students, (q1, q2, q3, card)


def test_the_class_report_matches_figures_worked_out_by_hand(
    reported_class, django_assert_num_queries
):
    classroom, teacher, _, (q1, q2, q3, card) = reported_class
    client = authenticated(teacher)

    # SELECT the class with the caller's role; SELECT the assigned sets; SELECT their live
    # questions; SELECT per-question aggregates; SELECT first answers; SELECT students with
    # their aggregates; SELECT mastered cards per student.
    with django_assert_num_queries(7):
        response = client.get(f"/api/v1/classes/{classroom.pk}/report/")

    report = response.json()
    by_question = {row["question"]: row for row in report["questions"]}
    assert [
        (row["attempts"], row["students"], row["facility"], row["discrimination_index"])
        for row in (by_question[q.pk] for q in (q1, q2, q3))
    ] == [(4, 3, 0.75, 0.0), (3, 3, 0.3333, 100.0), (3, 3, 0.6667, 0.0)]
    # A self-rating is not graded: the flashcard has answers but no facility.
    assert (by_question[card.pk]["attempts"], by_question[card.pk]["facility"]) == (1, None)
    assert by_question[q1.pk]["mean_response_ms"] == 2500.0
    assert [
        (row["user"]["username"], row["attempts"], row["facility"], row["mastered"], row["mastery"])
        for row in report["students"]
    ] == [("s1", 3, 1.0, 1, 0.25), ("s2", 4, 0.3333, 0, 0.0), ("s3", 4, 0.5, 0, 0.0)]
    assert report["students"][2]["last_activity"].startswith("2026-04-10")


@pytest.mark.parametrize(
    "ask", [{"path_suffix": "?format=csv"}, {"path_suffix": "", "HTTP_ACCEPT": "text/csv"}]
)
def test_the_class_report_comes_as_csv(reported_class, ask):
    classroom, teacher, _, (q1, _, _, _) = reported_class
    suffix = ask.pop("path_suffix")

    response = client_for(teacher).get(f"/api/v1/classes/{classroom.pk}/report/{suffix}", **ask)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    questions, students = response.content.decode().split("\r\n\r\n")
    assert questions.splitlines()[0].startswith("question,set,kind")
    assert questions.splitlines()[1].startswith(f"{q1.pk},")
    assert students.splitlines()[1].startswith(
        f"{StudentFactory._meta.model.objects.get(username='s1').pk},s1,3,1.0,1,"
    )


def test_the_class_report_keeps_to_one_set_when_asked_and_refuses_a_set_not_given(
    reported_class,
):
    classroom, teacher, _, (q1, q2, q3, card) = reported_class
    second = QuestionSetFactory(owner=teacher)
    classroom.assignments.create(question_set=second)
    only = QuestionFactory(question_set=second, kind=QuestionKind.TRUE_FALSE)
    stranger = QuestionSetFactory(owner=teacher)
    client = client_for(teacher)
    report_url = f"/api/v1/classes/{classroom.pk}/report/"

    everything = client.get(report_url).json()
    filtered = client.get(f"{report_url}?set={second.pk}").json()
    csv = client.get(f"{report_url}?format=csv&set={second.pk}").content.decode()
    refused = client.get(f"{report_url}?set={stranger.pk}")

    assert {row["question"] for row in everything["questions"]} == {
        q.pk for q in (q1, q2, q3, card, only)
    }
    assert [row["question"] for row in filtered["questions"]] == [only.pk]
    question_rows = csv.split("\r\n\r\n")[0].splitlines()[1:]
    assert [row.split(",")[0] for row in question_rows] == [str(only.pk)]
    assert refused.status_code == 404


def test_a_csv_request_that_fails_gets_the_json_error_body(reported_class):
    classroom, _, students, _ = reported_class

    response = client_for(students[0]).get(f"/api/v1/classes/{classroom.pk}/report/?format=csv")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_discrimination_is_left_empty_when_it_cannot_be_computed():
    assert discrimination_index({1: {10: 1.0, 11: 1.0}}, 10) is None
    assert discrimination_index({1: {10: 1.0, 11: 0.0}, 2: {10: 1.0, 11: 1.0}}, 10) is None
