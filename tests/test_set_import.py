"""import_file: the one path behind the command, the API and the import page."""

import pytest
from django.core.files.storage import default_storage

from questions.formats.spec import ImportRefused
from questions.models import Question, QuestionSet
from questions.services.set_import import import_file
from questions.services.set_import_media import media_name
from tests.factories import QuestionSetFactory, TeacherFactory

GIFT = b"Who led the U.S. side? {=Harriman}\n\nWhere? {~London =Paris}\n"


@pytest.fixture
def teacher(db):
    return TeacherFactory()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(teacher, settings):
    settings.QUIZSITE_MAX_IMPORT_BYTES = len(GIFT) - 1

    with pytest.raises(ImportRefused) as refused:
        import_file(content=GIFT, filename="q.gift", format=None, owner=teacher)

    assert f"The file is {len(GIFT):,} bytes" in str(refused.value)
    assert "QUIZSITE_MAX_IMPORT_BYTES" in str(refused.value)


def test_dry_run_reports_what_would_be_created_and_saves_nothing(teacher):
    report = import_file(content=GIFT, filename="q.gift", format=None, owner=teacher, dry_run=True)

    assert (report.dry_run, report.created_set, report.created_questions) == (True, True, 2)
    assert (
        report.summary() == "Would import 'q': 2 new, 0 updated, 0 unchanged questions (new set)."
    )
    assert report.as_dict()["set"] == {"id": None, "title": "q"}
    assert not QuestionSet.objects.exists()


def test_dry_run_of_a_package_stores_no_media(teacher, tmp_path):
    from tests.formats.test_anki import PNG, build_apkg

    image = PNG + b"only in this test"
    package = build_apkg(tmp_path, image)

    report = import_file(
        content=package, filename="d.apkg", format=None, owner=teacher, dry_run=True
    )

    assert report.created_questions == 4
    assert report.stored_media == 0
    stored_name = media_name("harriman.png", image)
    assert not default_storage.exists(stored_name)
    import_file(content=package, filename="d.apkg", format=None, owner=teacher)
    assert default_storage.exists(stored_name)


@pytest.mark.parametrize(
    ("filename", "file_format", "message"),
    [
        ("q.docx", None, "Cannot tell the format of 'q.docx'"),
        ("q.gift", "word", "Unknown format 'word'"),
    ],
)
def test_an_unknown_format_is_refused(teacher, filename, file_format, message):
    with pytest.raises(ImportRefused, match=message):
        import_file(content=GIFT, filename=filename, format=file_format, owner=teacher)


def test_the_format_named_wins_over_the_extension(teacher):
    report = import_file(content=GIFT, filename="q.txt", format="gift", owner=teacher)

    assert report.format == "gift"
    assert report.created_questions == 2


def test_into_adds_the_questions_to_an_existing_set_and_keeps_its_title(teacher):
    existing = QuestionSetFactory(owner=teacher, title="My set")

    report = import_file(content=GIFT, filename="q.gift", format=None, owner=teacher, into=existing)

    existing.refresh_from_db()
    assert report.question_set == existing
    assert existing.title == "My set"
    assert existing.questions.count() == 2


def test_a_changed_question_with_an_id_is_updated_in_place(teacher):
    first = b"// [id:who]\nWho led the U.S. side? {=Harriman}\n"
    second = b"// [id:who]\nWho led the U.S. delegation? {=Harriman =Averell Harriman}\n"
    import_file(content=first, filename="q.gift", format=None, owner=teacher)

    report = import_file(content=second, filename="q.gift", format=None, owner=teacher)

    assert (report.created_questions, report.updated_questions) == (0, 1)
    question = Question.objects.get()
    assert question.prompt == "Who led the U.S. delegation?"
    assert question.answers.count() == 2


def test_an_empty_file_is_refused(teacher):
    with pytest.raises(ImportRefused, match="empty"):
        import_file(content=b"  \n", filename="q.gift", format=None, owner=teacher)


def test_a_file_without_passages_cannot_go_into_a_set_drawn_from_a_source(teacher):
    from tests.factories import PassageFactory

    with_source = QuestionSetFactory(owner=teacher, source=PassageFactory(position=1).source)

    with pytest.raises(ImportRefused, match="drawn from the source") as refused:
        import_file(content=GIFT, filename="q.gift", format=None, owner=teacher, into=with_source)

    assert "the file from no source" in str(refused.value)
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "variant",
    [
        "Grant born? {#1822:5}",  # tolerance
        "Grant born? {#=1822 =%50%1821}",  # another accepted value, partial credit
        "Grant born? {#1822#Right.}",  # feedback
        "::Birth::Grant born? {#1822}",  # title
        "Grant born? {#1822 ####He was born in Ohio.}",  # explanation
    ],
)
def test_questions_differing_in_what_a_student_or_grader_sees_are_two_questions(teacher, variant):
    content = f"Grant born? {{#1822}}\n\n{variant}\n".encode()

    report = import_file(content=content, filename="q.gift", format=None, owner=teacher)

    assert report.created_questions == 2
    assert not any("the same question" in warning for warning in report.warnings)


def test_weights_and_multiple_answers_make_different_choice_questions(teacher):
    content = (
        b"Colour? {=yellow ~red ~blue}\n\n"
        b"Colour? {~%100%yellow ~%-50%red ~%-50%blue}\n\n"
        b"Colour? {=yellow ~%-50%red ~blue}\n\n"
        b"Tomb? {FALSE}\n\nTomb? {FALSE#No one is buried there.}\n"
    )

    report = import_file(content=content, filename="q.gift", format=None, owner=teacher)

    assert report.created_questions == 5


def test_a_true_repeat_is_imported_once_and_reported(teacher):
    content = b"Tomb? {F}\n\nTomb? {FALSE}\n"

    report = import_file(content=content, filename="q.gift", format=None, owner=teacher)

    assert report.created_questions == 1
    assert report.warnings == [
        "line 3: the same question as an earlier one in the file; imported once."
    ]


def test_a_question_imported_under_an_older_content_id_is_found_again(teacher):
    first = import_file(content=GIFT, filename="q.gift", format=None, owner=teacher)
    question = first.question_set.questions.first()
    question.external_id = "sha256:made-by-an-older-rule"
    question.save()

    again = import_file(content=GIFT, filename="q.gift", format=None, owner=teacher)

    assert (again.created_questions, again.unchanged_questions) == (0, 2)
    assert first.question_set.questions.count() == 2


def test_a_repeat_in_another_category_adds_its_topic_to_the_question(teacher):
    content = b"$CATEGORY: Origins\n\nTomb? {F}\n\n$CATEGORY: People\n\nTomb? {FALSE}\n"

    report = import_file(content=content, filename="q.gift", format=None, owner=teacher)

    question = report.question_set.questions.get()
    assert sorted(topic.name for topic in question.topics.all()) == ["Origins", "People"]
