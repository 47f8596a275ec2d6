"""A question's answers and topics, kept in process by (id, updated_at).

Every edit of a question's answer key or topics saves the question (questions.services.
questions, claims and set imports do), which moves its updated_at; so a question row read
afresh names the answers and topics that go with it, and an edit is seen at once by every
process. The question row itself (its prompt, set and passage) is always read from the
database: only what hangs off it is cached.
"""

import threading
from collections import OrderedDict
from collections.abc import Iterable

from django.db.models import prefetch_related_objects

from questions.models import Question

CACHED_QUESTIONS = 4096
"""Entries kept (least recently used go first): a few banks' worth, a few MiB."""

_RELATIONS = ("answers", "topics")
_cache: OrderedDict[tuple[int, object], dict[str, list]] = OrderedDict()
_lock = threading.Lock()


def _key(question: Question) -> tuple[int, object]:
    return (question.pk, question.updated_at)


def _attach(question: Question, related: dict[str, list]) -> None:
    """Set the lists as the question's prefetched `answers` and `topics`, so that
    question.answers.all() reads them, as after prefetch_related."""
    prefetched = getattr(question, "_prefetched_objects_cache", None)
    if prefetched is None:
        prefetched = question._prefetched_objects_cache = {}
    for name, rows in related.items():
        queryset = getattr(question, name).all()
        queryset._result_cache = rows
        queryset._prefetch_done = True
        prefetched[name] = queryset


def with_answers_and_topics(questions: Iterable[Question]) -> None:
    """Give each question its answers and topics: from the cache, or in two queries for those
    missing (then cached)."""
    questions = [q for q in questions if not getattr(q, "_prefetched_objects_cache", None)]
    missing = []
    with _lock:
        for question in questions:
            related = _cache.get(_key(question))
            if related is None:
                missing.append(question)
            else:
                _cache.move_to_end(_key(question))
                _attach(question, related)
    if not missing:
        return
    prefetch_related_objects(missing, *_RELATIONS)
    with _lock:
        for question in missing:
            _cache[_key(question)] = {
                name: list(getattr(question, name).all()) for name in _RELATIONS
            }
        while len(_cache) > CACHED_QUESTIONS:
            _cache.popitem(last=False)


def clear() -> None:
    """Forget every entry (tests)."""
    with _lock:
        _cache.clear()
