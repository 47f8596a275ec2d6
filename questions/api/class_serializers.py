"""Serializers of the API's classes: classes, their members, assigned sets and joining."""

from rest_framework import serializers

from questions.api.serializers import StrictModelSerializer, UserSummarySerializer
from questions.models import Classroom, Membership, QuestionSet
from questions.permissions import NOT_ASSIGNABLE


class ClassroomSerializer(StrictModelSerializer):
    owner = UserSummarySerializer(read_only=True)
    is_teacher = serializers.BooleanField(read_only=True, default=False)
    student_count = serializers.IntegerField(read_only=True, default=0)
    set_count = serializers.IntegerField(read_only=True, default=0)
    join_code = serializers.SerializerMethodField(
        help_text="Shown to the class's teachers only; students join with it."
    )

    class Meta:
        model = Classroom
        fields = [
            "id",
            "name",
            "owner",
            "is_teacher",
            "join_code",
            "student_count",
            "set_count",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"name": {"max_length": 200}}

    def get_join_code(self, classroom) -> str | None:
        return classroom.join_code if getattr(classroom, "is_teacher", False) else None


class MemberSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "joined_at"]
        read_only_fields = fields


class AssignedSetSerializer(serializers.Serializer):
    set = serializers.PrimaryKeyRelatedField(
        source="question_set",
        queryset=QuestionSet.objects.none(),
        error_messages={"does_not_exist": NOT_ASSIGNABLE},
    )
    title = serializers.CharField(source="question_set.title", read_only=True)
    assigned_at = serializers.DateTimeField(read_only=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assignable = self.context.get("assignable_sets")
        if assignable is not None:
            self.fields["set"].queryset = assignable


class JoinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=16)
