"""Quizlet's text export: term and definition by tab or comma, cards by line or a mark."""

from pathlib import Path

import pytest

from questions.formats.quizlet import read_quizlet, write_quizlet
from questions.formats.registry import import_format
from questions.formats.spec import ImportRefused
from questions.models import Question, QuestionKind
from questions.services.set_export import export_set
from questions.services.set_import import import_file
from tests.factories import QuestionSetFactory, TeacherFactory, question_of_kind


def cards_of(text: str) -> list[tuple[str, str, int]]:
    spec = read_quizlet(text.encode(), filename="words.txt")
    assert {q.kind for q in spec.questions} == {QuestionKind.FLASHCARD}
    return [(q.prompt, q.answers[0].text, q.line) for q in spec.questions]


@pytest.mark.parametrize(
    ("text", "cards"),
    [
        ("Paris\tcapital of France\nLyon\tsilk city\n",
         [("Paris", "capital of France", 1), ("Lyon", "silk city", 2)]),
        ("Paris,capital of France, on the Seine\nLyon,silk city\n",
         [("Paris", "capital of France, on the Seine", 1), ("Lyon", "silk city", 2)]),
        ("term,definition\nParis,capital\n", [("Paris", "capital", 2)]),
        ("Term\tDefinition\r\nParis\tcapital\r\n", [("Paris", "capital", 2)]),
        ("Paris\tcapital;Lyon\tsilk city", [("Paris", "capital", 1), ("Lyon", "silk city", 1)]),
        ("Paris\tcapital\non the Seine;;Lyon\tsilk city\nby the Rhône;;Nice\tsea",
         [("Paris", "capital\non the Seine", 1), ("Lyon", "silk city\nby the Rhône", 2),
          ("Nice", "sea", 3)]),
        ("Paris\tcapital\non the Seine\n\nLyon\tsilk city\n\nNice\tsea\n",
         [("Paris", "capital\non the Seine", 1), ("Lyon", "silk city", 4), ("Nice", "sea", 6)]),
        ("Paris,capital.||Lyon,silk city!||Nice,sea",
         [("Paris", "capital.", 1), ("Lyon", "silk city!", 1), ("Nice", "sea", 1)]),
        ("Paris\tcapital", [("Paris", "capital", 1)]),
    ],
    ids=["tab", "comma", "header", "tab-header-crlf", "semicolon", "custom-mark",
         "blank-line", "custom-after-punctuation", "one-card"],
)  # fmt: skip
def test_quizlet_export_reads_as_cards(text, cards):
    assert cards_of(text) == cards


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Paris\tcapital\nLyon\n", 2, "line 2 has no tab"),
        ("Paris\tcapital\non the Seine\nLyon\tsilk city\n", 2, "line 2 has no tab"),
        ("just words", 1, "No tab or comma"),
        ("Paris\tcapital\nLyon\t \n", 2, "no definition"),
        ("\tcapital\n", 1, "no term"),
    ],
)
def test_a_file_that_is_not_cards_is_refused_naming_the_line(text, line, message):
    with pytest.raises(ImportRefused, match=message) as refused:
        read_quizlet(text.encode(), filename="words.txt")
    assert refused.value.problems[0].line == line


def test_quizlet_is_a_format_of_the_one_import_path(db):
    teacher = TeacherFactory()
    content = b"Paris\tcapital\nLyon\tsilk city\n"

    report = import_file(content=content, filename="w.txt", format="quizlet", owner=teacher)
    again = import_file(content=content, filename="w.txt", format="quizlet", owner=teacher)

    assert (report.format, report.created_questions) == ("quizlet", 2)
    assert (again.created_questions, again.unchanged_questions) == (0, 2)
    assert Question.objects.filter(question_set=report.question_set).count() == 2
    assert import_format(name="Quizlet", filename="w.txt").name == "quizlet"


def test_a_refused_file_imports_nothing(db):
    with pytest.raises(ImportRefused):
        import_file(
            content=b"a\tb\nc\n", filename="w.txt", format="quizlet", owner=TeacherFactory()
        )
    assert not Question.objects.exists()


def test_export_writes_cards_quizlet_reads_back(db):
    question_set = QuestionSetFactory(title="Cities")
    question_of_kind(QuestionKind.FLASHCARD, question_set=question_set, position=1,
                     prompt="<b>Paris</b>", answers=[{"text": "capital\nof France"}])  # fmt: skip
    question_of_kind(QuestionKind.MULTIPLE_CHOICE, question_set=question_set, position=2)

    exported = export_set(question_set=question_set, format="quizlet")

    assert exported.content.decode() == "Paris\tcapital of France\n"
    assert exported.filename == "cities.txt"
    assert len(exported.warnings) == 3  # the choice left out, a line break, the bold
    assert cards_of(exported.content.decode()) == [("Paris", "capital of France", 1)]


def test_writer_leaves_out_what_is_not_a_card():
    written = write_quizlet(read_quizlet(b"a\tb", filename="x.txt"))
    assert (written.content, written.warnings) == (b"a\tb\n", [])


def test_the_documented_example_reads():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "set-format.md").read_text()
    section = doc[doc.index("## Quizlet export") :]
    example = "\n".join(
        line.removeprefix("    ") for line in section.splitlines() if line.startswith("    ")
    )

    assert cards_of(example) == [("Paris", "capital of France", 1), ("Lyon", "city of silk", 2)]
