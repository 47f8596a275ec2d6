"""Resolving a scope: what a request names, checked against what the caller may study."""

import pytest

from questions.study import ScopeNotFound, resolve_scope
from questions.study.scope import NO_SUCH_PASSAGE, NO_SUCH_SET, NO_SUCH_TOPIC
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    PassageFactory,
    QuestionSetFactory,
    StudentFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_a_set_assigned_to_the_students_class_resolves_with_its_topic_and_passage():
    membership = MembershipFactory()
    assignment = AssignmentFactory(classroom=membership.classroom)
    topic, passage = TopicFactory(), PassageFactory()

    scope = resolve_scope(
        user=membership.user,
        set_id=assignment.question_set_id,
        topic=topic.slug,
        passage_id=passage.pk,
    )

    assert (scope.question_set, scope.topic, scope.passage) == (
        assignment.question_set,
        topic,
        passage,
    )


def test_nothing_named_is_everything_the_student_studies():
    scope = resolve_scope(user=StudentFactory())

    assert scope.as_filter() == {"question_set": None, "topic": None, "passage": None}


@pytest.mark.parametrize("visibility", ["private", "classes"])
def test_a_set_the_student_may_not_see_is_missing_like_one_that_does_not_exist(visibility):
    hidden = QuestionSetFactory(visibility=visibility)

    with pytest.raises(ScopeNotFound) as refused:
        resolve_scope(user=StudentFactory(), set_id=hidden.pk)

    assert refused.value.fields == {"set": [NO_SUCH_SET]}
    assert refused.value.status == 404


def test_every_missing_part_is_named_at_once():
    with pytest.raises(ScopeNotFound) as refused:
        resolve_scope(user=StudentFactory(), set_id=10**6, topic="nowhere", passage_id=10**6)

    assert refused.value.fields == {
        "set": [NO_SUCH_SET],
        "topic": [NO_SUCH_TOPIC],
        "passage": [NO_SUCH_PASSAGE],
    }


def test_an_archived_set_is_not_studied():
    question_set = QuestionSetFactory(visibility="public", archived_at="2026-01-01T00:00Z")

    with pytest.raises(ScopeNotFound):
        resolve_scope(user=StudentFactory(), set_id=question_set.pk)
