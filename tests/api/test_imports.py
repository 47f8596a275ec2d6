import io
import json
import sqlite3
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from questions.models import Question, QuestionKind, QuestionSet
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    QuestionSetFactory,
    StudentFactory,
    TeacherFactory,
    question_of_kind,
)

pytestmark = pytest.mark.django_db

GIFT = b"Who led the U.S. side? {=Harriman}\n\nWhere? {~London =Paris}\n"


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(client: APIClient, content: bytes, name: str = "bank.gift", **fields):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post("/api/v1/sets/import/", {"file": file, **fields}, format="multipart")


def test_a_teacher_uploads_a_gift_file_and_gets_the_report(django_assert_num_queries):
    teacher = TeacherFactory()
    client = client_of(teacher)

    # SELECT is the caller a teacher; SAVEPOINT; SELECT the set by external id; INSERT the
    # set; SELECT its questions; INSERT the questions; INSERT their answers; RELEASE.
    with django_assert_num_queries(8):
        response = upload(client, GIFT)

    assert response.status_code == 201
    body = response.json()
    assert body["created_questions"] == 2
    assert body["format"] == "gift"
    assert body["set"]["title"] == "bank"
    assert QuestionSet.objects.get(pk=body["set"]["id"]).owner == teacher


def test_a_quizlet_export_is_imported_when_named():
    response = upload(client_of(TeacherFactory()), b"Paris\tcapital\nLyon\tsilk", "w.txt",
                      format="quizlet")  # fmt: skip

    assert response.status_code == 201
    assert (response.json()["format"], response.json()["created_questions"]) == ("quizlet", 2)


def test_a_dry_run_answers_200_and_saves_nothing(django_assert_num_queries):
    client = client_of(TeacherFactory())

    # As a real import (8), with a ROLLBACK TO SAVEPOINT before the RELEASE.
    with django_assert_num_queries(9):
        response = upload(client, GIFT, dry_run="true")

    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert response.json()["created_questions"] == 2
    assert not Question.objects.exists()


def test_a_refused_file_answers_400_with_every_problem_and_its_line(django_assert_num_queries):
    content = b"Fine? {=yes}\n\nWho? {=Harriman ~Rusk\n\nWhat? {~%abc%x ~y}\n"
    client = client_of(TeacherFactory())

    # SELECT is the caller a teacher; the file is refused before anything else.
    with django_assert_num_queries(1):
        response = upload(client, content)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "import_refused"
    assert [(p["line"], p["message"][:20]) for p in error["problems"]] == [
        (3, "The answer block ope"),
        (5, "Bad weight '%abc%': "),
    ]
    assert not QuestionSet.objects.exists()


def test_a_file_over_the_limit_is_refused_with_the_limit(settings, django_assert_num_queries):
    settings.QUIZSITE_MAX_IMPORT_BYTES = 10
    client = client_of(TeacherFactory())

    # SELECT is the caller a teacher.
    with django_assert_num_queries(1):
        response = upload(client, GIFT)

    assert response.status_code == 400
    assert "limited to 10 bytes" in response.json()["error"]["problems"][0]["message"]


def test_students_may_not_import(django_assert_num_queries):
    client = client_of(StudentFactory())

    # SELECT is the caller a teacher.
    with django_assert_num_queries(1):
        response = upload(client, GIFT)

    assert response.status_code == 403
    assert not QuestionSet.objects.exists()


def test_importing_into_a_set_of_someone_else_is_not_found(django_assert_num_queries):
    other_set = QuestionSetFactory()
    client = client_of(TeacherFactory())

    # SELECT is the caller a teacher; SELECT the set among the caller's own.
    with django_assert_num_queries(2):
        response = upload(client, GIFT, set=other_set.pk)

    assert response.status_code == 404
    assert not Question.objects.exists()


def test_importing_into_an_own_set_adds_to_it(django_assert_num_queries):
    teacher = TeacherFactory()
    own = QuestionSetFactory(owner=teacher)
    client = client_of(teacher)

    # SELECT is the caller a teacher; SELECT the set; SAVEPOINT; UPDATE the set; SELECT its
    # questions; INSERT the questions; INSERT their answers; RELEASE.
    with django_assert_num_queries(8):
        response = upload(client, GIFT, set=own.pk)

    assert response.status_code == 201
    assert response.json()["set"]["id"] == own.pk
    assert own.questions.count() == 2


@pytest.mark.parametrize(
    ("file_format", "check"),
    [
        ("native", lambda content: content.startswith(b"quizsite: 1\n")),
        ("gift", lambda content: b"{\n=Back of the card\n####" in content),
        ("csv", lambda content: content.startswith(b"id,front,back")),
        ("anki", lambda content: "collection.anki2" in zipfile.ZipFile(io.BytesIO(content)).namelist()),
        ("moodle_xml", lambda content: b'<question type="shortanswer">' in content),
        ("quizlet", lambda content: content.endswith(b"\tBack of the card\n")),
    ],
)  # fmt: skip
def test_the_owner_exports_a_set_in_each_format(file_format, check, django_assert_num_queries):
    question_set = QuestionSetFactory(title="Paris, 1968")
    question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)
    client = client_of(question_set.owner)

    # SELECT the set among those visible; SELECT its questions, their answers, their
    # topics; SELECT the set's topics.
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/sets/{question_set.pk}/export/?format={file_format}")

    assert response.status_code == 200
    assert check(response.content)
    assert response["Content-Disposition"].startswith('attachment; filename="paris-1968.')


def test_a_student_of_the_class_may_export_the_set_for_anki_only(django_assert_num_queries):
    assignment = AssignmentFactory()
    question_of_kind(QuestionKind.FLASHCARD, question_set=assignment.question_set)
    student = MembershipFactory(classroom=assignment.classroom).user
    client = client_of(student)
    url = f"/api/v1/sets/{assignment.question_set.pk}/export/"

    # SELECT the set among those visible; SELECT its questions, answers, topics; SELECT
    # the set's topics.
    with django_assert_num_queries(5):
        anki = client.get(url, {"format": "anki"})
    # SELECT the set among those visible; refused before reading it.
    with django_assert_num_queries(1):
        native = client.get(url, {"format": "native"})

    assert anki.status_code == 200
    assert native.status_code == 403
    assert "format=anki" in native.json()["error"]["message"]


def test_a_students_anki_export_holds_the_flashcards_and_no_other_answers(tmp_path):
    assignment = AssignmentFactory()
    question_set = assignment.question_set
    question_of_kind(QuestionKind.FLASHCARD, question_set=question_set, prompt="Who led?")
    question_of_kind(QuestionKind.NUMERICAL, question_set=question_set, prompt="Which year?")
    student = MembershipFactory(classroom=assignment.classroom).user

    response = client_of(student).get(f"/api/v1/sets/{question_set.pk}/export/", {"format": "anki"})

    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    notes = sqlite3.connect(tmp_path / "collection.anki2").execute("SELECT flds FROM notes")
    fields = [row[0] for row in notes]
    assert len(fields) == 1
    assert fields[0].startswith("Who led?")
    assert "1968" not in "".join(fields)
    assert "flashcards were exported" in response["X-Export-Warnings"]


def test_an_unknown_export_format_is_a_400(django_assert_num_queries):
    question_set = QuestionSetFactory()
    client = client_of(question_set.owner)

    # SELECT the set among those visible.
    with django_assert_num_queries(1):
        response = client.get(f"/api/v1/sets/{question_set.pk}/export/", {"format": "word"})

    assert response.status_code == 400
    assert "Unknown format 'word'; use one of: native, gift" in json.dumps(response.json())


def test_a_set_you_cannot_see_is_not_found(django_assert_num_queries):
    question_set = QuestionSetFactory()
    client = client_of(StudentFactory())

    # SELECT the set among those visible.
    with django_assert_num_queries(1):
        response = client.get(f"/api/v1/sets/{question_set.pk}/export/", {"format": "anki"})

    assert response.status_code == 404
