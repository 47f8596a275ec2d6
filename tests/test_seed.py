from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from questions.models import Assignment, Classroom, QuestionSet


def row_counts() -> dict[str, int]:
    models = [*apps.get_app_config("questions").get_models(), User, Group]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_seed_twice_creates_nothing_new():
    call_command("seed", stdout=StringIO())
    first = row_counts()

    output = StringIO()
    call_command("seed", stdout=output)

    assert row_counts() == first
    assert first["Question"] > 0


@pytest.mark.django_db
def test_seed_assigns_every_shipped_set_to_the_demo_class_and_prints_logins():
    output = StringIO()

    call_command("seed", stdout=output)

    classroom = Classroom.objects.get(join_code="DEMO1968")
    assert set(classroom.question_sets.all()) == set(QuestionSet.objects.all())
    assert Assignment.objects.count() == QuestionSet.objects.count() >= 1
    assert classroom.memberships.filter(user__username="student", role="student").exists()
    assert User.objects.get(username="teacher").groups.filter(name="teachers").exists()
    assert "student / quizsite-student" in output.getvalue()
