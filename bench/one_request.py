"""The one-request study loops, the bench's main loop: each step answers the item in hand and
the response carries the next one, as the pages and a good client study.

Each loop keeps every student's item in hand between steps. `prime` fetches them all once
before the load, so a timed step is one request; a student whose response carried no next item
fetches the queue again at their next step, which then takes two requests (and says so).
"""

import random
import threading
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from bench.load import (
    FLASHCARD_RATINGS,
    FLOOR_NEXT_PATH,
    REVIEWS_PATH,
    ApiStudyLoop,
    Client,
    Reply,
    Step,
    _failed,
)

NEXT_REVIEWS_PATH = REVIEWS_PATH + "?next=true"
FLOOR_STEP_PATH = "/bench/floor/step/"


def _one_request_step(replies: list[Reply], *, answered: bool, error: str | None = None) -> Step:
    return Step(
        seconds=sum(reply.seconds for reply in replies),
        queries=sum(reply.queries for reply in replies),
        transaction_statements=sum(reply.transaction_statements for reply in replies),
        answered=answered and error is None,
        error=error,
        requests=len(replies),
    )


class _InHand:
    """Each student's next item, between steps; a student is only ever on one thread."""

    def __init__(self) -> None:
        self._items: dict[int, dict] = {}
        self._lock = threading.Lock()

    def take(self, student: int) -> dict | None:
        with self._lock:
            return self._items.pop(student, None)

    def keep(self, student: int, item: dict | None) -> None:
        if item is not None:
            with self._lock:
                self._items[student] = item

    def prime(self, fetch, students: Sequence[int], *, threads: int) -> None:
        """Fetch every student's item, `threads` at a time (in this thread when 1)."""
        if threads <= 1:
            items = [fetch(student) for student in students]
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                items = list(pool.map(fetch, students))
        for student, item in zip(students, items, strict=True):
            self.keep(student, item)


class ApiOneRequestLoop:
    """`POST /api/v1/reviews/?next=true`: the answer, and the next item in its response."""

    def __init__(self, *, two_requests: ApiStudyLoop):
        self.api = two_requests
        self.in_hand = _InHand()

    def fetch(self, client: Client, student: int) -> Reply:
        return self.api.fetch(client, student)

    def _first_item(self, client: Client, student: int) -> tuple[Reply, dict | None]:
        reply = self.fetch(client, student)
        items = reply.json()["results"] if reply.status == 200 else []
        return reply, (items[0]["question"] if items else None)

    def prime(self, client: Client, students: Sequence[int], *, threads: int) -> None:
        self.in_hand.prime(
            lambda student: self._first_item(client, student)[1], students, threads=threads
        )

    def step(self, client: Client, student: int, rng: random.Random) -> Step:
        replies = []
        view = self.in_hand.take(student)
        if view is None:
            fetched, view = self._first_item(client, student)
            replies.append(fetched)
            if fetched.status != 200:
                return _one_request_step(replies, answered=False, error=_failed(fetched, "queue"))
            if view is None:
                return _one_request_step(replies, answered=False)
        payload = self.api.answer_payload(view, rng)
        answered = client.request(
            "POST", NEXT_REVIEWS_PATH, payload=payload, token=self.api.tokens[student]
        )
        replies.append(answered)
        if answered.status not in (200, 201):
            return _one_request_step(replies, answered=False, error=_failed(answered, "review"))
        following = answered.json()["next"]
        self.in_hand.keep(student, following["question"] if following else None)
        return _one_request_step(replies, answered=True)


class FloorOneRequestLoop:
    """The floor's one request: insert the review and update the card, select the next card."""

    def __init__(self) -> None:
        self.in_hand = _InHand()

    def fetch(self, client: Client, student: int) -> Reply:
        return client.request("GET", FLOOR_NEXT_PATH.format(student=student))

    def _first_card(self, client: Client, student: int) -> tuple[Reply, dict | None]:
        reply = self.fetch(client, student)
        items = reply.json()["items"] if reply.status == 200 else []
        return reply, (items[0] if items else None)

    def prime(self, client: Client, students: Sequence[int], *, threads: int) -> None:
        self.in_hand.prime(
            lambda student: self._first_card(client, student)[1], students, threads=threads
        )

    def step(self, client: Client, student: int, rng: random.Random) -> Step:
        replies = []
        card = self.in_hand.take(student)
        if card is None:
            fetched, card = self._first_card(client, student)
            replies.append(fetched)
            if fetched.status != 200:
                error = _failed(fetched, "floor next")
                return _one_request_step(replies, answered=False, error=error)
            if card is None:
                return _one_request_step(replies, answered=False)
        payload = {
            "client_id": uuid.uuid4().hex,
            "student": student,
            "question": card["question_id"],
            "rating": rng.choices(*FLASHCARD_RATINGS)[0],
            "response_ms": rng.randint(2_000, 20_000),
        }
        answered = client.request("POST", FLOOR_STEP_PATH, payload=payload)
        replies.append(answered)
        if answered.status != 201:
            error = _failed(answered, "floor step")
            return _one_request_step(replies, answered=False, error=error)
        self.in_hand.keep(student, answered.json()["next"])
        return _one_request_step(replies, answered=True)
