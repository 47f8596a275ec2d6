"""The question editor's forms: filled from a question or the request, saved through the
services (which lock the question and check the owner)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from questions.models import Question, QuestionKind, QuestionSet
from questions.sentences import sentence_of
from questions.services.questions import (
    question_create,
    question_locked,
    question_update,
)
from questions.services.versions import StaleVersion, require_version, version_of
from questions.web.answer_key import answer_initial, answer_rows
from questions.web.forms import (
    BLANK_ROWS,
    AnswerFormSet,
    QuestionForm,
)
from questions.web.presenting import student_question

ANSWERS_PREFIX = "answers"
DEFAULT_BLANK_ROWS = 4


def editor_forms(request, question_set: QuestionSet, question: Question | None):
    """The question form and answer rows, bound to what the teacher typed when there is a POST."""
    if request.method == "POST":
        data = request.POST.copy()
        kind = data.get("kind") or QuestionKind.FLASHCARD
        total_key = f"{ANSWERS_PREFIX}-TOTAL_FORMS"
        total = int(data.get(total_key) or 0) if data.get(total_key, "").isdigit() else 0
        if "add_row" in data:
            total += 1
        # Switching to a type with more answers than the last one offers blank rows for them.
        data[total_key] = str(max(total, BLANK_ROWS.get(kind, DEFAULT_BLANK_ROWS)))
        form = QuestionForm(data, question_set=question_set)
        answers = AnswerFormSet(data, prefix=ANSWERS_PREFIX)
        return form, answers, kind
    kind = request.GET.get("kind") or (question.kind if question else QuestionKind.FLASHCARD)
    if kind not in QuestionKind.values:
        kind = QuestionKind.FLASHCARD
    initial = {"kind": kind}
    if question is not None:
        initial.update(
            version=version_of(question),
            title=question.title,
            prompt=question.prompt,
            explanation=question.explanation,
            passage=question.passage_id,
            sentence=sentence_of(question),
            topics=list(question.topics.all()),
        )
        if question.kind == QuestionKind.TRUE_FALSE:
            right = next((a for a in question.answers.all() if a.is_correct), None)
            initial["true_false_answer"] = right.text.strip().lower() if right else None
    rows = answer_initial(question)
    blank = BLANK_ROWS.get(kind, DEFAULT_BLANK_ROWS)
    if kind == QuestionKind.FLASHCARD:
        blank = 0 if rows else 1
    form = QuestionForm(initial=initial, question_set=question_set)
    answers = AnswerFormSet(initial=rows, prefix=ANSWERS_PREFIX)
    answers.extra = blank
    return form, answers, kind


def add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def key_rows(kind: str, form, answers) -> list[dict]:
    """The answer key the teacher filled in (valid forms), as rows for the question's kind."""
    return answer_rows(
        kind,
        true_is_right=form.cleaned_data.get("true_false_answer") == "true",
        filled=[row.cleaned_data for row in answers.forms if row.has_content()],
    )


def save_question(by, form, answers, kind, question_set, question, *, commit: bool):
    """Validate everything and save; returns the saved question or None, with errors on the forms.

    With commit=False the question is saved and rolled back, to preview it exactly as saved.
    A saved edit must be of the version the teacher opened (the form's `version`).
    """
    form_ok = form.is_valid()
    answers_ok = answers.is_valid()
    answer_errors: list[str] = []
    if not (form_ok and answers_ok):
        return None, answer_errors, None
    rows = key_rows(kind, form, answers)
    try:
        with transaction.atomic():
            fields = {
                "kind": kind,
                "title": form.cleaned_data["title"],
                "prompt": form.cleaned_data["prompt"],
                "explanation": form.cleaned_data["explanation"],
            }
            passage = form.cleaned_data.get("passage")
            topics = [topic.slug for topic in form.cleaned_data["topics"]]
            sentence = form.cleaned_data.get("sentence", "")
            if question is None:
                saved = question_create(
                    by=by,
                    question_set=question_set,
                    fields=fields,
                    answers=rows,
                    passage=passage,
                    topics=topics,
                    sentence=sentence,
                )
            else:
                locked = question_locked(by=by, question_id=question.pk)
                if commit:
                    require_version(locked, version=form.cleaned_data["version"])
                saved = question_update(
                    by=by,
                    question=locked,
                    fields=fields,
                    answers=rows,
                    passage=passage,
                    topics=topics,
                    sentence=sentence,
                )
            shown = student_question(saved, student_id=by.pk)
            if not commit:
                transaction.set_rollback(True)
    except StaleVersion as stale:
        form.add_error(None, str(stale))
        return None, answer_errors, None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, field_messages in error.message_dict.items():
                if field in form.fields:
                    form.add_error(field, field_messages)
                else:
                    answer_errors.extend(field_messages)
        else:
            answer_errors.extend(error.messages)
        return None, answer_errors, None
    return saved, answer_errors, shown
