"""Anki packages (.apkg): read Basic, reversed and Cloze notes; write a set with genanki.

An .apkg is a zip holding the collection as SQLite — `collection.anki2` (older Anki and
genanki), or `collection.anki21b` compressed with zstd (Anki 2.1.50 and later, whose note
types live in their own tables as protobuf) — plus its media files, numbered, with a `media`
index (JSON, or zstd-compressed protobuf in the newer packages).
"""

import hashlib
import html
import io
import itertools
import json
import re
import sqlite3
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePath

import genanki
import zstandard
from django.conf import settings

from questions.formats.common import clean_html, html_to_text, number_text, topic_slug
from questions.formats.spec import (
    AnswerSpec,
    ImportProblem,
    ImportRefused,
    QuestionSpec,
    SetSpec,
    Written,
)
from questions.models.banks import QuestionKind
from questions.validation import GAP_PATTERN

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
MAX_EXPANSION = 20
"""A package may unpack to this many times the import size limit, and no more."""
FIELD_SEPARATOR = "\x1f"
CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
FIELD_REFERENCE = re.compile(r"\{\{([^{}]+)\}\}")
SOUND = re.compile(r"\[sound:([^\]]+)\]")
NOTETYPE_KIND_CLOZE = 1

NOT_A_PACKAGE = "Not an Anki package: {reason}."
NO_COLLECTION = "the zip holds no collection.anki2 or collection.anki21b"
TOO_LARGE_UNPACKED = "the package unpacks to more than {limit:,} bytes"
UNREADABLE = "its collection cannot be read ({error})"
NOTE_WITHOUT_TYPE = "Note {guid}: its note type is missing from the package; left out."
EMPTY_CARD = "Note {guid}, card {ord}: the card shows nothing on one side; left out."
HINTS_DROPPED = "Cloze hints (the text after a second ::) have no place in quizsite; left out."

# Stable ids, so a second export updates the same note types and deck in Anki.
BASIC_MODEL_ID = 1_607_392_319
CLOZE_MODEL_ID = 1_607_392_320
CARD_CSS = ".card { font-family: arial; font-size: 20px; text-align: center; }"
BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID,
    "quizsite Basic",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{Back}}",
        }
    ],
    css=CARD_CSS,
)
CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID,
    "quizsite Cloze",
    fields=[{"name": "Text"}, {"name": "Back Extra"}],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}<br>{{Back Extra}}",
        }
    ],
    css=CARD_CSS,
    model_type=genanki.Model.CLOZE,
)


def _protobuf(data: bytes) -> list[tuple[int, int | bytes]]:
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
    return next((value for n, value in _protobuf(message) if n == number), default)


def _unzstd(data: bytes, limit: int) -> bytes:
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
class _NoteType:
    is_cloze: bool
    fields: list[str]
    templates: list[tuple[str, str]]
    """(question format, answer format) by card ordinal."""


def _note_types(db: sqlite3.Connection) -> dict[int, _NoteType]:
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0] or "{}")
    if models:
        return {
            int(model_id): _NoteType(
                is_cloze=model.get("type") == 1,
                fields=[f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"])],
                templates=[
                    (t["qfmt"], t["afmt"]) for t in sorted(model["tmpls"], key=lambda t: t["ord"])
                ],
            )
            for model_id, model in models.items()
        }
    # Anki 2.1.50+ (schema 18): note types, fields and templates have tables of their own.
    types = {}
    for type_id, config in db.execute("SELECT id, config FROM notetypes"):
        fields = [
            row[0]
            for row in db.execute("SELECT name FROM fields WHERE ntid = ? ORDER BY ord", (type_id,))
        ]
        templates = [
            (
                bytes(_field(row[0], 1, b"")).decode("utf-8"),
                bytes(_field(row[0], 2, b"")).decode("utf-8"),
            )
            for row in db.execute(
                "SELECT config FROM templates WHERE ntid = ? ORDER BY ord", (type_id,)
            )
        ]
        types[type_id] = _NoteType(
            is_cloze=_field(config, 1, 0) == NOTETYPE_KIND_CLOZE,
            fields=fields,
            templates=templates,
        )
    return types


def _deck_names(db: sqlite3.Connection) -> dict[int, str]:
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0] or "{}")
    if decks:
        return {int(deck_id): deck["name"] for deck_id, deck in decks.items()}
    return {
        deck_id: name.replace("\x1f", "::")
        for deck_id, name in db.execute("SELECT id, name FROM decks")
    }


def _media(archive: zipfile.ZipFile, limit: int) -> dict[str, bytes]:
    if "media" not in archive.namelist():
        return {}
    index = _unzstd(archive.read("media"), limit)
    if index.lstrip().startswith(b"{"):
        names = json.loads(index)
    else:  # MediaEntries { repeated MediaEntry entries = 1 }, MediaEntry { string name = 1 }
        names = {
            str(position): bytes(_field(entry, 1, b"")).decode("utf-8")
            for position, (_, entry) in enumerate(_protobuf(index))
        }
    media = {}
    members = set(archive.namelist())
    for key, name in names.items():
        if key in members:
            media[name] = _unzstd(archive.read(key), limit)
    return media


def _field_html(value: str) -> str:
    with_sound = SOUND.sub(
        lambda m: f'<audio controls src="{html.escape(m.group(1))}"></audio>', value
    )
    return clean_html(with_sound)


def _referenced(template: str, *, typed: bool = True) -> list[str]:
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


def _card_sides(note_type: _NoteType, values: dict[str, str], ordinal: int) -> tuple[str, str]:
    question_format, answer_format = note_type.templates[ordinal]
    front_names = [n for n in _referenced(question_format, typed=False) if n in values]
    back_names = [n for n in _referenced(answer_format) if n in values and n not in front_names]
    front = "<br>".join(values[n] for n in front_names if values[n].strip())
    back = "<br>".join(values[n] for n in back_names if values[n].strip())
    return front, back


def _cloze_question(
    note_type: _NoteType, values: dict[str, str], warnings: list[str]
) -> tuple[str, list[AnswerSpec], str]:
    cloze_fields = [
        name
        for question_format, _ in note_type.templates
        for reference in FIELD_REFERENCE.findall(question_format)
        if reference.strip().startswith("cloze:")
        for name in [reference.split(":")[-1].strip()]
    ] or note_type.fields[:1]
    text = values.get(cloze_fields[0], "")
    answers: list[AnswerSpec] = []
    seen: set[tuple[int, str]] = set()

    def replace(match: re.Match) -> str:
        gap, answer = int(match.group(1)), html_to_text(match.group(2))
        if match.group(3) and HINTS_DROPPED not in warnings:
            warnings.append(HINTS_DROPPED)
        if (gap, answer) not in seen:
            seen.add((gap, answer))
            answers.append(AnswerSpec(text=answer, gap=gap, is_correct=True, fraction=1))
        return f"{{{{{gap}}}}}"

    prompt = CLOZE.sub(replace, text)
    extra = "<br>".join(
        values[name]
        for name in note_type.fields
        if name not in cloze_fields and values[name].strip()
    )
    answers.sort(key=lambda answer: answer.gap or 0)
    return _field_html(prompt), answers, _field_html(extra)


def read_apkg(content: bytes, *, filename: str, base_dir: Path | None = None) -> SetSpec:
    """An Anki package's notes as flashcards and cloze questions, with their media."""
    limit = settings.QUIZSITE_MAX_IMPORT_BYTES * MAX_EXPANSION
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise ImportRefused(
            [ImportProblem(NOT_A_PACKAGE.format(reason="not a zip file"))]
        ) from None
    with archive:
        if sum(info.file_size for info in archive.infolist()) > limit * 2:
            reason = TOO_LARGE_UNPACKED.format(limit=limit * 2)
            raise ImportRefused([ImportProblem(NOT_A_PACKAGE.format(reason=reason))])
        member = next((name for name in COLLECTIONS if name in archive.namelist()), None)
        if member is None:
            raise ImportRefused([ImportProblem(NOT_A_PACKAGE.format(reason=NO_COLLECTION))])
        collection = _unzstd(archive.read(member), limit)
        media = _media(archive, limit)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collection.sqlite"
        path.write_bytes(collection)
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                return _read_collection(db, filename, media)
            finally:
                db.close()
        except (sqlite3.DatabaseError, KeyError, ValueError, IndexError, TypeError) as error:
            reason = UNREADABLE.format(error=error)
            raise ImportRefused([ImportProblem(NOT_A_PACKAGE.format(reason=reason))]) from None


def _read_collection(db: sqlite3.Connection, filename: str, media: dict[str, bytes]) -> SetSpec:
    note_types = _note_types(db)
    decks = _deck_names(db)
    cards: dict[int, list[int]] = {}
    deck_counts: Counter[int] = Counter()
    for note_id, ordinal, deck_id in db.execute("SELECT nid, ord, did FROM cards ORDER BY ord"):
        cards.setdefault(note_id, []).append(ordinal)
        deck_counts[deck_id] += 1
    warnings: list[str] = []
    topics: dict[str, str] = {}
    questions: list[QuestionSpec] = []
    for note_id, guid, type_id, tags, fields in db.execute(
        "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
    ):
        note_type = note_types.get(type_id)
        if note_type is None:
            warnings.append(NOTE_WITHOUT_TYPE.format(guid=guid))
            continue
        values = dict(zip(note_type.fields, fields.split(FIELD_SEPARATOR), strict=False))
        values.update({name: "" for name in note_type.fields if name not in values})
        note_topics = []
        for tag in tags.split():
            topics.setdefault(topic_slug(tag), tag)
            note_topics.append(topic_slug(tag))
        if note_type.is_cloze:
            prompt, answers, extra = _cloze_question(note_type, values, warnings)
            questions.append(
                QuestionSpec(
                    kind=QuestionKind.CLOZE,
                    prompt=prompt,
                    answers=answers,
                    explanation=extra,
                    topics=note_topics,
                    external_id=f"anki:{guid}",
                )
            )
            continue
        for ordinal in cards.get(note_id, [0]):
            if ordinal >= len(note_type.templates):
                continue
            front, back = _card_sides(note_type, values, ordinal)
            if not front.strip() or not back.strip():
                warnings.append(EMPTY_CARD.format(guid=guid, ord=ordinal + 1))
                continue
            questions.append(
                QuestionSpec(
                    kind=QuestionKind.FLASHCARD,
                    prompt=_field_html(front),
                    answers=[AnswerSpec(text=_field_html(back), is_correct=True, fraction=1)],
                    topics=list(note_topics),
                    external_id=f"anki:{guid}" if ordinal == 0 else f"anki:{guid}:{ordinal}",
                )
            )
    main_deck = deck_counts.most_common(1)[0][0] if deck_counts else None
    title = decks.get(main_deck, "") if main_deck is not None else ""
    return SetSpec(
        title=title.split("::")[-1] or PurePath(filename).stem or "Anki deck",
        external_id=f"anki-deck:{main_deck}" if main_deck else f"anki:{PurePath(filename).name}",
        topics=topics,
        questions=questions,
        warnings=warnings,
        media=media,
    )


def _stable_id(text: str) -> int:
    """A positive 62-bit id from a text, the same every time."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:15], 16)


def _note_guid(question: QuestionSpec, set_key: str, position: int) -> str:
    if question.external_id.startswith("anki:") and question.external_id.count(":") == 1:
        return question.external_id.removeprefix("anki:")
    return genanki.guid_for("quizsite", set_key, question.external_id or str(position))


def _list(items: list[str], tag: str = "ul", attributes: str = "") -> str:
    return f"<{tag}{attributes}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def _basic_sides(question: QuestionSpec) -> tuple[str, str]:
    """Front and back of a Basic note for a question that Anki has no type for."""
    answers = question.answers
    right = [a.text for a in answers if a.is_correct]
    match question.kind:
        case QuestionKind.FLASHCARD:
            return question.prompt, answers[0].text
        case QuestionKind.MULTIPLE_CHOICE:
            choices = _list([a.text for a in answers], "ol", ' type="A"')
            return question.prompt + choices, _list(right)
        case QuestionKind.TRUE_FALSE:
            return question.prompt + "<br>(True or false?)", right[0] if right else ""
        case QuestionKind.SHORT_ANSWER:
            return question.prompt, " / ".join(right)
        case QuestionKind.NUMERICAL:
            values = [
                number_text(a.number or 0)
                + (f" (± {number_text(a.tolerance)})" if a.tolerance else "")
                for a in answers
                if a.is_correct
            ]
            return question.prompt, " / ".join(values)
        case QuestionKind.MATCHING:
            return question.prompt, _list([f"{a.text} → {a.match_text}" for a in answers])
        case QuestionKind.ORDERING:
            return question.prompt, _list([a.text for a in answers], "ol")
    raise AssertionError(question.kind)


def _cloze_text(question: QuestionSpec) -> str:
    first_answer: dict[int, str] = {}
    for answer in question.answers:
        if answer.is_correct and answer.gap is not None:
            first_answer.setdefault(answer.gap, answer.text)
    return GAP_PATTERN.sub(
        lambda m: f"{{{{c{m.group(1)}::{html.escape(first_answer.get(int(m.group(1)), ''))}}}}}",
        question.prompt,
    )


def write_apkg(spec: SetSpec) -> Written:
    """A package Anki opens: cloze questions as Cloze notes, everything else as Basic notes."""
    set_key = spec.external_id or spec.title
    deck = genanki.Deck(_stable_id(f"quizsite-deck:{set_key}"), spec.title)
    for position, question in enumerate(spec.questions, start=1):
        tags = [slug.replace(" ", "_") for slug in question.topics]
        guid = _note_guid(question, set_key, position)
        if question.kind == QuestionKind.CLOZE:
            fields = [_cloze_text(question), question.explanation]
            deck.add_note(genanki.Note(model=CLOZE_MODEL, fields=fields, tags=tags, guid=guid))
            continue
        front, back = _basic_sides(question)
        if question.explanation:
            back += f"<hr>{question.explanation}"
        deck.add_note(genanki.Note(model=BASIC_MODEL, fields=[front, back], tags=tags, guid=guid))
    with tempfile.TemporaryDirectory() as folder:
        media_paths = []
        for name, content in spec.media.items():
            path = Path(folder) / "media" / PurePath(name).name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(content)
            media_paths.append(str(path))
        package = genanki.Package(deck, media_files=media_paths)
        # genanki's own write_to_file leaves its SQLite file behind in /tmp; this does not.
        db_path = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(db_path)
        timestamp = time.time()
        package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        connection.close()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(db_path, "collection.anki2")
            archive.writestr(
                "media", json.dumps({str(i): PurePath(p).name for i, p in enumerate(media_paths)})
            )
            for index, media_path in enumerate(media_paths):
                archive.write(media_path, str(index))
    return Written(out.getvalue())
