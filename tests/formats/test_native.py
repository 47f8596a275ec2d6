from pathlib import Path

import pytest

from questions.formats.native import read_native
from questions.formats.native_export import write_native
from questions.formats.spec import ImportRefused
from questions.services.set_export import export_set, set_spec
from questions.services.set_import import import_file, set_import
from tests.factories import TeacherFactory
from tests.formats.conftest import set_rows

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"


def without_lines(spec):
    for question in spec.questions:
        question.line = None
    return spec


def test_written_file_reads_back_to_the_same_spec(set_of_every_kind):
    spec = set_spec(set_of_every_kind)

    again = without_lines(read_native(write_native(spec)))

    assert again == spec


def test_export_then_import_for_another_teacher_gives_the_same_questions(set_of_every_kind):
    exported = export_set(question_set=set_of_every_kind, format="native")
    other = TeacherFactory()

    report = import_file(
        content=exported.content, filename=exported.filename, format=None, owner=other
    )

    copy = report.question_set
    assert report.created_questions == 8
    assert (copy.title, copy.description, copy.source_id) == (
        set_of_every_kind.title,
        set_of_every_kind.description,
        set_of_every_kind.source_id,
    )
    assert set_rows(copy) == set_rows(set_of_every_kind)


def test_importing_the_export_into_its_own_set_changes_nothing(set_of_every_kind):
    exported = export_set(question_set=set_of_every_kind, format="native")

    report = import_file(
        content=exported.content,
        filename="copy.yaml",
        format=None,
        owner=set_of_every_kind.owner,
    )

    assert report.question_set == set_of_every_kind
    assert (report.created_questions, report.updated_questions, report.unchanged_questions) == (
        0,
        0,
        8,
    )


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.yaml")), ids=lambda path: path.name)
def test_shipped_bank_round_trips_through_the_own_format(db, fixture):
    teacher = TeacherFactory()
    original = read_native(fixture.read_text(encoding="utf-8"), base_dir=fixture.parent)
    first = set_import(spec=original, owner=teacher).question_set

    exported = export_set(question_set=first, format="native")
    spec = without_lines(read_native(exported.content.decode("utf-8")))

    assert spec == set_spec(first)
    assert len(spec.questions) == len(original.questions)
    again = set_import(spec=spec, owner=TeacherFactory()).question_set
    assert set_rows(again) == set_rows(first)


def test_accepted_answers_may_carry_a_weight_and_feedback():
    spec = read_native(
        """
quizsite: 1
title: Weights
questions:
  - type: short_answer
    prompt: Who led the U.S. delegation?
    accept:
      - Harriman
      - {text: Averell, weight: 50, feedback: Give his surname.}
      - {text: Kissinger, weight: 0, feedback: He came later.}
"""
    )

    answers = spec.questions[0].answers
    assert [(a.text, a.fraction, a.is_correct, a.feedback) for a in answers] == [
        ("Harriman", 1.0, True, ""),
        ("Averell", 0.5, True, "Give his surname."),
        ("Kissinger", 0.0, False, "He came later."),
    ]


def test_a_file_without_the_format_key_is_refused():
    with pytest.raises(ImportRefused, match="quizsite: 1"):
        read_native("title: no key\nquestions: []\n")


@pytest.mark.parametrize("file_format", ["gift", "moodle_xml", "csv", "anki"])
@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.yaml")), ids=lambda path: path.name)
def test_shipped_bank_exports_to_every_format_and_imports_again(db, fixture, file_format):
    spec = read_native(fixture.read_text(encoding="utf-8"), base_dir=fixture.parent)
    question_set = set_import(spec=spec, owner=TeacherFactory()).question_set

    exported = export_set(question_set=question_set, format=file_format)
    report = import_file(
        content=exported.content, filename=exported.filename, format=None, owner=TeacherFactory()
    )

    left_out = [warning for warning in exported.warnings if warning.startswith("Question ")]
    assert report.created_questions > 0
    assert report.created_questions + len(left_out) == len(spec.questions)
