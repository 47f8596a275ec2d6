"""The study session: one question at a time, feedback after each answer, a summary at the end.

A session is named by a random id carried in the page; each answer's client_id starts with it,
so the summary is read back from the review log and a reload or a retry loses nothing.
"""

import secrets
import uuid

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Min, Q, Sum
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from questions.grading import InvalidAnswer
from questions.models import Card, Passage, Profile, QuestionKind, Review, Topic
from questions.presentation import student_view
from questions.scheduling import NEW_CARD, preview_intervals, settings_for
from questions.selectors import study_queue
from questions.selectors_api import studyable_questions, visible_sets
from questions.services.reviews import ReviewConflict, fuzz_key, review_record, snapshot_of
from questions.web.answer_input import parse_answer
from questions.web.presenting import feedback_lines, is_htmx, right_answer, student_question

SESSION_SIZE = 10
SHOWN_SALT = "quizsite.study.shown"
# A question left open longer than this counts as this long: the student was away.
LONGEST_RESPONSE_MS = 10 * 60 * 1000
SESSION_ID_BYTES = 6


class Scope:
    """What the session studies: one set, one topic, one passage, or everything due."""

    def __init__(self, request, params):
        self.user = request.user
        self.question_set = self.topic = self.passage = None
        sets = visible_sets(request.user).filter(archived_at__isnull=True)
        if params.get("set"):
            self.question_set = get_object_or_404(sets, pk=_int(params["set"]))
        if params.get("topic"):
            self.topic = get_object_or_404(Topic, slug=params["topic"])
        if params.get("passage"):
            self.passage = get_object_or_404(
                Passage.objects.select_related("source"), pk=_int(params["passage"])
            )
        session = params.get("session") or ""
        self.session = session if _is_session_id(session) else secrets.token_hex(SESSION_ID_BYTES)

    @property
    def title(self) -> str:
        if self.question_set:
            return self.question_set.title
        if self.topic:
            return f"Topic: {self.topic.name}"
        if self.passage:
            return f"{self.passage.source.title}, passage {self.passage.position}"
        return "Everything due"

    def params(self) -> dict:
        params = {"session": self.session}
        if self.question_set:
            params["set"] = self.question_set.pk
        if self.topic:
            params["topic"] = self.topic.slug
        if self.passage:
            params["passage"] = self.passage.pk
        return params

    def questions(self):
        questions = studyable_questions(self.user)
        if self.question_set:
            questions = questions.filter(question_set=self.question_set)
        if self.topic:
            questions = questions.filter(Q(topics=self.topic) | Q(question_set__topics=self.topic))
        if self.passage:
            questions = questions.filter(passage=self.passage)
        return questions.distinct()


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _is_session_id(value: str) -> bool:
    return len(value) == SESSION_ID_BYTES * 2 and all(c in "0123456789abcdef" for c in value)


def _session_reviews(scope: Scope):
    return Review.objects.filter(user=scope.user, client_id__startswith=f"{scope.session}:")


def _next_item(scope: Scope, now):
    queue = study_queue(
        user=scope.user,
        now=now,
        question_set=scope.question_set,
        topic=scope.topic,
        passage=scope.passage,
        limit=1,
    )
    if queue:
        return queue[0]
    if scope.passage is not None:
        # Reading a passage, the student may practise its questions before they are due;
        # the engine logs such answers as studied ahead.
        answered = _session_reviews(scope).values("question_id")
        question = (
            scope.questions()
            .exclude(pk__in=answered)
            .prefetch_related("answers", "topics")
            .order_by("position", "id")
            .first()
        )
        if question is not None:
            return _QueueItemLike(question, reason="ahead")
    return None


def _question_context(scope: Scope, item, now, *, given=None, error: str = "") -> dict:
    question = item.question
    return {
        "scope": scope,
        "item": item,
        "q": student_question(question, student_id=scope.user.pk),
        "client_id": f"{scope.session}:{uuid.uuid4().hex}",
        "shown": signing.dumps(now.timestamp(), salt=SHOWN_SALT),
        "given": given or {},
        "error": error,
        "answered": _session_reviews(scope).count(),
        "session_size": SESSION_SIZE,
    }


def _summary_context(scope: Scope, now) -> dict:
    reviews = _session_reviews(scope)
    spent = reviews.aggregate(spent=Sum("response_ms"))["spent"]
    answered = reviews.count()
    right = reviews.filter(Q(is_correct=True) | Q(is_correct__isnull=True, rating__gt=1)).count()
    next_due = Card.objects.filter(user=scope.user, question__in=scope.questions()).aggregate(
        next_due=Min("due")
    )["next_due"]
    return {
        "scope": scope,
        "answered": answered,
        "right": right,
        "spent_ms": spent or 0,
        "next_due": next_due,
        "next_due_is_now": next_due is not None and next_due <= now,
        "more": _next_item(scope, now) is not None,
        "new_session": {k: v for k, v in scope.params().items() if k != "session"},
    }


def _respond(request, template: str, context: dict, *, status: int = 200):
    """The study card alone for htmx, or inside the whole page for a plain request."""
    if not is_htmx(request):
        context["partial"] = template
        template = "questions/study/session.html"
    return render(request, template, context, status=status)


def _render_step(request, scope: Scope, now):
    """The next question, or the summary when the session is over."""
    item = None
    if _session_reviews(scope).count() < SESSION_SIZE:
        item = _next_item(scope, now)
    if item is None:
        context = _summary_context(scope, now)
        template = "questions/study/_summary.html"
    else:
        context = _question_context(scope, item, now)
        template = "questions/study/_question.html"
    return _respond(request, template, context)


@login_required
@require_GET
def study(request):
    scope = Scope(request, request.GET)
    return _render_step(request, scope, timezone.now())


@login_required
@require_GET
def reveal(request, question_id: int):
    """A flashcard's back and the four rating buttons, each with the interval it would give."""
    scope = Scope(request, request.GET)
    question = get_object_or_404(
        studyable_questions(request.user).select_related("question_set"),
        pk=question_id,
        kind=QuestionKind.FLASHCARD,
    )
    now = timezone.now()
    card = Card.objects.filter(user=request.user, question=question).first()
    settings = settings_for(
        question_set=question.question_set,
        profile=Profile.objects.filter(user=request.user).first(),
    )
    intervals = preview_intervals(
        card=snapshot_of(card) if card else NEW_CARD,
        now=now,
        settings=settings,
        fuzz_key=fuzz_key(user_id=request.user.pk, question_id=question.pk),
    )
    context = {
        "scope": scope,
        "q": student_question(question, student_id=scope.user.pk),
        "back": right_answer(question, student_id=request.user.pk).get("back", ""),
        "ratings": [
            {"value": value, "label": label, "interval": intervals[value]}
            for value, label in ((1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy"))
        ],
        "client_id": request.GET.get("client_id", ""),
        "shown": request.GET.get("shown", ""),
        "revealed": True,
        "answered": _session_reviews(scope).count(),
        "session_size": SESSION_SIZE,
    }
    return _respond(request, "questions/study/_question.html", context)


def _true_false_value(question, answer: dict, *, student_id: int) -> dict:
    """A true/false choice (the item id shown) as the engine's {"value": bool}."""
    chosen = answer.get("choice", "")
    for choice in student_view(question, student_id=student_id)["choices"]:
        if choice["id"] == chosen:
            return {"value": choice["text"].strip().lower() == "true"}
    raise InvalidAnswer("Choose True or False.")


def _response_ms(request, now) -> int:
    """Time from showing the question to the answer, measured by the server from a signed stamp."""
    try:
        shown = signing.loads(request.POST.get("shown", ""), salt=SHOWN_SALT, max_age=86400)
    except signing.BadSignature:
        return LONGEST_RESPONSE_MS
    measured = int((now.timestamp() - float(shown)) * 1000)
    return max(0, min(measured, LONGEST_RESPONSE_MS))


@login_required
@require_POST
def answer(request):
    scope = Scope(request, request.POST)
    question = get_object_or_404(
        studyable_questions(request.user)
        .select_related("question_set", "passage__source")
        .prefetch_related("answers", "topics"),
        pk=_int(request.POST.get("question")),
    )
    client_id = request.POST.get("client_id", "")
    if not client_id.startswith(f"{scope.session}:"):
        return HttpResponseBadRequest("This answer does not belong to this study session.")
    now = timezone.now()
    given = {
        key: request.POST.getlist(key) if key in ("choice", "order") else value
        for key, value in request.POST.items()
    }
    try:
        answer_data, rating = parse_answer(question.kind, request.POST)
        if question.kind == QuestionKind.TRUE_FALSE:
            answer_data = _true_false_value(question, answer_data, student_id=request.user.pk)
        result = review_record(
            user=request.user,
            question=question,
            client_id=client_id,
            answer=answer_data,
            rating=rating,
            response_ms=_response_ms(request, now),
            now=now,
        )
    except (InvalidAnswer, ReviewConflict) as error:
        context = _question_context(
            scope, _QueueItemLike(question), now, given=given, error=str(error)
        )
        context["shown"] = request.POST.get("shown", "")
        if isinstance(error, InvalidAnswer):
            # The corrected answer is the same attempt; a conflicting id needs a fresh one.
            context["client_id"] = client_id
        return _respond(request, "questions/study/_question.html", context, status=400)
    right = right_answer(question, student_id=request.user.pk)
    context = {
        "scope": scope,
        "question": question,
        "q": student_question(question, student_id=scope.user.pk),
        "result": result,
        "right": right,
        "lines": feedback_lines(kind=question.kind, right=right, grade=result.grade, given=given),
        "given": given,
        "passage": question.passage,
        "answered": _session_reviews(scope).count(),
        "session_size": SESSION_SIZE,
    }
    return _respond(request, "questions/study/_feedback.html", context)


class _QueueItemLike:
    """The question being answered again after an error, shaped like a queue item."""

    def __init__(self, question, reason: str = "retry"):
        self.question = question
        self.card = None
        self.reason = reason
