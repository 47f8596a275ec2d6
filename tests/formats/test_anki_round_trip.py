"""Round trips through Anki itself: packages written by the official `anki` package (the
library inside the Anki app) import, and our export of them, imported back into the same
collection by `anki`, updates its notes in place."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
import time_machine
from anki.collection import (
    Collection,
    DeckIdLimit,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from questions.formats.anki import read_apkg
from questions.models import QuestionKind
from questions.services.set_export import export_set, set_spec
from questions.services.set_import import import_file
from tests.factories import QuestionSetFactory, TeacherFactory, question_of_kind

PNG = b"\x89PNG\r\n\x1a\n" + b"\x02" * 40
MP3 = b"ID3\x03\x00" + b"\x00" * 40
DECK = "History::Paris talks"
CLOZE_TEXT = "Talks began in {{c1::Paris::city}} on {{c2::May 13::a date}}, 1968."


def add_note(col: Collection, note_type: str, deck_id: int, tags: str = "", **fields) -> None:
    note = col.new_note(col.models.by_name(note_type))
    for name, value in fields.items():
        note[name.replace("_", " ")] = value
    note.tags = tags.split()
    col.add_note(note, deck_id)


@pytest.fixture
def collection(tmp_path) -> Collection:
    """A collection with one note of each stock kind quizsite reads, and media: an image and a
    sound (Anki packs no file a note only links to)."""
    col = Collection(str(tmp_path / "collection.anki2"))
    deck_id = col.decks.id(DECK)
    for name, content in (("harriman.png", PNG), ("tho.mp3", MP3)):
        col.media.write_data(name, content)
    add_note(
        col,
        "Basic",
        deck_id,
        "negotiators",
        Front='Who led the U.S. side? <img src="harriman.png">',
        Back="<b>Averell Harriman</b>",
    )
    add_note(
        col,
        "Basic (and reversed card)",
        deck_id,
        "negotiators",
        Front="Le Duc Tho [sound:tho.mp3]",
        Back="North Vietnam's negotiator",
    )
    add_note(
        col,
        "Basic (and reversed card)",
        deck_id,
        Front="Xuan Thuy",
        Back="North Vietnam's delegation head",
    )
    add_note(
        col,
        "Basic (optional reversed card)",
        deck_id,
        Front="Hotel Majestic",
        Back="Where the talks were held",
        Add_Reverse="y",
    )
    add_note(col, "Basic (type in the answer)", deck_id, Front="Year the talks began", Back="1968")
    add_note(col, "Cloze", deck_id, "origins", Text=CLOZE_TEXT, Back_Extra="The first session.")
    yield col
    col.close()


def export_deck(col: Collection, path: Path, *, legacy: bool) -> bytes:
    options = ExportAnkiPackageOptions(with_scheduling=False, with_media=True, legacy=legacy)
    col.export_anki_package(
        out_path=str(path), options=options, limit=DeckIdLimit(col.decks.id(DECK))
    )
    return path.read_bytes()


def notes_of(col: Collection) -> dict[str, tuple]:
    """Every note by guid: its note type, fields, tags and number of cards."""
    notes = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        notes[note.guid] = (note.mid, list(note.fields), sorted(note.tags), len(note.cards()))
    return notes


def import_into(col: Collection, content: bytes, path: Path):
    path.write_bytes(content)
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


LATER = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)


@pytest.mark.parametrize("legacy", [False, True], ids=["anki21b", "legacy"])
def test_anki_package_imports_every_card_with_its_media(db, collection, tmp_path, legacy):
    content = export_deck(collection, tmp_path / "deck.apkg", legacy=legacy)

    spec = read_apkg(content, filename="deck.apkg")

    kinds = [q.kind for q in spec.questions]
    assert kinds.count(QuestionKind.FLASHCARD) == 8  # 1 + 2 + 2 reversed, 2 optional, 1 typed
    assert kinds.count(QuestionKind.CLOZE) == 1
    assert spec.title == "Paris talks"
    assert spec.media == {"harriman.png": PNG, "tho.mp3": MP3}
    by_prompt = {q.prompt: q for q in spec.questions}
    assert by_prompt["Year the talks began"].answers[0].text == "1968"
    assert by_prompt["Where the talks were held"].answers[0].text == "Hotel Majestic"
    cloze = next(q for q in spec.questions if q.kind == QuestionKind.CLOZE)
    assert cloze.prompt == "Talks began in {{1}} on {{2}}, 1968."
    assert [(a.text, a.gap) for a in cloze.answers] == [("Paris", 1), ("May 13", 2)]
    assert cloze.origin["anki"]["fields"][0] == CLOZE_TEXT


@pytest.mark.parametrize("legacy", [False, True], ids=["anki21b", "legacy"])
def test_our_export_updates_the_same_notes_in_the_collection(db, collection, tmp_path, legacy):
    before = notes_of(collection)
    content = export_deck(collection, tmp_path / "deck.apkg", legacy=legacy)
    report = import_file(content=content, filename="deck.apkg", format=None, owner=TeacherFactory())

    with time_machine.travel(LATER):
        exported = export_set(question_set=report.question_set, format="anki")
    log = import_into(collection, exported.content, tmp_path / "back.apkg")

    assert not any(question.edited for question in set_spec(report.question_set).questions)
    assert (len(log.conflicting), len(log.duplicate), len(log.new)) == (0, 0, 0)
    assert len(log.updated) == len(before) == 6
    assert notes_of(collection) == before
    assert collection.card_count() == 10
    assert sorted(collection.media.check().unused) == []


def test_an_edit_in_quizsite_reaches_the_note_and_keeps_the_rest(db, collection, tmp_path):
    before = notes_of(collection)
    content = export_deck(collection, tmp_path / "deck.apkg", legacy=False)
    question_set = import_file(
        content=content, filename="deck.apkg", format=None, owner=TeacherFactory()
    ).question_set
    reverse = question_set.questions.get(prompt="North Vietnam's delegation head")
    reverse.prompt = "North Vietnam's chief delegate"
    reverse.save()
    cloze = question_set.questions.get(kind=QuestionKind.CLOZE)
    cloze.prompt = "The talks began in {{1}} on {{2}}, 1968."
    cloze.explanation = "The first <i>plenary</i> session."
    cloze.save()
    basic = question_set.questions.get(prompt__startswith="Who led")
    basic.answers.update(text="<b>W. Averell Harriman</b>")
    basic.save()

    with time_machine.travel(LATER):
        exported = export_set(question_set=question_set, format="anki")
    log = import_into(collection, exported.content, tmp_path / "back.apkg")

    assert (len(log.conflicting), len(log.duplicate), len(log.new), len(log.updated)) == (
        0, 0, 0, 6,
    )  # fmt: skip
    after = notes_of(collection)
    changed = {guid for guid in before if after[guid] != before[guid]}
    assert len(changed) == 3
    fields = sorted(after[guid][1] for guid in changed)
    assert fields == [
        ["The talks began in {{c1::Paris::city}} on {{c2::May 13::a date}}, 1968.",
         "The first <i>plenary</i> session."],
        ['Who led the U.S. side? <img src="harriman.png">', "<b>W. Averell Harriman</b>"],
        ["Xuan Thuy", "North Vietnam's chief delegate"],
    ]  # fmt: skip
    assert collection.card_count() == 10


def test_a_collection_package_is_read_by_its_extension(db, collection, tmp_path):
    path = tmp_path / "all.colpkg"
    collection.export_collection_package(str(path), include_media=True, legacy=False)

    report = import_file(
        content=path.read_bytes(), filename="all.colpkg", format=None, owner=TeacherFactory()
    )

    assert report.format == "anki"
    assert report.created_questions == 9
    assert read_apkg(path.read_bytes(), filename="all.colpkg").media == {
        "harriman.png": PNG,
        "tho.mp3": MP3,
    }


def test_our_export_imported_into_quizsite_again_changes_nothing(db, collection, tmp_path):
    teacher = TeacherFactory()
    content = export_deck(collection, tmp_path / "deck.apkg", legacy=False)
    first = import_file(content=content, filename="deck.apkg", format=None, owner=teacher)

    exported = export_set(question_set=first.question_set, format="anki")
    again = import_file(content=exported.content, filename="x.apkg", format=None, owner=teacher)

    assert again.question_set == first.question_set
    assert (again.created_questions, again.updated_questions) == (0, 0)
    assert again.unchanged_questions == first.created_questions == 9


def test_files_a_question_links_to_or_plays_are_packed_for_anki(db, collection, tmp_path):
    question_set = QuestionSetFactory(title="Sources")
    names = {}
    for filename, content in (("minutes.pdf", b"%PDF-1.4 minutes"), ("speech.mp3", MP3)):
        names[filename] = default_storage.save(f"imports/{filename}", ContentFile(content))
    pdf, mp3 = (default_storage.url(names[n]) for n in ("minutes.pdf", "speech.mp3"))
    question_of_kind(
        QuestionKind.FLASHCARD,
        question_set=question_set,
        prompt=f'Whose voice? <audio controls="" src="{mp3}"></audio>',
        answers=[{"text": f'Harriman\'s (<a href="{pdf}">minutes</a>)'}],
        explanation="",
    )

    exported = export_set(question_set=question_set, format="anki")
    log = import_into(collection, exported.content, tmp_path / "sources.apkg")

    assert len(log.new) == 1
    note = collection.get_note(collection.find_notes("deck:Sources")[0])
    assert note.fields == [
        "Whose voice? [sound:speech.mp3]",
        'Harriman\'s (<a href="minutes.pdf">minutes</a>)',
    ]
    assert (Path(collection.media.dir()) / "speech.mp3").read_bytes() == MP3
    # Anki copies only the files a note shows or plays, so the linked one is checked in the
    # package itself.
    with zipfile.ZipFile(io.BytesIO(exported.content)) as package:
        index = json.loads(package.read("media"))
        packed = {name: package.read(key) for key, name in index.items()}
    assert packed == {"minutes.pdf": b"%PDF-1.4 minutes", "speech.mp3": MP3}


def test_an_edit_through_a_yaml_file_keeps_what_anki_needs(db, collection, tmp_path):
    teacher = TeacherFactory()
    content = export_deck(collection, tmp_path / "deck.apkg", legacy=False)
    question_set = import_file(
        content=content, filename="deck.apkg", format=None, owner=teacher
    ).question_set
    yaml_file = export_set(question_set=question_set, format="native").content
    edited = yaml_file.replace(b"Hotel Majestic", b"The Hotel Majestic")

    report = import_file(content=edited, filename="set.yaml", format=None, owner=teacher)
    with time_machine.travel(LATER):
        exported = export_set(question_set=question_set, format="anki")
    log = import_into(collection, exported.content, tmp_path / "back.apkg")

    assert (report.question_set, report.updated_questions) == (question_set, 2)
    assert (len(log.conflicting), len(log.duplicate), len(log.new), len(log.updated)) == (
        0, 0, 0, 6,
    )  # fmt: skip
    majestic = collection.find_notes('"Front:The Hotel Majestic"')
    assert len(majestic) == 1
