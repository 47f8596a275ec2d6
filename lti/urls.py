from django.urls import path
from lti_tool.views import jwks

import questions.web.converters  # noqa: F401 - registers the "id" path converter
from lti import views

app_name = "lti"

urlpatterns = [
    path("", views.tool_setup, name="setup"),
    path(".well-known/jwks.json", jwks, name="jwks"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("launch/", views.launch, name="launch"),
    path("deep-link/", views.deep_link, name="deep_link"),
    path("classes/<id:class_id>/", views.course, name="course"),
    path("classes/<id:class_id>/roster/", views.course_roster_sync, name="course_roster_sync"),
    path(
        "classes/<id:class_id>/grades/<id:grade_id>/retry/",
        views.grade_retry,
        name="grade_retry",
    ),
]
