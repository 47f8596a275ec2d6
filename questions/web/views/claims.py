""" "I was right": a student's claim after a wrong verdict, and the teacher's decision on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from questions.models import AnswerClaim, Review
from questions.permissions import taught_classes
from questions.services.claims import ClaimRefused, claim_decide, claim_record, claims_left
from questions.web.permissions import teacher_required


@login_required
@require_POST
def claim(request, review_id: int):
    review = get_object_or_404(
        Review.objects.select_related("question"), pk=review_id, user=request.user
    )
    now = timezone.now()
    try:
        made = claim_record(user=request.user, review=review, now=now)
    except ClaimRefused as refused:
        context = {"error": refused.message, "review": review}
        return render(request, "questions/study/_claim.html", context, status=400)
    context = {"claim": made, "review": review, "left": claims_left(user=request.user, now=now)}
    return render(request, "questions/study/_claim.html", context)


@teacher_required
@require_POST
def claim_decision(request, class_id: int, claim_id: int, decision: str):
    classroom = get_object_or_404(taught_classes(request.user), pk=class_id)
    made = get_object_or_404(
        AnswerClaim.objects.select_related("question__question_set"),
        pk=claim_id,
        user__memberships__classroom=classroom,
    )
    try:
        claim_decide(
            teacher=request.user, claim=made, accept=decision == "accept", now=timezone.now()
        )
    except ClaimRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"Claim {'accepted' if decision == 'accept' else 'rejected'}.")
    return redirect(reverse("class_report", args=[classroom.pk]) + "#claims")
