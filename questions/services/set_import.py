"""Saving a parsed set (from any format) all or nothing, idempotently."""

import hashlib
import html
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from questions.formats.registry import as_utf8, import_format
from questions.formats.spec import ImportProblem, ImportRefused, QuestionSpec, SetSpec
from questions.limits import DESCRIPTION_LENGTH, EXPLANATION_LENGTH
from questions.models import Answer, Question, QuestionSet, Topic
from questions.models.banks import ANSWER_KEY_FIELDS, QuestionKind
from questions.sentences import sentence_span
from questions.services.set_export import IMPORTED_AS, content_digest
from questions.services.set_export import question_spec as saved_question_spec
from questions.services.sources import SourceConflict, source_save
from questions.services.studied_sets import studied_sets_sync, studiers_of
from questions.validation import validate_answer_key

PASSAGE_OUT_OF_RANGE = "Passage {number} does not exist; the source has {count} passages."
PASSAGE_WITHOUT_SOURCE = "The question cites passage {number}, but the set has no source."
PASSAGE_MISSING = "The set has a source, so every question must cite a passage."
SENTENCE_WITHOUT_PASSAGE = "The question quotes a sentence but cites no passage."
SENTENCE_NOT_IN_PASSAGE = "The sentence {sentence!r} is not, word for word, in passage {number}."
FILE_TOO_LARGE = (
    "The file is {size:,} bytes; imports are limited to {limit:,} bytes "
    "(settings.QUIZSITE_MAX_IMPORT_BYTES)."
)
FILE_EMPTY = "The file is empty."
NO_QUESTIONS = "The file holds no question, so nothing was imported."
TOO_MANY_QUESTIONS = (
    "The file holds {count} questions; an import may hold at most {limit} "
    "(QUIZSITE_MAX_IMPORT_QUESTIONS). Split it into several files."
)
CONFLICTS_WITH_SAVED = "The file conflicts with questions saved meanwhile; import it again."
REPEATED_QUESTION = "{where}: the same question as an earlier one in the file; imported once."
MEDIA_DIR = "imports"
CONTENT_ID_PREFIX = "sha256:"
INTO_SOURCE_DIFFERS = (
    "The set {title!r} is drawn from the source {set_source}, the file from {file_source}; "
    "questions must cite passages of their set's source. Import the file as a set of its own."
)

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


class _DryRunRollback(Exception):
    pass


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


def _check(spec: SetSpec) -> list[ImportProblem]:
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


def media_name(filename: str, content: bytes) -> str:
    """Where a media file is stored: named by its content, so a second import reuses it."""
    suffix = PurePath(filename).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ".bin"
    return posixpath.join(MEDIA_DIR, hashlib.sha256(content).hexdigest()[:32] + suffix)


def _link_media(spec: SetSpec) -> dict[str, bytes]:
    """Point the texts' references to the file's media at where they will be stored; the
    spec's texts are changed in place. Returns the files to store, by their storage name.
    """
    if not spec.media:
        return {}
    to_store: dict[str, bytes] = {}
    urls: dict[str, str] = {}
    for filename, content in spec.media.items():
        name = media_name(filename, content)
        to_store[name] = content
        urls[filename] = default_storage.url(name)
    pattern = re.compile(
        r"""(?P<attr>src|href)=(?P<quote>["'])(?P<name>[^"']+)(?P=quote)""", re.IGNORECASE
    )

    def replace(match: re.Match) -> str:
        name = html.unescape(match.group("name"))
        url = urls.get(name) or urls.get(quote(name)) or urls.get(name.replace("%20", " "))
        if url is None:
            return match.group(0)
        return f"{match.group('attr')}={match.group('quote')}{url}{match.group('quote')}"

    stored_as = {
        filename: media_name(filename, content) for filename, content in spec.media.items()
    }
    for question in spec.questions:
        question.prompt = pattern.sub(replace, question.prompt)
        question.explanation = pattern.sub(replace, question.explanation)
        for answer in question.answers:
            answer.text = pattern.sub(replace, answer.text)
            answer.match_text = pattern.sub(replace, answer.match_text)
            answer.feedback = pattern.sub(replace, answer.feedback)
        for part in question.origin.values():
            if "media" in part:
                part["media"] = {n: stored_as[n] for n in part["media"] if n in stored_as}
    return to_store


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


def _store_media(files: dict[str, bytes]) -> int:
    stored = 0
    for name, content in files.items():
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
            stored += 1
    return stored


def _answer_row(answer: Answer) -> tuple:
    return tuple(getattr(answer, name) for name in ANSWER_KEY_FIELDS)


def _answer_rows(question: Question) -> list[tuple]:
    return [_answer_row(answer) for answer in question.answers.all()]


def _save(
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
    # Its constraints were checked by _check (and the lookup above); the owner and source
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
    answers_to_create: list[Answer] = []
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
            Answer(position=position, **vars(answer))
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
                and _answer_rows(question) == [_answer_row(answer) for answer in answers]
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
        # The constraints were checked by _check and the database enforces them; the foreign
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
        for answer in answers:
            answer.question = question
        answers_to_create += answers
        topic_links += [(question, topic) for topic in wanted_topics]
    Question.objects.bulk_create(new_questions, batch_size=500)
    Answer.objects.bulk_create(answers_to_create, batch_size=1000)
    Question.topics.through.objects.bulk_create(
        [
            Question.topics.through(question_id=question.pk, topic_id=topic.pk)
            for question, topic in topic_links
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def set_import(
    *,
    spec: SetSpec,
    owner: User,
    into: QuestionSet | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Save a parsed set for `owner`, all or nothing.

    Questions are matched on their id (or, where the file has none, on a hash of their
    content), so importing the same file again changes nothing. `into` adds the questions
    to an existing set (of the same source) instead of the one the file names. With
    `dry_run` everything is
    checked and counted, then rolled back. Media files (spec.media) are stored under MEDIA,
    named by their content, once the questions are saved; never in a dry run.
    """
    media = _link_media(spec)
    problems = _check(spec)
    if into is not None:
        into_source = into.source.slug if into.source_id else None
        file_source = spec.source.slug if spec.source else None
        if into_source != file_source:
            message = INTO_SOURCE_DIFFERS.format(
                title=into.title,
                set_source=repr(into_source) if into_source else "no source",
                file_source=repr(file_source) if file_source else "no source",
            )
            problems.insert(0, ImportProblem(message))
    if problems:
        raise ImportRefused(problems)
    report = ImportReport(question_set=None, dry_run=dry_run, warnings=list(spec.warnings))
    try:
        with transaction.atomic():
            _save(spec, owner, into, report, progress)
            if dry_run:
                raise _DryRunRollback
            # Last, so a refused import stores nothing; a file stored by an import whose
            # commit then fails is harmless, as the next import reuses it by its name.
            report.stored_media = _store_media(media)
    except _DryRunRollback:
        pass
    except ValidationError as error:
        raise ImportRefused([ImportProblem(message) for message in error.messages]) from None
    except IntegrityError:
        raise ImportRefused([ImportProblem(CONFLICTS_WITH_SAVED)]) from None
    return report


def check_import_size(size: int) -> None:
    """ImportRefused for a file over settings.QUIZSITE_MAX_IMPORT_BYTES; call it before reading
    an upload, so that a huge file is never read into memory."""
    limit = settings.QUIZSITE_MAX_IMPORT_BYTES
    if size > limit:
        raise ImportRefused([ImportProblem(FILE_TOO_LARGE.format(size=size, limit=limit))])


def import_file(
    *,
    content: bytes,
    filename: str,
    format: str | None,
    owner: User,
    into: QuestionSet | None = None,
    dry_run: bool = False,
    base_dir: Path | None = None,
    progress: Progress | None = None,
    encoding: str | None = None,
) -> ImportReport:
    """Import an uploaded or local file of any format: the one path behind the command,
    the API and the import page.

    `format` is a name from questions.formats.registry (or None to go by the file's
    extension). Raises ImportRefused, naming the line or question of every problem, for a
    file that is too large, of an unknown format, unreadable or invalid; nothing is saved then.
    `base_dir` lets a quizsite set file name its source text as a file beside it. `encoding`
    names what a text file was saved in (UTF-8 when None); a file that is not in it is refused,
    with the encoding it most likely is.
    """
    check_import_size(len(content))
    if not content.strip():
        raise ImportRefused([ImportProblem(FILE_EMPTY)])
    file_format = import_format(name=format, filename=filename)
    content = as_utf8(content, file_format=file_format, encoding=encoding)
    spec = file_format.read(content, filename=filename, base_dir=base_dir)
    report = set_import(spec=spec, owner=owner, into=into, dry_run=dry_run, progress=progress)
    report.format = file_format.name
    return report
