"""Anki packages (.apkg, .colpkg): read Basic, reversed and Cloze notes — of any note type —
as flashcards and cloze questions.

Each question keeps, in its origin, what Anki needs to recognise its note when the set is
exported again (questions.formats.anki_export): the note's guid, its note type and its fields
as Anki had them, with Cloze hints and fields quizsite does not show. The package layout is
read by questions.formats.anki_package.
"""

import html
import io
import re
import sqlite3
import tempfile
import zipfile
from collections import Counter
from pathlib import Path, PurePath

from django.conf import settings

from questions.formats import anki_package
from questions.formats.anki_package import (
    FIELD_SEPARATOR,
    NOT_A_PACKAGE,
    SOUND,
    TOO_LARGE_UNPACKED,
    NoteType,
    card_fields,
    cloze_fields,
    media_references,
    unzstd,
)
from questions.formats.common import clean_html, html_to_text, topic_slug
from questions.formats.spec import AnswerSpec, ImportProblem, ImportRefused, QuestionSpec, SetSpec
from questions.models.banks import QuestionKind

FORMAT = "anki"
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
MAX_EXPANSION = 20
"""A package may unpack to this many times the import size limit, and no more."""
CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)

NO_COLLECTION = "the zip holds no collection.anki2 or collection.anki21b"
UNREADABLE = "its collection cannot be read ({error})"
NOTE_WITHOUT_TYPE = "Note {guid}: its note type is missing from the package; left out."
EMPTY_CARD = "Note {guid}, card {ord}: the card shows nothing on one side; left out."
HINTS_KEPT = (
    "Cloze hints (the text after a second ::) are kept for the export back to Anki; "
    "quizsite does not show them."
)


def field_html(value: str) -> str:
    """A field's text as quizsite stores it: sounds as <audio>, markup cleaned."""
    with_sound = SOUND.sub(
        lambda m: f'<audio controls src="{html.escape(m.group(1))}"></audio>', value
    )
    return clean_html(with_sound)


def card_sides(note_type: NoteType, values: dict[str, str], ordinal: int) -> tuple[str, str]:
    """What a card of a note shows on its front and adds on its back, as quizsite stores it."""
    front_names, back_names = card_fields(note_type, ordinal)
    front = "<br>".join(values[n] for n in front_names if values[n].strip())
    back = "<br>".join(values[n] for n in back_names if values[n].strip())
    return field_html(front), field_html(back)


def cloze_parts(
    note_type: NoteType, values: dict[str, str]
) -> tuple[str, list[AnswerSpec], str, bool]:
    """A cloze note's prompt with gaps {{n}}, its answers, its other fields (as the
    explanation), and whether it has hints."""
    text_field, other_fields = cloze_fields(note_type)
    answers: list[AnswerSpec] = []
    seen: set[tuple[int, str]] = set()
    hinted = False

    def replace(match: re.Match) -> str:
        nonlocal hinted
        gap, answer = int(match.group(1)), html_to_text(match.group(2))
        hinted = hinted or bool(match.group(3))
        if (gap, answer) not in seen:
            seen.add((gap, answer))
            answers.append(AnswerSpec(text=answer, gap=gap, is_correct=True, fraction=1))
        return f"{{{{{gap}}}}}"

    prompt = CLOZE.sub(replace, values.get(text_field, ""))
    extra = "<br>".join(values[name] for name in other_fields if values[name].strip())
    answers.sort(key=lambda answer: answer.gap or 0)
    return field_html(prompt), answers, field_html(extra), hinted


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
        collection = unzstd(archive.read(member), limit)
        media = anki_package.media(archive, limit)
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


def _note_origin(
    *, guid: str, note_type: NoteType, fields: list[str], tags: str, media: dict[str, bytes]
) -> dict:
    referenced = {name for value in fields for name in media_references(value)}
    return {
        "guid": guid,
        "note_type": str(note_type.id),
        "fields": fields,
        "tags": tags.strip(),
        "media": sorted(name for name in referenced if name in media),
    }


def _read_collection(db: sqlite3.Connection, filename: str, media: dict[str, bytes]) -> SetSpec:
    note_types = anki_package.note_types(db)
    decks = anki_package.deck_names(db)
    cards: dict[int, list[int]] = {}
    deck_counts: Counter[int] = Counter()
    for note_id, ordinal, deck_id in db.execute("SELECT nid, ord, did FROM cards ORDER BY ord"):
        cards.setdefault(note_id, []).append(ordinal)
        deck_counts[deck_id] += 1
    warnings: list[str] = []
    topics: dict[str, str] = {}
    questions: list[QuestionSpec] = []
    used_types: set[int] = set()
    for note_id, guid, type_id, tags, flds in db.execute(
        "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
    ):
        note_type = note_types.get(type_id)
        if note_type is None:
            warnings.append(NOTE_WITHOUT_TYPE.format(guid=guid))
            continue
        used_types.add(type_id)
        fields = flds.split(FIELD_SEPARATOR)
        fields += [""] * (len(note_type.fields) - len(fields))
        values = dict(zip(note_type.fields, fields, strict=False))
        origin = _note_origin(guid=guid, note_type=note_type, fields=fields, tags=tags, media=media)
        note_topics = []
        for tag in tags.split():
            topics.setdefault(topic_slug(tag), tag)
            if topic_slug(tag) not in note_topics:
                note_topics.append(topic_slug(tag))
        if note_type.is_cloze:
            prompt, answers, extra, hinted = cloze_parts(note_type, values)
            if hinted and HINTS_KEPT not in warnings:
                warnings.append(HINTS_KEPT)
            questions.append(
                QuestionSpec(
                    kind=QuestionKind.CLOZE,
                    prompt=prompt,
                    answers=answers,
                    explanation=extra,
                    topics=note_topics,
                    external_id=f"anki:{guid}",
                    origin={FORMAT: origin},
                )
            )
            continue
        for ordinal in cards.get(note_id, [0]):
            if ordinal >= len(note_type.templates):
                continue
            front, back = card_sides(note_type, values, ordinal)
            if not front.strip() or not back.strip():
                warnings.append(EMPTY_CARD.format(guid=guid, ord=ordinal + 1))
                continue
            questions.append(
                QuestionSpec(
                    kind=QuestionKind.FLASHCARD,
                    prompt=front,
                    answers=[AnswerSpec(text=back, is_correct=True, fraction=1)],
                    topics=list(note_topics),
                    external_id=f"anki:{guid}" if ordinal == 0 else f"anki:{guid}:{ordinal}",
                    origin={FORMAT: {**origin, "card": ordinal}},
                )
            )
    main_deck = deck_counts.most_common(1)[0][0] if deck_counts else None
    deck_name = decks.get(main_deck, "") if main_deck is not None else ""
    origin = {"note_types": {str(i): note_types[i].as_origin() for i in sorted(used_types)}}
    if main_deck is not None and deck_name:
        origin["deck"] = {"id": main_deck, "name": deck_name}
    return SetSpec(
        title=deck_name.split("::")[-1] or PurePath(filename).stem or "Anki deck",
        external_id=f"anki-deck:{main_deck}" if main_deck else f"anki:{PurePath(filename).name}",
        topics=topics,
        questions=questions,
        warnings=warnings,
        media=media,
        origin={FORMAT: origin},
    )
