"""The floor: the least database work one study step can do, as bare Django views.

A study step fetches the next item and records an answer. The floor does exactly one indexed
select of the student's next due card (card_user_due_idx) and exactly one insert into the
review log, with no authentication, grading or scheduling: the fastest Django could go.
"""

import json
import uuid

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from questions.models import Card, CardState, Review, ReviewMode


@require_GET
def floor_next(request):
    try:
        student = int(request.GET["student"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest("Give ?student=<user id>.")
    card = (
        Card.objects.filter(user_id=student)
        .order_by("due")
        .values("question_id", "state", "stability", "difficulty", "due")
        .first()
    )
    return JsonResponse({"items": [card] if card else []})


@csrf_exempt
@require_POST
def floor_answer(request):
    try:
        data = json.loads(request.body)
        student, question, rating = int(data["student"]), int(data["question"]), int(data["rating"])
    except (KeyError, TypeError, ValueError):
        return HttpResponseBadRequest("Give JSON with student, question and rating.")
    now = timezone.now()
    review = Review.objects.create(
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
    return JsonResponse({"id": review.pk}, status=201)
