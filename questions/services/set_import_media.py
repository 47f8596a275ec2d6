"""The media files (images, sounds) an imported set brings: where each is stored, named by its
content so that a second import reuses it; pointing the texts' references at those stored
files; and storing them once the questions are saved.
"""

import hashlib
import html
import posixpath
import re
from pathlib import PurePath
from urllib.parse import quote

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from questions.formats.spec import (
    SetSpec,
)

MEDIA_DIR = "imports"


def media_name(filename: str, content: bytes) -> str:
    """Where a media file is stored: named by its content, so a second import reuses it."""
    suffix = PurePath(filename).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ".bin"
    return posixpath.join(MEDIA_DIR, hashlib.sha256(content).hexdigest()[:32] + suffix)


def link_media(spec: SetSpec) -> dict[str, bytes]:
    """Point the texts' references to the file's media at where they will be stored; the
    spec's texts are changed in place. Returns the files to store, by their storage name.
    """
    if not spec.media:
        return {}
    to_store: dict[str, bytes] = {}
    urls: dict[str, str] = {}
    for filename, content in spec.media.items():
        name = media_name(filename, content)
        to_store[name] = content
        urls[filename] = default_storage.url(name)
    pattern = re.compile(
        r"""(?P<attr>src|href)=(?P<quote>["'])(?P<name>[^"']+)(?P=quote)""", re.IGNORECASE
    )

    def replace(match: re.Match) -> str:
        name = html.unescape(match.group("name"))
        url = urls.get(name) or urls.get(quote(name)) or urls.get(name.replace("%20", " "))
        if url is None:
            return match.group(0)
        return f"{match.group('attr')}={match.group('quote')}{url}{match.group('quote')}"

    stored_as = {
        filename: media_name(filename, content) for filename, content in spec.media.items()
    }
    for question in spec.questions:
        question.prompt = pattern.sub(replace, question.prompt)
        question.explanation = pattern.sub(replace, question.explanation)
        for answer in question.answers:
            answer.text = pattern.sub(replace, answer.text)
            answer.match_text = pattern.sub(replace, answer.match_text)
            answer.feedback = pattern.sub(replace, answer.feedback)
        for part in question.origin.values():
            if "media" in part:
                part["media"] = {n: stored_as[n] for n in part["media"] if n in stored_as}
    return to_store


def store_media(files: dict[str, bytes]) -> int:
    stored = 0
    for name, content in files.items():
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
            stored += 1
    return stored
