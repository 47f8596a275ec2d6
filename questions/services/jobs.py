"""Background jobs a person starts from a page (large imports), and what they report back.

The job engine is Celery (quizsite/celery.py); these functions are what a job does, so that a
job runs the same on a worker, in-process, and in a test. A job can run more than once — a
worker that dies mid-job has its job handed to another — so each is safe to repeat: an import
of the same file is idempotent, and a finished job is not run again."""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import get_valid_filename

from questions.formats.spec import ImportRefused
from questions.models import Job, QuestionSet
from questions.permissions import require_owner
from questions.services.set_import import check_import_size, import_file
from quizsite.jobs import enqueue_on_commit, jobs_run_in_process

logger = logging.getLogger(__name__)

JOB_UPLOAD_DIR = "jobs"
PROGRESS_KEY = "job-progress:{job_id}"
PROGRESS_TIMEOUT_S = 24 * 3600


def import_runs_as_job(*, size: int, dry_run: bool) -> bool:
    """A large import runs on a worker, so no request is held open while it runs; with jobs
    in-process (no broker) there is no worker to hand it to, and a dry run saves nothing."""
    return not dry_run and not jobs_run_in_process() and size > settings.QUIZSITE_IMPORT_JOB_BYTES


def import_job_start(
    *,
    owner: User,
    content: bytes,
    filename: str,
    format: str | None,
    into: QuestionSet | None,
    now: datetime,
    encoding: str | None = None,
) -> Job:
    """Keep the upload where every worker can read it and queue its import (into a set of the
    owner's only)."""
    if into is not None:
        require_owner(owner, into)
    check_import_size(len(content))
    job = Job(kind=Job.Kind.IMPORT, owner=owner, created_at=now, updated_at=now)
    stored = default_storage.save(
        f"{JOB_UPLOAD_DIR}/{job.id}/{get_valid_filename(filename) or 'upload'}",
        ContentFile(content),
    )
    job.arguments = {
        "stored": stored,
        "filename": filename,
        "format": format or "",
        "into": into.pk if into else None,
        "encoding": encoding or "",
    }
    job.save()
    enqueue_on_commit("questions.tasks.run_import_job", str(job.id))
    return job


def job_progress(job: Job) -> tuple[int, int]:
    """(done, total) steps of a running job, from the shared cache (the job's own writes are
    inside its transaction, invisible until it ends)."""
    done_total = cache.get(PROGRESS_KEY.format(job_id=job.id))
    return tuple(done_total) if done_total else (job.done_steps, job.total_steps)


def import_job_run(*, job_id: str, now: datetime) -> Job:
    """Run a queued import; a second run of a finished job does nothing."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.finished:
            return job
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.updated_at = now
        job.save(update_fields=["status", "attempts", "updated_at"])

    def progress(done: int, total: int) -> None:
        cache.set(PROGRESS_KEY.format(job_id=job.id), (done, total), PROGRESS_TIMEOUT_S)

    arguments = job.arguments
    into = QuestionSet.objects.filter(pk=arguments["into"], owner=job.owner).first()
    with default_storage.open(arguments["stored"], "rb") as stored:
        content = stored.read()
    try:
        report = import_file(
            content=content,
            filename=arguments["filename"],
            format=arguments["format"] or None,
            owner=job.owner,
            into=into,
            progress=progress,
            encoding=arguments.get("encoding") or None,
        )
    except ImportRefused as refused:
        _finish(job, now=now, error="\n".join(str(problem) for problem in refused.problems))
    else:
        _finish(job, now=now, result={**report.as_dict(), "summary": report.summary()})
    return job


def import_job_failed(*, job_id: str, error: str, now: datetime) -> None:
    """A job the engine gave up on (its last retry raised): said on its row, never lost."""
    job = Job.objects.get(pk=job_id)
    if not job.finished:
        _finish(job, now=now, error=f"The job failed: {error}")


def _finish(job: Job, *, now: datetime, result: dict | None = None, error: str = "") -> None:
    job.status = Job.Status.FAILED if error else Job.Status.DONE
    job.result = result
    job.error = error
    job.done_steps, job.total_steps = job_progress(job)
    job.updated_at = now
    job.save()
    cache.delete(PROGRESS_KEY.format(job_id=job.id))
    default_storage.delete(job.arguments["stored"])
    logger.info("job %s %s", job.id, job.status)
