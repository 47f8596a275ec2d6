"""Studying through the API: the queue, answers, progress, and the class report."""

from dataclasses import asdict

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from questions.api.class_views import ClassroomScopedMixin
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
from questions.api.views import ApiViewMixin
from questions.models import CardState, Review
from questions.permissions import progress_reader
from questions.presentation import answer_view, student_view
from questions.selectors.banks import review_history
from questions.selectors.class_report import chosen_classroom_set, class_report
from questions.selectors.progress import progress
from questions.services.reviews import ReviewResult
from questions.study import (
    Scope,
    answerable_question,
    preview_days,
    queue,
    rating_previews,
    resolve_scope,
    submit_answer,
)


def scope_of(query: dict, user) -> Scope:
    """The set, topic and passage of a validated query, checked against what the caller may
    study (a 400 naming each one that is not theirs)."""
    return resolve_scope(
        user=user,
        set_id=query.get("set"),
        topic=query.get("topic"),
        passage_id=query.get("passage"),
    )


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
        items = queue(
            user=request.user,
            scope=scope_of(query.validated_data, request.user),
            now=now,
            limit=query.validated_data["limit"],
            ahead=query.validated_data["ahead"],
        )
        results = [queue_item_body(item, user=request.user, now=now) for item in items]
        return Response({"count": len(results), "results": results})


def queue_item_body(item, *, user, now) -> dict:
    """One item of the queue, as the student sees it before answering."""
    previews = rating_previews(user=user, question=item.question, card=item.card, now=now)
    return {
        "question": student_view(item.question, student_id=user.pk),
        "reason": item.reason,
        "state": item.card.state if item.card else CardState.NEW.value,
        "due": item.card.due if item.card else None,
        "intervals": preview_days(previews),
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
        learner = progress_reader(reader=request.user, learner_id=query.validated_data.get("user"))
        scope = scope_of(query.validated_data, request.user)
        seen_by = request.user if learner != request.user else None
        figures = progress(
            user=learner,
            now=timezone.now(),
            seen_by=seen_by,
            question_set=scope.question_set,
            topic=scope.topic,
        )
        body = asdict(figures) | {
            "user": learner.pk,
            "set": scope.question_set.pk if scope.question_set else None,
            "topic": scope.topic.slug if scope.topic else None,
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
        "right_answer": answer_view(question, student_id=review.user_id),
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
        wants_next = query.validated_data["next"]
        next_scope = scope_of(query.validated_data, request.user) if wants_next else None
        serializer = ReviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answer = dict(serializer.validated_data)
        question = answerable_question(user=request.user, question_id=answer.pop("question"))
        now = timezone.now()
        result = submit_answer(user=request.user, question=question, now=now, **answer)
        body = feedback_body(result, question)
        if next_scope is not None:
            body["next"] = next_item_body(
                user=request.user, scope=next_scope, now=now, ahead=query.validated_data["ahead"]
            )
        return Response(
            body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


def next_item_body(*, user, scope, now, ahead: bool = False) -> dict | None:
    """What GET /study/queue/?limit=1 (&ahead=1) would show right now, or None when nothing is
    left."""
    following = queue(user=user, scope=scope, now=now, limit=1, ahead=ahead)
    return queue_item_body(following[0], user=user, now=now) if following else None


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
