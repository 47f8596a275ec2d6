"""Reads that may go to a read replica: progress and reports, inside `replica_reads()`.

Everything else — the study step above all, whose next item must see the answer just
written — reads from the primary, as do all writes."""

import contextlib
import contextvars
import functools

from django.conf import settings

_replica_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_wanted", default=False
)
REPLICA_ALIAS = "replica"


@contextlib.contextmanager
def replica_reads():
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


def reads_from_replica(view):
    """A view decorator: the view's reads go to the replica when one is configured."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_wanted.get() and REPLICA_ALIAS in settings.DATABASES:
            return REPLICA_ALIAS
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA_ALIAS
