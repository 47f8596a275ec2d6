"""Questions cite the sentence of their passage that supports the answer."""

from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from questions.formats.native import read_native
from questions.formats.native_export import write_native
from questions.formats.spec import ImportRefused
from questions.models import Question
from questions.sentences import fold, sentence_of, sentence_span
from questions.services.questions import question_update
from questions.services.set_export import set_spec
from questions.services.set_import import set_import
from tests.factories import PassageFactory, QuestionFactory, TeacherFactory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PASSAGE = "Talks began in Paris on May 12. Harriman led the U.S. side. Nothing moved."

SET = """\
quizsite: 1
title: Spans
source:
  slug: spans
  title: Spans
  passages:
    - text: "{passage}"
    - text: The second passage.
questions:
  - id: q1
    type: short_answer
    passage: 1
    sentence: {sentence}
    prompt: Who led the U.S. side?
    accept: [Harriman]
"""


def _set(sentence: str, passage: str = PASSAGE) -> str:
    return SET.format(passage=passage, sentence=sentence)


def test_a_span_is_found_word_for_word_and_spaces_around_it_do_not_count():
    assert sentence_span(PASSAGE, " Harriman led the U.S. side. ") == (32, 59)
    assert sentence_span(PASSAGE, "Harriman led the US side.") is None
    assert sentence_span(PASSAGE, "") is None


@pytest.mark.parametrize(("start", "end"), [(None, None), (5, 5), (0, 500), (9, 3)])
def test_a_span_that_does_not_fit_its_passage_folds_to_nothing(start, end):
    assert fold(PASSAGE, start, end) is None


def test_the_passage_folds_around_its_sentence():
    folded = fold(PASSAGE, 32, 59)

    assert (folded.before, folded.sentence, folded.after) == (
        "Talks began in Paris on May 12. ",
        "Harriman led the U.S. side.",
        " Nothing moved.",
    )


def test_an_imported_sentence_is_stored_as_a_span_and_exported_again(db):
    spec = read_native(_set("Harriman led the U.S. side."))

    question = set_import(spec=spec, owner=TeacherFactory()).question_set.questions.get()

    assert (question.sentence_start, question.sentence_end) == (32, 59)
    assert sentence_of(question) == "Harriman led the U.S. side."
    written = write_native(set_spec(question.question_set))
    assert "sentence: Harriman led the U.S. side." in written


def test_a_sentence_that_is_not_in_the_passage_refuses_the_file_with_its_line(db):
    spec = read_native(_set("Harriman led the French side."))

    with pytest.raises(ImportRefused) as refused:
        set_import(spec=spec, owner=TeacherFactory())

    (problem,) = refused.value.problems
    assert problem.line == 10
    assert "is not, word for word, in passage 1" in problem.message
    assert not Question.objects.exists()


def test_moving_a_question_to_another_passage_drops_its_span(db):
    spec = read_native(_set("Harriman led the U.S. side."))
    question = set_import(spec=spec, owner=TeacherFactory()).question_set.questions.get()
    other = question.passage.source.passages.get(position=2)

    question_update(by=question.question_set.owner, question=question, fields={}, passage=other)

    question.refresh_from_db()
    assert (question.sentence_start, question.sentence_end) == (None, None)


def test_the_database_refuses_a_span_without_a_passage_or_an_empty_one(db):
    passage = PassageFactory(text=PASSAGE)
    question = QuestionFactory(passage=passage)
    for start, end, passage_value in ((3, 9, None), (9, 9, passage), (9, 3, passage)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Question.objects.filter(pk=question.pk).update(
                sentence_start=start, sentence_end=end, passage=passage_value
            )


def test_the_shipped_bank_quotes_its_sentences_from_its_passages(db):
    path = FIXTURES / "paris-peace-talks.yaml"
    spec = read_native(path.read_text(encoding="utf-8"), base_dir=path.parent)

    question_set = set_import(spec=spec, owner=TeacherFactory()).question_set

    quoted = {q.external_id: q.sentence for q in spec.questions if q.sentence}
    assert len(quoted) >= 60
    saved = question_set.questions.select_related("passage").filter(external_id__in=quoted)
    assert {q.external_id: sentence_of(q) for q in saved} == quoted
