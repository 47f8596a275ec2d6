"""Teachers' pages: their sets, the question editor with a live preview, sources and import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from questions.formats.source_text import split_source_text
from questions.formats.spec import ImportRefused
from questions.models import Question, QuestionKind, QuestionSet
from questions.sentences import sentence_of
from questions.services.jobs import import_job_start, import_runs_as_job
from questions.services.question_order import question_move
from questions.services.questions import question_create, question_delete, question_update
from questions.services.set_import import import_file
from questions.services.sets import set_create, set_delete, set_update
from questions.services.sources import SourceConflict, source_save
from questions.services.versions import STALE_VERSION, StaleVersion, lock_at_version, version_of
from questions.web.answer_input import preview_grade
from questions.web.answer_key import answer_initial, answer_rows, nothing_typed
from questions.web.forms import (
    ANSWER_COLUMNS,
    BLANK_ROWS,
    SET_FORM_FIELDS,
    AnswerFormSet,
    ImportForm,
    QuestionForm,
    QuestionSetForm,
    SourceForm,
)
from questions.web.permissions import teacher_required
from questions.web.presenting import is_htmx, student_question

ANSWERS_PREFIX = "answers"
DEFAULT_BLANK_ROWS = 4


def _own_set(request, set_id: int) -> QuestionSet:
    """The teacher's own set; another's set is a 404, as in the API."""
    return get_object_or_404(QuestionSet, pk=set_id, owner=request.user, archived_at__isnull=True)


@teacher_required
@require_GET
def set_list(request):
    sets = (
        QuestionSet.objects.filter(owner=request.user, archived_at__isnull=True)
        .select_related("source")
        .prefetch_related("topics")
        .order_by("title")
    )
    return render(request, "questions/teach/set_list.html", {"sets": sets, "nav": "teach"})


@teacher_required
@require_http_methods(["GET", "POST"])
def set_edit(request, set_id: int | None = None):
    question_set = _own_set(request, set_id) if set_id else None
    initial = model_to_dict(question_set, fields=SET_FORM_FIELDS) if question_set else None
    if question_set:
        initial["version"] = version_of(question_set)
    form = QuestionSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in SET_FORM_FIELDS if name not in ("source", "topics")}
        topics = [topic.slug for topic in data["topics"]] + [
            name.strip() for name in data["new_topics"].split(",") if name.strip()
        ]
        try:
            if question_set is None:
                question_set = set_create(
                    owner=request.user, fields=fields, source=data["source"], topics=topics
                )
            else:
                with transaction.atomic():
                    locked = lock_at_version(
                        QuestionSet.objects, pk=question_set.pk, version=data["version"]
                    )
                    set_update(
                        question_set=locked, fields=fields, source=data["source"], topics=topics
                    )
        except StaleVersion as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Saved the set “{question_set.title}”.")
            return redirect("teach_set", set_id=question_set.pk)
    return render(
        request,
        "questions/teach/set_form.html",
        {"form": form, "question_set": question_set, "nav": "teach"},
        status=_status_of(form),
    )


def _status_of(form) -> int:
    """409 when the save was refused because the row changed meanwhile, else 200."""
    return 409 if form.is_bound and STALE_VERSION in form.non_field_errors() else 200


@teacher_required
@require_GET
def set_detail(request, set_id: int):
    return _set_detail_page(request, _own_set(request, set_id))


def _set_detail_page(request, question_set: QuestionSet):
    questions = (
        question_set.questions.filter(archived_at__isnull=True)
        .select_related("passage")
        .prefetch_related("topics")
        .order_by("position", "id")
    )
    return render(
        request,
        "questions/teach/set_detail.html",
        {"question_set": question_set, "questions": questions, "nav": "teach"},
    )


@teacher_required
@require_POST
def question_reorder(request, set_id: int, question_id: int):
    question_set = _own_set(request, set_id)
    question = get_object_or_404(
        question_set.questions.filter(archived_at__isnull=True), pk=question_id
    )
    question_move(question=question, offset=-1 if request.POST.get("direction") == "up" else 1)
    if is_htmx(request):
        # htmx swaps in the list from the page, keeping the teacher's place.
        return _set_detail_page(request, question_set)
    return redirect("teach_set", set_id=set_id)


def _editor_forms(request, question_set: QuestionSet, question: Question | None):
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


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _key_rows(kind: str, form, answers) -> list[dict]:
    """The answer key the teacher filled in (valid forms), as rows for the question's kind."""
    return answer_rows(
        kind,
        true_is_right=form.cleaned_data.get("true_false_answer") == "true",
        filled=[row.cleaned_data for row in answers.forms if row.has_content()],
    )


def _save_question(form, answers, kind, question_set, question, *, commit: bool, viewer_id: int):
    """Validate everything and save; returns the saved question or None, with errors on the forms.

    With commit=False the question is saved and rolled back, to preview it exactly as saved.
    """
    form_ok = form.is_valid()
    answers_ok = answers.is_valid()
    answer_errors: list[str] = []
    if not (form_ok and answers_ok):
        return None, answer_errors, None
    rows = _key_rows(kind, form, answers)
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
                    question_set=question_set,
                    fields=fields,
                    answers=rows,
                    passage=passage,
                    topics=topics,
                    sentence=sentence,
                )
            else:
                if commit:
                    version = form.cleaned_data["version"]
                    question = lock_at_version(Question.objects, pk=question.pk, version=version)
                saved = question_update(
                    question=question,
                    fields=fields,
                    answers=rows,
                    passage=passage,
                    topics=topics,
                    sentence=sentence,
                )
            shown = student_question(saved, student_id=viewer_id)
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


@teacher_required
@require_http_methods(["GET", "POST"])
def question_edit(request, set_id: int, question_id: int | None = None):
    question_set = _own_set(request, set_id)
    question = None
    if question_id is not None:
        question = get_object_or_404(
            question_set.questions.filter(archived_at__isnull=True), pk=question_id
        )
    form, answers, kind = _editor_forms(request, question_set, question)
    answer_errors: list[str] = []
    preview = None
    if request.method == "POST" and "add_row" not in request.POST:
        saved, answer_errors, preview = _save_question(
            form, answers, kind, question_set, question, commit=True, viewer_id=request.user.pk
        )
        if saved is not None:
            messages.success(request, "The question is saved.")
            if "save_and_add" in request.POST:
                return redirect(f"{_new_question_url(set_id)}?kind={kind}")
            return redirect("teach_set", set_id=set_id)
    elif question is not None:
        preview = student_question(question, student_id=request.user.pk)
    return render(
        request,
        "questions/teach/question_form.html",
        {
            "question_set": question_set,
            "question": question,
            "form": form,
            "answers": answers,
            "kind": kind,
            "columns": ANSWER_COLUMNS[kind],
            "answer_errors": answer_errors,
            "preview": preview,
            "nav": "teach",
        },
        status=_status_of(form),
    )


def _new_question_url(set_id: int) -> str:
    return reverse("teach_question_new", kwargs={"set_id": set_id})


@teacher_required
@require_POST
def question_preview(request, set_id: int):
    """The live preview: the question as a student will see it, from the unsaved form."""
    question_set = _own_set(request, set_id)
    if nothing_typed(request.POST, prefix=ANSWERS_PREFIX):
        # A fresh form ("Save and add another") has nothing wrong with it yet.
        return render(request, "questions/teach/_preview.html", {"preview": None, "problems": []})
    form, answers, kind = _editor_forms(request, question_set, None)
    _, answer_errors, preview = _save_question(
        form, answers, kind, question_set, None, commit=False, viewer_id=request.user.pk
    )
    problems = [*answer_errors, *answers.non_form_errors()]
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        problems.extend(f"{label or 'Question'}: {error}" for error in errors)
    tried = None
    if preview is not None:
        # Stable ids, so that the try-out box keeps its focus while the preview is redrawn.
        preview = {**preview, "id": "preview"}
        rows = _key_rows(kind, form, answers)
        prompt = form.cleaned_data["prompt"]
        tried = preview_grade(kind=kind, prompt=prompt, rows=rows, data=request.POST)
    context = {"preview": preview, "problems": problems, "tried": tried, "given": request.POST}
    return render(request, "questions/teach/_preview.html", context)


@teacher_required
@require_POST
def question_editor_refresh(request, set_id: int):
    """Re-render the editor for another type or one more answer row, keeping what was typed."""
    question_set = _own_set(request, set_id)
    form, answers, kind = _editor_forms(request, question_set, None)
    if kind not in QuestionKind.values:
        raise Http404
    # Half-typed questions are normal here: show no errors until the teacher saves.
    form._errors = ErrorDict()
    answers._non_form_errors = answers.error_class()
    answers._errors = []
    for row in answers.forms:
        row._errors = ErrorDict()
    return render(
        request,
        "questions/teach/_answers.html",
        {
            "question_set": question_set,
            "form": form,
            "answers": answers,
            "kind": kind,
            "columns": ANSWER_COLUMNS[kind],
        },
    )


@teacher_required
@require_http_methods(["GET", "POST"])
def source_create(request):
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            spec = split_source_text(
                form.cleaned_data["text"], citation=form.cleaned_data["citation"]
            )
            source, created = source_save(spec=spec, created_by=request.user)
        except (ValueError, SourceConflict) as error:
            form.add_error("text", str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            verb = "Created" if created else "Found"
            messages.success(
                request,
                f"{verb} the source “{source.title}” with {source.passages.count()} passages.",
            )
            return redirect("source", source_id=source.pk)
    return render(request, "questions/teach/source_form.html", {"form": form, "nav": "teach"})


@teacher_required
@require_http_methods(["GET", "POST"])
def set_import_page(request):
    own_sets = QuestionSet.objects.filter(owner=request.user, archived_at__isnull=True)
    form = ImportForm(request.POST or None, request.FILES or None, sets=own_sets)
    report = None
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        arguments = {
            "content": upload.read(),
            "filename": upload.name,
            "format": form.cleaned_data["format"] or None,
            "owner": request.user,
            "into": form.cleaned_data["into"],
            "encoding": form.cleaned_data["encoding"] or None,
        }
        try:
            if import_runs_as_job(size=upload.size, dry_run=form.cleaned_data["dry_run"]):
                job = import_job_start(**arguments, now=timezone.now())
                return redirect("teach_job", job_id=job.id)
            report = import_file(**arguments, dry_run=form.cleaned_data["dry_run"])
        except ImportRefused as refused:
            problems = refused.problems
            form.add_error("file", "The file was not imported; nothing from it was saved.")
        else:
            if not report.dry_run and report.question_set is not None:
                messages.success(request, report.summary())
                return redirect("teach_set", set_id=report.question_set.pk)
    return render(
        request,
        "questions/teach/import.html",
        {"form": form, "report": report, "problems": problems, "nav": "teach"},
    )


@teacher_required
@require_POST
def question_remove(request, set_id: int, question_id: int):
    """Delete a question, or archive it when students have answered it."""
    question_set = _own_set(request, set_id)
    question = get_object_or_404(
        question_set.questions.filter(archived_at__isnull=True), pk=question_id
    )
    archived = question_delete(question=question, now=timezone.now())
    messages.success(
        request,
        "The question is archived: students' answers to it are kept."
        if archived
        else "The question is deleted.",
    )
    return redirect("teach_set", set_id=set_id)


@teacher_required
@require_POST
def set_remove(request, set_id: int):
    """Delete a set, or archive it when students have studied it."""
    question_set = _own_set(request, set_id)
    archived = set_delete(question_set=question_set, now=timezone.now())
    messages.success(
        request,
        f"“{question_set.title}” is archived: students' answers are kept."
        if archived
        else f"“{question_set.title}” is deleted.",
    )
    return redirect("teach_sets")
