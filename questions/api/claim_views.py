""" "I was right" through the API: a student claims a wrong verdict on a typed answer, and
the teacher lists a class's claims and accepts or rejects them. The rules are those of
questions.services.claims, which the study page follows too."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from questions.api.claim_serializers import (
    ClaimedQuestionSerializer,
    ClaimMadeSerializer,
    ClaimSerializer,
)
from questions.api.class_views import ClassroomScopedMixin
from questions.api.errors import Conflict
from questions.api.schema import PATH_ID_RANGE
from questions.api.views import ApiViewMixin
from questions.models import AnswerClaim, Review
from questions.permissions import students_taught_by
from questions.selectors.claims import class_claims
from questions.selectors.class_report import chosen_classroom_set
from questions.services.claims import ClaimRefused, claim_decide, claim_record, claims_left


class ClaimRefusedError(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "claim_refused"


@extend_schema(tags=["study"])
class ReviewClaimView(ApiViewMixin, APIView):
    @extend_schema(
        request=None,
        responses={
            201: ClaimMadeSerializer,
            400: OpenApiResponse(
                description="Not a typed answer graded wrong, not your latest answer to the "
                "question, already claimed, or the day's claims are used up."
            ),
        },
    )
    def post(self, request, review_id: int):
        """Claim that your answer, graded wrong, was right: the card is rescheduled as Hard
        and your teacher sees the claim. For short answers and cloze questions."""
        review = generics.get_object_or_404(
            Review.objects.select_related("question"), pk=review_id, user=request.user
        )
        now = timezone.now()
        try:
            claim = claim_record(user=request.user, review=review, now=now)
        except ClaimRefused as refused:
            raise ClaimRefusedError(refused.message) from None
        body = {"claim": claim, "claims_left": claims_left(user=request.user, now=now)}
        return Response(ClaimMadeSerializer(body).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["classes"],
    parameters=[
        OpenApiParameter(
            "set",
            {"type": "integer", **PATH_ID_RANGE},
            description="Only the claims on this set of the class's sets (404 for a set it is "
            "not given), as the class report's filter.",
        )
    ],
)
class ClassClaimsView(ClassroomScopedMixin, generics.ListAPIView):
    """The claims the class's students made, per question, questions with claims waiting for a
    decision first. For the class's teachers."""

    serializer_class = ClaimedQuestionSerializer
    queryset = AnswerClaim.objects.none()

    def visible_queryset(self):
        classroom = self.get_classroom()
        wanted = self.request.query_params.get("set", "")
        chosen = chosen_classroom_set(classroom=classroom, wanted=wanted)
        return class_claims(classroom=classroom, question_set=chosen)


@extend_schema(tags=["classes"])
class ClaimDecisionView(ApiViewMixin, APIView):
    accept = True

    @extend_schema(
        request=None,
        responses={
            200: ClaimSerializer,
            403: OpenApiResponse(description="Only the owner of the question's set decides."),
            404: OpenApiResponse(description="No claim of a student of a class you teach."),
            409: OpenApiResponse(description="The claim has already been decided."),
        },
    )
    def post(self, request, claim_id: int):
        """Accept a claim (its text becomes an accepted answer, right for everyone from now
        on) or reject it. For the owner of the question's set, in a class they teach."""
        claim = generics.get_object_or_404(
            AnswerClaim.objects.select_related("question__question_set", "user"),
            pk=claim_id,
            user__in=students_taught_by(request.user),
        )
        try:
            claim = claim_decide(
                teacher=request.user, claim=claim, accept=self.accept, now=timezone.now()
            )
        except ClaimRefused as refused:
            raise Conflict(refused.message) from None
        return Response(ClaimSerializer(claim).data)
