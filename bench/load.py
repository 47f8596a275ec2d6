"""A small closed-loop load client: simulated students who fetch an item, answer it, repeat.

Loopback only, bounded in time and in steps. Each thread is a few students taking turns, so no
two threads ever answer for the same student at once, as no real student answers twice at once.
"""

import collections
import http.client
import itertools
import json
import random
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bench.middleware import QUERIES_HEADER, TRANSACTION_HEADER

LOOPBACK = "127.0.0.1"
QUEUE_PATH = "/api/v1/study/queue/?limit=1"
REVIEWS_PATH = "/api/v1/reviews/"
FLOOR_NEXT_PATH = "/bench/floor/next/?student={student}"
FLOOR_ANSWER_PATH = "/bench/floor/answer/"
SHARE_ANSWERED_RIGHT = 0.85
FLASHCARD_RATINGS = ([1, 2, 3, 4], [12, 8, 70, 10])


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    seconds: float
    queries: int
    transaction_statements: int

    def json(self):
        return json.loads(self.body)


class Client:
    """One HTTP request per connection, as gunicorn's sync workers close each one anyway."""

    def __init__(self, *, port: int, host: str = LOOPBACK, timeout: float = 60.0):
        if host != LOOPBACK:
            raise ValueError("The bench only ever loads the loopback interface.")
        self.host, self.port, self.timeout = host, port, timeout

    def request(
        self, method: str, path: str, *, payload: dict | None = None, token: str | None = None
    ) -> Reply:
        headers = {"Accept": "application/json"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        return Reply(
            status=response.status,
            body=data,
            seconds=time.perf_counter() - started,
            queries=int(response.getheader(QUERIES_HEADER, "0")),
            transaction_statements=int(response.getheader(TRANSACTION_HEADER, "0")),
        )


class InProcessClient:
    """Client's interface over Django's test client: the same requests with no server, so
    the SQL of one step can be captured in this process."""

    def __init__(self):
        from django.test import Client as DjangoClient

        self.django = DjangoClient(HTTP_HOST=LOOPBACK)

    def request(
        self, method: str, path: str, *, payload: dict | None = None, token: str | None = None
    ) -> Reply:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        started = time.perf_counter()
        if method == "GET":
            response = self.django.get(path, headers=headers)
        else:
            response = self.django.generic(
                method,
                path,
                json.dumps(payload).encode(),
                content_type="application/json",
                headers=headers,
            )
        return Reply(
            status=response.status_code,
            body=response.content,
            seconds=time.perf_counter() - started,
            queries=int(response.get(QUERIES_HEADER, 0)),
            transaction_statements=int(response.get(TRANSACTION_HEADER, 0)),
        )


@dataclass(frozen=True)
class Step:
    """One study step as the load client saw it: fetch the next item, answer it."""

    seconds: float
    queries: int
    transaction_statements: int
    answered: bool
    """False when the fetch found nothing to study (then nothing was answered)."""
    error: str | None = None
    requests: int = 2
    """How many HTTP requests the step took."""


class StudyLoop(Protocol):
    def fetch(self, client: Client, student: int) -> Reply: ...

    def step(self, client: Client, student: int, rng: random.Random) -> Step: ...


def _failed(reply: Reply, what: str) -> str:
    return f"{what}: HTTP {reply.status} {reply.body[:200].decode(errors='replace')}"


def answer_from_view(view: dict, key: dict, *, right: bool) -> dict:
    """What a student would send for a question shown as `view` (the API's student view).

    `key` is the right answer by the texts the student sees; `right=False` gives a wrong one.
    The ids come from the view alone, as a real client has nothing else.
    """
    match view["kind"]:
        case "multiple_choice":
            chosen = [c["id"] for c in view["choices"] if (c["text"] in key["choices"]) == right]
            return {"choices": chosen[:1] if not right else chosen}
        case "true_false":
            return {"value": key["value"] if right else not key["value"]}
        case "short_answer":
            return {"text": key["text"] if right else "Nobody at all"}
        case "numerical":
            return {"value": key["value"] if right else key["value"] + 100}
        case "cloze":
            return {"gaps": key["gaps"] if right else dict.fromkeys(key["gaps"], "London")}
        case "matching":
            right_ids = {side["text"]: side["id"] for side in view["right"]}
            pairs = [(left["id"], right_ids[key["pairs"][left["text"]]]) for left in view["left"]]
            if not right:
                targets = [target for _, target in pairs]
                pairs = [
                    (left, target)
                    for (left, _), target in zip(pairs, targets[1:] + targets[:1], strict=True)
                ]
            return {"pairs": {str(left): target for left, target in pairs}}
        case "ordering":
            ids = {item["text"]: item["id"] for item in view["items"]}
            order = [ids[text] for text in key["order"]]
            return {"order": order if right else order[::-1]}
    raise ValueError(f"The bench cannot answer a {view['kind']!r} question.")


class ApiStudyLoop:
    """The study loop through the real REST API, each student with their own API token."""

    def __init__(self, *, tokens: dict[int, str], keys: dict[int, dict | None]):
        self.tokens = tokens
        self.keys = keys
        """Question id to its answer key by text (None for a flashcard, which is self-rated)."""

    def fetch(self, client: Client, student: int) -> Reply:
        return client.request("GET", QUEUE_PATH, token=self.tokens[student])

    def answer_payload(self, view: dict, rng: random.Random) -> dict:
        payload = {
            "client_id": uuid.uuid4().hex,
            "question": view["id"],
            "response_ms": rng.randint(2_000, 20_000),
        }
        key = self.keys[view["id"]]
        if key is None:
            payload["rating"] = rng.choices(*FLASHCARD_RATINGS)[0]
        else:
            right = rng.random() < SHARE_ANSWERED_RIGHT
            payload["answer"] = answer_from_view(view, key, right=right)
        return payload

    def answer(self, client: Client, student: int, view: dict, rng: random.Random) -> Reply:
        payload = self.answer_payload(view, rng)
        return client.request("POST", REVIEWS_PATH, payload=payload, token=self.tokens[student])

    def step(self, client: Client, student: int, rng: random.Random) -> Step:
        fetched = self.fetch(client, student)
        if fetched.status != 200:
            return _error_step(fetched, _failed(fetched, "queue"))
        items = fetched.json()["results"]
        if not items:
            return _step(fetched)
        answered = self.answer(client, student, items[0]["question"], rng)
        if answered.status not in (200, 201):
            return _error_step(fetched, _failed(answered, "review"), answered)
        return _step(fetched, answered)


class FloorStudyLoop:
    """The same loop against the floor: one indexed select, one insert."""

    def fetch(self, client: Client, student: int) -> Reply:
        return client.request("GET", FLOOR_NEXT_PATH.format(student=student))

    def step(self, client: Client, student: int, rng: random.Random) -> Step:
        fetched = self.fetch(client, student)
        if fetched.status != 200:
            return _error_step(fetched, _failed(fetched, "floor next"))
        items = fetched.json()["items"]
        if not items:
            return _step(fetched)
        payload = {
            "client_id": uuid.uuid4().hex,
            "student": student,
            "question": items[0]["question_id"],
            "rating": rng.choices(*FLASHCARD_RATINGS)[0],
            "response_ms": rng.randint(2_000, 20_000),
        }
        answered = client.request("POST", FLOOR_ANSWER_PATH, payload=payload)
        if answered.status != 201:
            return _error_step(fetched, _failed(answered, "floor answer"), answered)
        return _step(fetched, answered)


def _step(fetched: Reply, answered: Reply | None = None) -> Step:
    replies = [fetched] if answered is None else [fetched, answered]
    return Step(
        seconds=sum(reply.seconds for reply in replies),
        queries=sum(reply.queries for reply in replies),
        transaction_statements=sum(reply.transaction_statements for reply in replies),
        answered=answered is not None,
        requests=len(replies),
    )


def _error_step(fetched: Reply, error: str, answered: Reply | None = None) -> Step:
    step = _step(fetched, answered)
    return Step(
        seconds=step.seconds,
        queries=step.queries,
        transaction_statements=step.transaction_statements,
        answered=False,
        error=error,
        requests=step.requests,
    )


@dataclass
class LoadResult:
    elapsed: float
    steps: list[Step] = field(default_factory=list)

    @property
    def answered(self) -> list[Step]:
        return [step for step in self.steps if step.answered]

    @property
    def errors(self) -> list[str]:
        return [step.error for step in self.steps if step.error]

    @property
    def empty_fetches(self) -> int:
        return sum(1 for step in self.steps if not step.answered and not step.error)

    def merged(self, other: "LoadResult") -> "LoadResult":
        return LoadResult(elapsed=self.elapsed + other.elapsed, steps=self.steps + other.steps)

    @property
    def steps_per_second(self) -> float:
        return len(self.answered) / self.elapsed if self.elapsed else 0.0


def run_closed_loop(
    *,
    loop: StudyLoop,
    client: Client,
    students: Sequence[int],
    concurrency: int,
    seconds: float,
    max_steps: int,
    seed: int = 1968,
) -> LoadResult:
    """`concurrency` threads study back to back until `seconds` pass or `max_steps` are taken."""
    if concurrency > len(students):
        raise ValueError("Give at least one student per thread.")
    deadline = time.perf_counter() + seconds
    tickets = itertools.count()
    lock = threading.Lock()
    steps: list[Step] = []

    def study(own_students: Sequence[int], rng: random.Random) -> None:
        for student in itertools.cycle(own_students):
            with lock:
                if next(tickets) >= max_steps:
                    return
            if time.perf_counter() >= deadline:
                return
            try:
                step = loop.step(client, student, rng)
            except (OSError, ValueError, KeyError) as error:
                # A refused connection or an unexpected body is a failed step, not a lost thread.
                step = Step(
                    seconds=0.0,
                    queries=0,
                    transaction_statements=0,
                    answered=False,
                    error=f"{type(error).__name__}: {error}",
                )
            with lock:
                steps.append(step)

    threads = [
        threading.Thread(
            target=study, args=(students[index::concurrency], random.Random(seed + index))
        )
        for index in range(concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(elapsed=time.perf_counter() - started, steps=steps)


def next_item_latencies(
    *, loop: StudyLoop, client: Client, students: Sequence[int], requests: int
) -> list[Reply]:
    """`requests` sequential fetches of the next item, with no other load."""
    replies = []
    for student in itertools.islice(itertools.cycle(students), requests):
        reply = loop.fetch(client, student)
        if reply.status != 200:
            raise RuntimeError(_failed(reply, "next item"))
        replies.append(reply)
    return replies


def queue_reasons(replies: Sequence[Reply]) -> dict[str, int]:
    """How many study queue replies led with a review, a learning step, a new question, or nothing.

    The queue takes a different path for each, so this says what a latency figure measured.
    """
    reasons = collections.Counter(
        results[0]["reason"] if (results := reply.json()["results"]) else "empty"
        for reply in replies
    )
    return dict(sorted(reasons.items()))
