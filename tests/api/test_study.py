"""Studying through the API: the queue never leaks an answer; answers are graded and logged."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from questions.api.serializers import NOT_STUDYABLE
from questions.models import Answer, Card, QuestionKind, QuestionSet, Review, ReviewMode
from questions.services.reviews import review_record
from tests.api.conftest import client_for
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuestionSetFactory,
    StudentFactory,
    question_of_kind,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
KEY_FIELDS = {
    "is_correct",
    "fraction",
    "explanation",
    "feedback",
    "accepted",
    "back",
    "number",
    "tolerance",
    "match_text",
    "answers",
    "values",
    "pairs",
    "order",
}


def authenticated(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in all_keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in all_keys(item)}
    return set()


def secret_texts(question) -> list[str]:
    """What must not appear before answering: the explanation and every hidden answer text."""
    rows = list(question.answers.all())
    texts = [question.explanation]
    if question.kind in (QuestionKind.FLASHCARD, QuestionKind.SHORT_ANSWER, QuestionKind.CLOZE):
        texts += [row.text for row in rows]
    if question.kind == QuestionKind.NUMERICAL:
        texts += [f"{row.number:g}" for row in rows]
    return texts


def queue(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/v1/study/queue/?limit=50{query}")
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def right_answer(item: dict) -> dict:
    """The right answer to a queue item, worked out from the answer key in the database."""
    shown = item["question"]
    rows = list(Answer.objects.filter(question_id=shown["id"]).order_by("position"))
    match shown["kind"]:
        case "flashcard":
            return {"rating": 3}
        case "multiple_choice" | "true_false":
            if shown["kind"] == "true_false":
                return {"answer": {"value": next(r for r in rows if r.is_correct).text == "True"}}
            right_texts = {r.text for r in rows if r.is_correct}
            return {
                "answer": {
                    "choices": [c["id"] for c in shown["choices"] if c["text"] in right_texts]
                }
            }
        case "short_answer":
            return {"answer": {"text": rows[0].text.upper()}}
        case "numerical":
            return {"answer": {"value": rows[0].number}}
        case "cloze":
            return {"answer": {"gaps": {str(r.gap): r.text for r in rows}}}
        case "matching":
            right_id = {right["text"]: right["id"] for right in shown["right"]}
            return {"answer": {"pairs": {str(r.pk): right_id[r.match_text] for r in rows}}}
        case "ordering":
            item_id = {entry["text"]: entry["id"] for entry in shown["items"]}
            return {"answer": {"order": [item_id[r.text] for r in rows]}}
    raise AssertionError(shown["kind"])


def test_the_queue_pins_its_queries(world, django_assert_num_queries):
    client = authenticated(world.student_a)

    # SELECT the set among those the student may see; then the engine's queue: SELECT the set
    # with today's counts; SELECT due reviews and learning cards; SELECT new questions; SELECT
    # their answers; SELECT their topics (then cached). The profile came with the user (as
    # token authentication loads it), and serves the flashcards' interval previews too.
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/study/queue/?set={world.question_set.pk}&limit=50")

    results = response.json()["results"]
    assert [item["reason"] for item in results] == ["new"] * 8
    previews = {item["question"]["kind"]: item["intervals"] for item in results}
    assert previews.pop("flashcard")["again"] == pytest.approx(60 / 86400, abs=1e-5)
    assert set(previews.values()) == {None}


def test_a_flashcards_preview_says_what_each_rating_will_do(world):
    client = client_for(world.student_a)
    card = world.questions["flashcard"]
    with time_machine.travel(NOW, tick=False):
        preview = next(
            item["intervals"] for item in queue(client) if item["question"]["id"] == card.pk
        )
        answered = client.post(
            "/api/v1/reviews/",
            {"client_id": "p-1", "question": card.pk, "rating": 3, "response_ms": 2000},
            format="json",
        )

    assert answered.json()["schedule"]["interval_days"] == pytest.approx(preview["good"], abs=1e-5)
    assert preview["again"] < preview["hard"] <= preview["good"] < preview["easy"]


@pytest.mark.parametrize("scope", ["", "&set={set}", "&passage={passage}"])
@pytest.mark.parametrize("who", ["student_a", "owner"])
def test_no_queue_item_leaks_its_answer_key(world, scope, who):
    query = scope.format(set=world.question_set.pk, passage=world.passage.pk)
    with time_machine.travel(NOW, tick=False):
        items = queue(world.client(who, via_token=True), query)
    assert {item["question"]["kind"] for item in items} == set(QuestionKind.values)

    for item in items:
        question = world.questions[item["question"]["kind"]]
        assert not all_keys(item) & KEY_FIELDS, item
        text = json.dumps(item)
        for secret in secret_texts(question):
            assert secret not in text, (secret, item)
        row_ids = set(question.answers.values_list("pk", flat=True))
        for hidden in item["question"].get("right", []) + item["question"].get("items", []):
            assert isinstance(hidden["id"], str)
            assert hidden["id"] not in {str(row_id) for row_id in row_ids}


@pytest.mark.parametrize("kind", QuestionKind.values)
def test_a_right_answer_to_each_kind_is_graded_right_with_feedback(world, kind):
    client = client_for(world.student_a, token=None)
    with time_machine.travel(NOW, tick=False):
        item = next(i for i in queue(client) if i["question"]["kind"] == kind)
        body = {
            "client_id": f"answer-{kind}",
            "question": item["question"]["id"],
            "response_ms": 20000,
            **right_answer(item),
        }
        response = client.post("/api/v1/reviews/", body, format="json")

    assert response.status_code == 201, response.json()
    result = response.json()
    assert result["is_correct"] in (True, None)
    assert result["rating"] == 3
    assert result["explanation"] == "Because the source says so."
    assert result["passage"]["text"] == world.passage.text
    assert result["right_answer"]["kind"] == kind
    assert result["schedule"]["due"] > NOW.isoformat().replace("+00:00", "Z")
    card = Card.objects.get(user=world.student_a, question_id=item["question"]["id"])
    assert card.reps == 1


def test_posting_an_answer_pins_its_queries(world, django_assert_num_queries):
    client = authenticated(world.student_a)
    question = world.questions["short_answer"]
    body = {
        "client_id": "q-1",
        "question": question.pk,
        "answer": {"text": "Harriman"},
        "response_ms": 4000,
    }

    # SELECT the question among those the student may study, with set, passage and the
    # student's card (none yet); SELECT its answers; SELECT its topics; SAVEPOINT; SAVEPOINT;
    # INSERT the card, rescheduled; RELEASE; INSERT the review; RELEASE. The profile came with
    # the user; a reused client_id is caught by the review's unique constraint.
    with django_assert_num_queries(9):
        first = client.post("/api/v1/reviews/", body, format="json")
    # The same, but the card exists: SELECT the question with it; SAVEPOINT; UPDATE it if still
    # as read; INSERT the review; RELEASE. The answers and topics come from the in-process
    # cache, as the question's updated_at is unchanged.
    with django_assert_num_queries(5):
        again = client.post("/api/v1/reviews/", body | {"client_id": "q-2"}, format="json")

    assert (first.status_code, again.status_code) == (201, 201), again.json()
    assert Review.objects.filter(user=world.student_a, question=question).count() == 2


def test_replaying_a_client_id_returns_the_same_body_and_records_nothing(world):
    client = client_for(world.student_a)
    body = {
        "client_id": "retry-1",
        "question": world.questions["numerical"].pk,
        "answer": {"value": 1968},
        "response_ms": 5000,
    }

    first = client.post("/api/v1/reviews/", body, format="json")
    again = client.post("/api/v1/reviews/", body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Review.objects.filter(user=world.student_a).count() == 1


def test_a_retry_after_the_question_was_archived_returns_the_same_body(world):
    client = client_for(world.student_a)
    question = world.questions["numerical"]
    body = {
        "client_id": "retry-archived",
        "question": question.pk,
        "answer": {"value": 1968},
        "response_ms": 5000,
    }
    first = client.post("/api/v1/reviews/", body, format="json")
    question.archived_at = datetime(2026, 11, 3, tzinfo=UTC)
    question.save(update_fields=["archived_at"])

    again = client.post("/api/v1/reviews/", body, format="json")
    new_answer = client.post(
        "/api/v1/reviews/", body | {"client_id": "after-archiving"}, format="json"
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert new_answer.status_code == 400
    assert Review.objects.filter(user=world.student_a).count() == 1


def test_studying_ahead_serves_cards_not_yet_due_and_logs_their_answers_as_such(world):
    client = client_for(world.student_a)
    flashcard = world.questions["flashcard"]
    with time_machine.travel(NOW, tick=False):
        client.post(
            "/api/v1/reviews/",
            {"client_id": "ahead-1", "question": flashcard.pk, "rating": 4, "response_ms": 900},
            format="json",
        )
    later = NOW + timedelta(minutes=1)
    scope = f"&set={world.question_set.pk}"

    with time_machine.travel(later, tick=False):
        due_only = [item["question"]["id"] for item in queue(client, scope)]
        with_ahead = {
            item["question"]["id"]: item["reason"] for item in queue(client, scope + "&ahead=1")
        }
        client.post(
            "/api/v1/reviews/",
            {"client_id": "ahead-2", "question": flashcard.pk, "rating": 3, "response_ms": 900},
            format="json",
        )

    assert flashcard.pk not in due_only
    assert with_ahead[flashcard.pk] == "ahead"
    assert Review.objects.get(client_id="ahead-2").mode == ReviewMode.AHEAD


def test_a_client_id_reused_for_another_answer_is_a_conflict(world):
    client = client_for(world.student_a)
    body = {
        "client_id": "retry-2",
        "question": world.questions["numerical"].pk,
        "answer": {"value": 1968},
        "response_ms": 5000,
    }
    client.post("/api/v1/reviews/", body, format="json")

    response = client.post("/api/v1/reviews/", body | {"answer": {"value": 1970}}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Review.objects.filter(user=world.student_a).count() == 1


@pytest.mark.parametrize(
    ("kind", "extra", "field"),
    [
        ("multiple_choice", {"answer": {"choices": "Harriman"}}, "answer"),
        ("flashcard", {}, "rating"),
        ("numerical", {"answer": {"value": "1968 or 1969"}}, "answer"),
        ("matching", {"answer": {"pairs": {"1": 1}}}, "answer"),
        ("ordering", {"answer": {"order": [1, 2, 3]}}, "answer"),
        ("short_answer", {"answer": {"text": "a\x00b"}}, "answer"),
    ],
)
def test_a_malformed_answer_is_refused_and_changes_nothing(world, kind, extra, field):
    body = {
        "client_id": f"bad-{kind}",
        "question": world.questions[kind].pk,
        "response_ms": 1000,
        **extra,
    }

    response = client_for(world.student_a).post("/api/v1/reviews/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not Review.objects.exists()
    assert not Card.objects.exists()


def test_raw_row_ids_cannot_answer_a_matching_question(world):
    question = world.questions["matching"]
    cheat = {str(row.pk): row.pk for row in question.answers.all()}
    body = {
        "client_id": "cheat",
        "question": question.pk,
        "answer": {"pairs": cheat},
        "response_ms": 1000,
    }

    response = client_for(world.student_a).post("/api/v1/reviews/", body, format="json")

    assert response.status_code == 400
    assert not Review.objects.exists()


def test_a_question_the_student_may_not_study_cannot_be_answered(world):
    body = {
        "client_id": "x",
        "question": world.questions["flashcard"].pk,
        "rating": 3,
        "response_ms": 1000,
    }

    response = client_for(world.student_b).post("/api/v1/reviews/", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"question": [NOT_STUDYABLE]}
    assert not Review.objects.exists()


def answer_flashcards(client, world, *, days: int) -> None:
    for day in range(days):
        with time_machine.travel(NOW + timedelta(days=day), tick=False):
            client.post(
                "/api/v1/reviews/",
                {
                    "client_id": f"day-{day}",
                    "question": world.questions["flashcard"].pk,
                    "rating": 3,
                    "response_ms": 1500,
                },
                format="json",
            )


def test_the_review_history_is_paginated_and_filtered(world, django_assert_num_queries):
    other_set = QuestionSetFactory(owner=world.student_a)
    elsewhere = question_of_kind("flashcard", question_set=other_set)
    client = client_for(world.student_a)
    answer_flashcards(client, world, days=3)
    with time_machine.travel(NOW, tick=False):
        client.post(
            "/api/v1/reviews/",
            {"client_id": "own", "question": elsewhere.pk, "rating": 4, "response_ms": 900},
            format="json",
        )
    reader = authenticated(world.student_a)

    # COUNT the caller's reviews in the set; SELECT the page with questions.
    with django_assert_num_queries(2):
        in_set = reader.get(f"/api/v1/reviews/?set={world.question_set.pk}&page_size=2")
    on_day = reader.get("/api/v1/reviews/?date=2026-06-02").json()
    since = reader.get("/api/v1/reviews/?since=2026-06-02T00:00:00Z").json()

    assert in_set.json()["count"] == 3
    assert len(in_set.json()["results"]) == 2
    assert in_set.json()["results"][0]["client_id"] == "day-2"
    assert [review["client_id"] for review in on_day["results"]] == ["day-1"]
    assert since["count"] == 2
    assert client_for(world.student_b).get("/api/v1/reviews/").json()["count"] == 0


def test_progress_pins_its_queries_and_counts_the_callers_work(world, django_assert_num_queries):
    answer_flashcards(client_for(world.student_a), world, days=2)
    client = authenticated(world.student_a)

    # SELECT the set among those the student may see; then the engine's progress (the profile
    # came with the user): SELECT card figures; COUNT questions; SELECT review log figures;
    # SELECT study days; SELECT per-passage figures.
    with (
        time_machine.travel(NOW + timedelta(days=1, hours=1), tick=False),
        django_assert_num_queries(6),
    ):
        response = client.get(f"/api/v1/progress/?set={world.question_set.pk}")

    body = response.json()
    assert body["set"] == world.question_set.pk
    assert body["questions"] == len(QuestionKind.values)
    assert body["reviews"] == 2
    assert body["streak_days"] == 2
    assert body["by_state"]["new"] == len(QuestionKind.values) - 1
    assert body["passages"][0]["questions"] == len(QuestionKind.values)


def test_a_teacher_reads_their_students_progress_and_nobody_elses(world):
    answer_flashcards(client_for(world.student_a), world, days=1)
    teacher = client_for(world.owner)

    own_student = teacher.get(f"/api/v1/progress/?user={world.student_a.pk}")
    stranger = teacher.get(f"/api/v1/progress/?user={world.student_b.pk}")
    by_other_teacher = client_for(world.other_teacher).get(
        f"/api/v1/progress/?user={world.student_a.pk}"
    )
    by_student = client_for(world.student_b).get(f"/api/v1/progress/?user={world.student_a.pk}")

    assert own_student.status_code == 200
    assert own_student.json()["reviews"] == 1
    assert [r.status_code for r in (stranger, by_other_teacher, by_student)] == [400, 400, 400]


def test_a_teacher_does_not_read_a_students_work_in_another_teachers_private_set(world):
    answer_flashcards(client_for(world.student_a), world, days=1)
    # The student also sits in another teacher's class, which studies a private set.
    other_class = ClassroomFactory(owner=world.other_teacher)
    MembershipFactory(classroom=other_class, user=world.student_a)
    private_set = QuestionSetFactory(owner=world.other_teacher)
    AssignmentFactory(classroom=other_class, question_set=private_set)
    private = question_of_kind(QuestionKind.FLASHCARD, question_set=private_set)
    review_record(
        user=world.student_a,
        question=private,
        client_id="private-1",
        answer=None,
        rating=3,
        response_ms=1000,
        now=NOW,
    )

    own_view = client_for(world.student_a).get("/api/v1/progress/")
    teacher_view = client_for(world.owner).get(f"/api/v1/progress/?user={world.student_a.pk}")

    assert own_view.json()["reviews"] == 2
    assert teacher_view.json()["reviews"] == 1


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("until=2084-05-13T09:44:31-23:15", 200),
        ("since=0001-01-01T00:01:40-11:38", 200),
        ("until=9999-12-31T23:59:59-23:15", 400),
        ("since=yesterday", 400),
    ],
)
def test_history_times_with_any_offset_are_read_or_refused_clearly(world, query, status):
    response = client_for(world.student_a).get("/api/v1/reviews/", dict([query.split("=")]))

    assert response.status_code == status


def test_an_answer_cannot_set_its_own_outcome_or_schedule(world):
    body = {
        "client_id": "sly",
        "question": world.questions["short_answer"].pk,
        "answer": {"text": "Kissinger"},
        "response_ms": 3000,
        "is_correct": True,
        "score": 1,
        "rating": 4,
        "due_after": "2030-01-01T00:00:00Z",
        "user": world.student_b.pk,
        "mode": "ahead",
    }

    response = client_for(world.student_a).post("/api/v1/reviews/", body, format="json")

    assert response.status_code == 201
    review = Review.objects.get()
    assert (review.user, review.is_correct, review.score, review.rating, review.mode) == (
        world.student_a,
        False,
        0.0,
        1,
        "scheduled",
    )
    assert review.due_after.year < 2030


def test_an_answer_with_next_carries_what_the_queue_shows_next(world, django_assert_num_queries):
    client = authenticated(world.student_a)
    question = world.questions["short_answer"]
    body = {
        "client_id": "with-next",
        "question": question.pk,
        "answer": {"text": "Harriman"},
        "response_ms": 4000,
    }

    # SELECT the set of `next` among those the student may see. The answer: SELECT the
    # question with the student's card (none yet); its answers; its topics; SAVEPOINT;
    # SAVEPOINT; INSERT the card, rescheduled; RELEASE; INSERT the review; RELEASE. Then the
    # queue: SELECT the set with today's counts; SELECT due reviews and learning cards; SELECT
    # new questions; SELECT their answers; SELECT their topics.
    with time_machine.travel(NOW, tick=False):
        with django_assert_num_queries(15):
            answered = client.post(
                f"/api/v1/reviews/?next=true&set={world.question_set.pk}", body, format="json"
            )
        queue = client.get(f"/api/v1/study/queue/?limit=1&set={world.question_set.pk}")

    assert answered.status_code == 201, answered.json()
    assert answered.json()["next"] == queue.json()["results"][0]
    assert answered.json()["next"]["question"]["id"] != question.pk


@pytest.mark.parametrize(("ahead", "offered"), [("1", True), ("0", False)])
def test_an_answer_with_next_and_ahead_carries_a_card_not_yet_due(ahead, offered):
    question_set = QuestionSetFactory(visibility=QuestionSet.Visibility.PUBLIC)
    only = question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)
    client = authenticated(StudentFactory())
    flashcard = {"question": only.pk, "rating": 4, "response_ms": 900}
    url = f"/api/v1/reviews/?next=true&ahead={ahead}&set={question_set.pk}"
    with time_machine.travel(NOW, tick=False):
        client.post("/api/v1/reviews/", {"client_id": "first", **flashcard}, format="json")
        # Nothing is due or new now: only studying ahead offers the card again.
        answered = client.post(url, {"client_id": "again", **flashcard}, format="json")
        queue = client.get(f"/api/v1/study/queue/?limit=1&ahead={ahead}&set={question_set.pk}")

    assert answered.status_code == 201, answered.json()
    assert (answered.json()["next"] is not None) is offered
    assert answered.json()["next"] == (queue.json()["results"] or [None])[0]


def test_an_answer_without_next_carries_no_next_item(world):
    response = client_for(world.student_a).post(
        "/api/v1/reviews/",
        {
            "client_id": "plain",
            "question": world.questions["flashcard"].pk,
            "rating": 3,
            "response_ms": 2000,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert "next" not in response.json()


def test_a_bad_scope_for_next_refuses_the_answer_and_records_nothing(world):
    response = client_for(world.student_a).post(
        "/api/v1/reviews/?next=true&set=999999",
        {
            "client_id": "nowhere",
            "question": world.questions["flashcard"].pk,
            "rating": 3,
            "response_ms": 2000,
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"set"}
    assert not Review.objects.exists()


def test_token_authentication_brings_the_profile_along(world, django_assert_num_queries):
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {world.tokens['student_a']}")
    client.get("/api/v1/study/queue/?limit=1")  # the first use writes the token's last_used_at

    # SELECT the token with its user and the user's profile; then the queue: SELECT the sets
    # studied with today's counts; SELECT due reviews and learning cards; SELECT new
    # questions; their answers and topics come from the cache, filled by the first request.
    with django_assert_num_queries(4):
        response = client.get("/api/v1/study/queue/?limit=1")

    assert response.status_code == 200
    assert response.json()["count"] == 1


EMPTY_ANSWERS = {
    "multiple_choice": {"answer": {"choices": []}},
    "true_false": {"answer": {}},
    "short_answer": {"answer": {"text": "  "}},
    "numerical": {"answer": {"value": ""}},
    "cloze": {"answer": {"gaps": {"1": "", "2": ""}}},
    "matching": {"answer": {"pairs": {}}},
    "ordering": {"answer": {"order": []}},
    "flashcard": {"rating": None},
}


@pytest.mark.parametrize("kind", sorted(EMPTY_ANSWERS))
def test_an_empty_answer_of_every_kind_is_refused_and_records_nothing(world, kind):
    body = {
        "client_id": f"empty-{kind}",
        "question": world.questions[kind].pk,
        "response_ms": 1000,
        **EMPTY_ANSWERS[kind],
    }

    response = client_for(world.student_a).post("/api/v1/reviews/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [
        "rating" if kind == "flashcard" else "answer"
    ]
    assert not Review.objects.exists()
    assert not Card.objects.exists()


@pytest.mark.parametrize(
    ("value", "is_correct"), [("1968.", True), ("1,968", True), (1968, True), ("1986", False)]
)
def test_a_typed_number_is_read_as_the_study_page_reads_it(world, value, is_correct):
    body = {
        "client_id": "typed",
        "question": world.questions["numerical"].pk,
        "answer": {"value": value},
        "response_ms": 1000,
    }

    response = client_for(world.student_a).post("/api/v1/reviews/", body, format="json")

    assert response.status_code == 201
    assert response.json()["is_correct"] is is_correct
    assert response.json()["verdict"].startswith("right" if is_correct else "wrong")
