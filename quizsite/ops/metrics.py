"""The application's own Prometheus metrics, beside django-prometheus's request metrics.

Under gunicorn, set PROMETHEUS_MULTIPROC_DIR to an empty folder shared by the workers (see
`quizsite/gunicorn.conf.py`) so /metrics adds up every worker, not just the one that answers."""

import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import Counter, Gauge

REVIEWS_RECORDED = Counter(
    "quizsite_reviews_recorded_total", "Answers and ratings written to the review log", ["mode"]
)
STUDY_STEPS = Counter(
    "quizsite_study_steps_total", "Study requests served (next item or answer)", ["front_end"]
)
JOBS_FINISHED = Counter(
    "quizsite_jobs_finished_total", "Background jobs that ended", ["job", "outcome"]
)
JOB_QUEUE_DEPTH = Gauge(
    "quizsite_job_queue_depth",
    "Jobs waiting in the broker's queue when /metrics was read",
    multiprocess_mode="max",
)

# The views of a study step (next item, answer), by URL name, with the front end they serve.
STUDY_VIEWS = {
    ("study", "GET"): "web",
    ("study_answer", "POST"): "web",
    ("study-queue", "GET"): "api",
    ("reviews", "POST"): "api",
}


class StudyStepMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and response.status_code < 400:
            front_end = STUDY_VIEWS.get((match.url_name, request.method))
            if front_end:
                STUDY_STEPS.labels(front_end=front_end).inc()
        return response


@never_cache
def metrics_view(request) -> HttpResponse:
    """Prometheus's scrape endpoint; with QUIZSITE_METRICS_TOKEN set, only for that bearer."""
    token = settings.QUIZSITE_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return HttpResponseForbidden("A metrics token is required.")
    _read_queue_depth()
    return ExportToDjangoView(request)


def _read_queue_depth() -> None:
    from quizsite.jobs import queue_depth

    depth = queue_depth()
    if depth is not None:
        JOB_QUEUE_DEPTH.set(depth)
