"""Writing a set out in any format, through the same SetSpec every importer produces."""

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.utils.text import slugify

from questions.formats.registry import export_format
from questions.formats.spec import AnswerSpec, PassageSpec, QuestionSpec, SetSpec, SourceSpec
from questions.models import Answer, Question, QuestionKind, QuestionSet
from questions.sentences import sentence_of

STORED_MEDIA = re.compile(
    r"""(?P<attr>src|href)=(?P<quote>["'])(?P<url>[^"']+)(?P=quote)""", re.IGNORECASE
)


@dataclass
class ExportedFile:
    content: bytes
    filename: str
    content_type: str
    warnings: list[str] = field(default_factory=list)


IMPORTED_AS = "imported_as"
"""The key, in each format's part of a question's origin, of the question's content digest
when it was imported, which tells an export whether it was edited since."""


def content_digest(spec: QuestionSpec) -> str:
    """A digest of everything a student sees of a question, to tell whether it was edited."""

    def plain(value):
        # A number is a number however it was typed: a file's 1 is the database's 1.0.
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if is_number else value

    answers = [{key: plain(value) for key, value in vars(a).items()} for a in spec.answers]
    content = [spec.kind, spec.title, spec.prompt, spec.explanation, sorted(spec.topics), answers]
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]


def question_spec(question: Question) -> QuestionSpec:
    """A saved question as a QuestionSpec (its answers should be prefetched)."""
    spec = QuestionSpec(
        kind=question.kind,
        prompt=question.prompt,
        title=question.title,
        explanation=question.explanation,
        passage=question.passage.position if question.passage_id else None,
        sentence=sentence_of(question),
        topics=[topic.slug for topic in question.topics.all()],
        external_id=question.external_id,
        answers=[
            AnswerSpec(
                text=answer.text,
                match_text=answer.match_text,
                is_correct=answer.is_correct,
                fraction=answer.fraction,
                gap=answer.gap,
                number=answer.number,
                tolerance=answer.tolerance,
                feedback=answer.feedback,
                is_choice=answer.is_choice,
            )
            for answer in question.answers.all()
        ],
        origin=question.origin,
    )
    digest = content_digest(spec)
    spec.edited = any(part.get(IMPORTED_AS) != digest for part in question.origin.values())
    return spec


def set_spec(question_set: QuestionSet) -> SetSpec:
    """Everything a file needs to recreate the set: its source, topics and live questions."""
    questions = list(
        question_set.questions.filter(archived_at__isnull=True)
        .select_related("passage")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("position")), "topics"
        )
        .order_by("position", "id")
    )
    specs = [question_spec(question) for question in questions]
    topics = {topic.slug: topic.name for topic in question_set.topics.all()}
    for question in questions:
        topics.update({topic.slug: topic.name for topic in question.topics.all()})
    source = None
    if question_set.source_id:
        src = question_set.source
        source = SourceSpec(
            slug=src.slug,
            title=src.title,
            text=src.text,
            citation=src.citation,
            period=src.period,
            passages=[PassageSpec(heading=p.heading, text=p.text) for p in src.passages.all()],
        )
    return SetSpec(
        title=question_set.title,
        description=question_set.description,
        external_id=question_set.external_id,
        visibility=question_set.visibility,
        topics=dict(sorted(topics.items())),
        source=source,
        desired_retention=question_set.desired_retention,
        new_order=question_set.new_order,
        questions=specs,
        origin=question_set.origin,
    )


def _stored_name(url: str) -> str | None:
    media_url = (
        settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else "/" + settings.MEDIA_URL
    )
    for prefix in (media_url, settings.MEDIA_URL):
        if url.startswith(prefix):
            return unquote(url[len(prefix) :])
    return None


def _bundle_media(spec: SetSpec) -> None:
    """Put the stored files the texts show into spec.media and refer to them by file name."""

    def replace(match: re.Match) -> str:
        name = _stored_name(match.group("url"))
        if name is None or not default_storage.exists(name):
            return match.group(0)
        filename = posixpath.basename(name)
        if filename not in spec.media:
            with default_storage.open(name, "rb") as stored:
                spec.media[filename] = stored.read()
        return f"{match.group('attr')}={match.group('quote')}{filename}{match.group('quote')}"

    for question in spec.questions:
        for part in question.origin.values():
            for filename, name in part.get("media", {}).items():
                if filename not in spec.media and default_storage.exists(name):
                    with default_storage.open(name, "rb") as stored:
                        spec.media[filename] = stored.read()
        question.prompt = STORED_MEDIA.sub(replace, question.prompt)
        question.explanation = STORED_MEDIA.sub(replace, question.explanation)
        for answer in question.answers:
            answer.text = STORED_MEDIA.sub(replace, answer.text)
            answer.match_text = STORED_MEDIA.sub(replace, answer.match_text)
            answer.feedback = STORED_MEDIA.sub(replace, answer.feedback)


FLASHCARDS_ONLY_WARNING = (
    "Only the set's {count} flashcards were exported: the answers to its other questions are "
    "kept for the server to grade."
)


def export_set(
    *, question_set: QuestionSet, format: str, flashcards_only: bool = False
) -> ExportedFile:
    """The set as a file of `format` (a name from questions.formats.registry).

    `flashcards_only` is for a student's export: a flashcard's back is meant to be read, but
    the answers of the questions the server grades must not leave it.
    """
    file_format = export_format(format)
    spec = set_spec(question_set)
    if flashcards_only:
        spec.questions = [q for q in spec.questions if q.kind == QuestionKind.FLASHCARD]
    if file_format.carries_media:
        _bundle_media(spec)
    written = file_format.write(spec)
    if flashcards_only:
        written.warnings.append(FLASHCARDS_ONLY_WARNING.format(count=len(spec.questions)))
    stem = slugify(question_set.title)[:80] or f"set-{question_set.pk}"
    return ExportedFile(
        content=written.content,
        filename=f"{stem}{file_format.extensions[0]}",
        content_type=file_format.content_type,
        warnings=written.warnings,
    )
