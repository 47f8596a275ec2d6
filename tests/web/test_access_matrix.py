"""Who may open which page, as tests/api/test_access_matrix.py says it for the API: anonymous
visitors, the owning teacher, a student of their class, an outsider student and another teacher.

The world (tests/web/conftest.py): `teacher` owns a private set assigned to their class, which
`student` belongs to; `outsider` and `other_teacher` have nothing to do with either. Anonymous
visitors get the landing page at / and are sent to the login page (302) anywhere else. A teacher's page is 403 for students; a set or class
the caller may not see is a 404, as in the API.
"""

import pytest

from questions.models import QuestionKind
from tests.web.test_study import SESSION, right_answer_fields

pytestmark = pytest.mark.django_db

USERS = ["teacher", "student", "outsider", "other_teacher"]
ALL = {user: 200 for user in USERS}
TEACHERS_OWN = {"teacher": 200, "student": 403, "outsider": 403, "other_teacher": 404}


def flashcard_answer(s):
    question = s.questions[QuestionKind.FLASHCARD]
    return {
        "session": SESSION,
        "set": s.question_set.pk,
        "question": question.pk,
        "client_id": f"{SESSION}:m-1",
        **right_answer_fields(question),
    }


# (name, method, url(school), data(school) or None, expected status by caller)
MATRIX = [
    (
        "home (a landing page when signed out)",
        "get",
        lambda s: "/",
        None,
        {**ALL, "anonymous": 200},
    ),
    ("settings", "get", lambda s: "/settings/", None, ALL),
    ("retention helper", "get", lambda s: "/settings/retention/", None, ALL),
    ("study everything due", "get", lambda s: "/study/", None, ALL),
    (
        "study the set",
        "get",
        lambda s: f"/study/?set={s.question_set.pk}",
        None,
        {"teacher": 200, "student": 200, "outsider": 404, "other_teacher": 404},
    ),
    (
        "answer",
        "post",
        lambda s: "/study/answer/",
        flashcard_answer,
        {"teacher": 200, "student": 200, "outsider": 404, "other_teacher": 404},
    ),
    (
        "reveal a flashcard",
        "get",
        lambda s: f"/study/reveal/{s.questions[QuestionKind.FLASHCARD].pk}/",
        None,
        {"teacher": 200, "student": 200, "outsider": 404, "other_teacher": 404},
    ),
    ("own progress", "get", lambda s: "/progress/", None, ALL),
    (
        "the student's progress",
        "get",
        lambda s: f"/progress/?student={s.student.pk}",
        None,
        {"teacher": 200, "student": 200, "outsider": 404, "other_teacher": 404},
    ),
    ("read source", "get", lambda s: f"/sources/{s.source.pk}/", None, ALL),
    (
        "list own sets",
        "get",
        lambda s: "/teach/sets/",
        None,
        {"teacher": 200, "student": 403, "outsider": 403, "other_teacher": 200},
    ),
    ("read set", "get", lambda s: f"/teach/sets/{s.question_set.pk}/", None, TEACHERS_OWN),
    ("edit set", "get", lambda s: f"/teach/sets/{s.question_set.pk}/edit/", None, TEACHERS_OWN),
    (
        "delete set",
        "post",
        lambda s: f"/teach/sets/{s.question_set.pk}/delete/",
        lambda s: {},
        {"teacher": 302, "student": 403, "outsider": 403, "other_teacher": 404},
    ),
    (
        "new question",
        "get",
        lambda s: f"/teach/sets/{s.question_set.pk}/questions/new/",
        None,
        TEACHERS_OWN,
    ),
    (
        "edit question",
        "get",
        lambda s: (
            f"/teach/sets/{s.question_set.pk}/questions/{s.questions[QuestionKind.CLOZE].pk}/"
        ),
        None,
        TEACHERS_OWN,
    ),
    (
        "delete question",
        "post",
        lambda s: (
            f"/teach/sets/{s.question_set.pk}/questions/"
            f"{s.questions[QuestionKind.CLOZE].pk}/delete/"
        ),
        lambda s: {},
        {"teacher": 302, "student": 403, "outsider": 403, "other_teacher": 404},
    ),
    (
        "list classes",
        "get",
        lambda s: "/classes/",
        None,
        {"teacher": 200, "student": 403, "outsider": 403, "other_teacher": 200},
    ),
    ("read class", "get", lambda s: f"/classes/{s.classroom.pk}/", None, TEACHERS_OWN),
    (
        "unassign set",
        "post",
        lambda s: f"/classes/{s.classroom.pk}/sets/{s.question_set.pk}/unassign/",
        lambda s: {},
        {"teacher": 302, "student": 403, "outsider": 403, "other_teacher": 404},
    ),
    (
        "remove member",
        "post",
        lambda s: f"/classes/{s.classroom.pk}/members/{s.student.pk}/remove/",
        lambda s: {},
        {"teacher": 302, "student": 403, "outsider": 403, "other_teacher": 404},
    ),
    ("class report", "get", lambda s: f"/classes/{s.classroom.pk}/report/", None, TEACHERS_OWN),
]
CASES = [
    pytest.param(name, method, url, data, caller, expected.get(caller, 302), id=f"{name}-{caller}")
    for name, method, url, data, expected in MATRIX
    for caller in ["anonymous", *USERS]
]


@pytest.mark.parametrize(("name", "method", "url", "data", "caller", "expected"), CASES)
def test_who_may_open_what(school, name, method, url, data, caller, expected):
    client = school.client(caller)
    kwargs = {"data": data(school)} if data is not None else {}

    response = getattr(client, method)(url(school), **kwargs)

    assert response.status_code == expected, response.content[:300]
    if caller == "anonymous" and expected == 302:
        assert response["Location"].startswith("/login/")
