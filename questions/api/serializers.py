"""Serializers of the API. Every writable field is listed; everything else is read-only.

Owner, schedule, score and review-state fields are never taken from a client: they are either
absent from the writable fields below or declared read-only.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from rest_framework import serializers

from questions import study
from questions.models import (
    Answer,
    Passage,
    Question,
    QuestionKind,
    QuestionSet,
    Review,
    Source,
)
from questions.models.banks import (
    ANSWER_KEY_FIELDS,
    DESIRED_RETENTION_MAX,
    DESIRED_RETENTION_MIN,
    SESSION_SIZE_MAX,
)

MAX_INT = 2_147_483_647
TOO_MANY_ANSWER_ROWS = "A question may have at most {max_length} answers (QUIZSITE_MAX_ANSWERS)."
MAX_RESPONSE_MS = 24 * 60 * 60 * 1000
NUL_CHARACTER = "Text may not contain the NUL character."
NO_SUCH_SOURCE = "No source has this id; list them at /api/v1/sources/."
NO_SUCH_PASSAGE = (
    "No passage has this id; each source lists its passages at /api/v1/sources/<source id>/."
)
NOT_STUDYABLE = study.NOT_STUDYABLE


NOT_TEXT = "Send text (a JSON string), not {kind}."


class StrictCharField(serializers.CharField):
    """A text field that takes only text: DRF's would store the number 0 as "0"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(NOT_TEXT.format(kind=type(data).__name__))
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """A model serializer whose text columns take only JSON strings, as the schema says."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]
        read_only_fields = fields


class TopicListField(serializers.ListField):
    """Topics as a list of slugs; on input, slugs or names (new topics are created)."""

    child = StrictCharField(max_length=200)

    def to_representation(self, data):
        return [topic.slug for topic in data.all()]


class StepsField(serializers.ListField):
    child = serializers.IntegerField(min_value=1, max_value=MAX_INT)


class SetSerializer(StrictModelSerializer):
    owner = UserSummarySerializer(read_only=True)
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": NO_SUCH_SOURCE},
    )
    topics = TopicListField(required=False, max_length=50)
    learning_steps = StepsField(required=False, max_length=20)
    relearning_steps = StepsField(required=False, max_length=20)
    desired_retention = serializers.FloatField(
        required=False, min_value=DESIRED_RETENTION_MIN, max_value=DESIRED_RETENTION_MAX
    )
    maximum_interval = serializers.IntegerField(required=False, min_value=1, max_value=36500)
    daily_new_limit = serializers.IntegerField(required=False, min_value=0, max_value=10_000)
    daily_review_limit = serializers.IntegerField(required=False, min_value=0, max_value=100_000)
    session_size = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=SESSION_SIZE_MAX,
        help_text="Answers in one study session of this set; null for the site's default.",
    )
    question_count = serializers.IntegerField(read_only=True, default=0)
    is_owner = serializers.SerializerMethodField()

    class Meta:
        model = QuestionSet
        fields = [
            "id",
            "title",
            "description",
            "owner",
            "is_owner",
            "visibility",
            "source",
            "topics",
            "question_count",
            "desired_retention",
            "learning_steps",
            "relearning_steps",
            "maximum_interval",
            "enable_fuzzing",
            "new_order",
            "daily_new_limit",
            "daily_review_limit",
            "session_size",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "archived_at", "created_at", "updated_at"]
        extra_kwargs = {"title": {"max_length": 300}}

    def get_is_owner(self, question_set) -> bool:
        return question_set.owner_id == self.context["request"].user.pk


class AnswerSerializer(StrictModelSerializer):
    fraction = serializers.FloatField(required=False, min_value=-1, max_value=1)
    gap = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1000)
    number = serializers.FloatField(required=False, allow_null=True)
    tolerance = serializers.FloatField(required=False, allow_null=True, min_value=0)

    class Meta:
        model = Answer
        fields = ["id", *ANSWER_KEY_FIELDS]
        read_only_fields = ["id"]


class QuestionSerializer(StrictModelSerializer):
    """A question with its full answer key: only the set's owner reads or writes this."""

    set = serializers.PrimaryKeyRelatedField(source="question_set", read_only=True)
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    passage = serializers.PrimaryKeyRelatedField(
        queryset=Passage.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": NO_SUCH_PASSAGE},
    )
    topics = TopicListField(required=False, max_length=50)
    answers = AnswerSerializer(
        many=True,
        max_length=settings.QUIZSITE_MAX_ANSWERS,
        error_messages={"max_length": TOO_MANY_ANSWER_ROWS},
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "set",
            "kind",
            "title",
            "prompt",
            "explanation",
            "passage",
            "topics",
            "position",
            "answers",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "position", "created_at", "updated_at"]


class PassageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Passage
        fields = ["id", "position", "heading", "text"]
        read_only_fields = fields


class SourceSerializer(serializers.ModelSerializer):
    passage_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Source
        fields = ["id", "slug", "title", "citation", "period", "passage_count", "created_at"]
        read_only_fields = fields


class SourceDetailSerializer(SourceSerializer):
    passages = PassageSerializer(many=True, read_only=True)

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text", "passages"]
        read_only_fields = fields


class SourceCreateSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=2_000_000,
        help_text="Plain text: the first line is the title, a 'Date: …' line the period, "
        "blank lines separate the passages, a short line without a full stop is a heading.",
    )
    slug = serializers.SlugField(max_length=120, required=False, allow_blank=True)
    citation = serializers.CharField(max_length=500, required=False, allow_blank=True)


def _refuse_nul(value) -> None:
    if isinstance(value, str) and "\x00" in value:
        raise serializers.ValidationError(NUL_CHARACTER)
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key)
            _refuse_nul(item)
    if isinstance(value, list):
        for item in value:
            _refuse_nul(item)


class ReviewCreateSerializer(serializers.Serializer):
    client_id = serializers.RegexField(
        r"^[A-Za-z0-9._:-]{1,64}$",
        max_length=64,
        help_text="Your unique id for this answer (e.g. a UUID); sending it again is harmless.",
    )
    # An id only: the study module reads the question, with the visibility rule, once.
    question = serializers.IntegerField()
    answer = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="The answer, shaped by the question's kind: multiple_choice "
        '{"choices": [id, …]}, true_false {"choice": id} (the id of the choice shown) or '
        '{"value": true}, short_answer {"text": "…"}, '
        'numerical {"value": 1968} (or the number as typed, e.g. "1,968" or "3 days"), '
        'cloze {"gaps": {"1": "…"}}, matching '
        '{"pairs": {"<left id>": <right id>}}, ordering {"order": [id, …]}. '
        "Leave it out for a flashcard.",
    )
    rating = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=4,
        help_text="A flashcard's self-rating: 1 again, 2 hard, 3 good, 4 easy.",
    )
    response_ms = serializers.IntegerField(min_value=0, max_value=MAX_RESPONSE_MS)

    def validate_answer(self, value):
        _refuse_nul(value)
        return value


class ReviewSerializer(serializers.ModelSerializer):
    set = serializers.IntegerField(source="question.question_set_id", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "client_id",
            "question",
            "set",
            "rating",
            "answer",
            "is_correct",
            "score",
            "response_ms",
            "reviewed_at",
            "mode",
            "state_before",
            "state_after",
            "due_after",
            "interval_days",
        ]
        read_only_fields = fields
