"""The pages' one mapping of domain errors (questions.errors) to responses.

A page view calls a use case and lets its DomainError rise; this middleware answers it: a 404
page for what the user has no such thing of, 403 for what they may not do, and otherwise the
status with the message as plain text. The API maps the same errors in questions.api.errors.
"""

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpResponse

from questions.errors import DomainError


def response_for_domain_error(request, error: DomainError) -> HttpResponse:
    if error.status == 404:
        return response_for_exception(request, Http404(error.message))
    if error.status == 403:
        return response_for_exception(request, PermissionDenied(error.message))
    return HttpResponse(
        error.message, status=error.status, content_type="text/plain; charset=utf-8"
    )


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return response_for_domain_error(request, exception)
        return None
