"""Views of the REST API: each parses input, calls one service or selector, and serializes.

Every queryset starts from questions.selectors, filtered to what the caller may see, so an
object the caller may not see is a 404. Writes a caller may see but not make are a 403
(questions.permissions, enforced by the services). Sets, questions and sources are here;
accounts and tokens in account_views, classes in class_views, studying in study_views.
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, mixins, status, viewsets
from rest_framework.response import Response

from questions.api.etags import check_if_match, etag_of
from questions.api.filters import SetFilter, SourceFilter
from questions.api.pagination import Pagination
from questions.api.serializers import (
    QuestionSerializer,
    SetSerializer,
    SourceCreateSerializer,
    SourceDetailSerializer,
    SourceSerializer,
)
from questions.formats.source_text import split_source_text
from questions.models import (
    Question,
    QuestionSet,
    Source,
)
from questions.permissions import (
    require_owner,
    require_teacher,
)
from questions.selectors.banks import (
    authored_questions,
    owned_sets,
    set_list,
    source_detail,
    source_list,
)
from questions.services.questions import (
    question_create,
    question_delete,
    question_locked,
    question_update,
)
from questions.services.sets import set_create, set_delete, set_update
from questions.services.sources import source_save

SOURCE_NEEDS_SLUG = "The title gives no usable slug; send a slug such as 'paris-peace-talks'."
EDIT_RESPONSES = {
    412: OpenApiResponse(description="If-Match does not match: someone changed it since."),
    428: OpenApiResponse(description="If-Match is missing: send the ETag you last read."),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag from your last GET of this object. Missing → 428; stale → 412.",
)


class ApiViewMixin:
    """Paginated, throttled first, and scoped to the caller: subclasses give
    `visible_queryset()`."""

    pagination_class = Pagination
    lookup_value_regex = "[0-9]+"

    def check_permissions(self, request):
        # Throttle before refusing, so anonymous callers are limited even where they may do
        # nothing; DRF's own order would answer them 401 without ever counting.
        self.check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request):
        if getattr(request, "_quizsite_throttled", False):
            return
        request._quizsite_throttled = True
        super().check_throttles(request)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Schema generation runs without a user; `queryset` only tells it the model.
            return self.queryset
        return self.visible_queryset()


@extend_schema(tags=["sets"])
class SetViewSet(ApiViewMixin, viewsets.ModelViewSet):
    """Question sets you may see; teachers create sets, and only a set's owner changes it.

    Deleting a set that someone has studied archives it instead (`archived_at` is set), so
    the review log stays whole; archived sets are listed only with `?archived=true`.
    Changes need the set's ETag in `If-Match` (428 without it, 412 when stale).
    """

    serializer_class = SetSerializer
    queryset = QuestionSet.objects.none()
    filterset_class = SetFilter

    def visible_queryset(self):
        return set_list(self.request.user)

    def _owned(self):
        """The set, locked until the edit commits, when the caller owns it and If-Match holds."""
        question_set = self.get_object()
        require_owner(self.request.user, question_set)
        locked = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
        check_if_match(self.request, locked)
        return locked

    def _respond(self, question_set, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=question_set.pk)
        body = self.get_serializer(fresh).data
        return Response(body, status=status_code, headers={"ETag": etag_of(fresh)})

    def retrieve(self, request, *args, **kwargs):
        question_set = self.get_object()
        body = self.get_serializer(question_set).data
        return Response(body, headers={"ETag": etag_of(question_set)})

    @extend_schema(responses={201: SetSerializer})
    def create(self, request, *args, **kwargs):
        require_teacher(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        question_set = set_create(
            owner=request.user,
            source=data.pop("source", None),
            topics=data.pop("topics", None),
            fields=data,
        )
        return self._respond(question_set, status.HTTP_201_CREATED)

    @extend_schema(parameters=[IF_MATCH], responses={200: SetSerializer, **EDIT_RESPONSES})
    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            question_set = self._owned()
            serializer = self.get_serializer(
                question_set, data=request.data, partial=kwargs.get("partial", False)
            )
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            extra = {"source": data.pop("source")} if "source" in data else {}
            set_update(
                by=request.user,
                question_set=question_set,
                topics=data.pop("topics", None),
                fields=data,
                **extra,
            )
        return self._respond(question_set)

    @extend_schema(parameters=[IF_MATCH], responses={200: SetSerializer, **EDIT_RESPONSES})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(parameters=[IF_MATCH], responses={204: None, **EDIT_RESPONSES})
    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            set_delete(by=request.user, question_set=self._owned(), now=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["questions"])
class SetQuestionsView(ApiViewMixin, generics.ListCreateAPIView):
    """The questions of one of your sets, with their full answer keys (owner only).

    Students and other teachers study a set through /api/v1/study/queue/?set=ID instead,
    which never shows a right answer.
    """

    serializer_class = QuestionSerializer
    queryset = Question.objects.none()

    def get_set(self):
        return get_object_or_404(owned_sets(self.request.user), pk=self.kwargs["set_id"])

    def visible_queryset(self):
        return authored_questions(self.request.user).filter(question_set_id=self.kwargs["set_id"])

    @extend_schema(responses={200: QuestionSerializer(many=True)})
    def get(self, request, *args, **kwargs):
        self.get_set()
        return super().get(request, *args, **kwargs)

    @extend_schema(responses={201: QuestionSerializer})
    def post(self, request, *args, **kwargs):
        question_set = self.get_set()
        require_teacher(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        question = question_create(
            by=request.user,
            question_set=question_set,
            answers=data.pop("answers"),
            passage=data.pop("passage", None),
            topics=data.pop("topics", None),
            fields=data,
        )
        fresh = self.get_queryset().get(pk=question.pk)
        return Response(
            self.get_serializer(fresh).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": etag_of(fresh)},
        )


@extend_schema(tags=["questions"])
class QuestionViewSet(
    ApiViewMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """One of your questions with its full answer key. Changes need its ETag in If-Match.

    `answers`, when sent, replaces the whole answer key, which must be valid for the kind.
    Deleting a question that someone has answered archives it instead.
    """

    serializer_class = QuestionSerializer
    queryset = Question.objects.none()

    def visible_queryset(self):
        return authored_questions(self.request.user)

    def _locked(self):
        """The question, locked until the edit commits, when If-Match holds."""
        question = self.get_object()
        locked = question_locked(by=self.request.user, question_id=question.pk)
        check_if_match(self.request, locked)
        return locked

    def retrieve(self, request, *args, **kwargs):
        question = self.get_object()
        return Response(self.get_serializer(question).data, headers={"ETag": etag_of(question)})

    @extend_schema(parameters=[IF_MATCH], responses={200: QuestionSerializer, **EDIT_RESPONSES})
    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            question = self._locked()
            serializer = self.get_serializer(
                question, data=request.data, partial=kwargs.get("partial", False)
            )
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            extra = {"passage": data.pop("passage")} if "passage" in data else {}
            question_update(
                by=request.user,
                question=question,
                answers=data.pop("answers", None),
                topics=data.pop("topics", None),
                fields=data,
                **extra,
            )
        fresh = self.get_queryset().get(pk=question.pk)
        return Response(self.get_serializer(fresh).data, headers={"ETag": etag_of(fresh)})

    @extend_schema(parameters=[IF_MATCH], responses={200: QuestionSerializer, **EDIT_RESPONSES})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(parameters=[IF_MATCH], responses={204: None, **EDIT_RESPONSES})
    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            question = self._locked()
            question_delete(by=request.user, question=question, now=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["sources"])
class SourceViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Source texts and their passages, which questions cite. Teachers add one from plain text."""

    queryset = Source.objects.none()
    filterset_class = SourceFilter

    def visible_queryset(self):
        return source_detail() if self.action == "retrieve" else source_list()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return SourceDetailSerializer
        if self.action == "create":
            return SourceCreateSerializer
        return SourceSerializer

    @extend_schema(
        request=SourceCreateSerializer,
        responses={
            201: SourceDetailSerializer,
            200: SourceDetailSerializer,
            409: OpenApiResponse(description="A source with this slug and other text exists."),
        },
    )
    def create(self, request, *args, **kwargs):
        """Split a plain text into a source and passages; sending the same text again is harmless
        (200 with the existing source)."""
        require_teacher(request.user)
        serializer = SourceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            spec = split_source_text(
                data["text"], slug=data.get("slug", ""), citation=data.get("citation", "")
            )
        except ValueError as error:
            raise exceptions.ValidationError({"text": [str(error)]}) from None
        if not spec.slug:
            raise exceptions.ValidationError({"slug": [SOURCE_NEEDS_SLUG]})
        source, created = source_save(spec=spec, created_by=request.user)
        fresh = source_detail().get(pk=source.pk)
        return Response(
            SourceDetailSerializer(fresh).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
