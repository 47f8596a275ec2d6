from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

import questions.web.converters  # noqa: F401 - registers the "id" path converter
from questions.services.set_import_media import MEDIA_DIR
from questions.web.views import (
    account,
    claims,
    classes,
    jobs,
    media,
    pages,
    quizzes,
    retention,
    study,
    study_undo,
    teach,
)
from quizsite.ops.routers import reads_from_replica

urlpatterns = [
    path("", pages.home, name="home"),
    # Accounts
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", account.signup, name="signup"),
    path("settings/", account.settings_page, name="settings"),
    path("settings/retention/", retention.retention_helper, name="retention_helper"),
    path("join/", account.class_join, name="class_join"),
    # Studying
    path("study/", study.study, name="study"),
    path("study/answer/", study.answer, name="study_answer"),
    path("study/reveal/<id:question_id>/", study.reveal, name="study_reveal"),
    path("study/undo/<id:review_id>/", study_undo.undo, name="study_undo"),
    path("study/more-new/", study_undo.more_new, name="study_more_new"),
    path("study/claim/<id:review_id>/", claims.claim, name="study_claim"),
    path("progress/", reads_from_replica(pages.progress), name="progress"),
    path("sources/<id:source_id>/", pages.source, name="source"),
    # Teaching
    path("teach/sets/", teach.set_list, name="teach_sets"),
    path("teach/sets/new/", teach.set_edit, name="teach_set_new"),
    path("teach/sets/import/", teach.set_import_page, name="teach_import"),
    path("teach/jobs/<uuid:job_id>/", jobs.job_detail, name="teach_job"),
    path("teach/sets/<id:set_id>/", teach.set_detail, name="teach_set"),
    path("teach/sets/<id:set_id>/edit/", teach.set_edit, name="teach_set_edit"),
    path("teach/sets/<id:set_id>/delete/", teach.set_remove, name="teach_set_delete"),
    path("teach/sets/<id:set_id>/questions/new/", teach.question_edit, name="teach_question_new"),
    path(
        "teach/sets/<id:set_id>/questions/<id:question_id>/",
        teach.question_edit,
        name="teach_question_edit",
    ),
    path(
        "teach/sets/<id:set_id>/questions/<id:question_id>/move/",
        teach.question_reorder,
        name="teach_question_move",
    ),
    path(
        "teach/sets/<id:set_id>/questions/<id:question_id>/delete/",
        teach.question_remove,
        name="teach_question_delete",
    ),
    path(
        "teach/sets/<id:set_id>/questions/preview/",
        teach.question_preview,
        name="teach_question_preview",
    ),
    path(
        "teach/sets/<id:set_id>/questions/editor/",
        teach.question_editor_refresh,
        name="teach_question_refresh",
    ),
    path("teach/sources/new/", teach.source_create, name="teach_source_new"),
    path("classes/", classes.class_list, name="classes"),
    path("classes/<id:class_id>/", classes.class_detail, name="class_detail"),
    path(
        "classes/<id:class_id>/sets/<id:set_id>/unassign/",
        classes.class_unassign,
        name="class_unassign",
    ),
    path(
        "classes/<id:class_id>/members/<id:user_id>/remove/",
        classes.class_member_remove,
        name="class_member_remove",
    ),
    path(
        "classes/<id:class_id>/report/",
        reads_from_replica(classes.class_report_page),
        name="class_report",
    ),
    *(
        path(
            f"classes/<id:class_id>/claims/<id:claim_id>/{decision}/",
            claims.claim_decision,
            {"decision": decision},
            name=f"class_claim_{decision}",
        )
        for decision in ("accept", "reject")
    ),
    # Graded quizzes
    path("quizzes/", quizzes.quiz_list, name="quizzes"),
    path("quizzes/<id:quiz_id>/", quizzes.quiz_page, name="quiz"),
    path("quizzes/<id:quiz_id>/start/", quizzes.quiz_start, name="quiz_start"),
    path("teach/sets/<id:set_id>/quizzes/new/", quizzes.quiz_new, name="quiz_new"),
    path(
        "quizzes/attempts/<id:attempt_id>/<id:position>/",
        quizzes.attempt_question,
        name="quiz_attempt_question",
    ),
    path("quizzes/attempts/<id:attempt_id>/", quizzes.attempt_review, name="quiz_attempt_review"),
    path(
        "quizzes/attempts/<id:attempt_id>/submit/",
        quizzes.attempt_finish,
        name="quiz_attempt_submit",
    ),
    path(
        "quizzes/attempts/<id:attempt_id>/result/",
        quizzes.attempt_result,
        name="quiz_attempt_result",
    ),
    # Imported images and sounds, where the import links them (MEDIA_URL + "imports/…").
    path(
        f"{settings.MEDIA_URL.lstrip('/')}{MEDIA_DIR}/<str:name>",
        media.imported_media,
        name="imported_media",
    ),
]
