"""Imported media are served with DEBUG off, safely: only hashed names under imports/."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from questions.services.set_import_media import media_name

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def production(settings):
    settings.DEBUG = False


def stored(filename: str, content: bytes) -> str:
    name = media_name(filename, content)
    default_storage.save(name, ContentFile(content))
    return "/media/" + name


def test_an_imported_image_is_served_with_its_type_and_cached_for_good(production):
    url = stored("map.PNG", PNG)

    response = Client().get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_imported_sound_is_served_as_audio(production):
    response = Client().get(stored("say.mp3", b"ID3" + b"\x00" * 20))

    assert response["Content-Type"] == "audio/mpeg"


def test_a_file_that_is_no_image_or_sound_is_only_downloaded(production):
    response = Client().get(stored("page.html", b"<script>alert(1)</script>"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    "path",
    [
        "/media/imports/0123456789abcdef0123456789abcdef.png",  # well named, not stored
        "/media/imports/..%2F..%2Fdb.sqlite3",
        "/media/imports/notes.png",
        "/media/imports/0123456789ABCDEF0123456789ABCDEF.png",
        "/media/other/0123456789abcdef0123456789abcdef.png",
    ],
)
def test_only_stored_files_under_their_hashed_names_are_served(production, path):
    default_storage.save("imports/notes.png", ContentFile(PNG))

    assert Client().get(path).status_code == 404


def test_writing_is_refused(production):
    url = stored("map.png", PNG)

    assert Client().post(url).status_code == 405
