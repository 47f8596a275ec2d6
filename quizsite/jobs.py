"""What the web needs to know of the job engine: whether jobs run in-process, and how many wait."""

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

DEFAULT_QUEUE = "celery"


def jobs_run_in_process() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def enqueue_on_commit(task: str, *args) -> None:
    """Queue the task (a dotted path) once the caller's transaction commits, so a worker never
    looks for rows not yet written. By name, so a service never imports the task that calls it
    back; in-process, Celery runs it eagerly."""
    transaction.on_commit(lambda: import_string(task).delay(*args))


def queue_depth() -> int | None:
    """Jobs waiting in the broker's default queue, or None when jobs run in-process."""
    if jobs_run_in_process():
        return None
    import redis

    try:
        connection = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1)
        return int(connection.llen(DEFAULT_QUEUE))
    except redis.RedisError:
        return None
