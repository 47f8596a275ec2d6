"""Celery tasks: thin wrappers that give each job its clock and its retry policy.

Time is a parameter of the services; a task is where a job starts, so it reads the clock."""

import io
import logging
import time

from celery import shared_task
from django.core.management import call_command
from django.utils import timezone

from questions.services.jobs import import_job_failed, import_job_run
from questions.throttling import rate_counters_prune
from quizsite.ops.metrics import JOBS_FINISHED

logger = logging.getLogger(__name__)
RETRIES = 3


@shared_task(bind=True, max_retries=RETRIES, default_retry_delay=10)
def run_import_job(self, job_id: str) -> None:
    try:
        job = import_job_run(job_id=job_id, now=timezone.now())
    except Exception as error:
        if self.request.retries >= RETRIES:
            import_job_failed(job_id=job_id, error=str(error), now=timezone.now())
            JOBS_FINISHED.labels(job="import", outcome="failed").inc()
            raise
        raise self.retry(exc=error) from error
    JOBS_FINISHED.labels(job="import", outcome=job.status).inc()


@shared_task
def fit_all_learners() -> None:
    """The nightly FSRS fit of every learner with enough new reviews (declared in
    settings.CELERY_BEAT_SCHEDULE); what it did goes to the worker's log."""
    said = io.StringIO()
    call_command("fit_fsrs", "--all", stdout=said)
    for line in said.getvalue().splitlines():
        logger.info("fit_fsrs: %s", line)
    JOBS_FINISHED.labels(job="fit", outcome="done").inc()


@shared_task
def prune_rate_counters() -> None:
    """Hourly: forget the rate-limit counters of windows that have ended."""
    deleted = rate_counters_prune(now=time.time())
    logger.info("pruned %d rate counters", deleted)
