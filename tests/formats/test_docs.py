"""The examples in docs/set-format.md are real files that import."""

import re
from pathlib import Path

import pytest

from questions.formats.csv_format import read_csv
from questions.formats.native import read_native
from questions.models import QuestionKind
from questions.services.set_import import set_import
from tests.factories import TeacherFactory

PROJECT = Path(__file__).resolve().parent.parent.parent
DOC = (PROJECT / "docs" / "set-format.md").read_text(encoding="utf-8")


def test_the_yaml_example_has_every_question_type_and_imports(db):
    example = re.search(r"```yaml\n(.*?)```", DOC, re.DOTALL).group(1)

    spec = read_native(example, base_dir=PROJECT / "fixtures")
    report = set_import(spec=spec, owner=TeacherFactory())

    assert sorted({q.kind for q in spec.questions}) == sorted(QuestionKind.values)
    assert report.created_questions == len(QuestionKind.values)


@pytest.mark.parametrize("first_column", ["id,front,back", "id,question,choice1"])
def test_the_csv_examples_read(first_column):
    lines = [line.strip() for line in DOC.splitlines()]
    start = lines.index(next(line for line in lines if line.startswith(first_column)))
    example = "\n".join(lines[start : lines.index("", start)])

    spec = read_csv(example.encode(), filename="example.csv")

    assert len(spec.questions) == len(example.splitlines()) - 1
