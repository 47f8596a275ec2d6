"""The API's classes: teachers create them and assign sets; students join with a code."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from questions.api.class_serializers import (
    AssignedSetSerializer,
    ClassroomSerializer,
    JoinSerializer,
    MemberSerializer,
)
from questions.api.views import ApiViewMixin
from questions.models import (
    Assignment,
    Classroom,
    Membership,
)
from questions.permissions import (
    assignable_sets,
    require_class_owner,
    require_teacher,
    require_teaches,
)
from questions.selectors.classes import classes_of
from questions.services.classes import (
    classroom_create,
    classroom_delete,
    classroom_join,
    classroom_rename,
    member_remove,
    set_assign,
    set_unassign,
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
        require_teaches(self.request.user, classroom)
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
        return self._respond(classroom_rename(by=request.user, classroom=classroom, name=name))

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        classroom = self.get_object()
        require_class_owner(request.user, classroom)
        classroom_delete(by=request.user, classroom=classroom)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClassroomScopedMixin(ApiViewMixin):
    """A view under /classes/{class_id}/: the class must be one the caller belongs to."""

    teachers_only = True

    def get_classroom(self):
        classroom = get_object_or_404(classes_of(self.request.user), pk=self.kwargs["class_id"])
        if self.teachers_only:
            require_teaches(self.request.user, classroom)
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
        member_remove(by=request.user, classroom=classroom, user=membership.user)
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
            by=request.user,
            classroom=classroom,
            question_set=serializer.validated_data["question_set"],
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
        set_unassign(by=request.user, classroom=classroom, question_set=assignment.question_set)
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
