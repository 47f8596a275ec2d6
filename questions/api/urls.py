from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from questions.api import (
    account_views,
    claim_views,
    class_views,
    imports,
    quiz_views,
    retention,
    study_views,
    undo_views,
    views,
)
from questions.api.docs import API_DESCRIPTION
from questions.api.errors import api_not_found
from quizsite.ops.routers import reads_from_replica

router = SimpleRouter()
router.register("sets", views.SetViewSet, basename="set")
router.register("questions", views.QuestionViewSet, basename="question")
router.register("sources", views.SourceViewSet, basename="source")
router.register("classes", class_views.ClassroomViewSet, basename="class")
router.register("tokens", account_views.TokenViewSet, basename="token")

urlpatterns = [
    path("auth/token/", account_views.TokenLoginView.as_view(), name="api-login"),
    path("me/", account_views.MeView.as_view(), name="api-me"),
    path("me/retention/", retention.RetentionHelpView.as_view(), name="api-retention"),
    path("sets/<int:set_id>/questions/", views.SetQuestionsView.as_view(), name="set-questions"),
    path("sets/import/", imports.SetImportView.as_view(), name="set-import"),
    path("sets/<int:set_id>/export/", imports.SetExportView.as_view(), name="set-export"),
    path("classes/join/", class_views.ClassJoinView.as_view(), name="class-join"),
    path(
        "classes/<int:class_id>/members/",
        class_views.ClassMembersView.as_view(),
        name="class-members",
    ),
    path(
        "classes/<int:class_id>/members/<int:user_id>/",
        class_views.ClassMemberDetailView.as_view(),
        name="class-member",
    ),
    path("classes/<int:class_id>/sets/", class_views.ClassSetsView.as_view(), name="class-sets"),
    path(
        "classes/<int:class_id>/sets/<int:set_id>/",
        class_views.ClassSetDetailView.as_view(),
        name="class-set",
    ),
    path(
        "classes/<int:class_id>/report/",
        reads_from_replica(study_views.ClassReportView.as_view()),
        name="class-report",
    ),
    path("reviews/", study_views.ReviewsView.as_view(), name="reviews"),
    path(
        "reviews/<int:review_id>/claim/",
        claim_views.ReviewClaimView.as_view(),
        name="review-claim",
    ),
    path(
        "classes/<int:class_id>/claims/", claim_views.ClassClaimsView.as_view(), name="class-claims"
    ),
    path(
        "claims/<int:claim_id>/accept/",
        claim_views.ClaimDecisionView.as_view(accept=True),
        name="claim-accept",
    ),
    path(
        "claims/<int:claim_id>/reject/",
        claim_views.ClaimDecisionView.as_view(accept=False),
        name="claim-reject",
    ),
    path(
        "reviews/<int:review_id>/undo/",
        undo_views.ReviewUndoView.as_view(),
        name="review-undo",
    ),
    path("study/queue/", study_views.StudyQueueView.as_view(), name="study-queue"),
    path("progress/", reads_from_replica(study_views.ProgressView.as_view()), name="progress"),
    path("quizzes/", quiz_views.QuizListView.as_view(), name="quizzes"),
    path("quizzes/<int:quiz_id>/", quiz_views.QuizDetailView.as_view(), name="quiz"),
    path(
        "quizzes/<int:quiz_id>/attempts/",
        quiz_views.QuizAttemptsView.as_view(),
        name="quiz-attempts",
    ),
    path("attempts/", quiz_views.AttemptListView.as_view(), name="attempts"),
    path("attempts/<int:attempt_id>/", quiz_views.AttemptDetailView.as_view(), name="attempt"),
    path(
        "attempts/<int:attempt_id>/answers/<int:question_id>/",
        quiz_views.AttemptAnswerView.as_view(),
        name="attempt-answer",
    ),
    path(
        "attempts/<int:attempt_id>/submit/",
        quiz_views.AttemptSubmitView.as_view(),
        name="attempt-submit",
    ),
    *router.urls,
    path(
        "schema/",
        SpectacularAPIView.as_view(custom_settings={"DESCRIPTION": API_DESCRIPTION}),
        name="api-schema",
    ),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Keep this last: any other address under /api/v1/ gets the API's JSON 404.
    re_path(r"^", api_not_found),
]
