"""Encodings: UTF-8 by default, the teacher names another, and a likely one is suggested."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questions.formats.spec import ImportRefused
from questions.models import Question
from questions.services.set_import import import_file
from tests.factories import TeacherFactory

WINDOWS_1252 = Path(__file__).parent / "formats" / "encodings" / "windows-1252.gift"

pytestmark = pytest.mark.django_db


def test_a_windows_1252_file_is_refused_as_utf8_with_its_likely_encoding_named():
    with pytest.raises(ImportRefused) as refused:
        import_file(
            content=WINDOWS_1252.read_bytes(),
            filename="c.gift",
            format=None,
            owner=TeacherFactory(),
        )

    (problem,) = refused.value.problems
    assert problem.line == 2
    assert "not UTF-8" in problem.message
    assert "Windows-1252" in problem.message
    assert "(cp1252)" in problem.message
    assert not Question.objects.exists()


@pytest.mark.parametrize("encoding", ["windows-1252", "cp1252", "CP1252"])
def test_the_encoding_named_reads_the_file(encoding):
    report = import_file(
        content=WINDOWS_1252.read_bytes(),
        filename="c.gift",
        format=None,
        owner=TeacherFactory(),
        encoding=encoding,
    )

    first, second = report.question_set.questions.order_by("position")
    assert first.title == "Café"
    assert first.prompt == "Which word is French for “coffee shop”?"
    assert [a.text for a in first.answers.all()] == ["café", "bistro’s", "tea"]
    assert "président de 1959 à 1969" in second.answers.get().feedback


def test_a_utf8_file_imports_the_same_whatever_utf8_spelling_is_named():
    content = "Café? {=oui}".encode("utf-8-sig")

    report = import_file(
        content=content, filename="c.gift", format=None, owner=TeacherFactory(), encoding="UTF8"
    )

    assert report.question_set.questions.get().prompt == "Café?"


@pytest.mark.parametrize("encoding", ["klingon", "rot13", "base64", "zlib"])
def test_an_unknown_encoding_or_one_that_is_no_text_encoding_is_refused_by_name(encoding):
    with pytest.raises(ImportRefused, match=f"Unknown encoding '{encoding}'"):
        import_file(
            content=b"Q? {=a}",
            filename="c.gift",
            format=None,
            owner=TeacherFactory(),
            encoding=encoding,
        )


def test_a_file_not_in_the_encoding_named_is_refused_at_its_first_bad_byte():
    content = "Q1? {=a}\n\nQ2? {=é}".encode()

    with pytest.raises(ImportRefused) as refused:
        import_file(
            content=content,
            filename="c.gift",
            format=None,
            owner=TeacherFactory(),
            encoding="ascii",
        )

    assert refused.value.problems[0].line == 3
    assert "not ascii text" in str(refused.value)


def test_a_moodle_xml_file_in_another_encoding_is_read_with_the_encoding_named():
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><quiz><question type="shortanswer">'
        "<name><text>Café</text></name><questiontext><text>Où?</text></questiontext>"
        '<answer fraction="100"><text>Paris</text></answer></question></quiz>'
    ).encode("cp1252")

    report = import_file(
        content=xml, filename="q.xml", format=None, owner=TeacherFactory(), encoding="windows-1252"
    )

    assert report.question_set.questions.get().title == "Café"


def test_the_command_takes_an_encoding():
    teacher = TeacherFactory(username="ms-lee")
    out = StringIO()

    call_command(
        "import_set", str(WINDOWS_1252), "--owner", teacher.username, "--encoding", "windows-1252",
        stdout=out, stderr=StringIO(),
    )  # fmt: skip

    assert "2 new" in out.getvalue()
    with pytest.raises(CommandError, match="Windows-1252"):
        call_command("import_set", str(WINDOWS_1252), "--owner", teacher.username)


def test_a_moodle_xml_file_saved_in_another_encoding_than_declared_names_the_likely_one():
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><quiz><question type="shortanswer">'
        "<name><text>Café crème, déjà vu, naïve façade, où êtes-vous?</text></name>"
        "<questiontext><text>Où?</text></questiontext>"
        '<answer fraction="100"><text>Paris</text></answer></question></quiz>'
    ).encode("cp1252")

    with pytest.raises(ImportRefused) as refused:
        import_file(content=xml, filename="q.xml", format=None, owner=TeacherFactory())

    assert "Not valid XML" in str(refused.value)
    assert "It looks like" in str(refused.value)
