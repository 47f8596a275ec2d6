"""The API's JSON parser: DRF's, refusing what the database or the renderer would choke on.

Bodies nested deeper than QUIZSITE_MAX_JSON_DEPTH are refused (Python's decoder would run out
of stack first), and so are lone surrogates such as "\\ud800": valid JSON escapes that are not
text, which PostgreSQL refuses to store and no response could encode.
"""

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

TOO_DEEP = "The request body is nested more than {limit} levels deep (QUIZSITE_MAX_JSON_DEPTH)."
NOT_TEXT = (
    "The request body holds a lone surrogate (such as \\ud800), which is not text; "
    "send valid Unicode."
)


def check_json(data, *, max_depth: int) -> None:
    """Raise ParseError when `data` is nested deeper than max_depth or holds a lone surrogate."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise ParseError(NOT_TEXT) from None
        elif isinstance(value, dict | list):
            if depth > max_depth:
                raise ParseError(TOO_DEEP.format(limit=max_depth))
            children = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.QUIZSITE_MAX_JSON_DEPTH
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP.format(limit=limit)) from None
        check_json(data, max_depth=limit)
        return data
