"""Uploading a set file, and downloading a set as a file: thin views over set_import/set_export."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from questions.api import errors
from questions.formats.registry import (
    FORMATS,
    exportable_formats,
    importable_formats,
)
from questions.formats.spec import ImportRefused
from questions.permissions import owns, require_teacher
from questions.selectors.banks import owned_sets
from questions.selectors.visibility import visible_sets
from questions.services.set_export import export_set
from questions.services.set_import import check_import_size, import_file

IMPORT_REFUSED = "The file was not imported; nothing was saved. `error.problems` says why."
STUDENT_EXPORT_FORMATS = ("anki",)
ONLY_OWNER_EXPORTS = (
    "Only the set's owner may export its answer key as {format}; you may export its "
    "flashcards for Anki (format=anki)."
)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The set file; at most QUIZSITE_MAX_IMPORT_BYTES.")
    format = serializers.ChoiceField(
        choices=importable_formats(),
        required=False,
        allow_blank=True,
        help_text="Leave out to choose by the file's extension.",
    )
    set = serializers.IntegerField(
        required=False, help_text="Add the questions to this set of yours instead."
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Check and count, save nothing."
    )
    encoding = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="The encoding a text file was saved in, e.g. windows-1252; UTF-8 if left out.",
    )


ImportReportSerializer = inline_serializer(
    "ImportReport",
    {
        "set": inline_serializer(
            "ImportedSet",
            {"id": serializers.IntegerField(allow_null=True), "title": serializers.CharField()},
        ),
        "format": serializers.CharField(),
        "dry_run": serializers.BooleanField(),
        "created_set": serializers.BooleanField(),
        "created_source": serializers.BooleanField(),
        "created_questions": serializers.IntegerField(),
        "updated_questions": serializers.IntegerField(),
        "unchanged_questions": serializers.IntegerField(),
        "stored_media": serializers.IntegerField(),
        "warnings": serializers.ListField(child=serializers.CharField()),
        "summary": serializers.CharField(),
    },
)


def refused_response(refused: ImportRefused) -> Response:
    body = errors.error_body(status_code=400, code="import_refused", message=IMPORT_REFUSED)
    body["error"]["problems"] = [
        {"line": problem.line, "question": problem.question, "message": problem.message}
        for problem in refused.problems
    ]
    body["error"]["message"] = f"{IMPORT_REFUSED} {refused}"
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class SetImportView(APIView):
    """Import a set file (quizsite YAML, GIFT, Moodle XML, CSV, Anki .apkg); teachers only.

    All or nothing; importing the same file again creates no duplicates. A refused file
    answers 400 with `error.problems`: [{line, question, message}].
    """

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            201: ImportReportSerializer,
            200: OpenApiResponse(ImportReportSerializer, description="A dry run's report."),
            400: OpenApiResponse(description="The file was refused; see `error.problems`."),
            403: OpenApiResponse(description="Only teachers import."),
        },
        tags=["sets"],
    )
    def post(self, request):
        require_teacher(request.user)
        serializer = ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        into = (
            get_object_or_404(owned_sets(request.user), pk=data["set"]) if "set" in data else None
        )
        upload = data["file"]
        try:
            check_import_size(upload.size)
            report = import_file(
                content=upload.read(),
                filename=upload.name or "",
                format=data.get("format") or None,
                owner=request.user,
                into=into,
                dry_run=data["dry_run"],
                encoding=data.get("encoding") or None,
            )
        except ImportRefused as refused:
            return refused_response(refused)
        code = status.HTTP_200_OK if report.dry_run else status.HTTP_201_CREATED
        return Response(report.as_dict(), status=code)


_EXPORT_MEDIA_TYPES: dict[str, list[str]] = {}
for _format in FORMATS.values():
    _EXPORT_MEDIA_TYPES.setdefault(_format.content_type.split(";")[0], []).append(_format.label)


class SetExportView(APIView):
    """Download a set as a file. Owners export any format; others who see the set, Anki."""

    def perform_content_negotiation(self, request, force=False):
        # ?format= names the file format here, not one of DRF's renderers.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=exportable_formats(),
                required=True,
                description="The file format.",
            )
        ],
        responses={
            # One media type per file format, as the response's Content-Type says.
            **{
                (200, media_type): OpenApiResponse(
                    OpenApiTypes.BINARY, description=f"The set as {', '.join(labels)}."
                )
                for media_type, labels in _EXPORT_MEDIA_TYPES.items()
            },
            400: OpenApiResponse(description="Unknown format."),
            403: OpenApiResponse(description="Not the owner, and not an Anki export."),
            404: OpenApiResponse(description="No such set, or not yours to see."),
        },
        tags=["sets"],
    )
    def get(self, request, set_id: int):
        question_set = get_object_or_404(
            visible_sets(request.user, own_archived=True).select_related("source"), pk=set_id
        )
        file_format = request.query_params.get("format", "")
        is_owner = owns(request.user, question_set)
        if not is_owner and file_format not in STUDENT_EXPORT_FORMATS:
            raise exceptions.PermissionDenied(ONLY_OWNER_EXPORTS.format(format=file_format))
        exported = export_set(
            question_set=question_set, format=file_format, flashcards_only=not is_owner
        )
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        if exported.warnings:
            response["X-Export-Warnings"] = " | ".join(exported.warnings)[:2000]
        return response
