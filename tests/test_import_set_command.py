from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questions.models import Question, QuestionSet
from tests.factories import QuestionSetFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_set", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def gift_file(tmp_path) -> Path:
    path = tmp_path / "paris.gift"
    path.write_text("Who led the U.S. side? {=Harriman}\n\nWrite an essay.{}\n", encoding="utf-8")
    return path


def test_imports_a_file_for_the_owner_and_reports_warnings(gift_file):
    teacher = TeacherFactory(username="ms-lee")

    out, err = run(str(gift_file), "--owner", "ms-lee")

    assert "Imported 'paris': 1 new, 0 updated, 0 unchanged questions (new set)." in out
    assert "essay question" in err
    assert QuestionSet.objects.get().owner == teacher


def test_second_import_creates_no_duplicates(gift_file):
    TeacherFactory(username="ms-lee")
    run(str(gift_file), "--owner", "ms-lee")

    out, _ = run(str(gift_file), "--owner", "ms-lee")

    assert "0 new, 0 updated, 1 unchanged" in out
    assert Question.objects.count() == 1


def test_dry_run_saves_nothing(gift_file):
    TeacherFactory(username="ms-lee")

    out, _ = run(str(gift_file), "--owner", "ms-lee", "--dry-run")

    assert out.startswith("Would import 'paris': 1 new")
    assert not QuestionSet.objects.exists()


def test_set_adds_to_an_existing_set_by_external_id_and_takes_its_owner(gift_file):
    existing = QuestionSetFactory(external_id="mine")

    run(str(gift_file), "--set", "mine", "--format", "gift")

    assert existing.questions.count() == 1


def test_a_refused_file_lists_each_problem_with_its_line(tmp_path):
    TeacherFactory(username="ms-lee")
    path = tmp_path / "bad.txt"
    path.write_text("Fine? {=yes}\n\nWho? {=Harriman ~Rusk\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        run(str(path), "--owner", "ms-lee", "--format", "gift")

    assert "not imported, nothing was saved" in str(error.value)
    assert "line 3: The answer block opened with '{' is never closed" in str(error.value)
    assert not QuestionSet.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.gift", "--owner", "ms-lee"], "No such file"),
        (["{file}"], "--owner USERNAME"),
        (["{file}", "--owner", "nobody"], "No user 'nobody'"),
        (["{file}", "--set", "404", "--owner", "ms-lee"], "No set '404'"),
    ],
)
def test_bad_arguments_say_what_is_wrong(gift_file, args, message):
    TeacherFactory(username="ms-lee")

    with pytest.raises(CommandError, match=message):
        run(*[arg.format(file=gift_file) for arg in args])


def test_a_large_file_shows_a_progress_bar(tmp_path):
    TeacherFactory(username="ms-lee")
    path = tmp_path / "big.csv"
    rows = "".join(f"Front {n},Back {n}\n" for n in range(250))
    path.write_text("front,back\n" + rows, encoding="utf-8")

    out, err = run(str(path), "--owner", "ms-lee")

    assert "250 new" in out
    assert "250/250" in err
    assert Question.objects.count() == 250


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(gift_file, settings):
    TeacherFactory(username="ms-lee")
    settings.QUIZSITE_MAX_IMPORT_BYTES = 10

    with pytest.raises(CommandError, match="QUIZSITE_MAX_IMPORT_BYTES"):
        run(str(gift_file), "--owner", "ms-lee")


def test_a_shipped_bank_imports_with_its_source_file_beside_it():
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "paris-peace-talks.yaml"
    TeacherFactory(username="ms-lee")

    out, _ = run(str(fixture), "--owner", "ms-lee")

    question_set = QuestionSet.objects.get()
    assert question_set.source.slug == "paris-peace-talks"
    assert f"{question_set.questions.count()} new" in out
