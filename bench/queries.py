"""The SQL of one study step, captured in-process, so a missed target names its queries."""

import random
import re
import time

from django.db import connection

from bench.load import REVIEWS_PATH, ApiStudyLoop, InProcessClient
from bench.middleware import TRANSACTION_CONTROL

_STATEMENT = re.compile(
    r"^\s*(?P<verb>\w+)(?:\s+OR\s+\w+)?.*?\b(?:FROM|INTO|UPDATE)\s+\"?(?P<table>\w+)",
    re.IGNORECASE | re.DOTALL,
)


def describe_sql(sql: str) -> str:
    """A short name for a statement: its verb and first table, e.g. 'SELECT questions_card'."""
    if sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
        return " ".join(sql.split()[:2]).replace('"', "")
    if sql.lstrip().upper().startswith("UPDATE"):
        table = sql.split()[1].strip('"')
        return f"UPDATE {table}"
    match = _STATEMENT.match(sql)
    if match is None:
        return " ".join(sql.split()[:2])
    return f"{match['verb'].upper()} {match['table']}"


class _Recorder:
    """An execute wrapper that keeps each statement and how long the database took for it."""

    def __init__(self) -> None:
        self.statements: list[dict] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(
                {
                    "statement": describe_sql(sql),
                    "ms": (time.perf_counter() - started) * 1000,
                    "sql": sql,
                }
            )


def study_step_sql(*, loop: ApiStudyLoop, student: int) -> dict[str, list[dict]]:
    """Every statement of a one-request step (answer with ?next=true) for `student`, and of
    the two requests of the two-request step (fetch the next item, answer it)."""
    client = InProcessClient()
    rng = random.Random(0)
    fetched, one_request, answered = _Recorder(), _Recorder(), _Recorder()
    with connection.execute_wrapper(fetched):
        reply = loop.fetch(client, student)
    items = reply.json()["results"] if reply.status == 200 else []
    following = None
    if items:
        payload = loop.answer_payload(items[0]["question"], rng)
        with connection.execute_wrapper(one_request):
            reply = client.request(
                "POST", REVIEWS_PATH + "?next=true", payload=payload, token=loop.tokens[student]
            )
        following = reply.json().get("next") if reply.status in (200, 201) else None
    if following:
        with connection.execute_wrapper(answered):
            loop.answer(client, student, following["question"], rng)
    return {
        "one request": one_request.statements,
        "next item": fetched.statements,
        "answer": answered.statements,
    }


def format_step_sql(step: dict[str, list[dict]]) -> str:
    lines = []
    for request, statements in step.items():
        for number, statement in enumerate(statements, start=1):
            lines.append(
                f"  {request:<11} {number:>2}. {statement['statement']:<45} {statement['ms']:6.2f} ms"
            )
    return "\n".join(lines)
