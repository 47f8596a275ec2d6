"""Saving a parsed set (from any format) all or nothing, idempotently."""

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from questions.formats.spec import ImportProblem, ImportRefused, QuestionSpec, SetSpec
from questions.models import Answer, Question, QuestionSet, Topic
from questions.models.banks import QuestionKind
from questions.services.sources import SourceConflict, source_save
from questions.validation import validate_answer_key

PASSAGE_OUT_OF_RANGE = "Passage {number} does not exist; the source has {count} passages."
PASSAGE_WITHOUT_SOURCE = "The question cites passage {number}, but the set has no source."
PASSAGE_MISSING = "The set has a source, so every question must cite a passage."


@dataclass
class ImportReport:
    question_set: QuestionSet | None
    created_questions: int = 0
    updated_questions: int = 0
    unchanged_questions: int = 0
    created_set: bool = False
    created_source: bool = False
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        title = self.question_set.title if self.question_set else "nothing"
        return (
            f"{verb} {title!r}: {self.created_questions} new, {self.updated_questions} updated, "
            f"{self.unchanged_questions} unchanged questions"
            + (" (new set)" if self.created_set else "")
            + (" (new source)" if self.created_source else "")
            + "."
        )


class _DryRunRollback(Exception):
    pass


def stable_question_id(spec: QuestionSpec) -> str:
    """An id for a question whose file gives none, so importing the same file twice is harmless."""
    digest = hashlib.sha256()
    digest.update(spec.kind.encode())
    digest.update(b"\0")
    digest.update(spec.prompt.encode())
    for answer in spec.answers:
        digest.update(f"\0{answer.text}\0{answer.match_text}\0{answer.gap}".encode())
    return "sha256:" + digest.hexdigest()[:24]


def _check(spec: SetSpec) -> list[ImportProblem]:
    problems = []
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
            validate_answer_key(kind=question.kind, prompt=question.prompt, answers=question.answers)
        except ValidationError as error:
            for message in error.messages:
                add(message)
        if question.passage is not None:
            if spec.source is None:
                add(PASSAGE_WITHOUT_SOURCE.format(number=question.passage))
            elif not 1 <= question.passage <= passage_count:
                add(PASSAGE_OUT_OF_RANGE.format(number=question.passage, count=passage_count))
        elif spec.source is not None:
            add(PASSAGE_MISSING)
    if spec.visibility not in QuestionSet.Visibility.values:
        problems.append(ImportProblem(f"Unknown visibility {spec.visibility!r}."))
    if not 0.5 < spec.desired_retention < 1:
        problems.append(ImportProblem("Desired retention must be between 0.5 and 1."))
    return problems


def _answer_rows(question: Question) -> list[tuple]:
    return [
        (a.text, a.match_text, a.is_correct, a.fraction, a.gap, a.number, a.tolerance, a.feedback)
        for a in question.answers.all()
    ]


def _save(spec: SetSpec, owner: User, into: QuestionSet | None, report: ImportReport) -> None:
    source = None
    if spec.source is not None:
        try:
            source, report.created_source = source_save(spec=spec.source, created_by=owner)
        except SourceConflict as error:
            raise ImportRefused([ImportProblem(str(error))]) from None
    passages = {p.position: p for p in source.passages.all()} if source else {}

    topics = {}
    for slug, name in spec.topics.items():
        topics[slug], _ = Topic.objects.get_or_create(
            slug=slugify(slug)[:100] or slug, defaults={"name": name}
        )

    question_set = into
    if question_set is None and spec.external_id:
        question_set = QuestionSet.objects.filter(owner=owner, external_id=spec.external_id).first()
    if question_set is None:
        question_set = QuestionSet(owner=owner, external_id=spec.external_id)
        report.created_set = True
    if report.created_set or into is None:
        question_set.title = spec.title
        question_set.description = spec.description
        question_set.visibility = spec.visibility
        question_set.desired_retention = spec.desired_retention
        question_set.new_order = spec.new_order
    if source is not None:
        question_set.source = source
    question_set.full_clean()
    question_set.save()
    question_set.topics.add(*topics.values())
    report.question_set = question_set

    existing = {q.external_id: q for q in question_set.questions.prefetch_related("answers")}
    next_position = max((q.position for q in existing.values()), default=0)
    for question_spec in spec.questions:
        external_id = question_spec.external_id or stable_question_id(question_spec)
        question = existing.get(external_id)
        passage = passages.get(question_spec.passage) if question_spec.passage else None
        answers = [
            Answer(position=position, **vars(answer))
            for position, answer in enumerate(question_spec.answers, start=1)
        ]
        if question is None:
            next_position += 1
            question = Question(
                question_set=question_set, external_id=external_id, position=next_position
            )
            report.created_questions += 1
        else:
            same = (
                question.kind == question_spec.kind
                and question.prompt == question_spec.prompt
                and question.title == question_spec.title
                and question.explanation == question_spec.explanation
                and question.passage_id == (passage.pk if passage else None)
                and _answer_rows(question)
                == [
                    (a.text, a.match_text, a.is_correct, a.fraction, a.gap, a.number,
                     a.tolerance, a.feedback)
                    for a in answers
                ]
            )
            if same:
                report.unchanged_questions += 1
                question.topics.add(*(topics[slug] for slug in question_spec.topics))
                continue
            report.updated_questions += 1
        question.kind = question_spec.kind
        question.prompt = question_spec.prompt
        question.title = question_spec.title
        question.explanation = question_spec.explanation
        question.passage = passage
        question.full_clean()
        question.save()
        question.answers.all().delete()
        for answer in answers:
            answer.question = question
        Answer.objects.bulk_create(answers)
        question.topics.set([topics[slug] for slug in question_spec.topics])


def set_import(
    *,
    spec: SetSpec,
    owner: User,
    into: QuestionSet | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Save a parsed set for `owner`, all or nothing.

    Questions are matched on their id (or, where the file has none, on a hash of their
    content), so importing the same file again changes nothing. `into` adds the questions
    to an existing set instead of the one the file names. With `dry_run` everything is
    checked and counted, then rolled back.
    """
    problems = _check(spec)
    if problems:
        raise ImportRefused(problems)
    report = ImportReport(question_set=None, dry_run=dry_run, warnings=list(spec.warnings))
    try:
        with transaction.atomic():
            _save(spec, owner, into, report)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    except ValidationError as error:
        raise ImportRefused([ImportProblem(message) for message in error.messages]) from None
    return report
