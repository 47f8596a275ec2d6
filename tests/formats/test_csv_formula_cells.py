"""The owner's CSV export escapes cells a spreadsheet would run as formulas, as the class
report does, and reads its own escaping back, so an export imports as it was."""

import csv
import io

import pytest

from questions.formats.common import spreadsheet_cell
from questions.formats.csv_format import read_csv, write_csv
from questions.formats.spec import AnswerSpec, QuestionSpec, SetSpec

FORMULAS = ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\tlead"]


def card_set(texts: list[str]) -> SetSpec:
    return SetSpec(
        title="Formulas",
        questions=[
            QuestionSpec(
                kind="flashcard",
                prompt=text,
                answers=[AnswerSpec(text=text, is_correct=True, fraction=1)],
                explanation=text,
                external_id=f"q{n}",
            )
            for n, text in enumerate(texts)
        ],
    )


def test_formula_cells_are_escaped_in_the_export():
    written = write_csv(card_set(FORMULAS)).content.decode()

    rows = list(csv.reader(io.StringIO(written)))[1:]

    for row, text in zip(rows, FORMULAS, strict=True):
        assert row[1] == "'" + text
        assert row[2] == "'" + text


@pytest.mark.parametrize("text", ["-3", "-0.5", "+4", "plain", "'quoted", "'=already"])
def test_numbers_and_plain_text_survive_the_round_trip(text):
    written = write_csv(card_set([text]))

    read = read_csv(written.content, filename="export.csv")

    assert read.questions[0].prompt == text.strip()
    assert read.questions[0].answers[0].text == text.strip()


def test_escaped_formulas_import_as_the_text_they_were():
    # Quotes are left out: the reader sniffs its dialect from the header line alone and then
    # misreads doubled quotes (noted in the report of issue 13, not changed here).
    texts = [text for text in FORMULAS if text.strip() == text and '"' not in text]

    read = read_csv(write_csv(card_set(texts)).content, filename="export.csv")

    assert [question.prompt for question in read.questions] == texts


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("\rcr", "'\rcr"), ("-3", "-3"), (None, ""), (12, "12"), ("a=b", "a=b")],
)
def test_the_one_escaping_rule(value, cell):
    assert spreadsheet_cell(value) == cell
