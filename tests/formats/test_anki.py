"""Anki packages built here with genanki (collection.anki2), and converted by hand to the
newer collection.anki21b: schema-18 tables with protobuf configs, compressed with zstd."""

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
import zstandard
from django.core.files.storage import default_storage

from questions.formats.anki import read_apkg
from questions.formats.spec import ImportRefused
from questions.models import Question, QuestionKind
from questions.services.set_export import export_set
from questions.services.set_import import import_file
from tests.factories import QuestionSetFactory, TeacherFactory, question_of_kind

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 32
DECK_ID = 2_059_400_110


def build_apkg(tmp_path: Path, image: bytes = PNG) -> bytes:
    deck = genanki.Deck(DECK_ID, "History::Paris talks")
    deck.add_note(
        genanki.Note(
            model=genanki.BASIC_MODEL,
            fields=['Who led the U.S. side? <img src="harriman.png">', "<b>Averell Harriman</b>"],
            tags=["negotiators"],
            guid="basic-guid",
        )
    )
    deck.add_note(
        genanki.Note(
            model=genanki.BASIC_AND_REVERSED_CARD_MODEL,
            fields=["Le Duc Tho", "North Vietnam's negotiator"],
            guid="reversed-guid",
        )
    )
    deck.add_note(
        genanki.Note(
            model=genanki.CLOZE_MODEL,
            fields=[
                "Talks began in {{c1::Paris}} on {{c2::May 13::a date}}, 1968, in {{c1::Paris}}.",
                "The first session.",
            ],
            tags=["origins"],
            guid="cloze-guid",
        )
    )
    media = tmp_path / "harriman.png"
    media.write_bytes(image)
    path = tmp_path / "deck.apkg"
    genanki.Package(deck, media_files=[str(media)]).write_to_file(str(path))
    return path.read_bytes()


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _proto_string(number: int, text: str | bytes) -> bytes:
    data = text.encode() if isinstance(text, str) else text
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def to_anki21b(apkg: bytes, tmp_path: Path) -> bytes:
    """The same package as Anki 2.1.50+ writes it: note types in their own tables, zstd."""
    source = zipfile.ZipFile(io.BytesIO(apkg))
    db_path = tmp_path / "collection.anki21b.sqlite"
    db_path.write_bytes(source.read("collection.anki2"))
    db = sqlite3.connect(db_path)
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    db.executescript(
        """
        CREATE TABLE notetypes (id integer PRIMARY KEY, name text, mtime_secs integer,
                                usn integer, config blob);
        CREATE TABLE fields (ntid integer, ord integer, name text, config blob);
        CREATE TABLE templates (ntid integer, ord integer, name text, mtime_secs integer,
                                usn integer, config blob);
        CREATE TABLE decks (id integer PRIMARY KEY, name text, mtime_secs integer, usn integer,
                            common blob, kind blob);
        """
    )
    for model_id, model in models.items():
        kind = _varint(1 << 3) + _varint(model["type"])
        db.execute(
            "INSERT INTO notetypes VALUES (?, ?, 0, 0, ?)", (int(model_id), model["name"], kind)
        )
        for field in model["flds"]:
            db.execute(
                "INSERT INTO fields VALUES (?, ?, ?, x'')",
                (int(model_id), field["ord"], field["name"]),
            )
        for template in model["tmpls"]:
            config = _proto_string(1, template["qfmt"]) + _proto_string(2, template["afmt"])
            db.execute(
                "INSERT INTO templates VALUES (?, ?, ?, 0, 0, ?)",
                (int(model_id), template["ord"], template["name"], config),
            )
    for deck_id, deck in decks.items():
        db.execute(
            "INSERT INTO decks VALUES (?, ?, 0, 0, x'', x'')",
            (int(deck_id), deck["name"].replace("::", "\x1f")),
        )
    db.execute("UPDATE col SET models = '{}', decks = '{}'")
    db.commit()
    db.close()
    compress = zstandard.ZstdCompressor().compress
    names = json.loads(source.read("media"))
    entries = b"".join(
        _proto_string(1, _proto_string(1, names[key])) for key in sorted(names, key=int)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("collection.anki2", b"this package needs a newer Anki")
        archive.writestr("collection.anki21b", compress(db_path.read_bytes()))
        archive.writestr("media", compress(entries))
        for key in names:
            archive.writestr(key, compress(source.read(key)))
    return out.getvalue()


@pytest.fixture
def apkg(tmp_path) -> bytes:
    return build_apkg(tmp_path)


def notes_of(spec) -> list[tuple]:
    return [
        (
            q.kind,
            q.external_id,
            q.prompt,
            [(a.text, a.gap) for a in q.answers],
            q.explanation,
            q.topics,
        )
        for q in spec.questions
    ]


EXPECTED_NOTES = [
    (QuestionKind.FLASHCARD, "anki:basic-guid", 'Who led the U.S. side? <img src="harriman.png">',
     [("<b>Averell Harriman</b>", None)], "", ["negotiators"]),
    (QuestionKind.FLASHCARD, "anki:reversed-guid", "Le Duc Tho",
     [("North Vietnam's negotiator", None)], "", []),
    (QuestionKind.FLASHCARD, "anki:reversed-guid:1", "North Vietnam's negotiator",
     [("Le Duc Tho", None)], "", []),
    (QuestionKind.CLOZE, "anki:cloze-guid", "Talks began in {{1}} on {{2}}, 1968, in {{1}}.",
     [("Paris", 1), ("May 13", 2)], "The first session.", ["origins"]),
]  # fmt: skip


@pytest.mark.parametrize("newer", [False, True], ids=["anki2", "anki21b"])
def test_package_notes_become_flashcards_and_cloze_questions(apkg, tmp_path, newer):
    content = to_anki21b(apkg, tmp_path) if newer else apkg

    spec = read_apkg(content, filename="deck.apkg")

    assert notes_of(spec) == EXPECTED_NOTES
    assert spec.title == "Paris talks"
    assert spec.external_id == f"anki-deck:{DECK_ID}"
    assert spec.media == {"harriman.png": PNG}
    assert spec.topics == {"negotiators": "negotiators", "origins": "origins"}
    assert "Cloze hints" in spec.warnings[0]


def test_import_stores_media_and_points_the_card_at_it(db, apkg):
    teacher = TeacherFactory()

    report = import_file(content=apkg, filename="deck.apkg", format=None, owner=teacher)
    again = import_file(content=apkg, filename="deck.apkg", format=None, owner=teacher)

    front = report.question_set.questions.get(external_id="anki:basic-guid").prompt
    url = front.split('src="')[1].split('"')[0]
    assert url.startswith("/media/imports/")
    assert url.endswith(".png")
    with default_storage.open(url.removeprefix("/media/"), "rb") as stored:
        assert stored.read() == PNG
    assert (report.created_questions, report.stored_media) == (4, 1)
    assert (again.created_questions, again.unchanged_questions, again.stored_media) == (0, 4, 0)
    assert Question.objects.count() == 4


def test_html_in_fields_is_cleaned(tmp_path):
    deck = genanki.Deck(1, "D")
    deck.add_note(
        genanki.Note(
            model=genanki.BASIC_MODEL,
            fields=[
                '<div onmouseover="steal()">Front<script>steal()</script></div>',
                "Back [sound:a.mp3]",
            ],
        )
    )
    path = tmp_path / "x.apkg"
    genanki.Package(deck).write_to_file(str(path))

    question = read_apkg(path.read_bytes(), filename="x.apkg").questions[0]

    assert question.prompt == "<div>Front</div>"
    assert question.answers[0].text == 'Back <audio controls="" src="a.mp3"></audio>'


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a zip", "not a zip file"), (b"PK\x05\x06" + b"\x00" * 18, "no collection.anki2")],
)
def test_a_file_that_is_no_package_is_refused(content, message):
    with pytest.raises(ImportRefused, match=message):
        read_apkg(content, filename="x.apkg")


def read_package(content: bytes, tmp_path: Path) -> tuple[sqlite3.Connection, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    db_path = tmp_path / "exported.anki2"
    db_path.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(db_path), archive


def test_exported_package_has_the_right_notes_fields_and_cards(db, tmp_path):
    question_set = QuestionSetFactory(title="Paris talks", external_id="ppt")
    card = question_of_kind(QuestionKind.FLASHCARD, question_set=question_set, position=1,
                            external_id="c-1", prompt="Who led the U.S. side?")  # fmt: skip
    cloze = question_of_kind(QuestionKind.CLOZE, question_set=question_set, position=2,
                             external_id="c-2")  # fmt: skip
    choice = question_of_kind(QuestionKind.MULTIPLE_CHOICE, question_set=question_set, position=3)

    exported = export_set(question_set=question_set, format="anki")

    db, _ = read_package(exported.content, tmp_path)
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    notes = db.execute("SELECT guid, mid, flds FROM notes ORDER BY id").fetchall()
    fields = [(models[str(mid)]["name"], flds.split("\x1f")) for _, mid, flds in notes]
    assert fields == [
        ("quizsite Basic", [card.prompt, f"Back of the card<hr>{card.explanation}"]),
        ("quizsite Cloze", ["Talks began in {{c1::Paris}} on {{c2::May 12}}.", cloze.explanation]),
        ("quizsite Basic", [
            choice.prompt + '<ol type="A"><li>Averell Harriman</li><li>Henry Kissinger</li>'
            "<li>Dean Rusk</li></ol>",
            f"<ul><li>Averell Harriman</li></ul><hr>{choice.explanation}",
        ]),
    ]  # fmt: skip
    cards = db.execute("SELECT n.guid, c.ord FROM cards c JOIN notes n ON n.id = c.nid").fetchall()
    guids = [guid for guid, _, _ in notes]
    assert sorted(cards) == sorted([(guids[0], 0), (guids[1], 0), (guids[1], 1), (guids[2], 0)])
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    assert "Paris talks" in [deck["name"] for deck in decks.values()]
    again, _ = read_package(export_set(question_set=question_set, format="anki").content, tmp_path)
    assert [row[0] for row in again.execute("SELECT guid FROM notes ORDER BY id")] == guids


def test_export_carries_stored_media_and_imports_back(db, tmp_path, apkg):
    teacher = TeacherFactory()
    first = import_file(content=apkg, filename="deck.apkg", format=None, owner=teacher)

    exported = export_set(question_set=first.question_set, format="anki")

    _, archive = read_package(exported.content, tmp_path)
    media = json.loads(archive.read("media"))
    assert [archive.read(key) for key in media] == [PNG]
    spec = read_apkg(exported.content, filename="again.apkg")
    assert [q.external_id for q in spec.questions][:2] == ["anki:basic-guid", "anki:reversed-guid"]
    assert f'src="{next(iter(media.values()))}"' in spec.questions[0].prompt


def test_a_type_in_the_answer_note_asks_for_its_back(tmp_path):
    deck = genanki.Deck(1, "D")
    model = genanki.BASIC_TYPE_IN_THE_ANSWER_MODEL
    deck.add_note(genanki.Note(model=model, fields=["Capital of France?", "Paris"]))
    path = tmp_path / "typed.apkg"
    genanki.Package(deck).write_to_file(str(path))

    question = read_apkg(path.read_bytes(), filename="typed.apkg").questions[0]

    assert (question.prompt, question.answers[0].text) == ("Capital of France?", "Paris")
