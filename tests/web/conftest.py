"""The people and the bank of the web page tests: a class with its teacher, a student in it,
an outsider student, another teacher, and an assigned set citing a source, with one question
of every kind."""

from dataclasses import dataclass

import pytest
from django.test import Client

from questions.models import QuestionKind
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


@dataclass
class School:
    teacher: object
    other_teacher: object
    student: object
    outsider: object
    classroom: object
    question_set: object
    source: object
    passages: list
    questions: dict

    def client(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(getattr(self, who))
        return client


@pytest.fixture
def school(db) -> School:
    teacher = TeacherFactory(username="ms-teacher")
    source = SourceFactory(title="Paris talks", slug="paris-talks")
    passages = [
        PassageFactory(source=source, position=1, text="Talks opened in Paris on May 13."),
        PassageFactory(source=source, position=2, text="Harriman led the U.S. delegation."),
    ]
    question_set = QuestionSetFactory(title="Peace talks", owner=teacher, source=source)
    questions = {
        kind: question_of_kind(kind, question_set=question_set, passage=passages[index % 2])
        for index, kind in enumerate(QuestionKind.values)
    }
    classroom = ClassroomFactory(name="History 1", owner=teacher)
    AssignmentFactory(classroom=classroom, question_set=question_set)
    student = StudentFactory(username="sam")
    MembershipFactory(classroom=classroom, user=student)
    return School(
        teacher=teacher,
        other_teacher=TeacherFactory(username="other-teacher"),
        student=student,
        outsider=StudentFactory(username="olga"),
        classroom=classroom,
        question_set=question_set,
        source=source,
        passages=passages,
        questions=questions,
    )
