"""GET /api/v1/me/retention/: help choosing a desired retention (a simulated year at each)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from questions.api.views import ApiViewMixin
from questions.models.banks import DESIRED_RETENTION_MAX, DESIRED_RETENTION_MIN
from questions.services.retention import RetentionOutOfRange, retention_help


@extend_schema_field(
    {"type": "number", "minimum": DESIRED_RETENTION_MIN, "maximum": DESIRED_RETENTION_MAX}
)
class DesiredRetentionField(serializers.FloatField):
    """The range is the service's rule (its refusal names it); the schema says it too."""


class RetentionQuerySerializer(serializers.Serializer):
    desired_retention = DesiredRetentionField(
        required=False, help_text="Also simulate this retention (0.70–0.99, to the hundredth)."
    )


class WorkloadSerializer(serializers.Serializer):
    desired_retention = serializers.FloatField()
    minutes_per_day = serializers.FloatField()
    reviews_per_day = serializers.FloatField()
    remembered = serializers.FloatField(help_text="Cards expected to be recalled after a year.")
    minutes_per_card_remembered = serializers.FloatField()


class RetentionHelpSerializer(serializers.Serializer):
    rows = WorkloadSerializer(many=True)
    suggested = WorkloadSerializer(allow_null=True, help_text="Least work per card remembered.")
    chosen = WorkloadSerializer(allow_null=True, help_text="The retention asked about.")
    card_count = serializers.IntegerField()
    new_per_day = serializers.IntegerField()
    own_parameters = serializers.BooleanField(help_text="Parameters fitted to you, else defaults.")
    own_timings = serializers.BooleanField(help_text="Your answering times, else typical ones.")
    message = serializers.CharField(allow_null=True)


@extend_schema(tags=["me"])
class RetentionHelpView(ApiViewMixin, APIView):
    @extend_schema(parameters=[RetentionQuerySerializer], responses={200: RetentionHelpSerializer})
    def get(self, request):
        """Expected daily workload and cards remembered over a year at desired retentions
        0.70–0.97 for your parameters, cards and answering times (fsrs-rs's simulator), and
        the retention with the least work per card remembered."""
        query = RetentionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            helped = retention_help(
                user=request.user, desired_retention=query.validated_data.get("desired_retention")
            )
        except RetentionOutOfRange as refused:
            raise exceptions.ValidationError({"desired_retention": [str(refused)]}) from None
        return Response(RetentionHelpSerializer(helped).data)
