"""Every HTML page carries the Content-Security-Policy and holds no inline script; imported
markup loses outside image and sound sources unless the site allows their host."""

import re

import pytest
from django.test import Client

from questions.formats.common import clean_html, render_markup

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def pages(school) -> dict[str, list[str]]:
    question_set = school.question_set
    question = next(iter(school.questions.values()))
    return {
        "anonymous": ["/login/", "/signup/"],
        "student": [
            "/",
            f"/study/?set={question_set.pk}",
            "/progress/",
            "/settings/",
            "/join/",
            f"/sources/{school.source.pk}/",
        ],
        "teacher": [
            "/",
            "/teach/sets/",
            "/teach/sets/new/",
            "/teach/sets/import/",
            "/teach/sources/new/",
            f"/teach/sets/{question_set.pk}/",
            f"/teach/sets/{question_set.pk}/edit/",
            f"/teach/sets/{question_set.pk}/questions/new/",
            f"/teach/sets/{question_set.pk}/questions/{question.pk}/",
            "/classes/",
            f"/classes/{school.classroom.pk}/",
            f"/classes/{school.classroom.pk}/report/",
            "/api/v1/docs/",
        ],
    }


def test_every_page_has_the_policy_and_no_inline_script(school):
    checked = 0
    for who, paths in pages(school).items():
        client = Client() if who == "anonymous" else school.client(who)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            policy = response["Content-Security-Policy"]
            assert "script-src 'self'" in policy
            assert "img-src 'self'" in policy
            assert "object-src 'none'" in policy
            html = response.content.decode()
            assert not INLINE_SCRIPT.findall(html), path
            assert not INLINE_HANDLER.findall(html), path
            assert not JAVASCRIPT_URL.findall(html), path
            checked += 1
    assert checked == 21


def test_error_pages_carry_the_policy_too(school):
    response = school.client("student").get("/teach/sets/999999/")

    assert response.status_code in (403, 404)
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="https://tracker.example/pixel.png" alt="x">',
        '<img src="//tracker.example/pixel.png" alt="x">',
        '<img src="http://tracker.example/pixel.png" alt="x">',
        '<img src="data:image/png;base64,AAAA" alt="x">',
        '<audio src="https://tracker.example/a.mp3" controls></audio>',
    ],
)
def test_imported_markup_loses_outside_sources(markup):
    cleaned = clean_html(markup)

    assert "tracker.example" not in cleaned
    assert "data:" not in cleaned
    assert "src=" not in cleaned


def test_the_sites_own_media_and_allowed_hosts_keep_their_source(settings):
    settings.QUIZSITE_MARKUP_SOURCE_HOSTS = ["images.school.example"]

    own = render_markup('<p>A map <img src="/media/imports/map.png" alt="map"></p>')
    allowed = clean_html('<img src="https://images.school.example/map.png" alt="map">')
    plain_http = clean_html('<img src="http://images.school.example/map.png" alt="map">')

    assert 'src="/media/imports/map.png"' in own
    assert 'src="https://images.school.example/map.png"' in allowed
    assert "src=" not in plain_http


def test_links_to_outside_pages_are_kept():
    assert 'href="https://en.wikipedia.org/wiki/Paris_Peace_Accords"' in clean_html(
        '<a href="https://en.wikipedia.org/wiki/Paris_Peace_Accords">Accords</a>'
    )
