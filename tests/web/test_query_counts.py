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


# The answer path, pinned absolutely. Signed in by session, so each request first reads the
# session and the user.
ANSWER_QUERIES = [
    "SELECT the session",
    "SELECT the user, with the profile (the session's length, its own setting first)",
    "SELECT the set of the scope, if the user may study it",
    "SELECT the question, if the user may answer it",
    "SELECT its answers",
    "SELECT its topics",
    "SAVEPOINT",
    "SELECT the card FOR UPDATE, with the profile",
    "INSERT the review",
    "UPDATE the card",
    "RELEASE SAVEPOINT",
    "SELECT COUNT of the session's answers",
]
# A first answer creates the card and selects it again, locked.
FIRST_ANSWER_QUERIES = [
    *ANSWER_QUERIES[:8],
    "INSERT the card (ignoring a conflict)",
    "SELECT the card FOR UPDATE again",
    *ANSWER_QUERIES[8:],
]
# A flashcard's rating goes straight on to the next card: the queue's queries follow.
NEXT_CARD_QUERIES = [
    "SELECT the set with today's counts (and today's extra new cards)",
    "SELECT the due cards",
    "SELECT new questions",
]
# The next card's answers and topics, the first time this process shows it (then cached by
# the question's id and updated_at, questions.selectors.question_cache).
FIRST_SIGHT_QUERIES = ["SELECT their answers", "SELECT their topics"]
STUDY_PAGE_QUERIES = [
    "SELECT the session",
    "SELECT the user, with the profile (the session's length, then the study day)",
    "SELECT the set of the scope, if the user may study it",
    "SELECT COUNT of the session's answers (the session cap)",
    "SELECT the set with today's counts",
    "SELECT the due cards",
    "SELECT new questions",
    "SELECT their answers",
    "SELECT their topics",
    "SELECT whether the user is a teacher (the page's menu)",
]


@pytest.mark.parametrize("kind", QuestionKind.values)
def test_answering_on_the_page_runs_a_fixed_number_of_queries(
    school, kind, django_assert_num_queries
):
    client = school.client("student")
    question = school.questions[kind]
    fields = right_answer_fields(question)

    next_card = NEXT_CARD_QUERIES if kind == QuestionKind.FLASHCARD else []
    first_sight = FIRST_SIGHT_QUERIES if kind == QuestionKind.FLASHCARD else []
    with django_assert_num_queries(len(FIRST_ANSWER_QUERIES + next_card + first_sight)):
        assert post_answer(client, question, fields, client_id="first").status_code == 200
    with django_assert_num_queries(len(ANSWER_QUERIES + next_card)):
        assert post_answer(client, question, fields, client_id="again").status_code == 200


def test_the_study_page_runs_a_fixed_number_of_queries(school, django_assert_num_queries):
    client = school.client("student")
    url = f"/study/?set={school.question_set.pk}&session=0123456789ab"

    with django_assert_num_queries(len(STUDY_PAGE_QUERIES)):
        assert client.get(url).status_code == 200
