"""The file formats quizsite reads and writes, and how a file's format is chosen.

A reader is called as `read(content: bytes, *, filename: str, base_dir: Path | None)` and
returns a SetSpec or raises ImportRefused; a writer takes a SetSpec and returns Written: the
file's bytes, with warnings about what the format could not hold. Imports go through
questions.services.set_import.import_file, exports through set_export.export_set.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

from questions.errors import DomainError
from questions.formats.anki import read_apkg
from questions.formats.anki_export import write_apkg
from questions.formats.common import check_encoding, decode_text, decode_utf8
from questions.formats.csv_format import read_csv, write_csv
from questions.formats.gift import read_gift
from questions.formats.gift_export import write_gift
from questions.formats.moodle_xml import read_moodle_xml
from questions.formats.moodle_xml_export import write_moodle_xml
from questions.formats.native import read_native
from questions.formats.native_export import write_native
from questions.formats.quizlet import read_quizlet, write_quizlet
from questions.formats.spec import ImportProblem, ImportRefused, SetSpec, Written

Reader = Callable[..., SetSpec]
Writer = Callable[[SetSpec], Written]


@dataclass(frozen=True)
class FileFormat:
    name: str
    label: str
    extensions: tuple[str, ...]
    content_type: str
    read: Reader
    write: Writer
    carries_media: bool = False
    """The file holds the images and sounds its texts show (an Anki package)."""
    is_text: bool = True
    """The file is text, so a teacher may name the encoding it was saved in."""


class UnknownFormat(DomainError, ValueError):
    """No such file format; a refusal of the `format` input."""

    def __init__(self, message: str) -> None:
        super().__init__(message, fields={"format": [message]})


def _native_read(content: bytes, *, filename: str, base_dir: Path | None = None) -> SetSpec:
    return read_native(decode_utf8(content), base_dir=base_dir)


def _native_write(spec: SetSpec) -> Written:
    return Written(write_native(spec).encode("utf-8"))


FORMATS: dict[str, FileFormat] = {
    fmt.name: fmt
    for fmt in (
        FileFormat(
            name="native",
            label="quizsite set (YAML)",
            extensions=(".yaml", ".yml"),
            content_type="application/yaml; charset=utf-8",
            read=_native_read,
            write=_native_write,
        ),
        FileFormat(
            name="gift",
            label="Moodle GIFT",
            extensions=(".gift", ".txt"),
            content_type="text/plain; charset=utf-8",
            read=read_gift,
            write=write_gift,
        ),
        FileFormat(
            name="moodle_xml",
            label="Moodle XML",
            extensions=(".xml",),
            content_type="application/xml",
            read=read_moodle_xml,
            write=write_moodle_xml,
            carries_media=True,
        ),
        FileFormat(
            name="csv",
            label="CSV (front/back or multiple choice)",
            extensions=(".csv",),
            content_type="text/csv; charset=utf-8",
            read=read_csv,
            write=write_csv,
        ),
        FileFormat(
            name="anki",
            label="Anki package (.apkg, or a whole collection as .colpkg)",
            extensions=(".apkg", ".colpkg"),
            content_type="application/octet-stream",
            read=read_apkg,
            write=write_apkg,
            carries_media=True,
            is_text=False,
        ),
        FileFormat(
            name="quizlet",
            label="Quizlet export (term and definition, one card a line)",
            extensions=(".txt",),
            content_type="text/plain; charset=utf-8",
            read=read_quizlet,
            write=write_quizlet,
        ),
    )
}
ALIASES = {
    "yaml": "native",
    "quizsite": "native",
    "xml": "moodle_xml",
    "apkg": "anki",
    "colpkg": "anki",
}

UNKNOWN_FORMAT = "Unknown format {name!r}; use one of: {names}."
UNKNOWN_EXTENSION = (
    "Cannot tell the format of {filename!r} from its extension; name the format (one of: {names})."
)


def _by_name(name: str) -> FileFormat:
    key = ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise UnknownFormat(UNKNOWN_FORMAT.format(name=name, names=", ".join(FORMATS)))
    return FORMATS[key]


def import_format(*, name: str | None, filename: str) -> FileFormat:
    """The format named, or else the one the file's extension says; ImportRefused if neither."""
    try:
        if name:
            file_format = _by_name(name)
        else:
            suffix = PurePath(filename).suffix.lower()
            file_format = next((fmt for fmt in FORMATS.values() if suffix in fmt.extensions), None)
            if file_format is None:
                names = ", ".join(FORMATS)
                raise UnknownFormat(UNKNOWN_EXTENSION.format(filename=filename, names=names))
    except UnknownFormat as error:
        raise ImportRefused([ImportProblem(str(error))]) from None
    return file_format


XML_DECLARED_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")


def as_utf8(content: bytes, *, file_format: FileFormat, encoding: str | None) -> bytes:
    """A text file saved in `encoding` (as a teacher names it) as the UTF-8 every reader
    takes; an XML file's own declaration of its encoding gives way to the one named."""
    if not encoding or not file_format.is_text or check_encoding(encoding) == "utf-8":
        return content
    text = decode_text(content, encoding)
    if file_format.name == "moodle_xml":
        text = XML_DECLARED_ENCODING.sub(r"\1", text, count=1)
    return text.encode("utf-8")


def export_format(name: str) -> FileFormat:
    """The format named; UnknownFormat if there is none."""
    return _by_name(name)


def importable_formats() -> list[str]:
    return list(FORMATS)


def exportable_formats() -> list[str]:
    return list(FORMATS)
