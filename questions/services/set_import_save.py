"""Writing a checked set to the database: the set, its source and topics, and its questions
matched to saved ones by their id (or, where the file has none, by a hash of their content),
created, updated or left unchanged, with their answers and topic links written in bulk; the
ImportReport that counts what happened. set_import calls it inside one transaction.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.text import slugify

from questions.formats.spec import (
    AnswerSpec,
    ImportProblem,
    ImportRefused,
    QuestionSpec,
    SetSpec,
)
from questions.models import Answer, Question, QuestionSet, Topic
from questions.models.banks import ANSWER_KEY_FIELDS
from questions.sentences import sentence_span
from questions.services.bulk_rows import insert_rows
from questions.services.set_export import IMPORTED_AS, content_digest
from questions.services.set_export import question_spec as saved_question_spec
from questions.services.sources import SourceConflict, source_save
from questions.services.studied_sets import studied_sets_sync, studiers_of

REPEATED_QUESTION = "{where}: the same question as an earlier one in the file; imported once."
CONTENT_ID_PREFIX = "sha256:"

ANSWER_COLUMNS = tuple(field.name for field in dataclass_fields(AnswerSpec))
"""An answer's columns as the file gives them (AnswerSpec's fields are Answer's)."""

Progress = Callable[[int, int], None]
"""Called with (questions saved so far, questions in the file)."""


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
    format: str = ""
    stored_media: int = 0

    def summary(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        title = self.question_set.title if self.question_set else "nothing"
        return (
            f"{verb} {title!r}: {self.created_questions} new, {self.updated_questions} updated, "
            f"{self.unchanged_questions} unchanged questions"
            + (" (new set)" if self.created_set else "")
            + (" (new source)" if self.created_source else "")
            + (f", {self.stored_media} media files" if self.stored_media else "")
            + "."
        )

    def as_dict(self) -> dict:
        """The report as plain data, for an API response or a page."""
        return {
            "set": (
                {"id": self.question_set.pk, "title": self.question_set.title}
                if self.question_set is not None and not self.dry_run
                else {"id": None, "title": self.question_set.title if self.question_set else ""}
            ),
            "format": self.format,
            "dry_run": self.dry_run,
            "created_set": self.created_set,
            "created_source": self.created_source,
            "created_questions": self.created_questions,
            "updated_questions": self.updated_questions,
            "unchanged_questions": self.unchanged_questions,
            "stored_media": self.stored_media,
            "warnings": self.warnings,
            "summary": self.summary(),
        }


def stable_question_id(spec: QuestionSpec) -> str:
    """An id for a question whose file gives none, so importing the same file twice is harmless.

    It covers everything a student or a grader would notice (type, title, prompt, explanation,
    cited passage and sentence, and every column of every answer, feedback included), so two questions
    that differ in any of them are two questions; only a true repeat gets the same id.
    """
    content = [
        spec.kind,
        spec.title,
        spec.prompt,
        spec.explanation,
        spec.passage,
        *([spec.sentence] if spec.sentence else []),
        [
            [answer.text, answer.match_text, bool(answer.is_correct), float(answer.fraction),
             answer.gap, answer.number, answer.tolerance or 0.0, answer.feedback,
             *(["choice"] if answer.is_choice else [])]
            for answer in spec.answers
        ],
    ]  # fmt: skip
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode())
    return CONTENT_ID_PREFIX + digest.hexdigest()[:24]


def _saved_origin(spec: QuestionSpec, saved: Question | None) -> dict:
    """The question's origin as stored: each format's part notes the question as imported,
    so an export can tell whether it was edited since. A format the file does not speak for
    keeps its part (a quizsite YAML file updating an Anki card keeps what Anki needs)."""
    digest = content_digest(spec)
    new = {name: {**part, IMPORTED_AS: digest} for name, part in spec.origin.items()}
    return {**(saved.origin if saved is not None else {}), **new}


def _merged(saved: dict, new: dict) -> dict:
    """`saved` with `new` laid over it, key by key, down through nested dicts."""
    merged = dict(saved)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def _answer_row(answer: Answer) -> tuple:
    return tuple(getattr(answer, name) for name in ANSWER_KEY_FIELDS)


def _answer_rows(question: Question) -> list[tuple]:
    return [_answer_row(answer) for answer in question.answers.all()]


def _spec_answer_row(row: tuple) -> tuple:
    """An answer row of the file (position, then ANSWER_COLUMNS) as _answer_row gives a saved
    one, to tell whether a question changed."""
    values = dict(zip(ANSWER_COLUMNS, row[1:], strict=True))
    return tuple(values[name] for name in ANSWER_KEY_FIELDS)


def save_spec(
    spec: SetSpec,
    owner: User,
    into: QuestionSet | None,
    report: ImportReport,
    progress: Progress | None,
) -> None:
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
    visibility = question_set.visibility
    if report.created_set or into is None:
        question_set.title = spec.title
        question_set.description = spec.description
        question_set.visibility = spec.visibility
        question_set.desired_retention = spec.desired_retention
        question_set.new_order = spec.new_order
    if source is not None:
        question_set.source = source
    question_set.origin = _merged(question_set.origin, spec.origin)
    # Its constraints were checked by check_spec (and the lookup above); the owner and source
    # are objects in hand.
    question_set.clean_fields(exclude=["owner", "source"])
    question_set.clean()
    question_set.save()
    if not report.created_set and question_set.visibility != visibility:
        studied_sets_sync(user_ids=studiers_of(question_set), set_ids=[question_set.pk])
    question_set.topics.add(*topics.values())
    report.question_set = question_set

    existing = {}
    for saved in question_set.questions.select_related("passage").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.order_by("position")), "topics"
    ):
        # A question written in the editor has no id, and one imported without an id has
        # an id made from its content (perhaps by an older rule): its content finds it again.
        if not saved.external_id or saved.external_id.startswith(CONTENT_ID_PREFIX):
            existing.setdefault(stable_question_id(saved_question_spec(saved)), saved)
        if saved.external_id:
            existing[saved.external_id] = saved
    next_position = max((q.position for q in existing.values()), default=0)
    total = len(spec.questions)
    imported: dict[str, Question] = {}
    # Rows are gathered and written in bulk, so a file of thousands of questions takes a
    # handful of queries per hundred questions instead of several per question.
    new_questions: list[Question] = []
    answers_to_create: list[tuple[Question, tuple]] = []
    topic_links: list[tuple[Question, Topic]] = []
    for done, question_spec in enumerate(spec.questions, start=1):
        if progress is not None:
            progress(done, total)
        external_id = question_spec.external_id or stable_question_id(question_spec)
        if external_id in imported:
            where = f"line {question_spec.line}" if question_spec.line else f"question {done}"
            report.warnings.append(REPEATED_QUESTION.format(where=where))
            # The repeat's topics (its Moodle category, say) are the question's too.
            earlier = imported[external_id]
            topic_links += [(earlier, topics[slug]) for slug in question_spec.topics]
            continue
        question = existing.get(external_id)
        passage = passages.get(question_spec.passage) if question_spec.passage else None
        span = sentence_span(passage.text, question_spec.sentence) if passage else None
        answers = [
            (position, *(getattr(answer, name) for name in ANSWER_COLUMNS))
            for position, answer in enumerate(question_spec.answers, start=1)
        ]
        wanted_topics = [topics[slug] for slug in question_spec.topics]
        origin = _saved_origin(question_spec, question)
        if question is None:
            next_position += 1
            question = Question(
                question_set=question_set, external_id=external_id, position=next_position
            )
            new_questions.append(question)
            report.created_questions += 1
        imported[external_id] = question
        if question.pk is not None:
            has_topics = {topic.pk for topic in question.topics.all()}
            same = (
                question.kind == question_spec.kind
                and question.prompt == question_spec.prompt
                and question.title == question_spec.title
                and question.explanation == question_spec.explanation
                and question.passage_id == (passage.pk if passage else None)
                and (question.sentence_start, question.sentence_end) == (span or (None, None))
                and _answer_rows(question) == [_spec_answer_row(row) for row in answers]
                and question.origin == origin
            )
            if same:
                report.unchanged_questions += 1
                topic_links += [(question, t) for t in wanted_topics if t.pk not in has_topics]
                continue
            report.updated_questions += 1
        question.kind = question_spec.kind
        question.prompt = question_spec.prompt
        question.title = question_spec.title
        question.explanation = question_spec.explanation
        question.passage = passage
        question.sentence_start, question.sentence_end = span or (None, None)
        question.origin = origin
        # The constraints were checked by check_spec and the database enforces them; the foreign
        # keys are objects found above. Field rules and the passage rule remain to check.
        try:
            question.clean_fields(exclude=["question_set", "passage"])
            question.clean()
        except ValidationError as error:
            label = question_spec.external_id or str(done)
            raise ImportRefused(
                [ImportProblem(m, line=question_spec.line, question=label) for m in error.messages]
            ) from None
        if question.pk is not None:
            question.save()
            question.answers.all().delete()
            question.topics.clear()
        answers_to_create += [(question, row) for row in answers]
        topic_links += [(question, topic) for topic in wanted_topics]
    Question.objects.bulk_create(new_questions, batch_size=500)
    # Plain rows, not instances: nothing needs their ids back (see bulk_rows).
    insert_rows(
        Answer,
        ["question_id", "position", *ANSWER_COLUMNS],
        ((question.pk, *row) for question, row in answers_to_create),
    )
    insert_rows(
        Question.topics.through,
        ["question_id", "topic_id"],
        ((question.pk, topic.pk) for question, topic in topic_links),
        ignore_conflicts=True,
    )
