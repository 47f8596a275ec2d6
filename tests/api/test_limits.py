"""Everything a client sends is capped by a named setting; each refusal is a 400 naming it."""

import json
import time

import pytest
from django.core.exceptions import ValidationError

from questions.formats.spec import ImportRefused
from questions.models import Question, QuestionKind, QuestionSet, Review
from questions.services.questions import question_create
from questions.services.set_import import import_file
from questions.services.set_import_checks import NO_QUESTIONS
from tests.api.conftest import client_for
from tests.factories import QuestionSetFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def question_body(**overrides) -> dict:
    return {
        "kind": "multiple_choice",
        "prompt": "Where did the talks open?",
        "answers": [
            {"text": "Paris", "is_correct": True, "fraction": 1},
            {"text": "Geneva"},
        ],
    } | overrides


def post_question(world, body):
    return client_for(world.owner).post(
        f"/api/v1/sets/{world.question_set.pk}/questions/",
        {"passage": world.passage.pk, **body},
        format="json",
    )


@pytest.mark.parametrize(
    ("body", "setting"),
    [
        (question_body(prompt="x" * 20_001), "QUIZSITE_MAX_PROMPT_CHARS"),
        (question_body(explanation="x" * 20_001), "QUIZSITE_MAX_EXPLANATION_CHARS"),
        (
            question_body(answers=[{"text": "x" * 5_001, "is_correct": True, "fraction": 1}] * 2),
            "QUIZSITE_MAX_ANSWER_CHARS",
        ),
        (
            question_body(
                answers=[{"text": f"c{n}", "is_correct": n == 0, "fraction": 1} for n in range(101)]
            ),
            "QUIZSITE_MAX_ANSWERS",
        ),
    ],
)
def test_the_api_refuses_a_question_over_a_limit_with_a_400_naming_it(world, body, setting):
    before = Question.objects.count()

    response = post_question(world, body)

    assert response.status_code == 400
    assert setting in json.dumps(response.json())
    assert "passage" not in response.json()["error"]["fields"]
    assert Question.objects.count() == before


def test_a_set_description_over_its_limit_is_refused(world):
    response = client_for(world.owner).post(
        "/api/v1/sets/", {"title": "Big", "description": "d" * 20_001}, format="json"
    )

    assert response.status_code == 400
    assert "QUIZSITE_MAX_DESCRIPTION_CHARS" in json.dumps(response.json())


def test_the_limits_are_settings(world, settings):
    settings.QUIZSITE_MAX_PROMPT_CHARS = 100

    refused = post_question(world, question_body(prompt="p" * 101))
    accepted = post_question(world, question_body(prompt="p" * 100))

    assert refused.status_code == 400
    assert accepted.status_code == 201, accepted.json()


def test_a_cloze_with_too_many_gaps_is_refused():
    prompt = " ".join(f"{{{{{n}}}}}" for n in range(1, 52))
    question_set = QuestionSetFactory()
    with pytest.raises(ValidationError, match="QUIZSITE_MAX_GAPS"):
        question_create(
            by=question_set.owner,
            question_set=question_set,
            fields={"kind": QuestionKind.CLOZE, "prompt": prompt},
            answers=[{"text": "a", "gap": n, "is_correct": True} for n in range(1, 52)],
        )


def test_a_csv_of_one_question_with_200_000_choices_is_refused_quickly():
    header = "question," + ",".join(f"choice{n}" for n in range(1, 200_001)) + ",correct\n"
    row = "Which?," + ",".join(f"c{n}" for n in range(200_000)) + ",1\n"
    started = time.monotonic()

    with pytest.raises(ImportRefused, match="QUIZSITE_MAX_ANSWERS"):
        import_file(
            content=(header + row).encode(), filename="big.csv", format=None, owner=TeacherFactory()
        )

    assert time.monotonic() - started < 20  # a generous bound: it used to take minutes
    assert not QuestionSet.objects.exists()


def test_an_import_with_too_many_questions_is_refused(settings):
    settings.QUIZSITE_MAX_IMPORT_QUESTIONS = 3
    gift = "".join(f"Question {n}? {{=yes ~no}}\n\n" for n in range(4)).encode()

    with pytest.raises(ImportRefused, match="QUIZSITE_MAX_IMPORT_QUESTIONS"):
        import_file(content=gift, filename="many.gift", format=None, owner=TeacherFactory())

    assert not QuestionSet.objects.exists()


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"// only a comment\n", "empty.gift"),
        (b"id,front,back\n", "cards.csv"),
        (b"quizsite: 1\ntitle: An empty set\nquestions: []\n", "empty.yaml"),
    ],
)
def test_an_import_with_no_question_creates_nothing_and_says_so(content, filename):
    with pytest.raises(ImportRefused) as refused:
        import_file(content=content, filename=filename, format=None, owner=TeacherFactory())

    assert NO_QUESTIONS in str(refused.value) or "no question" in str(refused.value).lower()
    assert not QuestionSet.objects.exists()


def test_a_typed_answer_over_its_limit_is_a_400_and_stores_nothing(world):
    question = world.questions["short_answer"]
    body = {
        "client_id": "long",
        "question": question.pk,
        "answer": {"text": "x" * 10_001},
        "response_ms": 900,
    }

    response = client_for(world.student_a).post("/api/v1/reviews/", body, format="json")

    assert response.status_code == 400
    assert "QUIZSITE_MAX_STUDENT_ANSWER_CHARS" in response.json()["error"]["message"]
    assert not Review.objects.exists()


@pytest.mark.parametrize("page_size", ["201", "0", "-1", "lots"])
def test_a_page_size_out_of_range_is_a_400_naming_the_limit(world, page_size):
    response = client_for(world.owner).get(f"/api/v1/sets/?page_size={page_size}")

    assert response.status_code == 400
    assert "QUIZSITE_MAX_PAGE_SIZE" in response.json()["error"]["message"]


def test_the_largest_page_size_is_accepted(world):
    assert client_for(world.owner).get("/api/v1/sets/?page_size=200").status_code == 200


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=", "page=two", "page=1&page=2"])
def test_a_page_that_is_not_one_whole_number_is_a_400(world, query):
    response = client_for(world.owner).get(f"/api/v1/sets/?{query}")

    assert response.status_code == 400
    assert "page" in response.json()["error"]["fields"]
