import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from questions.models import Job, Question, QuestionSet
from questions.services.jobs import import_job_run, import_job_start, import_runs_as_job
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

GIFT = b"Who led the U.S. side? {=Harriman}\n\nWhere were the talks? {~London =Paris}\n"
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def start(teacher, content=GIFT, filename="bank.gift") -> Job:
    return import_job_start(
        owner=teacher, content=content, filename=filename, format=None, into=None, now=NOW
    )


def test_a_queued_import_runs_after_commit_and_keeps_its_report(django_capture_on_commit_callbacks):
    teacher = TeacherFactory()

    with django_capture_on_commit_callbacks(execute=True):
        job = start(teacher)

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 1
    assert job.result["created_questions"] == 2
    assert Question.objects.filter(question_set__owner=teacher).count() == 2


def test_a_job_run_twice_after_it_finished_does_nothing_more(django_capture_on_commit_callbacks):
    teacher = TeacherFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = start(teacher)

    again = import_job_run(job_id=str(job.id), now=NOW)

    assert again.attempts == 1
    assert Question.objects.count() == 2


def test_a_job_whose_worker_died_mid_run_is_run_again_without_a_double_effect(
    django_capture_on_commit_callbacks,
):
    teacher = TeacherFactory()
    with django_capture_on_commit_callbacks(execute=False):
        job = start(teacher)
    # The first worker imported and died before it could mark the job done.
    import_job_run(job_id=str(job.id), now=NOW)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    stored = job.arguments["stored"]
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save(stored, ContentFile(GIFT))

    rerun = import_job_run(job_id=str(job.id), now=NOW)

    assert rerun.status == Job.Status.DONE
    assert rerun.attempts == 2
    assert rerun.result["created_questions"] == 0
    assert rerun.result["unchanged_questions"] == 2
    assert QuestionSet.objects.filter(owner=teacher).count() == 1
    assert Question.objects.count() == 2


def test_a_refused_file_fails_the_job_with_its_problems_and_saves_nothing(
    django_capture_on_commit_callbacks,
):
    teacher = TeacherFactory()

    with django_capture_on_commit_callbacks(execute=True):
        job = start(teacher, content=b"Who? {=Harriman\n")

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "line 1" in job.error
    assert Question.objects.count() == 0


@pytest.mark.parametrize(
    ("eager", "size", "dry_run", "as_job"),
    [
        (True, 10_000_000, False, False),
        (False, 10_000_000, False, True),
        (False, 10_000_000, True, False),
        (False, 100, False, False),
    ],
)
def test_only_large_real_imports_with_a_broker_run_as_jobs(settings, eager, size, dry_run, as_job):
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    settings.QUIZSITE_IMPORT_JOB_BYTES = 1000

    assert import_runs_as_job(size=size, dry_run=dry_run) is as_job


def test_the_import_page_hands_a_large_file_to_a_job_and_follows_it(
    settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a broker; the job still runs here
    settings.QUIZSITE_IMPORT_JOB_BYTES = 10
    teacher = TeacherFactory()
    client = Client()
    client.force_login(teacher)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            "/teach/sets/import/", {"file": SimpleUploadedFile("bank.gift", GIFT), "format": ""}
        )
    job = Job.objects.get(owner=teacher)
    waiting = client.get(response["Location"])
    import_job_run(job_id=str(job.id), now=NOW)
    done = client.get(response["Location"], headers={"HX-Request": "true"})

    assert response.status_code == 302
    assert len(queued) == 1
    assert 'data-status="queued"' in waiting.content.decode()
    assert 'hx-trigger="every 1s"' in waiting.content.decode()
    assert 'data-status="done"' in done.content.decode()
    assert "hx-trigger" not in done.content.decode()


def test_nobody_else_follows_a_teachers_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(TeacherFactory())
    client = Client()
    client.force_login(TeacherFactory())

    assert client.get(f"/teach/jobs/{job.id}/").status_code == 404
