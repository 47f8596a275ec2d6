"""Views of the REST API: each parses input, calls one service or selector, and serializes.

Every queryset starts from questions.selectors_api, filtered to what the caller may see, so
an object the caller may not see is a 404. Writes a caller may see but not make are a 403.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, mixins, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from questions import lockout
from questions.api import errors
from questions.api.authentication import ApiTokenAuthentication
from questions.api.etags import check_if_match, etag_of
from questions.api.filters import SetFilter, SourceFilter
from questions.api.pagination import Pagination
from questions.api.serializers import (
    AssignedSetSerializer,
    ClassroomSerializer,
    JoinSerializer,
    LoginSerializer,
    MemberSerializer,
    NewTokenSerializer,
    ProfileSerializer,
    QuestionSerializer,
    SetSerializer,
    SourceCreateSerializer,
    SourceDetailSerializer,
    SourceSerializer,
    TokenSerializer,
)
from questions.formats.source_text import split_source_text
from questions.models import (
    ApiToken,
    Assignment,
    Classroom,
    Membership,
    Profile,
    Question,
    QuestionSet,
    Source,
)
from questions.selectors import assignable_sets
from questions.selectors_api import (
    authored_questions,
    classes_of,
    is_teacher,
    owned_sets,
    set_list,
    source_detail,
    source_list,
    tokens_of,
)
from questions.services.accounts import profile_update
from questions.services.classes import (
    classroom_create,
    classroom_delete,
    classroom_join,
    classroom_rename,
    member_remove,
    set_assign,
    set_unassign,
)
from questions.services.questions import question_create, question_delete, question_update
from questions.services.sets import set_create, set_delete, set_update
from questions.services.sources import SourceConflict, source_save
from questions.services.tokens import token_create, token_revoke

WRONG_CREDENTIALS = "The username or password is wrong."
ONLY_CLASS_TEACHERS = "Only the teachers of this class may do this."
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


def require_teacher(user) -> None:
    if not is_teacher(user):
        raise exceptions.PermissionDenied(errors.NOT_A_TEACHER)


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


class TokenLoginView(ApiViewMixin, APIView):
    """Exchange a username and password for a new personal API token (shown once)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def get_authenticate_header(self, request):
        return ApiTokenAuthentication().authenticate_header(request)

    @extend_schema(
        request=LoginSerializer,
        responses={201: NewTokenSerializer},
        auth=[],
        tags=["tokens"],
    )
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        locked = lockout.refusal(
            username=serializer.validated_data["username"], address=lockout.client_address(request)
        )
        if locked:
            raise errors.SignInLocked(locked, wait=settings.QUIZSITE_LOCKOUT_SECONDS)
        user = authenticate(
            request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise exceptions.AuthenticationFailed(WRONG_CREDENTIALS)
        new = token_create(user=user, name=serializer.validated_data["token_name"])
        body = NewTokenSerializer(new.token).data | {"token": new.key}
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["tokens"], responses={200: TokenSerializer})
class TokenViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your personal API tokens. Only a hash is kept; a token is shown once, when created."""

    serializer_class = TokenSerializer
    queryset = ApiToken.objects.none()

    def visible_queryset(self):
        return tokens_of(self.request.user)

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            self.throttle_scope = "token_create"
            throttles.append(ScopedRateThrottle())
        return throttles

    @extend_schema(request=TokenSerializer, responses={201: NewTokenSerializer})
    def create(self, request):
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = token_create(user=request.user, name=serializer.validated_data["name"])
        body = NewTokenSerializer(new.token).data | {"token": new.key}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        """Revoke the token: it stops working at once and stays listed as revoked."""
        token_revoke(token=self.get_object(), now=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["me"])
class MeView(ApiViewMixin, generics.RetrieveUpdateAPIView):
    """Your profile and study settings; FSRS parameters fitted to your reviews are read-only."""

    serializer_class = ProfileSerializer

    def get_object(self):
        profile, _ = Profile.objects.select_related("user").get_or_create(user=self.request.user)
        return profile

    @extend_schema(responses={200: ProfileSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def perform_update(self, serializer):
        profile = serializer.instance
        data = serializer.validated_data
        updated = profile_update(
            user=self.request.user,
            time_zone=data.get("time_zone", profile.time_zone),
            desired_retention=data.get("desired_retention", profile.desired_retention),
            day_starts_at_hour=data.get("day_starts_at_hour", profile.day_starts_at_hour),
        )
        updated.user = self.request.user
        serializer.instance = updated


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
        if question_set.owner_id != self.request.user.pk:
            raise exceptions.PermissionDenied(errors.NOT_THE_OWNER)
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
                question_set=question_set, topics=data.pop("topics", None), fields=data, **extra
            )
        return self._respond(question_set)

    @extend_schema(parameters=[IF_MATCH], responses={200: SetSerializer, **EDIT_RESPONSES})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(parameters=[IF_MATCH], responses={204: None, **EDIT_RESPONSES})
    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            set_delete(question_set=self._owned(), now=timezone.now())
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
        locked = (
            Question.objects.select_for_update().select_related("question_set").get(pk=question.pk)
        )
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
            question_delete(question=question, now=timezone.now())
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
        try:
            source, created = source_save(spec=spec, created_by=request.user)
        except SourceConflict as error:
            raise errors.Conflict(str(error)) from None
        fresh = source_detail().get(pk=source.pk)
        return Response(
            SourceDetailSerializer(fresh).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(tags=["classes"])
class ClassroomViewSet(ApiViewMixin, viewsets.ModelViewSet):
    """Classes you teach or belong to. Teachers create classes; students join with a code.

    The join code is shown to the class's teachers only.
    """

    serializer_class = ClassroomSerializer
    queryset = Classroom.objects.none()

    def visible_queryset(self):
        return classes_of(self.request.user)

    def _taught(self):
        classroom = self.get_object()
        if not classroom.is_teacher:
            raise exceptions.PermissionDenied(ONLY_CLASS_TEACHERS)
        return classroom

    def _respond(self, classroom, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=classroom.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(responses={201: ClassroomSerializer})
    def create(self, request, *args, **kwargs):
        require_teacher(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        classroom = classroom_create(owner=request.user, name=serializer.validated_data["name"])
        return self._respond(classroom, status.HTTP_201_CREATED)

    @extend_schema(responses={200: ClassroomSerializer})
    def update(self, request, *args, **kwargs):
        classroom = self._taught()
        serializer = self.get_serializer(
            classroom, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        name = serializer.validated_data.get("name", classroom.name)
        return self._respond(classroom_rename(classroom=classroom, name=name))

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        classroom = self.get_object()
        if classroom.owner_id != request.user.pk:
            raise exceptions.PermissionDenied(errors.NOT_THE_OWNER)
        classroom_delete(classroom=classroom)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClassroomScopedMixin(ApiViewMixin):
    """A view under /classes/{class_id}/: the class must be one the caller belongs to."""

    teachers_only = True

    def get_classroom(self):
        classroom = get_object_or_404(classes_of(self.request.user), pk=self.kwargs["class_id"])
        if self.teachers_only and not classroom.is_teacher:
            raise exceptions.PermissionDenied(ONLY_CLASS_TEACHERS)
        return classroom


@extend_schema(tags=["classes"], responses={200: MemberSerializer(many=True)})
class ClassMembersView(ClassroomScopedMixin, generics.ListAPIView):
    """The teachers and students of a class you teach."""

    serializer_class = MemberSerializer
    queryset = Membership.objects.none()

    def visible_queryset(self):
        classroom = self.get_classroom()
        return (
            Membership.objects.filter(classroom=classroom)
            .select_related("user")
            .order_by("role", "user__username", "id")
        )


@extend_schema(tags=["classes"])
class ClassMemberDetailView(ClassroomScopedMixin, APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, class_id: int, user_id: int):
        """Remove a member from a class you teach (or leave a class: remove yourself)."""
        self.teachers_only = user_id != request.user.pk
        classroom = self.get_classroom()
        membership = get_object_or_404(
            Membership.objects.select_related("user"), classroom=classroom, user_id=user_id
        )
        member_remove(classroom=classroom, user=membership.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["classes"])
class ClassSetsView(ClassroomScopedMixin, generics.ListCreateAPIView):
    """The sets assigned to a class. Its members read the list; its teachers assign sets."""

    serializer_class = AssignedSetSerializer
    queryset = Assignment.objects.none()

    def visible_queryset(self):
        self.teachers_only = self.request.method != "GET"
        classroom = self.get_classroom()
        return (
            Assignment.objects.filter(classroom=classroom)
            .select_related("question_set")
            .order_by("assigned_at", "id")
        )

    def get_serializer_context(self):
        assignable = assignable_sets(self.request.user)
        return super().get_serializer_context() | {"assignable_sets": assignable}

    @extend_schema(responses={200: AssignedSetSerializer(many=True)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(responses={201: AssignedSetSerializer})
    def post(self, request, *args, **kwargs):
        """Assign one of your sets, or a public set, to the class; assigning twice is harmless."""
        self.teachers_only = True
        classroom = self.get_classroom()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment, created = set_assign(
            classroom=classroom, question_set=serializer.validated_data["question_set"]
        )
        return Response(
            AssignedSetSerializer(assignment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(tags=["classes"])
class ClassSetDetailView(ClassroomScopedMixin, APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, class_id: int, set_id: int):
        """Unassign a set from a class you teach. The students keep their study history."""
        classroom = self.get_classroom()
        assignment = get_object_or_404(
            Assignment.objects.select_related("question_set"),
            classroom=classroom,
            question_set_id=set_id,
        )
        set_unassign(classroom=classroom, question_set=assignment.question_set)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["classes"])
class ClassJoinView(ApiViewMixin, APIView):
    @extend_schema(
        request=JoinSerializer,
        responses={201: ClassroomSerializer, 200: ClassroomSerializer},
    )
    def post(self, request):
        """Join a class with the code your teacher gave you; joining twice is harmless."""
        serializer = JoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership, created = classroom_join(
            user=request.user, code=serializer.validated_data["code"]
        )
        classroom = classes_of(request.user).get(pk=membership.classroom_id)
        return Response(
            ClassroomSerializer(classroom, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
