from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from questions.formats.source_text import split_source_text
from questions.models import Passage, Source
from tests.conftest import BUNDLED_SOURCE, SHARED_SOURCE

SMALL_TEXT = """A Small History

Date: 1900-1901

An opening paragraph without a heading.

First Part

The first paragraph of the first part.
It runs over two lines.

The second paragraph of the first part.

picture-1.jpg

Second Part

The only paragraph of the second part.
"""


def test_small_text_is_split_into_headed_passages():
    spec = split_source_text(SMALL_TEXT)

    assert (spec.title, spec.period, spec.slug) == (
        "A Small History",
        "1900-1901",
        "a-small-history",
    )
    assert [(p.heading, p.text) for p in spec.passages] == [
        ("", "An opening paragraph without a heading."),
        ("First Part", "The first paragraph of the first part.\nIt runs over two lines."),
        ("First Part", "The second paragraph of the first part."),
        ("Second Part", "The only paragraph of the second part."),
    ]


def test_empty_text_is_refused():
    with pytest.raises(ValueError, match="empty"):
        split_source_text("  \n\n ")


@pytest.mark.django_db
def test_import_source_command_creates_source_once(tmp_path):
    path = tmp_path / "small.txt"
    path.write_text(SMALL_TEXT, encoding="utf-8")

    call_command("import_source", str(path), stdout=StringIO())
    output = StringIO()
    call_command("import_source", str(path), stdout=output)

    assert Source.objects.count() == 1
    assert Passage.objects.filter(source__slug="a-small-history").count() == 4
    assert "Already up to date" in output.getvalue()


@pytest.mark.django_db
def test_import_source_refuses_text_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café history\n\nA paragraph about the café.".encode("latin-1"))

    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_source", str(path), stdout=StringIO())
    assert not Source.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        pytest.param(SHARED_SOURCE, id="shared"),
        pytest.param(BUNDLED_SOURCE, id="bundled-copy"),
    ],
)
def test_paris_peace_talks_source_becomes_eight_passages_word_for_word(path):
    if not path.exists():
        pytest.skip(f"{path} is not present beside this checkout")
    call_command("import_source", str(path), stdout=StringIO())

    source = Source.objects.get(slug="paris-peace-talks")
    passages = list(source.passages.order_by("position"))
    paragraphs = [block.strip() for block in path.read_text(encoding="utf-8").split("\n\n")]
    assert source.title == "Paris Peace Talks"
    assert source.period == "1968-1969"
    assert [p.heading for p in passages] == [
        "",
        "Origins and History",
        "The Talks",
        "The Talks",
        "The Talks",
        "The Talks",
        "Impact",
        "Additional Information",
    ]
    assert all(passage.text in paragraphs for passage in passages)
    assert "89311874-60146.jpg" not in [passage.text for passage in passages]


def test_bundled_source_is_the_shared_text_word_for_word():
    if not SHARED_SOURCE.exists():
        pytest.skip(f"{SHARED_SOURCE} is not present beside this checkout")
    assert BUNDLED_SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()
