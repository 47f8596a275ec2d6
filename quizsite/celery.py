"""The Celery app that runs quizsite's background jobs.

With QUIZSITE_BROKER_URL unset (the embedded default) every job runs in the process that
queues it, so `make run` needs nothing else; with a Redis URL there, `make worker` starts a
worker and `make beat` the scheduler of the periodic jobs declared in settings.CELERY_BEAT_SCHEDULE.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")

app = Celery("quizsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["questions"])
