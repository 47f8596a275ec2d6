"""Answers owe LMS scores: after each answer's transaction commits, the scores it changed are
noted in the outbox and sent when due. Hooked on the review log so the study step stays
unaware of LTI."""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from lti.services.accounts import is_lms_account
from questions.models import QuizAttempt, Review, ReviewMode, ReviewUndo

logger = logging.getLogger(__name__)


def _after_answer(*, user, question_set_id: int, now) -> None:
    from lti.services.grades import grades_owed_for_answer, grades_send_due

    try:
        if grades_owed_for_answer(user=user, question_set_id=question_set_id, now=now):
            grades_send_due(user=user, now=now)
    except Exception:
        # The answer is saved whatever happens here; what was owed stays in the outbox.
        logger.exception("LTI scores after an answer by user %s", user.pk)


@receiver(post_save, sender=Review, dispatch_uid="lti_scores_owed_after_answer")
def scores_owed_after_answer(sender, instance: Review, created: bool, raw=False, **kwargs):
    if not created or raw or instance.mode == ReviewMode.QUIZ:
        return  # a quiz answer leaves the cards, so the set's mastery, as they were
    # A live answer carries its user and question; a review written from ids alone (a history
    # import, the bench's floor) is not one, and costs no query here.
    if not (Review.user.is_cached(instance) and Review.question.is_cached(instance)):
        return
    if not is_lms_account(instance.user):
        return
    transaction.on_commit(
        partial(
            _after_answer,
            user=instance.user,
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
    if not is_lms_account(instance.user):  # one query per submitted attempt
        return
    transaction.on_commit(partial(_after_submission, attempt_id=instance.pk))


@receiver(post_save, sender=ReviewUndo, dispatch_uid="lti_scores_owed_after_undo")
def scores_owed_after_undo(sender, instance: ReviewUndo, created: bool, raw=False, **kwargs):
    """An undone answer changes the set's mastery back: its score is owed again."""
    if not created or raw or not ReviewUndo.review.is_cached(instance):
        return
    scores_owed_after_answer(sender=Review, instance=instance.review, created=True)
