"""ETag and If-Match for teacher edits, so two editors never overwrite each other unseen.

A set or question read with GET carries an `ETag` header. PUT, PATCH and DELETE of it must
send that value in `If-Match`: a missing header is refused with 428, a stale one with 412.
"""

from django.utils.http import parse_etags

from questions.api.errors import PreconditionFailed, PreconditionRequired
from questions.services.versions import version_of as etag_of


def check_if_match(request, obj) -> None:
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    current = etag_of(obj)
    sent = parse_etags(header)
    if "*" in sent:
        return
    if current not in {tag.removeprefix("W/") for tag in sent}:
        raise PreconditionFailed()
