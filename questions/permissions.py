"""Who may do what: the one module of permission rules. Services enforce them (so a new front
end cannot forget one); the pages and the API also use them to decide what to show or offer.

- a teacher is a member of the teachers group;
- a user teaches a class they own or are a teacher member of;
- only a set's owner changes the set and its questions;
- a teacher assigns to their class their own live sets and public ones (a set another teacher
  shares with "my classes" is theirs to assign);
- a student's progress is read by the student, and by whoever teaches a class the student is a
  student of (then only in the sets the reader may see, see questions.selectors.progress).
"""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from questions.errors import NotAllowed, NotFound
from questions.models import Classroom, Membership, QuestionSet

TEACHERS_GROUP = "teachers"
NOT_A_TEACHER = "Only teachers may do this; ask an administrator to add you to the teachers group."
NOT_THE_OWNER = "Only the owner may change this; you may read it."
NOT_THEIR_CLASS = "Only the teachers of this class may do this."
NOT_ASSIGNABLE = "You may assign your own sets and public sets only, and this is neither."
NO_SUCH_STUDENT = "This user is not a student of a class you teach."


def is_teacher(user) -> bool:
    """Member of the teachers group; remembered on the user object for the request."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_teacher", None)
    if cached is None:
        cached = user.groups.filter(name=TEACHERS_GROUP).exists()
        user._is_teacher = cached
    return cached


def require_teacher(user) -> None:
    if not is_teacher(user):
        raise NotAllowed(NOT_A_TEACHER)


def taught_classes(user) -> QuerySet[Classroom]:
    """Classes the user teaches (and may manage): their own, or where they are a teacher member."""
    teaching = Membership.objects.filter(user=user, role=Membership.Role.TEACHER)
    return Classroom.objects.filter(Q(owner=user) | Q(pk__in=teaching.values("classroom_id")))


def teaches(user, classroom: Classroom) -> bool:
    """Whether the user teaches the class. Free for its owner, and for a class read with
    questions.selectors.classes.classes_of(user), which carries the answer as `is_teacher`."""
    if classroom.owner_id == user.pk:
        return True
    annotated = getattr(classroom, "is_teacher", None)
    if annotated is not None:
        return annotated
    return taught_classes(user).filter(pk=classroom.pk).exists()


def require_teaches(user, classroom: Classroom) -> None:
    if not teaches(user, classroom):
        raise NotAllowed(NOT_THEIR_CLASS)


def require_class_owner(user, classroom: Classroom) -> None:
    if classroom.owner_id != user.pk:
        raise NotAllowed(NOT_THE_OWNER)


def owns(user, question_set: QuestionSet) -> bool:
    return user is not None and question_set.owner_id == user.pk


def require_owner(user, question_set: QuestionSet) -> None:
    if not owns(user, question_set):
        raise NotAllowed(NOT_THE_OWNER)


def assignable_sets(user) -> QuerySet[QuestionSet]:
    """Sets a teacher may assign to their class: their own live sets and public ones."""
    return QuestionSet.objects.filter(
        Q(archived_at__isnull=True) & (Q(owner=user) | Q(visibility=QuestionSet.Visibility.PUBLIC))
    )


def may_assign(user, question_set: QuestionSet) -> bool:
    """assignable_sets' rule, for a set already read."""
    return question_set.archived_at is None and (
        question_set.owner_id == user.pk or question_set.visibility == QuestionSet.Visibility.PUBLIC
    )


def require_assignable(user, question_set: QuestionSet) -> None:
    if not may_assign(user, question_set):
        raise NotAllowed(NOT_ASSIGNABLE)


def students_taught_by(user) -> QuerySet[User]:
    """Users who are students in a class the user teaches: whose progress the user may read."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(
            classroom__in=taught_classes(user), role=Membership.Role.STUDENT
        ).values("user_id")
    )


def progress_reader(*, reader, learner_id: int | None):
    """The learner whose progress `reader` asks for: themselves, or a student they teach
    (anyone else is missing, NotFound on `user`)."""
    if learner_id is None or learner_id == reader.pk:
        return reader
    learner = students_taught_by(reader).filter(pk=learner_id).first()
    if learner is None:
        raise NotFound(NO_SUCH_STUDENT, fields={"user": [NO_SUCH_STUDENT]})
    return learner
