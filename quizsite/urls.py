from django.contrib import admin
from django.urls import include, path

from quizsite.ops import health, metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("questions.api.urls")),
    path("lti/", include("lti.urls")),
    path("", include("questions.web.urls")),
]
