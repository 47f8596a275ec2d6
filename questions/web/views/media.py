"""Imported images and sounds, served by Django in production as in development.

Imports store media under MEDIA_ROOT/imports/ named by a hash of their content, so a name never
changes what it serves: it is cached for a year, and no other name or folder is ever opened.
An imported file is served only as the image or sound its extension says; anything else is a
download. Every response forbids scripts (an SVG opened on its own can hold one) and sniffing.
"""

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from questions.services.set_import_media import MEDIA_DIR

MEDIA_NAME = re.compile(r"[0-9a-f]{32}\.[a-z0-9]{1,8}")
MEDIA_TYPES = {
    ".apng": "image/apng",
    ".avif": "image/avif",
    ".bmp": "image/bmp",
    ".gif": "image/gif",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".m4a": "audio/mp4",
    ".mp3": "audio/mpeg",
    ".oga": "audio/ogg",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".wav": "audio/wav",
    ".weba": "audio/webm",
}
A_YEAR = 365 * 24 * 60 * 60


@require_safe
def imported_media(request, name: str):
    if not MEDIA_NAME.fullmatch(name):
        raise Http404
    stored = f"{MEDIA_DIR}/{name}"
    if not default_storage.exists(stored):
        raise Http404
    content_type = MEDIA_TYPES.get(name[name.rindex(".") :])
    response = FileResponse(
        default_storage.open(stored, "rb"),
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
        filename=name,
    )
    response["Cache-Control"] = f"public, max-age={A_YEAR}, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
