"""Answers owe LMS scores: after each answer's transaction commits, the scores it changed are
noted in the outbox and sent when due. Hooked on the review log so the study step stays
unaware of LTI."""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from questions.models import QuizAttempt, Review, ReviewMode

logger = logging.getLogger(__name__)


def _after_answer(*, user_id: int, question_set_id: int, now) -> None:
    from django.contrib.auth.models import User

    from lti.services.grades import grades_owed_for_answer, grades_send_due

    try:
        user = User.objects.get(pk=user_id)
        if grades_owed_for_answer(user=user, question_set_id=question_set_id, now=now):
            grades_send_due(user=user, now=now)
    except Exception:
        # The answer is saved whatever happens here; `lti_send_grades` picks up what is owed.
        logger.exception("LTI scores after an answer by user %s", user_id)


@receiver(post_save, sender=Review, dispatch_uid="lti_scores_owed_after_answer")
def scores_owed_after_answer(sender, instance: Review, created: bool, raw=False, **kwargs):
    if not created or raw or instance.mode == ReviewMode.QUIZ:
        return  # a quiz answer leaves the cards, so the set's mastery, as they were
    transaction.on_commit(
        partial(
            _after_answer,
            user_id=instance.user_id,
            question_set_id=instance.question.question_set_id,
            now=instance.reviewed_at,
        )
    )


def _after_submission(*, attempt_id: int) -> None:
    from lti.services.grades import grades_owed_for_quiz, grades_send_due

    try:
        attempt = QuizAttempt.objects.select_related("user", "quiz").get(pk=attempt_id)
        if grades_owed_for_quiz(attempt=attempt, now=attempt.submitted_at):
            grades_send_due(user=attempt.user, now=attempt.submitted_at)
    except Exception:
        logger.exception("LTI score after quiz attempt %s", attempt_id)


@receiver(post_save, sender=QuizAttempt, dispatch_uid="lti_score_owed_after_quiz")
def score_owed_after_quiz(sender, instance: QuizAttempt, created: bool, raw=False, **kwargs):
    fields = kwargs.get("update_fields") or ()
    if raw or instance.submitted_at is None or "submitted_at" not in fields:
        return
    transaction.on_commit(partial(_after_submission, attempt_id=instance.pk))
