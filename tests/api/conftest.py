"""The people of the API tests: two students, the owning teacher, another teacher."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from questions.models import QuestionKind
from questions.services.tokens import token_create
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    PassageFactory,
    QuestionSetFactory,
    SourceFactory,
    StudentFactory,
    TeacherFactory,
    question_of_kind,
)


def client_for(user=None, *, token: str | None = None) -> APIClient:
    client = APIClient()
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    elif user is not None:
        client.force_login(user)
    return client


@dataclass
class World:
    owner: object
    other_teacher: object
    student_a: object
    student_b: object
    classroom: object
    question_set: object
    questions: dict
    source: object
    passage: object
    tokens: dict

    def client(self, who: str, *, via_token: bool = False) -> APIClient:
        if who == "anonymous":
            return APIClient()
        user = getattr(self, who)
        return client_for(token=self.tokens[who]) if via_token else client_for(user)


@pytest.fixture
def world(db) -> World:
    owner = TeacherFactory(username="owner")
    other_teacher = TeacherFactory(username="other_teacher")
    student_a = StudentFactory(username="student_a")
    student_b = StudentFactory(username="student_b")
    source = SourceFactory(slug="paris", title="Paris talks")
    passage = PassageFactory(source=source, position=1, text="Talks opened in Paris in May 1968.")
    question_set = QuestionSetFactory(owner=owner, title="Paris 1968", source=source)
    questions = {
        kind: question_of_kind(kind, question_set=question_set, passage=passage)
        for kind in QuestionKind.values
    }
    classroom = ClassroomFactory(owner=owner, name="History 1")
    MembershipFactory(classroom=classroom, user=student_a)
    AssignmentFactory(classroom=classroom, question_set=question_set)
    tokens = {
        who: token_create(user=user, name=f"{who}'s token").key
        for who, user in {
            "owner": owner,
            "other_teacher": other_teacher,
            "student_a": student_a,
            "student_b": student_b,
        }.items()
    }
    return World(
        owner=owner,
        other_teacher=other_teacher,
        student_a=student_a,
        student_b=student_b,
        classroom=classroom,
        question_set=question_set,
        questions=questions,
        source=source,
        passage=passage,
        tokens=tokens,
    )
