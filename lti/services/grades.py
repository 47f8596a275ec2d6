"""Scores to the LMS gradebook (LTI Assignment and Grade Services), through an outbox.

A study set's score is the share of its questions the student has mastered (the progress
page's definition), as a percentage. Answers mark the student's score as owed; it is sent at
most once per DEBOUNCE, reading the score as it is then, and retried with a growing wait until
the LMS takes it. Nothing is dropped: a failed send stays pending with its error for the teacher.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from lti_tool.models import LtiUser
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from requests import RequestException

from lti.models import ContentKind, GradeSend, GradeStatus, LinkedResource
from lti.services.launch import can_publish_scores
from lti.tool import service_connector
from questions.selectors.progress import progress

logger = logging.getLogger(__name__)

DEBOUNCE = timedelta(seconds=60)
RETRY_FIRST_WAIT = timedelta(seconds=30)
RETRY_LONGEST_WAIT = timedelta(hours=6)
SCORE_MAXIMUM = 100.0
SEND_BATCH = 200


def _lti_users_of(*, user, resource: LinkedResource):
    return LtiUser.objects.filter(
        auth_user=user,
        memberships__context_id=resource.resource_link.context_id,
        memberships__is_active=True,
        memberships__is_learner=True,
    )


@transaction.atomic
def grade_owed(
    *, resource: LinkedResource, lti_user: LtiUser, now: datetime, fixed_score: float | None = None
) -> GradeSend:
    """Note that the student's score on the resource must be sent. One pending send per
    student and resource: a newer score joins it, and waits out DEBOUNCE after the last send."""
    pending = (
        GradeSend.objects.select_for_update()
        .filter(resource=resource, lti_user=lti_user, status=GradeStatus.PENDING)
        .first()
    )
    if pending is not None:
        if fixed_score is not None:
            pending.fixed_score = fixed_score
            pending.save(update_fields=["fixed_score"])
        return pending
    last_sent = (
        GradeSend.objects.filter(resource=resource, lti_user=lti_user, status=GradeStatus.SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    not_before = max(now, last_sent + DEBOUNCE) if last_sent else now
    return GradeSend.objects.create(
        resource=resource,
        lti_user=lti_user,
        fixed_score=fixed_score,
        not_before=not_before,
        created_at=now,
    )


def grades_owed_for_answer(*, user, question_set_id: int, now: datetime) -> list[GradeSend]:
    """After a student's answer in a set: every graded LMS link to that set that the student
    reached through their course owes them a fresh score."""
    resources = LinkedResource.objects.filter(
        link__kind=ContentKind.SET,
        link__question_set_id=question_set_id,
        resource_link__context__memberships__user__auth_user=user,
    ).select_related("resource_link")
    owed = []
    for resource in resources.distinct():
        if not can_publish_scores(resource):
            continue
        for lti_user in _lti_users_of(user=user, resource=resource):
            owed.append(grade_owed(resource=resource, lti_user=lti_user, now=now))
    return owed


def grades_owed_for_quiz(*, attempt, now: datetime) -> list[GradeSend]:
    """After a submitted attempt: the student's best score on the quiz is owed to every LMS
    link to it (the best attempt counts, as by default in Moodle)."""
    best = (
        attempt.quiz.attempts.filter(user=attempt.user, submitted_at__isnull=False)
        .order_by("-score")
        .values_list("score", flat=True)
        .first()
    )
    resources = LinkedResource.objects.filter(
        link__kind=ContentKind.QUIZ,
        link__quiz=attempt.quiz,
        resource_link__context__memberships__user__auth_user=attempt.user,
    ).select_related("resource_link")
    owed = []
    for resource in resources.distinct():
        if not can_publish_scores(resource):
            continue
        for lti_user in _lti_users_of(user=attempt.user, resource=resource):
            owed.append(
                grade_owed(resource=resource, lti_user=lti_user, now=now, fixed_score=best or 0.0)
            )
    return owed


def _score_of(send: GradeSend, *, now: datetime) -> tuple[float, str, str]:
    """(score, activityProgress, gradingProgress) as they stand now."""
    if send.fixed_score is not None:
        return send.fixed_score * SCORE_MAXIMUM, "Completed", "FullyGraded"
    user = send.lti_user.auth_user
    figures = progress(user=user, now=now, question_set=send.resource.link.question_set)
    activity = "Completed" if figures.mastered >= figures.questions else "InProgress"
    if figures.reviews == 0:
        activity = "Initialized"
    # A share mastered grows as long as the student studies: final only when all is mastered.
    grading = "FullyGraded" if activity == "Completed" else "Pending"
    return round(figures.mastered_share * SCORE_MAXIMUM, 2), activity, grading


def _post(send: GradeSend, *, score: float, activity: str, grading: str, now: datetime) -> None:
    resource = send.resource
    registration = resource.resource_link.context.deployment.registration
    service = AssignmentsGradesService(
        service_connector(registration),
        {"scope": resource.ags_scopes, "lineitem": resource.lineitem_url},
    )
    grade = (
        Grade()
        .set_score_given(score)
        .set_score_maximum(SCORE_MAXIMUM)
        .set_activity_progress(activity)
        .set_grading_progress(grading)
        .set_timestamp(now.isoformat())
        .set_user_id(send.lti_user.sub)
    )
    service.put_grade(grade)


def grade_send(*, send: GradeSend, now: datetime) -> bool:
    """Send one owed score; True when the LMS took it. A failure is kept and retried later."""
    score, activity, grading = _score_of(send, now=now)
    send.attempts += 1
    try:
        _post(send, score=score, activity=activity, grading=grading, now=now)
    except (LtiException, RequestException, ValueError) as error:
        wait = min(RETRY_FIRST_WAIT * 2 ** (send.attempts - 1), RETRY_LONGEST_WAIT)
        send.last_error = f"{now:%Y-%m-%d %H:%M:%S} UTC: {error}"[:2000]
        send.not_before = now + wait
        send.save(update_fields=["attempts", "last_error", "not_before"])
        logger.warning("LTI score for %s not sent (attempt %d): %s", send, send.attempts, error)
        return False
    send.status = GradeStatus.SENT
    send.score_given = score
    send.activity_progress = activity
    send.grading_progress = grading
    send.sent_at = now
    send.save(
        update_fields=[
            "attempts",
            "status",
            "score_given",
            "activity_progress",
            "grading_progress",
            "sent_at",
        ]
    )
    return True


def grades_send_due(*, now: datetime, user=None) -> tuple[int, int]:
    """Send every owed score whose time has come (only this user's, when given).
    Returns (sent, failed)."""
    due = GradeSend.objects.filter(status=GradeStatus.PENDING, not_before__lte=now)
    if user is not None:
        due = due.filter(lti_user__auth_user=user)
    sent = failed = 0
    for send in due.select_related(
        "lti_user__auth_user",
        "resource__link__question_set",
        "resource__resource_link__context__deployment__registration",
    ).order_by("not_before", "id")[:SEND_BATCH]:
        if grade_send(send=send, now=now):
            sent += 1
        else:
            failed += 1
    return sent, failed


def grade_retry_now(*, send: GradeSend, now: datetime) -> bool:
    """A teacher's "send again now"."""
    if send.status != GradeStatus.PENDING:
        return True
    return grade_send(send=send, now=now)
