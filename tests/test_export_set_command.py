from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from questions.formats.native import read_native
from questions.models import QuestionKind
from tests.factories import QuestionSetFactory, question_of_kind

pytestmark = pytest.mark.django_db


def test_writes_the_set_to_the_file_named(tmp_path):
    question_set = QuestionSetFactory(title="Paris", external_id="paris")
    question_of_kind(QuestionKind.ORDERING, question_set=question_set)
    path = tmp_path / "out.gift"
    out, err = StringIO(), StringIO()

    call_command("export_set", "paris", "--format", "gift", "-o", str(path), stdout=out, stderr=err)

    assert path.read_text(encoding="utf-8").startswith("// quizsite-set: paris\n")
    assert f"Wrote 'Paris' to {path}" in out.getvalue()
    assert "GIFT has no ordering questions" in err.getvalue()


def test_native_export_by_id_reads_back(tmp_path):
    question_set = QuestionSetFactory(title="Paris")
    question_of_kind(QuestionKind.CLOZE, question_set=question_set)
    path = tmp_path / "out.yaml"

    call_command(
        "export_set", str(question_set.pk), "--format", "native", "-o", str(path), stdout=StringIO()
    )

    spec = read_native(path.read_text(encoding="utf-8"))
    assert spec.title == "Paris"
    assert [q.kind for q in spec.questions] == ["cloze"]


def test_an_unknown_set_is_an_error():
    with pytest.raises(CommandError, match="No set 'nope'"):
        call_command("export_set", "nope", "--format", "gift", stdout=StringIO())
