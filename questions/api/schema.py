"""The schema class of the API: every operation documents the one error body."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `error.fields` says what is wrong with each field.",
    "401": "Not signed in: send a session cookie, or an API token as 'Authorization: Bearer …'.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Not found, or not yours to see.",
    "405": "This address does not take this method.",
    "406": "The response cannot be given in the format asked for.",
    "413": "The request body is larger than QUIZSITE_MAX_REQUEST_BYTES (5 MB unless set).",
    "414": "The address is too long (more than 4094 bytes in the request line).",
    "415": "The request body is not in a format this address reads (send JSON).",
    "429": "Too many requests: wait the seconds given in Retry-After.",
    "500": "A fault on the server; it has been logged.",
}


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(help_text="A stable code, e.g. invalid, not_found, conflict.")
    message = serializers.CharField(help_text="What went wrong and what to do about it.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field (dotted for nested fields); empty when not about fields.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


# Ids in paths are whole numbers from 1 that fit the database's big integers.
PATH_ID_RANGE = {"minimum": 1, "maximum": 2**63 - 1}


class ApiAutoSchema(AutoSchema):
    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter.get("schema", {}).get("type") == "integer":
                parameter["schema"] = {**parameter["schema"], **PATH_ID_RANGE}
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = {**ERROR_DESCRIPTIONS, **{code: "" for code in responses if code >= "400"}}
        for code, default_description in codes.items():
            declared = responses.get(code, {})
            if "content" in declared:
                continue
            description = declared.get("description") or default_description
            responses[code] = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=description), code, direction=direction
            )
        return dict(sorted(responses.items()))
