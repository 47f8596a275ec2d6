"""Who may do what: every endpoint and method, for anonymous callers, two students, the owning
teacher and another teacher, each signed in by session and by API token.

The world (tests/api/conftest.py): `owner` owns a private set assigned to their class, which
`student_a` belongs to; `student_b` and `other_teacher` have nothing to do with either.
An object the caller may not see is a 404; one they may see but not change is a 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from questions.models import ApiToken, Review
from tests.factories import QuestionSetFactory

pytestmark = pytest.mark.django_db

USERS = ["owner", "student_a", "student_b", "other_teacher"]
OK = {user: 200 for user in USERS}


def flashcard_review(w):
    return {
        "client_id": "m-1",
        "question": w.questions["flashcard"].pk,
        "rating": 3,
        "response_ms": 1000,
    }


# (name, method, url(world), body(world) or None, expected status by caller)
MATRIX = [
    ("list sets", "get", lambda w: "/api/v1/sets/", None, OK),
    (
        "read set",
        "get",
        lambda w: f"/api/v1/sets/{w.question_set.pk}/",
        None,
        {"owner": 200, "student_a": 200, "student_b": 404, "other_teacher": 404},
    ),
    (
        "create set",
        "post",
        lambda w: "/api/v1/sets/",
        lambda w: {"title": "New"},
        {"owner": 201, "student_a": 403, "student_b": 403, "other_teacher": 201},
    ),
    (
        "edit set",
        "patch",
        lambda w: f"/api/v1/sets/{w.question_set.pk}/",
        lambda w: {"title": "Edited"},
        {"owner": 200, "student_a": 403, "student_b": 404, "other_teacher": 404},
    ),
    (
        "replace set",
        "put",
        lambda w: f"/api/v1/sets/{w.question_set.pk}/",
        lambda w: {"title": "Replaced", "source": w.source.pk},
        {"owner": 200, "student_a": 403, "student_b": 404, "other_teacher": 404},
    ),
    (
        "delete set",
        "delete",
        lambda w: f"/api/v1/sets/{w.question_set.pk}/",
        None,
        {"owner": 204, "student_a": 403, "student_b": 404, "other_teacher": 404},
    ),
    (
        "export set for Anki",
        "get",
        lambda w: f"/api/v1/sets/{w.question_set.pk}/export/?format=anki",
        None,
        {"owner": 200, "student_a": 200, "student_b": 404, "other_teacher": 404},
    ),
    (
        "export set with its key",
        "get",
        lambda w: f"/api/v1/sets/{w.question_set.pk}/export/?format=native",
        None,
        {"owner": 200, "student_a": 403, "student_b": 404, "other_teacher": 404},
    ),
    (
        "import an empty file",
        "post",
        lambda w: "/api/v1/sets/import/",
        lambda w: {"file": SimpleUploadedFile("empty.csv", b"")},
        {"owner": 400, "student_a": 403, "student_b": 403, "other_teacher": 400},
    ),
    (
        "list questions",
        "get",
        lambda w: f"/api/v1/sets/{w.question_set.pk}/questions/",
        None,
        {"owner": 200, "student_a": 404, "student_b": 404, "other_teacher": 404},
    ),
    (
        "create question",
        "post",
        lambda w: f"/api/v1/sets/{w.question_set.pk}/questions/",
        lambda w: {
            "kind": "flashcard",
            "prompt": "Q",
            "passage": w.passage.pk,
            "answers": [{"text": "A", "is_correct": True}],
        },
        {"owner": 201, "student_a": 404, "student_b": 404, "other_teacher": 404},
    ),
    (
        "read question",
        "get",
        lambda w: f"/api/v1/questions/{w.questions['cloze'].pk}/",
        None,
        {"owner": 200, "student_a": 404, "student_b": 404, "other_teacher": 404},
    ),
    (
        "edit question",
        "patch",
        lambda w: f"/api/v1/questions/{w.questions['cloze'].pk}/",
        lambda w: {"title": "Edited"},
        {"owner": 200, "student_a": 404, "student_b": 404, "other_teacher": 404},
    ),
    (
        "delete question",
        "delete",
        lambda w: f"/api/v1/questions/{w.questions['cloze'].pk}/",
        None,
        {"owner": 204, "student_a": 404, "student_b": 404, "other_teacher": 404},
    ),
    ("list sources", "get", lambda w: "/api/v1/sources/", None, OK),
    ("read source", "get", lambda w: f"/api/v1/sources/{w.source.pk}/", None, OK),
    (
        "create source",
        "post",
        lambda w: "/api/v1/sources/",
        lambda w: {"text": "A title\n\nA first paragraph.", "slug": "matrix"},
        {"owner": 201, "student_a": 403, "student_b": 403, "other_teacher": 201},
    ),
    ("list classes", "get", lambda w: "/api/v1/classes/", None, OK),
    (
        "create class",
        "post",
        lambda w: "/api/v1/classes/",
        lambda w: {"name": "New"},
        {"owner": 201, "student_a": 403, "student_b": 403, "other_teacher": 201},
    ),
    (
        "read class",
        "get",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/",
        None,
        {"owner": 200, "student_a": 200, "student_b": 404, "other_teacher": 404},
    ),
    (
        "rename class",
        "patch",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/",
        lambda w: {"name": "Renamed"},
        {"owner": 200, "student_a": 403, "student_b": 404, "other_teacher": 404},
    ),
    (
        "delete class",
        "delete",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/",
        None,
        {"owner": 204, "student_a": 403, "student_b": 404, "other_teacher": 404},
    ),
    (
        "list members",
        "get",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/members/",
        None,
        {"owner": 200, "student_a": 403, "student_b": 404, "other_teacher": 404},
    ),
    (
        "remove member",
        "delete",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/members/{w.student_a.pk}/",
        None,
        {"owner": 204, "student_a": 204, "student_b": 404, "other_teacher": 404},
    ),
    (
        "list class sets",
        "get",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/sets/",
        None,
        {"owner": 200, "student_a": 200, "student_b": 404, "other_teacher": 404},
    ),
    (
        "assign set",
        "post",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/sets/",
        lambda w: {"set": QuestionSetFactory(owner=w.owner, visibility="public").pk},
        {"owner": 201, "student_a": 403, "student_b": 404, "other_teacher": 404},
    ),
    (
        "unassign set",
        "delete",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/sets/{w.question_set.pk}/",
        None,
        {"owner": 204, "student_a": 403, "student_b": 404, "other_teacher": 404},
    ),
    (
        "class report",
        "get",
        lambda w: f"/api/v1/classes/{w.classroom.pk}/report/",
        None,
        {"owner": 200, "student_a": 403, "student_b": 404, "other_teacher": 404},
    ),
    (
        "join class",
        "post",
        lambda w: "/api/v1/classes/join/",
        lambda w: {"code": w.classroom.join_code},
        {"owner": 200, "student_a": 200, "student_b": 201, "other_teacher": 201},
    ),
    ("list tokens", "get", lambda w: "/api/v1/tokens/", None, OK),
    (
        "create token",
        "post",
        lambda w: "/api/v1/tokens/",
        lambda w: {"name": "n"},
        {user: 201 for user in USERS},
    ),
    (
        "revoke owner's token",
        "delete",
        lambda w: f"/api/v1/tokens/{ApiToken.objects.get(user=w.owner).pk}/",
        None,
        {"owner": 204, "student_a": 404, "student_b": 404, "other_teacher": 404},
    ),
    ("read me", "get", lambda w: "/api/v1/me/", None, OK),
    ("edit me", "patch", lambda w: "/api/v1/me/", lambda w: {"time_zone": "Asia/Tokyo"}, OK),
    (
        "study queue of the set",
        "get",
        lambda w: f"/api/v1/study/queue/?set={w.question_set.pk}",
        None,
        {"owner": 200, "student_a": 200, "student_b": 400, "other_teacher": 400},
    ),
    (
        "answer",
        "post",
        lambda w: "/api/v1/reviews/",
        flashcard_review,
        {"owner": 201, "student_a": 201, "student_b": 400, "other_teacher": 400},
    ),
    ("review history", "get", lambda w: "/api/v1/reviews/", None, OK),
    (
        "student_a's progress",
        "get",
        lambda w: f"/api/v1/progress/?user={w.student_a.pk}",
        None,
        {"owner": 200, "student_a": 200, "student_b": 400, "other_teacher": 400},
    ),
]
CASES = [
    pytest.param(
        name,
        method,
        url,
        body,
        caller,
        via_token,
        expected.get(caller, 401),
        id=f"{name}-{caller}-{'token' if via_token else 'session'}",
    )
    for name, method, url, body, expected in MATRIX
    for caller in ["anonymous", *USERS]
    for via_token in ([False] if caller == "anonymous" else [False, True])
]


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "caller", "via_token", "expected"), CASES
)
def test_who_may_do_what(world, name, method, url, body, caller, via_token, expected):
    client = world.client(caller, via_token=via_token)
    kwargs = {"format": "json", "HTTP_IF_MATCH": "*"}
    if body is not None:
        kwargs["data"] = body(world)
        if any(isinstance(value, SimpleUploadedFile) for value in kwargs["data"].values()):
            kwargs["format"] = "multipart"

    response = getattr(client, method)(url(world), **kwargs)

    assert response.status_code == expected, response.content


def visible_ids(world, who: str, url: str, key: str = "id") -> set:
    response = world.client(who, via_token=True).get(url)
    assert response.status_code == 200
    return {item[key] for item in response.json()["results"]}


def test_lists_show_each_caller_only_what_is_theirs(world):
    public = QuestionSetFactory(owner=world.other_teacher, visibility="public")
    QuestionSetFactory(owner=world.other_teacher)
    world.client("student_a").post("/api/v1/reviews/", flashcard_review(world), format="json")

    sets = {who: visible_ids(world, who, "/api/v1/sets/") for who in USERS}
    classes = {who: visible_ids(world, who, "/api/v1/classes/") for who in USERS}
    tokens = {who: visible_ids(world, who, "/api/v1/tokens/", "name") for who in USERS}
    reviews = {who: visible_ids(world, who, "/api/v1/reviews/") for who in USERS}

    assert sets == {
        "owner": {world.question_set.pk, public.pk},
        "student_a": {world.question_set.pk, public.pk},
        "student_b": {public.pk},
        "other_teacher": {
            public.pk,
            *world.other_teacher.question_sets.values_list("pk", flat=True),
        },
    }
    assert classes == {
        "owner": {world.classroom.pk},
        "student_a": {world.classroom.pk},
        "student_b": set(),
        "other_teacher": set(),
    }
    assert tokens == {who: {f"{who}'s token"} for who in USERS}
    assert reviews == {
        "owner": set(),
        "student_a": set(Review.objects.values_list("pk", flat=True)),
        "student_b": set(),
        "other_teacher": set(),
    }
