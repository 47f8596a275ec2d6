"""The one exception handler of the API, and the one shape of its error bodies.

Every 4xx and 5xx response of /api/v1/ has the body

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"name": ["…"]}}}

`message` is a sentence a person can act on; `fields` maps a field (dotted for nested fields,
e.g. `answers.0.text`) to its messages and is empty when the error is not about fields.
A server error never shows a traceback.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from questions.errors import DomainError

logger = logging.getLogger(__name__)

INVALID = "Some fields are not valid; correct them and send the request again."
NOT_FOUND = "Nothing was found at this address, or you may not see it."
NOT_AUTHENTICATED = "Sign in, or send an API token in the header 'Authorization: Bearer <token>'."
TOKEN_INVALID = "This API token is unknown or revoked; create a new one at /api/v1/tokens/."
PERMISSION_DENIED = "You may not do this."
METHOD_NOT_ALLOWED = "This address does not accept {method} requests."
NOT_ACCEPTABLE = "This address cannot answer in the format you asked for; ask for JSON."
UNSUPPORTED_MEDIA_TYPE = "Send the request body as JSON (Content-Type: application/json)."
PARSE_ERROR = "The request body is not valid JSON; check its syntax."
THROTTLED = "Too many requests; try again in {wait} seconds."
THROTTLED_NO_WAIT = "Too many requests; try again shortly."
CONFLICT = "This conflicts with data that already exists; reload it and try again."
PRECONDITION_REQUIRED = (
    "Send the ETag you last read in an If-Match header, so edits made in the meantime are not lost."
)
PRECONDITION_FAILED = (
    "Someone changed this since you read it; read it again and reapply your change."
)
NEEDS_TRAILING_SLASH = "Addresses of the API end with a slash: use {path} instead."
PAYLOAD_TOO_LARGE = (
    "The request body is larger than the {limit} bytes allowed (QUIZSITE_MAX_REQUEST_BYTES); "
    "send files to import as multipart uploads."
)
SERVER_ERROR = "Something went wrong on our side; try again later. The error has been logged."


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = CONFLICT
    default_code = "conflict"


class SignInLocked(exceptions.Throttled):
    """Sign-in refused by the lockout (questions.lockout), with its own message."""

    default_code = "sign_in_locked"

    def __init__(self, message: str, *, wait: int):
        super().__init__(wait=wait)
        self.detail = exceptions.ErrorDetail(message, code=self.default_code)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = PAYLOAD_TOO_LARGE
    default_code = "payload_too_large"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = PRECONDITION_REQUIRED
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = PRECONDITION_FAILED
    default_code = "precondition_failed"


def error_body(*, status_code: int, code: str, message: str, fields=None) -> dict:
    return {
        "error": {
            "status": status_code,
            "code": code,
            "message": message,
            "fields": fields or {},
        }
    }


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """Field errors as {dotted.field: [messages]}; nested serializers and lists are walked."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            if detail:
                flat[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "non_field_errors"] = [str(detail)]
    return flat


def _first_code(codes) -> str:
    while isinstance(codes, dict | list):
        if not codes:
            return "invalid"
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return str(codes)


def _validation_body(exc: exceptions.ValidationError) -> dict:
    fields = _flatten(exc.detail)
    general = fields.pop("non_field_errors", None)
    if general:
        message = " ".join(general) + (f" {INVALID}" if fields else "")
    elif len(fields) == 1 and len(only := next(iter(fields.values()))) == 1:
        message = f"{next(iter(fields))}: {only[0]}"
    else:
        message = INVALID
    return error_body(status_code=400, code="invalid", message=message, fields=fields)


def _domain_exception(exc: DomainError) -> exceptions.APIException:
    """A domain error as the API answers it: an error about named inputs is a 400 listing them,
    since an API client sends the inputs; anything else keeps its status."""
    if exc.fields:
        return exceptions.ValidationError(exc.fields)
    by_status = {404: exceptions.NotFound, 403: exceptions.PermissionDenied, 409: Conflict}
    return by_status.get(exc.status, exceptions.ValidationError)(exc.message)


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, DomainError):
        return _domain_exception(exc)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, OverflowError):
        # An id in the address beyond what the database stores (2**63 and up): no such row.
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, IntegrityError):
        return Conflict()
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return PayloadTooLarge(PAYLOAD_TOO_LARGE.format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
    return None


def _message(exc: exceptions.APIException, request) -> str:
    if isinstance(exc, exceptions.NotFound):
        return NOT_FOUND if exc.detail == exc.default_detail else str(exc.detail)
    if isinstance(exc, exceptions.AuthenticationFailed):
        return str(exc.detail)
    if isinstance(exc, exceptions.NotAuthenticated):
        return NOT_AUTHENTICATED
    if isinstance(exc, exceptions.MethodNotAllowed):
        return METHOD_NOT_ALLOWED.format(method=request.method if request else "such")
    if isinstance(exc, exceptions.NotAcceptable):
        return NOT_ACCEPTABLE
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return UNSUPPORTED_MEDIA_TYPE
    if isinstance(exc, exceptions.ParseError):
        # DRF's own detail names a Python error; the project's parser says what is wrong.
        own = str(exc.detail).startswith("The request body")
        return str(exc.detail) if own else PARSE_ERROR
    if isinstance(exc, SignInLocked):
        return str(exc.detail)
    if isinstance(exc, exceptions.Throttled):
        return THROTTLED.format(wait=int(exc.wait)) if exc.wait else THROTTLED_NO_WAIT
    if isinstance(exc, exceptions.PermissionDenied) and exc.detail == exc.default_detail:
        return PERMISSION_DENIED
    detail = exc.detail
    if isinstance(detail, list | dict):
        return " ".join(_flatten(detail).get("non_field_errors", [])) or str(exc.default_detail)
    return str(detail)


def exception_handler(exc, context):
    request = context.get("request") if context else None
    api_exc = _as_api_exception(exc)
    if api_exc is None:
        logger.exception("Unhandled error in the API", exc_info=exc)
        return Response(
            error_body(status_code=500, code="server_error", message=SERVER_ERROR), status=500
        )
    if isinstance(api_exc, exceptions.ValidationError):
        body = _validation_body(api_exc)
    else:
        body = error_body(
            status_code=api_exc.status_code,
            code=_first_code(api_exc.get_codes()),
            message=_message(api_exc, request),
        )
    headers = {}
    if getattr(api_exc, "auth_header", None):
        headers["WWW-Authenticate"] = api_exc.auth_header
    if getattr(api_exc, "wait", None) is not None:
        headers["Retry-After"] = str(int(api_exc.wait))
    # Imported here: rest_framework.views loads the authentication classes, which use this module.
    from rest_framework.views import set_rollback

    # A request that failed halfway must not leave part of its writes behind.
    set_rollback()
    return Response(body, status=api_exc.status_code, headers=headers)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: a 404 in the API's error body, not an HTML page.

    Exempt from CSRF because it changes nothing, and a CSRF page would not be the API's body.
    """
    message = NOT_FOUND
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            message = NEEDS_TRAILING_SLASH.format(path=request.path + "/")
    return JsonResponse(error_body(status_code=404, code="not_found", message=message), status=404)
