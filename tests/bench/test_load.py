import json
import threading

import pytest

from bench.load import (
    ApiStudyLoop,
    FloorStudyLoop,
    LoadResult,
    Reply,
    Step,
    answer_from_view,
    queue_reasons,
    run_closed_loop,
)
from bench.one_request import ApiOneRequestLoop
from questions.models import Card, Review

MATCHING_VIEW = {
    "kind": "matching",
    "left": [{"id": 1, "text": "Thuy"}, {"id": 2, "text": "Harriman"}],
    "right": [{"id": "b", "text": "United States"}, {"id": "a", "text": "Vietnam"}],
}
ORDERING_VIEW = {
    "kind": "ordering",
    "items": [
        {"id": "y", "text": "second"},
        {"id": "x", "text": "first"},
        {"id": "z", "text": "third"},
    ],
}
CHOICE_VIEW = {
    "kind": "multiple_choice",
    "choices": [{"id": 7, "text": "Paris"}, {"id": 8, "text": "Geneva"}, {"id": 9, "text": "Rome"}],
}


@pytest.mark.parametrize(
    ("view", "key", "right", "wrong"),
    [
        (CHOICE_VIEW, {"choices": ["Geneva"]}, {"choices": [8]}, {"choices": [7]}),
        ({"kind": "true_false"}, {"value": False}, {"value": False}, {"value": True}),
        ({"kind": "short_answer"}, {"text": "Thuy"}, {"text": "Thuy"}, {"text": "Nobody at all"}),
        ({"kind": "numerical"}, {"value": 1968.0}, {"value": 1968.0}, {"value": 2068.0}),
        (
            {"kind": "cloze"},
            {"gaps": {"1": "Paris"}},
            {"gaps": {"1": "Paris"}},
            {"gaps": {"1": "London"}},
        ),
        (
            MATCHING_VIEW,
            {"pairs": {"Thuy": "Vietnam", "Harriman": "United States"}},
            {"pairs": {"1": "a", "2": "b"}},
            {"pairs": {"1": "b", "2": "a"}},
        ),
        (
            ORDERING_VIEW,
            {"order": ["first", "second", "third"]},
            {"order": ["x", "y", "z"]},
            {"order": ["z", "y", "x"]},
        ),
    ],
)
def test_answers_are_built_from_the_ids_the_view_shows(view, key, right, wrong):
    assert answer_from_view(view, key, right=True) == right
    assert answer_from_view(view, key, right=False) == wrong


class CountingLoop:
    """A study loop with no server: records which students study at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.busy: set[int] = set()
        self.overlaps = 0

    def step(self, client, student, rng):
        with self.lock:
            self.overlaps += student in self.busy
            self.busy.add(student)
        with self.lock:
            self.busy.discard(student)
        return Step(seconds=0.001, queries=2, transaction_statements=0, answered=True)


def test_a_closed_loop_stops_at_its_step_bound_with_no_student_studying_twice_at_once():
    loop = CountingLoop()
    result = run_closed_loop(
        loop=loop, client=None, students=list(range(10)), concurrency=3, seconds=60, max_steps=500
    )
    assert len(result.steps) == 500
    assert loop.overlaps == 0


def test_more_threads_than_students_is_refused():
    with pytest.raises(ValueError, match="at least one student per thread"):
        run_closed_loop(
            loop=CountingLoop(), client=None, students=[1], concurrency=2, seconds=1, max_steps=1
        )


def test_every_kind_is_answered_right_through_the_real_api(tiny_school, in_process_client):
    keys = {question.id: question.key for question in tiny_school.questions}
    loop = ApiStudyLoop(tokens=tiny_school.tokens, keys=keys)
    token = tiny_school.tokens[tiny_school.student_ids[0]]
    queue = in_process_client.request("GET", "/api/v1/study/queue/?limit=8", token=token).json()
    views = [item["question"] for item in queue["results"]]
    assert sorted(view["id"] for view in views) == sorted(keys)
    for view in views:
        reply = in_process_client.request(
            "POST",
            "/api/v1/reviews/",
            payload={**loop.answer_payload(view, rng=_AlwaysRight()), "response_ms": 60_000},
            token=token,
        )
        assert reply.status == 201, reply.body
        assert reply.json()["is_correct"] in (True, None), (view["kind"], reply.body)


class _AlwaysRight:
    def random(self):
        return 0.0

    def randint(self, low, high):
        return low

    def choices(self, population, weights):
        return [population[2]]


def test_a_study_step_through_the_api_fetches_and_answers(tiny_school, in_process_client):
    keys = {question.id: question.key for question in tiny_school.questions}
    loop = ApiStudyLoop(tokens=tiny_school.tokens, keys=keys)
    step = loop.step(in_process_client, tiny_school.student_ids[0], _AlwaysRight())
    assert step.error is None
    assert step.answered
    assert Review.objects.filter(user_id=tiny_school.student_ids[0]).count() == 1


def test_a_one_request_step_answers_and_keeps_the_next_item_for_the_next_step(
    tiny_school, in_process_client
):
    keys = {question.id: question.key for question in tiny_school.questions}
    loop = ApiOneRequestLoop(two_requests=ApiStudyLoop(tokens=tiny_school.tokens, keys=keys))
    student = tiny_school.student_ids[0]
    loop.prime(in_process_client, [student], threads=1)

    steps = [loop.step(in_process_client, student, _AlwaysRight()) for _ in range(3)]

    assert [(step.error, step.answered, step.requests) for step in steps] == [(None, True, 1)] * 3
    assert Review.objects.filter(user_id=student).count() == 3


def test_a_one_request_step_with_nothing_in_hand_fetches_the_queue_first(
    tiny_school, in_process_client
):
    keys = {question.id: question.key for question in tiny_school.questions}
    loop = ApiOneRequestLoop(two_requests=ApiStudyLoop(tokens=tiny_school.tokens, keys=keys))

    step = loop.step(in_process_client, tiny_school.student_ids[0], _AlwaysRight())

    assert (step.error, step.answered, step.requests) == (None, True, 2)


@pytest.mark.urls("bench.urls")
def test_a_floor_step_selects_the_next_card_and_inserts_one_review(tiny_school, in_process_client):
    from django.utils import timezone

    from bench.seeding import seed_reviews

    seed_reviews(school=tiny_school, reviews=6, now=timezone.now(), progress=False)
    student = tiny_school.student_ids[0]
    next_card = Card.objects.filter(user_id=student).order_by("due").first()
    before = Review.objects.count()

    step = FloorStudyLoop().step(in_process_client, student, _AlwaysRight())

    assert step.answered
    assert step.error is None
    assert Review.objects.count() == before + 1
    assert Review.objects.latest("id").question_id == next_card.question_id


def test_rounds_of_load_add_up_to_one_result():
    step = Step(seconds=0.01, queries=2, transaction_statements=0, answered=True)
    first = LoadResult(elapsed=2.0, steps=[step] * 10)
    second = LoadResult(elapsed=3.0, steps=[step] * 40)
    merged = first.merged(second)
    assert merged.elapsed == 5.0
    assert merged.steps_per_second == 10.0
    assert len(first.steps) == 10


def _queue_reply(*reasons):
    body = json.dumps({"results": [{"reason": reason} for reason in reasons]}).encode()
    return Reply(status=200, body=body, seconds=0.01, queries=7, transaction_statements=0)


def test_next_item_replies_are_counted_by_the_path_the_queue_took():
    replies = [
        _queue_reply("review"),
        _queue_reply("new", "new"),
        _queue_reply(),
        _queue_reply("review"),
    ]
    assert queue_reasons(replies) == {"empty": 1, "new": 1, "review": 2}


class BrokenLoop:
    def step(self, client, student, rng):
        raise ConnectionRefusedError("no server")


def test_a_step_that_cannot_reach_the_server_is_a_failed_step():
    result = run_closed_loop(
        loop=BrokenLoop(), client=None, students=[1, 2], concurrency=2, seconds=60, max_steps=6
    )
    assert len(result.steps) == 6
    assert result.errors == ["ConnectionRefusedError: no server"] * 6
    assert result.steps_per_second == 0.0
