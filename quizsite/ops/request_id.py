"""A request id for every request, taken from a trusted proxy's X-Request-ID or made anew,
returned in the response and attached to every log record written while the request runs."""

import contextvars
import logging
import re
import uuid

from django.conf import settings

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy may hand us: short, and only characters that cannot break a log line.
ACCEPTED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = self._given(request) or uuid.uuid4().hex
        request.request_id = request_id
        # Not reset when the response leaves: Django logs a 4xx or 5xx after the middleware
        # chain returns, and that line needs the id too. The next request sets its own.
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response

    @staticmethod
    def _given(request) -> str | None:
        """A client could forge the header, so only a proxy we trust may set it."""
        if not settings.QUIZSITE_TRUST_REQUEST_ID:
            return None
        given = request.headers.get(REQUEST_ID_HEADER, "")
        return given if ACCEPTED_REQUEST_ID.match(given) else None


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True
