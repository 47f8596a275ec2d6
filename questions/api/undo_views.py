"""POST /api/v1/reviews/{id}/undo/: undo your last answer (questions.services.undo)."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from questions.api.views import ApiViewMixin
from questions.models import CardState
from questions.services.undo import UNDO_WINDOW, review_undo


class UndoneCardSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=CardState.choices)
    due = serializers.DateTimeField()


class ReviewUndoSerializer(serializers.Serializer):
    review = serializers.IntegerField(help_text="The answer undone; it stays in your history.")
    undone_at = serializers.DateTimeField()
    card = UndoneCardSerializer(help_text="The card as it is now, rescheduled without the answer.")


@extend_schema(tags=["study"])
class ReviewUndoView(ApiViewMixin, APIView):
    @extend_schema(
        request=None,
        responses={
            200: ReviewUndoSerializer,
            404: OpenApiResponse(description="You have no answer with this id."),
            409: OpenApiResponse(
                description="Not your last answer, a quiz's answer, already undone, or older "
                f"than {int(UNDO_WINDOW.total_seconds() // 60)} minutes."
            ),
        },
    )
    def post(self, request, review_id: int):
        """Undo your last answer, within minutes of giving it: it no longer counts (in the
        daily limits, progress, reports or fitting) and the card is rescheduled as if it had
        not been given. The answer stays in the log, marked undone; it can be undone once."""
        done = review_undo(user=request.user, review_id=review_id, now=timezone.now())
        body = {
            "review": done.review.pk,
            "undone_at": done.undo.undone_at,
            "card": {"state": done.card.state, "due": done.card.due},
        }
        return Response(ReviewUndoSerializer(body).data)
