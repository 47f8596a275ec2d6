"""factory-boy factories for every model. Build valid objects by default; override to break them."""

import factory
from django.contrib.auth.models import Group, User

from questions.models import (
    Answer,
    ApiToken,
    Assignment,
    Classroom,
    Membership,
    Passage,
    Question,
    QuestionKind,
    QuestionSet,
    Source,
    Topic,
)
from questions.services.studied_sets import members_of, studied_sets_sync


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class StudentFactory(UserFactory):
    username = factory.Sequence(lambda n: f"student{n}")


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}")

    @factory.post_generation
    def teachers_group(user, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name="teachers")
            user.groups.add(group)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    text = "First paragraph.\n\nSecond paragraph."


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passage

    source = factory.SubFactory(SourceFactory)
    position = factory.Sequence(lambda n: n + 1)
    heading = ""
    text = factory.Sequence(lambda n: f"Passage number {n}.")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.LazyAttribute(lambda topic: topic.slug.replace("-", " ").title())


class QuestionSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionSet

    title = factory.Sequence(lambda n: f"Set {n}")
    owner = factory.SubFactory(TeacherFactory)
    visibility = QuestionSet.Visibility.PRIVATE


class QuestionFactory(factory.django.DjangoModelFactory):
    """A flashcard by default; the kind-specific factories below give a valid answer key."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    question_set = factory.SubFactory(QuestionSetFactory)
    kind = QuestionKind.FLASHCARD
    prompt = factory.Sequence(lambda n: f"Front of card {n}")
    explanation = "Because the source says so."
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def answers(question, create, extracted, **kwargs):
        """Pass answers=[dict(...), ...] to give the answer key; flashcards get a back."""
        if not create:
            return
        rows = extracted
        if rows is None:
            rows = DEFAULT_ANSWERS[question.kind]
        Answer.objects.bulk_create(
            Answer(question=question, position=position, **row)
            for position, row in enumerate(rows, start=1)
        )


DEFAULT_ANSWERS = {
    QuestionKind.FLASHCARD: [{"text": "Back of the card", "is_correct": True, "fraction": 1}],
    QuestionKind.MULTIPLE_CHOICE: [
        {"text": "Averell Harriman", "is_correct": True, "fraction": 1},
        {"text": "Henry Kissinger"},
        {"text": "Dean Rusk"},
    ],
    QuestionKind.TRUE_FALSE: [
        {"text": "True", "is_correct": True, "fraction": 1},
        {"text": "False"},
    ],
    QuestionKind.SHORT_ANSWER: [
        {"text": "Harriman", "is_correct": True, "fraction": 1},
        {"text": "Averell Harriman", "is_correct": True, "fraction": 1},
    ],
    QuestionKind.NUMERICAL: [
        {"text": "1968", "number": 1968, "tolerance": 0, "is_correct": True, "fraction": 1}
    ],
    QuestionKind.CLOZE: [
        {"text": "Paris", "gap": 1, "is_correct": True, "fraction": 1},
        {"text": "May 12", "gap": 2, "is_correct": True, "fraction": 1},
    ],
    QuestionKind.MATCHING: [
        {"text": "Harriman", "match_text": "Chief negotiator", "is_correct": True, "fraction": 1},
        {
            "text": "Clifford",
            "match_text": "Secretary of Defense",
            "is_correct": True,
            "fraction": 1,
        },
        {"text": "Johnson", "match_text": "President", "is_correct": True, "fraction": 1},
    ],
    QuestionKind.ORDERING: [
        {"text": "Tet Offensive", "is_correct": True, "fraction": 1},
        {"text": "Johnson's speech of March 31", "is_correct": True, "fraction": 1},
        {"text": "Talks open in Paris", "is_correct": True, "fraction": 1},
    ],
}
DEFAULT_PROMPTS = {
    QuestionKind.CLOZE: "Talks began in {{1}} on {{2}}.",
}


def question_of_kind(kind: str, **overrides) -> Question:
    """A valid saved question of `kind`, with the default answer key for that kind."""
    overrides.setdefault("prompt", DEFAULT_PROMPTS.get(kind, f"A {kind} question?"))
    return QuestionFactory(kind=kind, **overrides)


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Class {n}")
    owner = factory.SubFactory(TeacherFactory)

    @factory.post_generation
    def owner_membership(classroom, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(
                classroom=classroom, user=classroom.owner, defaults={"role": "teacher"}
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    """A membership, with the member's studied sets brought up to date as joining does."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    classroom = factory.SubFactory(ClassroomFactory)
    user = factory.SubFactory(StudentFactory)
    role = Membership.Role.STUDENT

    @factory.post_generation
    def studied_sets(membership, create, extracted, **kwargs):
        if create:
            studied_sets_sync(user_ids=[membership.user_id])


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An assignment, with the members' studied sets brought up to date as assigning does."""

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    classroom = factory.SubFactory(ClassroomFactory)
    question_set = factory.SubFactory(QuestionSetFactory)

    @factory.post_generation
    def studied_sets(assignment, create, extracted, **kwargs):
        if create:
            studied_sets_sync(
                user_ids=members_of(assignment.classroom), set_ids=[assignment.question_set_id]
            )


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "Test token"
    key_hash = factory.Sequence(lambda n: f"{n:064x}")
    prefix = factory.Sequence(lambda n: f"qs_{n:05d}")
