"""The site's URLs plus the floor's; served only by the bench's gunicorn (bench.settings)."""

from django.urls import path

from bench.floor import floor_answer, floor_next, floor_step
from quizsite.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/floor/next/", floor_next, name="bench-floor-next"),
    path("bench/floor/answer/", floor_answer, name="bench-floor-answer"),
    path("bench/floor/step/", floor_step, name="bench-floor-step"),
    *site_urlpatterns,
]
