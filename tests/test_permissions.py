"""The permission rules, in questions/permissions.py, and the services that enforce them."""

from datetime import UTC, datetime

import pytest

from questions.errors import NotAllowed, NotFound
from questions.models import QuestionKind, QuestionSet
from questions.permissions import (
    NOT_ASSIGNABLE,
    NOT_THE_OWNER,
    NOT_THEIR_CLASS,
    assignable_sets,
    is_teacher,
    may_assign,
    progress_reader,
    teaches,
)
from questions.services.classes import member_remove, set_assign, set_unassign
from questions.services.questions import question_delete, question_update
from questions.services.sets import set_create, set_delete
from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    QuestionSetFactory,
    StudentFactory,
    TeacherFactory,
    question_of_kind,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture
def classroom():
    """A class with its owner, a second teacher member and a student."""
    classroom = ClassroomFactory()
    MembershipFactory(classroom=classroom, user=TeacherFactory(), role="teacher")
    MembershipFactory(classroom=classroom)
    return classroom


def member(classroom, role: str):
    return classroom.memberships.exclude(user=classroom.owner).get(role=role).user


def test_teachers_are_the_teachers_group():
    assert (is_teacher(TeacherFactory()), is_teacher(StudentFactory())) == (True, False)


def test_the_owner_and_teacher_members_teach_a_class_and_students_do_not(classroom):
    assert teaches(classroom.owner, classroom)
    assert teaches(member(classroom, "teacher"), classroom)
    assert not teaches(member(classroom, "student"), classroom)
    assert not teaches(TeacherFactory(), classroom)


@pytest.mark.parametrize(
    ("whose", "visibility", "archived", "assignable"),
    [
        ("own", "private", False, True),
        ("own", "private", True, False),
        ("other", "public", False, True),
        ("other", "classes", False, False),
        ("other", "private", False, False),
    ],
)
def test_a_teacher_assigns_their_own_live_sets_and_public_ones(
    whose, visibility, archived, assignable
):
    teacher = TeacherFactory()
    question_set = QuestionSetFactory(
        owner=teacher if whose == "own" else TeacherFactory(),
        visibility=visibility,
        archived_at=NOW if archived else None,
    )

    assert may_assign(teacher, question_set) is assignable
    assert assignable_sets(teacher).filter(pk=question_set.pk).exists() is assignable


def test_assigning_checks_the_class_and_the_set_whoever_calls_the_service(classroom):
    student = member(classroom, "student")
    private_elsewhere = QuestionSetFactory()

    with pytest.raises(NotAllowed, match=NOT_THEIR_CLASS):
        set_assign(by=student, classroom=classroom, question_set=QuestionSetFactory())
    with pytest.raises(NotAllowed, match=NOT_ASSIGNABLE):
        set_assign(by=classroom.owner, classroom=classroom, question_set=private_elsewhere)
    assert not classroom.assignments.exists()

    own = QuestionSetFactory(owner=member(classroom, "teacher"))
    set_assign(by=member(classroom, "teacher"), classroom=classroom, question_set=own)
    with pytest.raises(NotAllowed):
        set_unassign(by=student, classroom=classroom, question_set=own)
    assert classroom.assignments.count() == 1


def test_a_student_may_leave_but_not_remove_another_member(classroom):
    student = member(classroom, "student")
    other = MembershipFactory(classroom=classroom).user

    with pytest.raises(NotAllowed):
        member_remove(by=student, classroom=classroom, user=other)
    member_remove(by=student, classroom=classroom, user=student)

    assert set(classroom.memberships.values_list("user", flat=True)) == {
        classroom.owner.pk,
        member(classroom, "teacher").pk,
        other.pk,
    }


def test_only_the_owner_changes_a_set_or_its_questions():
    question = question_of_kind(QuestionKind.FLASHCARD)
    stranger = TeacherFactory()

    with pytest.raises(NotAllowed, match=NOT_THE_OWNER):
        question_update(by=stranger, question=question, fields={"title": "Mine now"})
    with pytest.raises(NotAllowed):
        question_delete(by=stranger, question=question, now=NOW)
    with pytest.raises(NotAllowed):
        set_delete(by=stranger, question_set=question.question_set, now=NOW)

    question.refresh_from_db()
    assert question.title != "Mine now"
    assert QuestionSet.objects.filter(pk=question.question_set_id).exists()


def test_students_do_not_create_sets():
    with pytest.raises(NotAllowed):
        set_create(owner=StudentFactory(), fields={"title": "Mine"})
    assert not QuestionSet.objects.exists()


def test_a_students_progress_is_read_by_them_and_their_teachers_only(classroom):
    student = member(classroom, "student")

    assert progress_reader(reader=student, learner_id=None) == student
    assert progress_reader(reader=student, learner_id=student.pk) == student
    assert progress_reader(reader=classroom.owner, learner_id=student.pk) == student
    assert progress_reader(reader=member(classroom, "teacher"), learner_id=student.pk) == student
    for reader in (TeacherFactory(), StudentFactory()):
        with pytest.raises(NotFound) as refused:
            progress_reader(reader=reader, learner_id=student.pk)
        assert list(refused.value.fields) == ["user"]


def test_only_the_owner_reorders_a_sets_questions_whoever_calls_the_service():
    from questions.services.question_order import question_move

    first = question_of_kind(QuestionKind.FLASHCARD)
    second = question_of_kind(QuestionKind.FLASHCARD, question_set=first.question_set)
    positions = {first.pk: first.position, second.pk: second.position}

    with pytest.raises(NotAllowed, match=NOT_THE_OWNER):
        question_move(by=TeacherFactory(), question=second, offset=-1)

    assert dict(first.question_set.questions.values_list("pk", "position")) == positions
    question_move(by=first.question_set.owner, question=second, offset=-1)
    assert first.question_set.questions.order_by("position").first() == second


GIFT = b"::Capital:: What is the capital of France? {=Paris ~London ~Berlin}\n"


def test_an_import_into_another_teachers_set_is_refused_and_adds_nothing():
    from questions.services.set_import import import_file

    theirs = QuestionSetFactory()
    with pytest.raises(NotAllowed, match=NOT_THE_OWNER):
        import_file(
            content=GIFT, filename="q.gift", format=None, owner=TeacherFactory(), into=theirs
        )
    assert not theirs.questions.exists()


def test_a_queued_import_into_another_teachers_set_is_refused_before_it_is_queued():
    from questions.models import Job
    from questions.services.jobs import import_job_start

    with pytest.raises(NotAllowed, match=NOT_THE_OWNER):
        import_job_start(
            owner=TeacherFactory(),
            content=GIFT,
            filename="q.gift",
            format=None,
            into=QuestionSetFactory(),
            now=NOW,
        )
    assert not Job.objects.exists()
