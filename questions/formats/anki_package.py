"""What an Anki package holds, read from its SQLite collection: note types, decks and media.

An .apkg (one deck) or .colpkg (a whole collection) is a zip holding the collection as SQLite —
`collection.anki2` (older Anki and genanki), or `collection.anki21b` compressed with zstd (Anki
2.1.50 and later, whose note types live in their own tables as protobuf) — plus its media
files, numbered, with a `media` index (JSON, or zstd-compressed protobuf in the newer packages).
"""

import io
import json
import re
import sqlite3
import zipfile
from dataclasses import asdict, dataclass

import zstandard

from questions.formats.spec import ImportProblem, ImportRefused

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
NOTETYPE_KIND_CLOZE = 1
# Field numbers of Anki's protobuf configs (anki/notetypes.proto).
NOTETYPE_KIND, NOTETYPE_SORT_FIELD, NOTETYPE_CSS = 1, 2, 3
NOTETYPE_LATEX_PRE, NOTETYPE_LATEX_POST = 5, 6
TEMPLATE_QUESTION, TEMPLATE_ANSWER = 1, 2

FIELD_SEPARATOR = "\x1f"
FIELD_REFERENCE = re.compile(r"\{\{([^{}]+)\}\}")
SOUND = re.compile(r"\[sound:([^\]]+)\]")
MEDIA_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)

NOT_A_PACKAGE = "Not an Anki package: {reason}."
TOO_LARGE_UNPACKED = "the package unpacks to more than {limit:,} bytes"


def protobuf(data: bytes) -> list[tuple[int, int | bytes]]:
    """The (field number, value) pairs of a protobuf message; enough for Anki's configs."""
    fields: list[tuple[int, int | bytes]] = []
    position = 0

    def varint() -> int:
        nonlocal position
        result = shift = 0
        while True:
            byte = data[position]
            position += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7

    while position < len(data):
        key = varint()
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            fields.append((number, varint()))
        elif wire_type == 2:
            length = varint()
            fields.append((number, data[position : position + length]))
            position += length
        elif wire_type == 1:
            position += 8
        elif wire_type == 5:
            position += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire_type}")
    return fields


def _field(message: bytes, number: int, default: int | bytes) -> int | bytes:
    return next((value for n, value in protobuf(message) if n == number), default)


def _text(message: bytes, number: int) -> str:
    return bytes(_field(message, number, b"")).decode("utf-8")


def unzstd(data: bytes, limit: int) -> bytes:
    if not data.startswith(ZSTD_MAGIC):
        return data
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data))
    out = reader.read(limit + 1)
    if len(out) > limit:
        raise ImportRefused(
            [ImportProblem(NOT_A_PACKAGE.format(reason=TOO_LARGE_UNPACKED.format(limit=limit)))]
        )
    return out


@dataclass
class Template:
    name: str
    question: str
    answer: str


@dataclass
class NoteType:
    """A note type as Anki matches it on import: by id, then by its field and template names."""

    id: int
    name: str
    is_cloze: bool
    fields: list[str]
    templates: list[Template]
    css: str = ""
    sort_field: int = 0
    latex_pre: str = ""
    latex_post: str = ""
    modified: int = 0
    """Seconds since 1970; an import with a newer one replaces the note type in Anki."""

    def as_origin(self) -> dict:
        return asdict(self)

    @classmethod
    def from_origin(cls, data: dict) -> "NoteType":
        templates = [Template(**template) for template in data["templates"]]
        return cls(**{**data, "templates": templates})


def note_types(db: sqlite3.Connection) -> dict[int, NoteType]:
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0] or "{}")
    if models:
        return {
            int(model_id): NoteType(
                id=int(model_id),
                name=model.get("name", ""),
                is_cloze=model.get("type") == 1,
                fields=[f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"])],
                templates=[
                    Template(name=t.get("name", ""), question=t["qfmt"], answer=t["afmt"])
                    for t in sorted(model["tmpls"], key=lambda t: t["ord"])
                ],
                css=model.get("css", ""),
                sort_field=model.get("sortf", 0),
                latex_pre=model.get("latexPre", ""),
                latex_post=model.get("latexPost", ""),
                modified=model.get("mod", 0),
            )
            for model_id, model in models.items()
        }
    # Anki 2.1.50+ (schema 18): note types, fields and templates have tables of their own.
    types = {}
    for type_id, name, modified, config in db.execute(
        "SELECT id, name, mtime_secs, config FROM notetypes"
    ):
        fields = [
            row[0]
            for row in db.execute("SELECT name FROM fields WHERE ntid = ? ORDER BY ord", (type_id,))
        ]
        templates = [
            Template(
                name=template_name,
                question=_text(template, TEMPLATE_QUESTION),
                answer=_text(template, TEMPLATE_ANSWER),
            )
            for template_name, template in db.execute(
                "SELECT name, config FROM templates WHERE ntid = ? ORDER BY ord", (type_id,)
            )
        ]
        types[type_id] = NoteType(
            id=type_id,
            name=name,
            is_cloze=_field(config, NOTETYPE_KIND, 0) == NOTETYPE_KIND_CLOZE,
            fields=fields,
            templates=templates,
            css=_text(config, NOTETYPE_CSS),
            sort_field=int(_field(config, NOTETYPE_SORT_FIELD, 0)),
            latex_pre=_text(config, NOTETYPE_LATEX_PRE),
            latex_post=_text(config, NOTETYPE_LATEX_POST),
            modified=modified,
        )
    return types


def deck_names(db: sqlite3.Connection) -> dict[int, str]:
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0] or "{}")
    if decks:
        return {int(deck_id): deck["name"] for deck_id, deck in decks.items()}
    return {
        deck_id: name.replace("\x1f", "::")
        for deck_id, name in db.execute("SELECT id, name FROM decks")
    }


def media(archive: zipfile.ZipFile, limit: int) -> dict[str, bytes]:
    if "media" not in archive.namelist():
        return {}
    index = unzstd(archive.read("media"), limit)
    if index.lstrip().startswith(b"{"):
        names = json.loads(index)
    else:  # MediaEntries { repeated MediaEntry entries = 1 }, MediaEntry { string name = 1 }
        names = {
            str(position): _text(entry, 1) for position, (_, entry) in enumerate(protobuf(index))
        }
    files = {}
    members = set(archive.namelist())
    for key, name in names.items():
        if key in members:
            files[name] = unzstd(archive.read(key), limit)
    return files


def referenced_fields(template: str, *, typed: bool = True) -> list[str]:
    """The fields a card template shows, in order; `typed=False` leaves out {{type:Field}},
    the box where the answer is typed, which a front template names but does not show."""
    names = []
    for reference in FIELD_REFERENCE.findall(template):
        reference = reference.strip()
        if reference[:1] in "#^/!" or (not typed and reference.startswith("type:")):
            continue
        name = reference.split(":")[-1].strip()
        if name not in names:
            names.append(name)
    return names


def card_fields(note_type: NoteType, ordinal: int) -> tuple[list[str], list[str]]:
    """The fields a card shows on its front, and those its back adds."""
    template = note_type.templates[ordinal]
    front = [n for n in referenced_fields(template.question, typed=False) if n in note_type.fields]
    back = [
        n for n in referenced_fields(template.answer) if n in note_type.fields and n not in front
    ]
    return front, back


def cloze_fields(note_type: NoteType) -> tuple[str, list[str]]:
    """The field a cloze note type cuts gaps in, and its other fields."""
    cloze = [
        reference.split(":")[-1].strip()
        for template in note_type.templates
        for reference in FIELD_REFERENCE.findall(template.question)
        if reference.strip().startswith("cloze:")
    ]
    text = next((name for name in cloze if name in note_type.fields), note_type.fields[0])
    return text, [name for name in note_type.fields if name != text]


def media_references(text: str) -> list[str]:
    """The file names a field refers to: images, sounds, links."""
    return SOUND.findall(text) + MEDIA_REFERENCE.findall(text)
