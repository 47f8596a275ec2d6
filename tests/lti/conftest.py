import pytest
import responses
from django.test import Client

from questions.models import QuestionKind
from tests.factories import QuestionSetFactory, TeacherFactory, question_of_kind
from tests.lti.platform import Platform


@pytest.fixture
def platform(db):
    """A registered LMS whose HTTP endpoints answer in-process; calls anywhere else fail."""
    lms = Platform()
    lms.register()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        lms.serve(mocked)
        yield lms


@pytest.fixture
def question_set(db):
    """A set owned by the teacher who will launch from the LMS, and so pick it there."""
    owner = TeacherFactory(username="set-owner")
    question_set = QuestionSetFactory(title="Peace talks", owner=owner, visibility="public")
    for _ in range(2):
        question_of_kind(QuestionKind.TRUE_FALSE, question_set=question_set)
    return question_set


@pytest.fixture
def browser():
    """A browser inside the LMS's iframe."""
    return Client()
