"""The study session: one question at a time, feedback after each answer, a summary at the end.

A session is named by a random id carried in the page; each answer's client_id starts with it,
so the summary is read back from the review log and a reload or a retry loses nothing. What to
study, grading and scheduling are questions.study's, as for the API; these views parse the form,
call it and render.
"""

import secrets
import uuid
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from questions.domain import Practice, QueueReason
from questions.grading import InvalidAnswer
from questions.models import QuestionKind, Rating
from questions.selectors.queue import QueueItem
from questions.services.reviews import ReviewConflict
from questions.services.study_limits import EXTRA_NEW_CARDS
from questions.study import (
    Scope,
    answerable_questions,
    flashcard_reveal,
    next_step,
    resolve_scope,
    session_answers,
    session_size_for,
    session_summary,
    submit_answer,
)
from questions.web.answer_input import given_fields, parse_answer
from questions.web.presenting import feedback_lines, is_htmx, right_answer, student_question

SHOWN_SALT = "quizsite.study.shown"
# A question left open longer than this counts as this long: the student was away.
LONGEST_RESPONSE_MS = 10 * 60 * 1000
SESSION_ID_BYTES = 6
NOT_THIS_SESSION = "This answer does not belong to this study session."


@dataclass(frozen=True)
class StudySession:
    """What the page studies (a questions.study Scope) and the session's id."""

    scope: Scope
    id: str
    student_id: int
    size: int  # answers in the session (questions.study.session_size_for)
    practice: str = Practice.NONE  # how it goes on after what is due: ahead, or mistakes

    @property
    def title(self) -> str:
        if self.scope.question_set:
            return self.scope.question_set.title
        if self.scope.topic:
            return f"Topic: {self.scope.topic.name}"
        if self.scope.passage:
            return f"{self.scope.passage.source.title}, passage {self.scope.passage.position}"
        return "Everything due"

    def params(self) -> dict:
        params = {"session": self.id}
        if self.scope.question_set:
            params["set"] = self.scope.question_set.pk
        if self.scope.topic:
            params["topic"] = self.scope.topic.slug
        if self.scope.passage:
            params["passage"] = self.scope.passage.pk
        if self.practice:
            params["practice"] = self.practice
        return params


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _session(request, params) -> StudySession:
    scope = resolve_scope(
        user=request.user,
        set_id=_int(params["set"]) if params.get("set") else None,
        topic=params.get("topic") or None,
        passage_id=_int(params["passage"]) if params.get("passage") else None,
    )
    session = params.get("session") or ""
    valid = len(session) == SESSION_ID_BYTES * 2 and all(c in "0123456789abcdef" for c in session)
    practice = params.get("practice", "")
    return StudySession(
        scope=scope,
        id=session if valid else secrets.token_hex(SESSION_ID_BYTES),
        student_id=request.user.pk,
        size=session_size_for(user=request.user, scope=scope),
        practice=practice if practice in Practice.__members__.values() else Practice.NONE,
    )


def _answered(request, session: StudySession) -> int:
    return session_answers(user=request.user, session=session.id).count()


def _question_context(session, item, now, *, answered: int, given=None, error="") -> dict:
    return {
        "scope": session,
        "item": item,
        "q": student_question(item.question, student_id=session.student_id),
        "client_id": f"{session.id}:{uuid.uuid4().hex}",
        "shown": signing.dumps(now.timestamp(), salt=SHOWN_SALT),
        "given": given or {},
        "error": error,
        "answered": answered,
        "session_size": session.size,
    }


def _summary_context(request, session: StudySession, step, now) -> dict:
    summary = session_summary(
        user=request.user,
        scope=session.scope,
        session=session.id,
        step=step,
        now=now,
        practice=session.practice,
    )
    fresh = {k: v for k, v in session.params().items() if k not in ("session", "practice")}
    return {
        "scope": session,
        "summary": summary,
        "answered": summary.answered,
        "right": summary.right,
        "spent_ms": summary.spent_ms,
        "next_due": summary.next_due,
        "next_due_is_now": summary.next_due is not None and summary.next_due <= now,
        "more": summary.more,
        "new_session": fresh,
        "ahead_session": fresh | {"practice": Practice.AHEAD},
        "mistakes_session": fresh | {"practice": Practice.MISTAKES},
        "extra_new": EXTRA_NEW_CARDS,
    }


def _respond(request, template: str, context: dict, *, status: int = 200):
    """The study card alone for htmx, or inside the whole page for a plain request."""
    if not is_htmx(request):
        context["partial"] = template
        template = "questions/study/session.html"
    return render(request, template, context, status=status)


def step_response(request, session: StudySession, now, *, rated=None, status: int = 200):
    """The session's next question, or its summary when it is over; `rated` is the line about
    the flashcard just rated (with its Undo), or an undo's outcome, shown above it."""
    step = next_step(
        user=request.user,
        scope=session.scope,
        session=session.id,
        now=now,
        practice=session.practice,
    )
    if step.item is None:
        context = _summary_context(request, session, step, now)
        template = "questions/study/_summary.html"
    else:
        context = _question_context(session, step.item, now, answered=step.answered)
        template = "questions/study/_question.html"
    context["rated"] = rated
    return _respond(request, template, context, status=status)


@login_required
@require_GET
def study(request):
    """The session's next question, or its summary when the session is over."""
    return step_response(request, _session(request, request.GET), timezone.now())


@login_required
@require_GET
def reveal(request, question_id: int):
    """A flashcard's back and the four rating buttons, each with the interval it would give."""
    session = _session(request, request.GET)
    question, previews = flashcard_reveal(
        user=request.user, question_id=question_id, now=timezone.now()
    )
    context = {
        "scope": session,
        "q": student_question(question, student_id=request.user.pk),
        "back": right_answer(question, student_id=request.user.pk).get("back", ""),
        "ratings": [{"value": r.value, "label": r.label, "interval": previews[r]} for r in Rating],
        "client_id": request.GET.get("client_id", ""),
        "shown": request.GET.get("shown", ""),
        "revealed": True,
        "answered": _answered(request, session),
        "session_size": session.size,
    }
    return _respond(request, "questions/study/_question.html", context)


def _response_ms(request, now) -> int:
    """Time from showing the question to the answer, measured by the server from a signed stamp."""
    try:
        shown = signing.loads(request.POST.get("shown", ""), salt=SHOWN_SALT, max_age=86400)
    except signing.BadSignature:
        return LONGEST_RESPONSE_MS
    measured = int((now.timestamp() - float(shown)) * 1000)
    return max(0, min(measured, LONGEST_RESPONSE_MS))


def _refused(request, session, question, now, error) -> object:
    """The question again, with what was typed and why it was refused."""
    given = given_fields(request.POST)
    item = QueueItem(question=question, card=None, reason=QueueReason.RETRY)
    answered = _answered(request, session)
    context = _question_context(
        session, item, now, answered=answered, given=given, error=str(error)
    )
    context["shown"] = request.POST.get("shown", "")
    if isinstance(error, InvalidAnswer):
        # The corrected answer is the same attempt; a conflicting id needs a fresh one.
        context["client_id"] = request.POST.get("client_id", "")
    return _respond(request, "questions/study/_question.html", context, status=400)


def _feedback(request, session, question, result, now):
    """A flashcard's rating goes straight on to the next card, as in Anki, with a line saying
    how it was rated and an Undo; any other answer gets its feedback page."""
    if question.kind == QuestionKind.FLASHCARD:
        rated = {"result": result, "interval": result.next_due - result.review.reviewed_at}
        return step_response(request, session, now, rated=rated)
    given = given_fields(request.POST)
    right = right_answer(question, student_id=session.student_id)
    context = {
        "scope": session,
        "question": question,
        "q": student_question(question, student_id=session.student_id),
        "result": result,
        "right": right,
        "lines": feedback_lines(kind=question.kind, right=right, grade=result.grade, given=given),
        "given": given,
        "passage": question.passage,
        "answered": _answered(request, session),
        "session_size": session.size,
    }
    return _respond(request, "questions/study/_feedback.html", context)


@login_required
@require_POST
def answer(request):
    session = _session(request, request.POST)
    pk = _int(request.POST.get("question"))
    question = get_object_or_404(answerable_questions(request.user), pk=pk)
    client_id = request.POST.get("client_id", "")
    if not client_id.startswith(f"{session.id}:"):
        return HttpResponseBadRequest(NOT_THIS_SESSION)
    now = timezone.now()
    try:
        answer_data, rating = parse_answer(question.kind, request.POST)
        result = submit_answer(
            user=request.user,
            question=question,
            client_id=client_id,
            answer=answer_data,
            rating=rating,
            response_ms=_response_ms(request, now),
            now=now,
        )
    except (InvalidAnswer, ReviewConflict) as error:
        return _refused(request, session, question, now, error)
    return _feedback(request, session, question, result, now)
