import csv
import io

import pytest

from questions.formats.csv_format import read_csv, write_csv
from questions.formats.spec import ImportRefused
from questions.models import Question, QuestionKind
from questions.services.set_export import export_set
from questions.services.set_import import import_file
from tests.factories import QuestionSetFactory, TeacherFactory, question_of_kind
from tests.formats.conftest import set_rows


def read(text: str):
    return read_csv(text.encode("utf-8"), filename="deck.csv")


def test_front_back_rows_become_flashcards_with_topics():
    spec = read(
        "front,back,topics,id\n"
        "Who led the U.S. side?,Averell Harriman,Negotiators;People,n-1\n"
        '"Where, exactly?","Paris,\nFrance",,\n'
    )

    assert spec.title == "deck"
    assert [(q.kind, q.prompt, q.answers[0].text, q.line) for q in spec.questions] == [
        (QuestionKind.FLASHCARD, "Who led the U.S. side?", "Averell Harriman", 2),
        (QuestionKind.FLASHCARD, "Where, exactly?", "Paris,\nFrance", 3),
    ]
    assert spec.questions[0].topics == ["negotiators", "people"]
    assert spec.questions[0].external_id == "n-1"
    assert spec.topics == {"negotiators": "Negotiators", "people": "People"}


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_multiple_choice_rows_with_any_delimiter(delimiter):
    rows = [
        ["Question", "Choice1", "Choice2", "Choice3", "Correct", "Explanation"],
        ["Who led the U.S. side?", "Harriman", "Rusk", "Kissinger", "1", "From May 1968."],
        ["Who sat at the table?", "Hanoi", "Moscow", "Saigon", "1;3", ""],
    ]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    text = out.getvalue()

    spec = read(text)

    assert [[(a.text, a.is_correct) for a in q.answers] for q in spec.questions] == [
        [("Harriman", True), ("Rusk", False), ("Kissinger", False)],
        [("Hanoi", True), ("Moscow", False), ("Saigon", True)],
    ]
    assert spec.questions[0].explanation == "From May 1968."


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("prompt,answer\nA,B\n", 1, "The first row must name the columns"),
        ("front,back,colour\nA,B,red\n", 1, "Unknown columns: colour"),
        ("front,back,question,correct\nA,B,C,1\n", 1, "one or the other"),
        ("question,choice1,choice2,correct\nQ,A,B,1\nQ2,A,B,first\n", 3, "'correct' must name"),
        ("question,choice1,choice2,correct\nQ,A,B,1\nQ2,A,B,1\nQ3,A,,2\n", 4, "choice 2 is empty"),
    ],
)
def test_bad_csv_is_refused_with_the_line(text, line, message):
    with pytest.raises(ImportRefused) as refused:
        read(text)

    assert refused.value.problems[0].line == line
    assert message in str(refused.value)


@pytest.mark.django_db
def test_a_row_without_a_back_is_refused_naming_its_line_and_nothing_is_saved():
    content = b"front,back\nA,B\nC,\n"

    with pytest.raises(ImportRefused) as refused:
        import_file(content=content, filename="d.csv", format=None, owner=TeacherFactory())

    assert refused.value.problems[0].line == 3
    assert not Question.objects.exists()


@pytest.mark.parametrize("kind", [QuestionKind.FLASHCARD, QuestionKind.MULTIPLE_CHOICE])
def test_export_then_import_round_trips(db, kind):
    question_set = QuestionSetFactory(external_id="csv-set")
    for position in range(3):
        question = question_of_kind(
            kind, question_set=question_set, position=position, prompt=f"Question {position}?"
        )
        question.explanation = f"Explanation {position}"
        question.save()
    question_of_kind(QuestionKind.ORDERING, question_set=question_set, position=9)

    exported = export_set(question_set=question_set, format="csv")
    copy = import_file(
        content=exported.content, filename="copy.csv", format=None, owner=TeacherFactory()
    ).question_set

    assert set_rows(copy) == [row for row in set_rows(question_set) if row[0] == kind]
    assert "ordering question does not fit" in exported.warnings[0]


def test_writer_puts_the_header_first():
    from questions.formats.spec import AnswerSpec, QuestionSpec, SetSpec

    spec = SetSpec(
        title="t",
        questions=[
            QuestionSpec(
                kind="flashcard", prompt="F", answers=[AnswerSpec(text="B", is_correct=True)]
            )
        ],
    )

    assert write_csv(spec).content.decode().splitlines() == [
        "id,front,back,title,topics,explanation",
        ",F,B,,,",
    ]


@pytest.mark.django_db
def test_a_row_repeated_in_the_file_is_imported_once_with_a_warning():
    content = b"front,back\nA,B\nA,B\n"

    report = import_file(content=content, filename="d.csv", format=None, owner=TeacherFactory())

    assert report.created_questions == 1
    assert report.warnings == [
        "line 3: the same question as an earlier one in the file; imported once."
    ]
