"""The checks a parsed set passes before anything of it is saved: how much the file holds
(checked first, so a huge file costs no more than counting it), then every question's type,
text, answer key and cited passage and sentence, and the set's visibility and retention; each
problem names its line or question, and set_import refuses the file if there is any.
"""

from django.conf import settings
from django.core.exceptions import ValidationError

from questions.formats.spec import (
    ImportProblem,
    SetSpec,
)
from questions.limits import DESCRIPTION_LENGTH, EXPLANATION_LENGTH
from questions.models import QuestionSet
from questions.models.banks import QuestionKind
from questions.sentences import sentence_span
from questions.validation import validate_answer_key

PASSAGE_OUT_OF_RANGE = "Passage {number} does not exist; the source has {count} passages."
PASSAGE_WITHOUT_SOURCE = "The question cites passage {number}, but the set has no source."
PASSAGE_MISSING = "The set has a source, so every question must cite a passage."
SENTENCE_WITHOUT_PASSAGE = "The question quotes a sentence but cites no passage."
SENTENCE_NOT_IN_PASSAGE = "The sentence {sentence!r} is not, word for word, in passage {number}."
NO_QUESTIONS = "The file holds no question, so nothing was imported."
TOO_MANY_QUESTIONS = (
    "The file holds {count} questions; an import may hold at most {limit} "
    "(QUIZSITE_MAX_IMPORT_QUESTIONS). Split it into several files."
)


def _check_sizes(spec: SetSpec) -> list[ImportProblem]:
    """Problems with how much the file holds, checked before anything else so a huge file
    costs no more time than it takes to count it."""
    count, limit = len(spec.questions), settings.QUIZSITE_MAX_IMPORT_QUESTIONS
    if count == 0:
        return [ImportProblem(NO_QUESTIONS)]
    if count > limit:
        return [ImportProblem(TOO_MANY_QUESTIONS.format(count=count, limit=limit))]
    problems = []
    try:
        DESCRIPTION_LENGTH(spec.description)
    except ValidationError as error:
        problems.append(ImportProblem(f"The set's description: {error.messages[0]}"))
    for number, question in enumerate(spec.questions, start=1):
        try:
            EXPLANATION_LENGTH(question.explanation)
        except ValidationError as error:
            problems.append(
                ImportProblem(
                    f"The explanation: {error.messages[0]}",
                    line=question.line,
                    question=question.external_id or str(number),
                )
            )
    return problems


def check_spec(spec: SetSpec) -> list[ImportProblem]:
    problems = _check_sizes(spec)
    if problems:
        return problems
    passage_count = len(spec.source.passages) if spec.source else 0
    seen_ids: set[str] = set()
    for number, question in enumerate(spec.questions, start=1):
        label = question.external_id or str(number)

        def add(message: str, *, question=question, label=label) -> None:
            problems.append(ImportProblem(message=message, line=question.line, question=label))

        if question.external_id:
            if question.external_id in seen_ids:
                add(f"The id {question.external_id!r} is used by another question.")
            seen_ids.add(question.external_id)
        if question.kind not in QuestionKind.values:
            add(f"Unknown question type {question.kind!r}.")
            continue
        if not question.prompt.strip():
            add("The question has no text.")
        try:
            validate_answer_key(
                kind=question.kind, prompt=question.prompt, answers=question.answers
            )
        except ValidationError as error:
            for message in error.messages:
                add(message)
        if question.passage is not None:
            if spec.source is None:
                add(PASSAGE_WITHOUT_SOURCE.format(number=question.passage))
            elif not 1 <= question.passage <= passage_count:
                add(PASSAGE_OUT_OF_RANGE.format(number=question.passage, count=passage_count))
            elif question.sentence and not sentence_span(
                spec.source.passages[question.passage - 1].text, question.sentence
            ):
                add(
                    SENTENCE_NOT_IN_PASSAGE.format(
                        sentence=question.sentence, number=question.passage
                    )
                )
        elif spec.source is not None:
            add(PASSAGE_MISSING)
        if question.sentence and question.passage is None:
            add(SENTENCE_WITHOUT_PASSAGE)
    if spec.visibility not in QuestionSet.Visibility.values:
        problems.append(ImportProblem(f"Unknown visibility {spec.visibility!r}."))
    if not 0.5 < spec.desired_retention < 1:
        problems.append(ImportProblem("Desired retention must be between 0.5 and 1."))
    return problems
