""" "I was right" claims as the API shows them (see questions.api.claim_views)."""

from rest_framework import serializers

from questions.models import AnswerClaim


class ClaimedSerializer(serializers.Serializer):
    """What the student claims is right: the text typed, or the cloze gaps graded wrong."""

    text = serializers.CharField(required=False, help_text="A short answer's text.")
    gaps = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text='A cloze answer\'s wrong gaps, by gap number: {"2": "Paree"}.',
    )


class ClaimSerializer(serializers.ModelSerializer):
    student = serializers.CharField(source="user.username", read_only=True)
    claimed = ClaimedSerializer(read_only=True)
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = AnswerClaim
        fields = [
            "id",
            "review",
            "question",
            "student",
            "claimed",
            "rating",
            "status",
            "created_at",
            "decided_at",
            "decided_by",
        ]
        read_only_fields = fields


class ClaimMadeSerializer(serializers.Serializer):
    claim = ClaimSerializer()
    claims_left = serializers.IntegerField(help_text="Claims you may still make in the next day.")


class ClaimedQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.id")
    question_set = serializers.IntegerField(source="question.question_set_id")
    kind = serializers.CharField(source="question.kind")
    prompt = serializers.CharField(source="question.prompt")
    pending = serializers.IntegerField(help_text="Claims on it waiting for a decision.")
    claims = ClaimSerializer(many=True, help_text="The newest first.")
