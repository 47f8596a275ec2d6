"""Writing a set as an Anki package (.apkg) with genanki.

A question imported from Anki goes back as the note it came from: the same guid, the same note
type (id, fields and templates) and the note's own fields, with only what was edited in
quizsite rewritten — so Anki, importing the package into the collection it came from, updates
those notes in place. The two cards of a reversed note make one note again. Every other
question becomes a note of quizsite's own Basic or Cloze note type.
"""

import hashlib
import html
import io
import itertools
import json
import posixpath
import re
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from urllib.parse import unquote

import genanki

from questions.formats.anki import CLOZE, FORMAT, card_sides, cloze_parts
from questions.formats.anki_package import NoteType, card_fields, cloze_fields, media_references
from questions.formats.common import number_text
from questions.formats.spec import QuestionSpec, SetSpec, Written
from questions.models.banks import QuestionKind
from questions.validation import GAP_PATTERN

AUDIO = re.compile(
    r"""<audio\b[^>]*?\bsrc=(["'])(?P<name>[^"']+)\1[^>]*>\s*(?:</audio>)?""", re.IGNORECASE
)
REFERENCE = re.compile(r"""(?P<attr>src|href)=(?P<quote>["'])(?P<name>[^"']+)(?P=quote)""")

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


def _stable_id(text: str) -> int:
    """A positive 62-bit id from a text, the same every time."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:15], 16)


def _note_guid(question: QuestionSpec, set_key: str, position: int) -> str:
    if question.external_id.startswith("anki:") and question.external_id.count(":") == 1:
        return question.external_id.removeprefix("anki:")
    return genanki.guid_for("quizsite", set_key, question.external_id or str(position))


def _to_anki(text: str) -> str:
    """A stored text as a field: sounds as Anki writes them, so Anki plays and keeps them."""
    return AUDIO.sub(lambda m: f"[sound:{html.unescape(m.group('name'))}]", text)


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


def _cloze_text(question: QuestionSpec, hints: dict[int, str] | None = None) -> str:
    """The prompt with each gap {{n}} written as {{cn::answer}}, or {{cn::answer::hint}}."""
    hints = hints or {}
    first_answer: dict[int, str] = {}
    for answer in question.answers:
        if answer.is_correct and answer.gap is not None:
            first_answer.setdefault(answer.gap, answer.text)

    def gap(match: re.Match) -> str:
        number = int(match.group(1))
        hint = f"::{hints[number]}" if hints.get(number) else ""
        return f"{{{{c{number}::{html.escape(first_answer.get(number, ''))}{hint}}}}}"

    return GAP_PATTERN.sub(gap, question.prompt)


@dataclass
class _Note:
    note_type: NoteType
    fields: list[str]
    tags: list[str]
    renamed: dict[str, str] = field(default_factory=dict)
    """Media as the note's fields name them → as the exported texts name them."""


def _as_exported(text: str, renamed: dict[str, str]) -> str:
    """A text derived from a note's own fields, naming its media as the export does."""
    return REFERENCE.sub(
        lambda m: f"{m['attr']}={m['quote']}{renamed.get(m['name'], m['name'])}{m['quote']}", text
    )


def _put(note: _Note, names: list[str], text: str) -> None:
    """Write an edited side into the fields it is made of: one field takes it whole; several
    take a line each when it still has that many lines, else the first takes it all."""
    indexes = [note.note_type.fields.index(name) for name in names]
    if not indexes:
        return
    lines = text.split("<br>")
    if len(indexes) > 1 and len(lines) == len(indexes):
        for index, line in zip(indexes, lines, strict=True):
            note.fields[index] = _to_anki(line)
        return
    for index in indexes:
        note.fields[index] = ""
    note.fields[indexes[0]] = _to_anki(text)


def _apply_edits(note: _Note, question: QuestionSpec, card: int | None) -> None:
    """Rewrite the fields behind whatever part of the question was edited in quizsite; a part
    still as the note's fields make it keeps the fields exactly as Anki had them."""
    note_type = note.note_type
    values = dict(zip(note_type.fields, note.fields, strict=True))
    if note_type.is_cloze:
        text_field, other_fields = cloze_fields(note_type)
        prompt, answers, extra, _ = cloze_parts(note_type, values)
        same_prompt = _as_exported(prompt, note.renamed) == question.prompt
        if not same_prompt or [(a.text, a.gap) for a in answers] != [
            (a.text, a.gap) for a in question.answers if a.is_correct
        ]:
            hints = {int(m[1]): m[3] for m in CLOZE.finditer(values[text_field]) if m[3]}
            _put(note, [text_field], _cloze_text(question, hints))
        if _as_exported(extra, note.renamed) != question.explanation:
            _put(note, other_fields, question.explanation)
        return
    if card is None or card >= len(note_type.templates):
        return
    front_names, back_names = card_fields(note_type, card)
    front, back = card_sides(note_type, values, card)
    if _as_exported(front, note.renamed) != question.prompt:
        _put(note, front_names, question.prompt)
    wanted_back = question.answers[0].text if question.answers else ""
    if question.explanation:
        wanted_back += f"<hr>{question.explanation}"
    if _as_exported(back, note.renamed) != wanted_back:
        _put(note, back_names, wanted_back)


def _model(note_type: NoteType) -> genanki.Model:
    return genanki.Model(
        note_type.id,
        note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[
            {"name": t.name, "qfmt": t.question, "afmt": t.answer} for t in note_type.templates
        ],
        css=note_type.css,
        model_type=genanki.Model.CLOZE if note_type.is_cloze else genanki.Model.FRONT_BACK,
        latex_pre=note_type.latex_pre,
        latex_post=note_type.latex_post,
        sort_field_index=note_type.sort_field,
    )


def _tags(question: QuestionSpec, spec: SetSpec) -> list[str]:
    return [spec.topics.get(slug, slug).replace(" ", "_") for slug in question.topics]


def _own_notes(spec: SetSpec, note_types: dict[str, NoteType]) -> dict[str, _Note]:
    """The notes of the questions that came from Anki, by guid, as Anki had them but for
    what was edited since."""
    notes: dict[str, _Note] = {}
    for question in spec.questions:
        origin = question.origin.get(FORMAT)
        note_type = note_types.get(origin["note_type"]) if origin else None
        if note_type is None or len(origin["fields"]) != len(note_type.fields):
            continue
        note = notes.get(origin["guid"])
        if note is None:
            # Saved, the origin maps each file to where it is stored (set_import_media.link_media).
            stored = origin.get("media")
            stored = stored if isinstance(stored, dict) else {}
            renamed = {name: posixpath.basename(path) for name, path in stored.items()}
            note = _Note(note_type, list(origin["fields"]), origin["tags"].split(), renamed)
            notes[origin["guid"]] = note
        if question.edited:
            _apply_edits(note, question, origin.get("card"))
            note.tags = _tags(question, spec)
    return notes


def write_apkg(spec: SetSpec) -> Written:
    """A package Anki opens: notes imported from Anki as they came, cloze questions as Cloze
    notes, everything else as Basic notes."""
    set_key = spec.external_id or spec.title
    origin = spec.origin.get(FORMAT, {})
    deck_origin = origin.get("deck")
    if deck_origin and deck_origin["name"].split("::")[-1] == spec.title:
        deck = genanki.Deck(deck_origin["id"], deck_origin["name"])
    else:
        deck = genanki.Deck(_stable_id(f"quizsite-deck:{set_key}"), spec.title)
    note_types = {
        key: NoteType.from_origin(data) for key, data in origin.get("note_types", {}).items()
    }
    own_notes = _own_notes(spec, note_types)
    models: dict[int, genanki.Model] = {}
    written: set[str] = set()
    for position, question in enumerate(spec.questions, start=1):
        guid = question.origin.get(FORMAT, {}).get("guid")
        if guid in own_notes:
            if guid not in written:
                written.add(guid)
                note = own_notes[guid]
                model = models.setdefault(note.note_type.id, _model(note.note_type))
                deck.add_note(genanki.Note(model, note.fields, tags=note.tags, guid=guid))
            continue
        tags = _tags(question, spec)
        guid = _note_guid(question, set_key, position)
        if question.kind == QuestionKind.CLOZE:
            fields = [_to_anki(_cloze_text(question)), _to_anki(question.explanation)]
            deck.add_note(genanki.Note(model=CLOZE_MODEL, fields=fields, tags=tags, guid=guid))
            continue
        front, back = _basic_sides(question)
        if question.explanation:
            back += f"<hr>{question.explanation}"
        fields = [_to_anki(front), _to_anki(back)]
        deck.add_note(genanki.Note(model=BASIC_MODEL, fields=fields, tags=tags, guid=guid))
    unchanged = {note_type.id: note_type.modified for note_type in note_types.values()}
    return Written(_package(deck, _referenced_media(deck, spec.media), unchanged))


def _referenced_media(deck: genanki.Deck, media: dict[str, bytes]) -> dict[str, bytes]:
    """The media files the notes refer to, by image, sound or link."""
    names = set()
    for note in deck.notes:
        for value in note.fields:
            for name in media_references(value):
                names |= {name, html.unescape(name), unquote(html.unescape(name))}
    return {name: content for name, content in media.items() if name in names}


def _package(deck: genanki.Deck, media: dict[str, bytes], modified: dict[int, int]) -> bytes:
    """The .apkg of a deck with its media; the note types in `modified` (id → time) keep that
    modification time, so Anki sees nothing newer and leaves its own copy of them alone."""
    with tempfile.TemporaryDirectory() as folder:
        media_paths = []
        for name, content in media.items():
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
        models = json.loads(connection.execute("SELECT models FROM col").fetchone()[0])
        for model_id, model in models.items():
            if int(model_id) in modified:
                model["mod"] = modified[int(model_id)]
        connection.execute("UPDATE col SET models = ?", (json.dumps(models),))
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
    return out.getvalue()
