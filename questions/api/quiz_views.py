"""Graded quizzes through the API: quizzes, attempts, answers saved as the student goes."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from questions.api.views import ApiViewMixin
from questions.grading import InvalidAnswer
from questions.models import Quiz, QuizAttempt
from questions.presentation import student_view
from questions.selectors.quizzes import attempt_questions, attempts_of, quizzes_for
from questions.services.quizzes import attempt_start, attempt_submit, quiz_create, response_save


class QuizSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quiz
        fields = [
            "id",
            "question_set",
            "title",
            "question_count",
            "time_limit_minutes",
            "attempts_allowed",
            "opens_at",
            "closes_at",
            "feedback",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            "question_count": {"min_value": 1},
            "time_limit_minutes": {"min_value": 1},
            "attempts_allowed": {"min_value": 1, "max_value": 100},
        }


class AttemptSerializer(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    now = serializers.SerializerMethodField(help_text="The server's clock, for the countdown.")

    class Meta:
        model = QuizAttempt
        fields = [
            "id",
            "quiz",
            "number",
            "started_at",
            "deadline",
            "submitted_at",
            "score",
            "now",
            "questions",
            "answers",
        ]
        read_only_fields = fields

    def get_questions(self, attempt) -> list[dict]:
        """The questions in the order drawn, as shown to a student (never with answers)."""
        return [
            student_view(question, student_id=attempt.user_id)
            for question in attempt_questions(attempt)
        ]

    def get_answers(self, attempt) -> dict[str, dict]:
        """Saved answers by question id (row ids, as the engine keeps them)."""
        return {str(r.question_id): r.answer for r in attempt.responses.all()}

    def get_now(self, attempt) -> str:
        return timezone.now().isoformat()


class SaveAnswerSerializer(serializers.Serializer):
    answer = serializers.JSONField(
        help_text="The answer in the shape of POST /reviews/, naming items by the ids shown."
    )


class SavedAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    saved_at = serializers.DateTimeField()
    is_correct = serializers.BooleanField(
        allow_null=True, help_text="Only with feedback after each question."
    )
    score = serializers.FloatField(allow_null=True)


class QuizListView(ApiViewMixin, generics.ListCreateAPIView):
    """Quizzes on the sets you may study; teachers create them from sets they may assign."""

    serializer_class = QuizSerializer
    queryset = Quiz.objects.none()

    def visible_queryset(self):
        return quizzes_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        try:
            serializer.instance = quiz_create(
                owner=self.request.user,
                question_set=data.pop("question_set"),
                now=timezone.now(),
                **data,
            )
        except PermissionDenied as refused:
            # A teacher naming a set they may not use sent a wrong value, as in the class API.
            raise exceptions.ValidationError({"question_set": [str(refused)]}) from refused


class QuizDetailView(ApiViewMixin, generics.RetrieveAPIView):
    serializer_class = QuizSerializer
    queryset = Quiz.objects.none()
    lookup_url_kwarg = "quiz_id"

    def visible_queryset(self):
        return quizzes_for(self.request.user)


class QuizAttemptsView(ApiViewMixin, APIView):
    @extend_schema(
        request=None,
        responses={
            201: AttemptSerializer,
            200: OpenApiResponse(AttemptSerializer, description="Your open attempt, continued."),
        },
    )
    def post(self, request, quiz_id: int):
        """Start an attempt, or continue the one you have open."""
        quiz = generics.get_object_or_404(quizzes_for(request.user), pk=quiz_id)
        before = attempts_of(request.user).filter(quiz=quiz).count()
        attempt = attempt_start(user=request.user, quiz=quiz, now=timezone.now())
        created = attempts_of(request.user).filter(quiz=quiz).count() > before
        return Response(
            AttemptSerializer(attempt).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AttemptListView(ApiViewMixin, generics.ListAPIView):
    """Your attempts."""

    serializer_class = AttemptSerializer
    queryset = QuizAttempt.objects.none()

    def visible_queryset(self):
        return attempts_of(self.request.user).order_by("-started_at", "-id")


class AttemptDetailView(ApiViewMixin, generics.RetrieveAPIView):
    serializer_class = AttemptSerializer
    queryset = QuizAttempt.objects.none()
    lookup_url_kwarg = "attempt_id"

    def visible_queryset(self):
        return attempts_of(self.request.user)


class AttemptAnswerView(ApiViewMixin, APIView):
    @extend_schema(request=SaveAnswerSerializer, responses={200: SavedAnswerSerializer})
    def put(self, request, attempt_id: int, question_id: int):
        """Save (or replace) your answer to one question of an open attempt."""
        attempt = generics.get_object_or_404(attempts_of(request.user), pk=attempt_id)
        question = next((q for q in attempt_questions(attempt) if q.pk == question_id), None)
        if question is None:
            raise exceptions.NotFound("This question is not part of this attempt.")
        body = SaveAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            saved = response_save(
                attempt=attempt,
                question=question,
                answer=body.validated_data["answer"],
                now=timezone.now(),
            )
        except InvalidAnswer as error:
            raise exceptions.ValidationError({"answer": [str(error)]}) from None
        grade = saved.grade
        return Response(
            {
                "question": question.pk,
                "saved_at": saved.response.saved_at,
                "is_correct": grade.is_correct if grade else None,
                "score": grade.score if grade else None,
            }
        )


class AttemptSubmitView(ApiViewMixin, APIView):
    @extend_schema(request=None, responses={200: AttemptSerializer})
    def post(self, request, attempt_id: int):
        """Submit the attempt: every saved answer is graded and the score fixed. Submitting
        again changes nothing."""
        attempt = generics.get_object_or_404(attempts_of(request.user), pk=attempt_id)
        attempt = attempt_submit(attempt=attempt, now=timezone.now())
        return Response(AttemptSerializer(attempt).data)
