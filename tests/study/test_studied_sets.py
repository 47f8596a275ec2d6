"""The StudiedSet rows the queue reads say what the studied-sets rule says, after any sequence
of joins, removals, assignments, first answers and visibility changes made through the
services."""

import importlib
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError

from questions.errors import DomainError
from questions.models import QuestionKind, QuestionSet, StudiedSet
from questions.selectors.visibility import studied_rows_filter, studied_sets
from questions.services import classes, sets
from questions.services.studied_sets import studied_sets_sync
from questions.study import answerable_question, submit_answer
from tests.factories import (
    ClassroomFactory,
    QuestionSetFactory,
    StudentFactory,
    TeacherFactory,
    question_of_kind,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
VISIBILITIES = list(QuestionSet.Visibility.values)


def studied_by_rows(user) -> set[int]:
    return set(QuestionSet.objects.filter(studied_rows_filter(user)).values_list("pk", flat=True))


def studied_by_rule(user) -> set[int]:
    return set(studied_sets(user).values_list("pk", flat=True))


class School:
    """Two teachers with a class each, three sets each of every visibility, three students."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.teachers = [TeacherFactory(), TeacherFactory()]
        self.classes = [ClassroomFactory(owner=teacher) for teacher in self.teachers]
        self.sets = [
            QuestionSetFactory(owner=teacher, visibility=rng.choice(VISIBILITIES))
            for teacher in self.teachers
            for _ in range(3)
        ]
        self.questions = {
            question_set.pk: [
                question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)
                for _ in range(2)
            ]
            for question_set in self.sets
        }
        self.students = [StudentFactory() for _ in range(3)]
        self.answers = 0

    def people(self):
        return [*self.students, *self.teachers]

    def step(self) -> None:
        rng = self.rng
        classroom = rng.choice(self.classes)
        question_set = rng.choice(self.sets)
        student = rng.choice(self.students)
        action = rng.choices(
            ["join", "leave", "assign", "unassign", "answer", "visibility", "delete class"],
            weights=[4, 2, 4, 2, 5, 2, 1],
        )[0]
        try:
            match action:
                case "join":
                    classes.classroom_join(user=student, code=classroom.join_code)
                case "leave":
                    classes.member_remove(by=classroom.owner, classroom=classroom, user=student)
                case "assign":
                    classes.set_assign(
                        by=classroom.owner, classroom=classroom, question_set=question_set
                    )
                case "unassign":
                    classes.set_unassign(
                        by=classroom.owner, classroom=classroom, question_set=question_set
                    )
                case "visibility":
                    sets.set_update(
                        by=question_set.owner,
                        question_set=question_set,
                        fields={"visibility": rng.choice(VISIBILITIES)},
                    )
                case "delete class":
                    classes.classroom_delete(by=classroom.owner, classroom=classroom)
                    self.classes.remove(classroom)
                    self.classes.append(ClassroomFactory(owner=classroom.owner))
                case "answer":
                    self.answer(student, rng.choice(self.questions[question_set.pk]))
        except (DomainError, ValidationError, PermissionDenied):
            pass  # refused (not a teacher of it, may not assign it…): nothing changed

    def answer(self, user, question) -> None:
        """Answer through the study module, as the API does, when the user may."""
        try:
            found = answerable_question(user=user, question_id=question.pk)
        except DomainError:
            return
        self.answers += 1
        submit_answer(
            user=user,
            question=found,
            client_id=f"answer-{self.answers}",
            rating=3,
            response_ms=1000,
            now=NOW + timedelta(minutes=self.answers),
        )


@pytest.mark.parametrize("seed", range(30))
def test_after_any_sequence_of_changes_the_rows_say_what_the_rule_says(seed):
    rng = random.Random(seed)
    school = School(rng)

    for number in range(25):
        school.step()
        if number % 5 == 4:
            for person in school.people():
                assert studied_by_rows(person) == studied_by_rule(person), (seed, number)

    for person in school.people():
        assert studied_by_rows(person) == studied_by_rule(person)


def test_syncing_again_changes_nothing():
    school = School(random.Random(7))
    for _ in range(40):
        school.step()
    before = set(StudiedSet.objects.values_list("user_id", "question_set_id", "via"))

    studied_sets_sync(user_ids=[person.pk for person in school.people()])

    assert set(StudiedSet.objects.values_list("user_id", "question_set_id", "via")) == before


def test_a_first_answer_in_a_public_set_makes_it_a_chosen_set_and_a_private_one_never():
    public = QuestionSetFactory(visibility=QuestionSet.Visibility.PUBLIC)
    student = StudentFactory()
    school = School(random.Random(1))

    school.answer(student, question_of_kind(QuestionKind.FLASHCARD, question_set=public))

    assert list(StudiedSet.objects.values_list("question_set_id", "via")) == [(public.pk, "chosen")]
    assert studied_by_rows(student) == {public.pk}


def test_the_migration_fills_the_rows_from_what_is_there():
    school = School(random.Random(3))
    for _ in range(40):
        school.step()
    expected = {person.pk: studied_by_rule(person) for person in school.people()}
    StudiedSet.objects.all().delete()

    migration = importlib.import_module("questions.migrations.0014_studied_sets")
    migration.fill_studied_sets(django_apps, None)

    assert {person.pk: studied_by_rows(person) for person in school.people()} == expected
