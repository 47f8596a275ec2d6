"""What the web needs to know of the job engine: whether jobs run in-process, and how many wait."""

from django.conf import settings

DEFAULT_QUEUE = "celery"


def jobs_run_in_process() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


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
