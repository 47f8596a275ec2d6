"""The pages a student opens most run a fixed number of queries, however much there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions.models import QuestionKind
from tests.factories import AssignmentFactory, QuestionSetFactory, question_of_kind
from tests.web.test_study import post_answer, right_answer_fields

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_sets(school, count: int) -> None:
    for _ in range(count):
        question_set = QuestionSetFactory(owner=school.teacher)
        for kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.MATCHING):
            question_of_kind(kind, question_set=question_set)
        AssignmentFactory(classroom=school.classroom, question_set=question_set)


@pytest.mark.parametrize("url", ["/", "/progress/", "/study/"])
def test_a_students_page_runs_as_many_queries_with_more_sets_and_reviews(school, url):
    client = school.client("student")
    add_sets(school, 1)
    before = queries_for(client, url)

    add_sets(school, 3)
    for number, kind in enumerate(QuestionKind.values):
        question = school.questions[kind]
        post_answer(client, question, right_answer_fields(question), client_id=str(number))

    assert queries_for(client, url) == before


def test_the_source_page_runs_as_many_queries_however_many_passages(school):
    client = school.client("student")
    url = f"/sources/{school.source.pk}/"
    before = queries_for(client, url)

    from tests.factories import PassageFactory

    for position in range(3, 9):
        PassageFactory(source=school.source, position=position)

    assert queries_for(client, url) == before
