"""Studying through the API: the queue, answers, progress, and the class report."""

from dataclasses import asdict
from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from questions.api import errors
from questions.api.filters import ReviewFilter
from questions.api.renderers import ClassReportCSVRenderer
from questions.api.schema import PATH_ID_RANGE
from questions.api.serializers import ReviewCreateSerializer, ReviewSerializer
from questions.api.study_serializers import (
    AnswerQuerySerializer,
    CitedPassageSerializer,
    ClassReportSerializer,
    ProgressQuerySerializer,
    ProgressSerializer,
    QueueQuerySerializer,
    QueueSerializer,
    ReviewResultSerializer,
)
from questions.api.views import ApiViewMixin, ClassroomScopedMixin
from questions.grading import InvalidAnswer
from questions.models import Answer, CardState, Passage, QuestionKind, Rating, Review, Topic
from questions.presentation import student_view
from questions.scheduling import NEW_CARD, preview_intervals, settings_for
from questions.selectors import profile_of, progress, study_queue, visible_sets
from questions.selectors_api import (
    chosen_classroom_set,
    class_report,
    review_history,
    students_taught_by,
    studyable_questions,
)
from questions.services.reviews import (
    ReviewConflict,
    ReviewResult,
    fuzz_key,
    review_record,
    snapshot_of,
)

NO_SUCH_SET = "You have no set with this id to study; list yours at /api/v1/sets/."
NO_SUCH_TOPIC = "No topic has this slug; topics are listed with each set."
NO_SUCH_PASSAGE = "No passage has this id."
NO_SUCH_STUDENT = "This user is not a student of a class you teach."


def _scope(query: dict, user) -> dict:
    """The set, topic and passage named in the query string, checked against what the caller
    may study. Something the caller may not see gets the same error as something missing."""
    scope = {}
    problems = {}
    if "set" in query:
        scope["question_set"] = visible_sets(user).filter(pk=query["set"]).first()
        if scope["question_set"] is None:
            problems["set"] = [NO_SUCH_SET]
    if "topic" in query:
        scope["topic"] = Topic.objects.filter(slug=query["topic"]).first()
        if scope["topic"] is None:
            problems["topic"] = [NO_SUCH_TOPIC]
    if "passage" in query:
        scope["passage"] = Passage.objects.filter(pk=query["passage"]).first()
        if scope["passage"] is None:
            problems["passage"] = [NO_SUCH_PASSAGE]
    if problems:
        raise exceptions.ValidationError(problems)
    return scope


@extend_schema(tags=["study"])
class StudyQueueView(ApiViewMixin, APIView):
    @extend_schema(parameters=[QueueQuerySerializer], responses={200: QueueSerializer})
    def get(self, request):
        """What to study next: due reviews first, then learning steps, then new questions,
        within each set's daily limits. Across everything you study, or one set, topic or
        passage. Each question is shown as before answering: never its answer. The queue is
        bounded by `limit` rather than paged: answer the items, then ask again."""
        query = QueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        now = timezone.now()
        items = study_queue(
            user=request.user,
            now=now,
            limit=query.validated_data["limit"],
            ahead=query.validated_data["ahead"],
            **_scope(query.validated_data, request.user),
        )
        results = [queue_item_body(item, user=request.user, now=now) for item in items]
        return Response({"count": len(results), "results": results})


def queue_item_body(item, *, user, now) -> dict:
    """One item of the queue, as the student sees it before answering."""
    return {
        "question": student_view(item.question, student_id=user.pk),
        "reason": item.reason,
        "state": item.card.state if item.card else CardState.NEW.value,
        "due": item.card.due if item.card else None,
        "intervals": _intervals(item, user=user, profile=profile_of(user), now=now),
    }


def _intervals(item, *, user, profile, now) -> dict[str, float] | None:
    """For a flashcard, the days until it would be due again after each self-rating now
    (again, hard, good, easy), as the scheduler would compute it with the same fuzz."""
    question = item.question
    if question.kind != QuestionKind.FLASHCARD:
        return None
    previews = preview_intervals(
        card=snapshot_of(item.card) if item.card else NEW_CARD,
        now=now,
        settings=settings_for(question_set=question.question_set, profile=profile),
        fuzz_key=fuzz_key(user_id=user.pk, question_id=question.pk),
    )
    return {
        Rating(rating).name.lower(): round(interval / timedelta(days=1), 6)
        for rating, interval in previews.items()
    }


@extend_schema(tags=["study"])
class ProgressView(ApiViewMixin, APIView):
    @extend_schema(
        parameters=[ProgressQuerySerializer],
        responses={200: ProgressSerializer},
    )
    def get(self, request):
        """Your progress across everything you study, in one set (`set`) or one topic
        (`topic`). Teachers read a student's progress with `user`."""
        query = ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        learner = request.user
        if query.validated_data.get("user", request.user.pk) != request.user.pk:
            learner = (
                students_taught_by(request.user).filter(pk=query.validated_data["user"]).first()
            )
            if learner is None:
                raise exceptions.ValidationError({"user": [NO_SUCH_STUDENT]})
        scope = _scope(query.validated_data, request.user)
        seen_by = request.user if learner != request.user else None
        figures = progress(user=learner, now=timezone.now(), seen_by=seen_by, **scope)
        body = asdict(figures) | {
            "user": learner.pk,
            "set": scope["question_set"].pk if "question_set" in scope else None,
            "topic": scope["topic"].slug if "topic" in scope else None,
            "passages": [
                asdict(passage) | {"known_share": passage.known_share}
                for passage in figures.passages
            ],
        }
        return Response(body)


def feedback_body(result: ReviewResult, question) -> dict:
    """The response to an answer. Built from the logged review alone, so a replay is identical."""
    review = result.review
    return {
        "review": review.pk,
        "client_id": review.client_id,
        "question": review.question_id,
        "is_correct": review.is_correct,
        "score": review.score,
        "rating": review.rating,
        "mode": review.mode,
        "verdict": result.grade.verdict,
        "parts": [
            {
                "part": part.part,
                "is_correct": part.is_correct,
                "given": part.given,
                "expected": part.expected,
                "reason": part.reason,
            }
            for part in result.grade.parts
        ],
        "right_answer": result.answer,
        "explanation": question.explanation,
        "passage": CitedPassageSerializer(question.passage).data if question.passage else None,
        "schedule": {
            "state": review.state_after,
            "due": review.due_after,
            "interval_days": review.interval_days,
            "stability": review.stability_after,
            "difficulty": review.difficulty_after,
        },
    }


@extend_schema(tags=["study"])
class ReviewsView(ApiViewMixin, generics.ListCreateAPIView):
    """Your answers: POST one to have it graded and your schedule updated; GET your history."""

    serializer_class = ReviewSerializer
    queryset = Review.objects.none()
    filterset_class = ReviewFilter

    def visible_queryset(self):
        return review_history(self.request.user)

    @extend_schema(
        request=ReviewCreateSerializer,
        parameters=[AnswerQuerySerializer],
        responses={
            201: ReviewResultSerializer,
            200: OpenApiResponse(
                ReviewResultSerializer, description="A replay of a client_id already recorded."
            ),
            409: OpenApiResponse(description="The client_id was used for a different answer."),
        },
    )
    def post(self, request, *args, **kwargs):
        """Answer a question. Send a new client_id with each answer; resending it is harmless
        and returns the first result. A flashcard takes `rating`; other kinds take `answer`.
        With `?next=true` the response also carries the next item to study (`next`), so a
        client studies with one request per answer."""
        query = AnswerQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # Checked before answering, so that a bad scope refuses the answer rather than follow it.
        next_scope = (
            _scope(query.validated_data, request.user) if query.validated_data["next"] else None
        )
        questions = (
            studyable_questions(request.user)
            .select_related("question_set", "passage__source")
            .prefetch_related(
                Prefetch("answers", queryset=Answer.objects.order_by("position", "id")), "topics"
            )
        )
        serializer = ReviewCreateSerializer(
            data=request.data, context={"studyable_questions": questions}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        question = data["question"]
        answer_field = "rating" if question.kind == QuestionKind.FLASHCARD else "answer"
        now = timezone.now()
        try:
            result = review_record(
                user=request.user,
                question=question,
                client_id=data["client_id"],
                answer=data.get("answer"),
                rating=data.get("rating"),
                response_ms=data["response_ms"],
                now=now,
            )
        except InvalidAnswer as error:
            raise exceptions.ValidationError({answer_field: [str(error)]}) from None
        except ReviewConflict as error:
            raise errors.Conflict(error.message) from None
        body = feedback_body(result, question)
        if next_scope is not None:
            following = study_queue(user=request.user, now=now, limit=1, **next_scope)
            body["next"] = (
                queue_item_body(following[0], user=request.user, now=now) if following else None
            )
        return Response(
            body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


@extend_schema(tags=["classes"])
class ClassReportView(ClassroomScopedMixin, APIView):
    renderer_classes = [JSONRenderer, ClassReportCSVRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["json", "csv"],
                description="csv for a spreadsheet (or send Accept: text/csv).",
            ),
            OpenApiParameter(
                "set",
                {"type": "integer", **PATH_ID_RANGE},
                description="Only this set of the class's sets (404 for a set it is not given).",
            ),
        ],
        responses={200: ClassReportSerializer},
    )
    def get(self, request, class_id: int, **kwargs):
        """Per question: attempts, facility, discrimination index, mean response time; per
        student: attempts, facility, mastery and last activity. For the class's teachers."""
        classroom = self.get_classroom()
        chosen = chosen_classroom_set(
            classroom=classroom, wanted=request.query_params.get("set", "")
        )
        report = class_report(classroom=classroom, question_set=chosen)
        response = Response(ClassReportSerializer(report).data)
        if isinstance(request.accepted_renderer, ClassReportCSVRenderer):
            filename = f"class-{classroom.pk}-report.csv"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Only a report is CSV: errors keep the API's one JSON error body, and OPTIONS its
        # description, even when CSV was asked for.
        not_a_report = response.status_code >= 400 or request.method not in ("GET", "HEAD")
        if not_a_report and isinstance(
            getattr(request, "accepted_renderer", None), ClassReportCSVRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
