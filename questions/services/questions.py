"""Writes of questions and their answer keys by the set's owner."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from questions.models import Answer, Passage, Question, QuestionSet, Review
from questions.models.banks import ANSWER_KEY_FIELDS
from questions.sentences import set_sentence
from questions.services.sets import topics_for
from questions.validation import validate_answer_key

QUESTION_FIELDS = ("kind", "title", "prompt", "explanation")
_UNCHANGED = object()
KIND_FIXED_AFTER_ANSWERS = (
    "Students have answered this question, so its type cannot change; delete it (it is kept "
    "for their history) and write a new one."
)


def _answers(rows: list[dict]) -> list[Answer]:
    return [
        Answer(position=position, **{name: row[name] for name in ANSWER_KEY_FIELDS if name in row})
        for position, row in enumerate(rows, start=1)
    ]


def _check_key(question: Question, answers: list[Answer]) -> None:
    try:
        validate_answer_key(kind=question.kind, prompt=question.prompt, answers=answers)
    except ValidationError as error:
        raise ValidationError({"answers": error.messages}) from None


def _save_answers(question: Question, answers: list[Answer], *, replace: bool) -> None:
    """Save the answer key. An edit keeps the rows at the positions that remain, so the ids a
    student was shown, and the ids the review log names, still mean the same rows."""
    for answer in answers:
        answer.question = question
        # Field checks only: the serializer checked the ranges and the database enforces them.
        answer.full_clean(exclude=["question"], validate_unique=False, validate_constraints=False)
    if not replace:
        Answer.objects.bulk_create(answers)
        return
    existing = {row.position: row for row in question.answers.all()}
    kept = []
    for answer in answers:
        row = existing.pop(answer.position, None)
        if row is not None:
            answer.pk = row.pk
            kept.append(answer)
    Answer.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    if kept:
        Answer.objects.bulk_update(kept, ANSWER_KEY_FIELDS)
    Answer.objects.bulk_create([answer for answer in answers if answer.pk is None])


@transaction.atomic
def question_create(
    *,
    question_set: QuestionSet,
    fields: dict,
    answers: list[dict],
    passage: Passage | None = None,
    topics: list[str] | None = None,
    sentence: str = "",
) -> Question:
    """Add a question at the end of the set; the answer key must be valid for its kind.
    `sentence` quotes the words of the passage the answer rests on."""
    last = question_set.questions.aggregate(last=Max("position"))["last"] or 0
    question = Question(question_set=question_set, passage=passage, position=last + 1)
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    set_sentence(question, sentence)
    rows = _answers(answers)
    question.full_clean()
    _check_key(question, rows)
    question.save()
    _save_answers(question, rows, replace=False)
    if topics:
        question.topics.set(topics_for(topics))
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    fields: dict,
    answers: list[dict] | None = None,
    passage: Passage | object | None = _UNCHANGED,
    topics: list[str] | None = None,
    sentence: str | None = None,
) -> Question:
    """Change a question; `answers`, when given, replaces the whole answer key.

    Its type stays once students have answered it: their logged answers and schedules are
    answers to that type of question.
    """
    if (
        "kind" in fields
        and fields["kind"] != question.kind
        and Review.objects.filter(question=question).exists()
    ):
        raise ValidationError({"kind": KIND_FIXED_AFTER_ANSWERS})
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    if passage is not _UNCHANGED:
        if getattr(passage, "pk", None) != question.passage_id:
            # The sentence span belongs to the passage it was cut from.
            question.sentence_start = question.sentence_end = None
        question.passage = passage
    if sentence is not None:
        set_sentence(question, sentence)
    rows = _answers(answers) if answers is not None else list(question.answers.all())
    question.full_clean()
    _check_key(question, rows)
    question.save()
    if answers is not None:
        _save_answers(question, rows, replace=True)
    if topics is not None:
        question.topics.set(topics_for(topics))
    return question


@transaction.atomic
def question_delete(*, question: Question, now: datetime) -> bool:
    """Delete the question, or archive it when it has been answered. True when archived."""
    if Review.objects.filter(question=question).exists():
        if question.archived_at is None:
            question.archived_at = now
            question.save(update_fields=["archived_at", "updated_at"])
        return True
    question.delete()
    return False
