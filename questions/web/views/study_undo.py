"""After a study step: undo of the flashcard just rated, and ten more new cards today.

Both go through questions.services (undo.review_undo, study_limits.new_cards_extend), which
check what the student may do; these views parse, call and render, as the study views do.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from questions.domain import CardState, QueueReason
from questions.errors import DomainError
from questions.selectors.queue import QueueItem
from questions.services.study_limits import new_cards_extend
from questions.services.undo import review_undo
from questions.study import answerable_questions
from questions.web.views.study import (
    _answered,
    _question_context,
    _respond,
    _session,
    step_response,
)

REASON_OF_STATE = {CardState.NEW: QueueReason.NEW, CardState.REVIEW: QueueReason.REVIEW}


@login_required
@require_POST
def undo(request, review_id: int):
    """Undo the session's last answer and show its question again, to be answered afresh."""
    session, now = _session(request, request.POST), timezone.now()
    try:
        done = review_undo(user=request.user, review_id=review_id, now=now, session=session.id)
    except DomainError as refused:
        rated = {"error": refused.message}
        return step_response(request, session, now, rated=rated, status=refused.status)
    question = answerable_questions(request.user).filter(pk=done.review.question_id).first()
    if question is None:  # removed from the student's sets meanwhile: go on
        return step_response(request, session, now, rated={"undone": done.review})
    reason = REASON_OF_STATE.get(done.card.state, QueueReason.LEARNING)
    item = QueueItem(question=question, card=done.card, reason=reason)
    context = _question_context(session, item, now, answered=_answered(request, session))
    context["rated"] = {"undone": done.review}
    return _respond(request, "questions/study/_question.html", context)


@login_required
@require_POST
def more_new(request):
    """Raise today's new-card limit of the session's set, then start a fresh session of it."""
    session = _session(request, request.POST)
    if session.scope.question_set is None:
        raise Http404("Ten more new cards are offered for one set at a time.")
    new_cards_extend(user=request.user, question_set=session.scope.question_set, now=timezone.now())
    fresh = {k: v for k, v in session.params().items() if k not in ("session", "practice")}
    return redirect(f"{reverse('study')}?{urlencode(fresh)}")
