"""The floor: the least database work one study step can do, as bare Django views.

A study step records an answer and fetches the next item. The one-request floor (`floor_step`,
what the bench's main loop is held to) does the least a correct step must: in one transaction
insert the review and update the card, then one indexed select of the student's next due card
(card_user_due_idx); no authentication, grading or scheduling: the fastest Django could go.
The two-request floor (`floor_next`, then `floor_answer`) is the older pair, one select and one
insert, kept for the two-request loop's ratio.
"""

import json
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from questions.models import Card, CardState, Review, ReviewMode

FLOOR_INTERVAL = timedelta(days=1)
"""How far the floor moves an answered card's due date, so the next select finds another."""


def _next_card(student: int) -> dict | None:
    return (
        Card.objects.filter(user_id=student)
        .order_by("due")
        .values("question_id", "state", "stability", "difficulty", "due")
        .first()
    )


@require_GET
def floor_next(request):
    try:
        student = int(request.GET["student"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest("Give ?student=<user id>.")
    card = _next_card(student)
    return JsonResponse({"items": [card] if card else []})


def _answer(request) -> tuple[dict, int, int, int] | None:
    try:
        data = json.loads(request.body)
        return data, int(data["student"]), int(data["question"]), int(data["rating"])
    except (KeyError, TypeError, ValueError):
        return None


def _insert_review(data: dict, *, student: int, question: int, rating: int, now) -> Review:
    return Review.objects.create(
        client_id=data.get("client_id") or uuid.uuid4().hex,
        user_id=student,
        question_id=question,
        rating=rating,
        answer=data.get("answer"),
        is_correct=rating > 1,
        score=1.0 if rating > 1 else 0.0,
        response_ms=int(data.get("response_ms", 0)),
        reviewed_at=now,
        mode=ReviewMode.SCHEDULED,
        state_before=CardState.REVIEW,
        state_after=CardState.REVIEW,
        stability_after=1.0,
        difficulty_after=5.0,
        due_after=now,
        interval_days=0.0,
    )


@csrf_exempt
@require_POST
def floor_answer(request):
    if (answer := _answer(request)) is None:
        return HttpResponseBadRequest("Give JSON with student, question and rating.")
    data, student, question, rating = answer
    review = _insert_review(
        data, student=student, question=question, rating=rating, now=timezone.now()
    )
    return JsonResponse({"id": review.pk}, status=201)


@csrf_exempt
@require_POST
def floor_step(request):
    """One request per step: insert the review and update the card in one transaction, then
    select the next due card."""
    if (answer := _answer(request)) is None:
        return HttpResponseBadRequest("Give JSON with student, question and rating.")
    data, student, question, rating = answer
    now = timezone.now()
    with transaction.atomic():
        review = _insert_review(data, student=student, question=question, rating=rating, now=now)
        Card.objects.filter(user_id=student, question_id=question).update(
            due=now + FLOOR_INTERVAL, last_review=now, reps=F("reps") + 1
        )
    card = _next_card(student)
    return JsonResponse({"id": review.pk, "next": card}, status=201)
