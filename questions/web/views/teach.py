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
from questions.models import Job, QuestionKind, QuestionSet
from questions.services.jobs import import_job_start, import_runs_as_job
from questions.services.question_order import question_move
from questions.services.questions import (
    question_delete,
)
from questions.services.set_import import import_file
from questions.services.sets import set_create, set_delete, set_update
from questions.services.sources import SourceConflict, source_save
from questions.services.versions import STALE_VERSION, StaleVersion, lock_at_version, version_of
from questions.web.answer_input import preview_grade
from questions.web.answer_key import nothing_typed
from questions.web.forms import (
    ANSWER_COLUMNS,
    SET_FORM_FIELDS,
    ImportForm,
    QuestionSetForm,
    SourceForm,
)
from questions.web.permissions import teacher_required
from questions.web.presenting import is_htmx, student_question
from questions.web.question_editor import (
    ANSWERS_PREFIX,
    add_errors,
    editor_forms,
    key_rows,
    save_question,
)


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


def _save_set(request, form, question_set: QuestionSet | None) -> QuestionSet | None:
    """Create or change the set from the valid form; None, with errors on the form, if refused."""
    data = form.cleaned_data
    fields = {name: data[name] for name in SET_FORM_FIELDS if name not in ("source", "topics")}
    topics = [topic.slug for topic in data["topics"]] + [
        name.strip() for name in data["new_topics"].split(",") if name.strip()
    ]
    try:
        if question_set is None:
            return set_create(
                owner=request.user, fields=fields, source=data["source"], topics=topics
            )
        with transaction.atomic():
            locked = lock_at_version(
                QuestionSet.objects, pk=question_set.pk, version=data["version"]
            )
            return set_update(
                by=request.user,
                question_set=locked,
                fields=fields,
                source=data["source"],
                topics=topics,
            )
    except StaleVersion as stale:
        form.add_error(None, str(stale))
    except ValidationError as error:
        add_errors(form, error)
    return None


@teacher_required
@require_http_methods(["GET", "POST"])
def set_edit(request, set_id: int | None = None):
    question_set = _own_set(request, set_id) if set_id else None
    initial = model_to_dict(question_set, fields=SET_FORM_FIELDS) if question_set else None
    if question_set:
        initial["version"] = version_of(question_set)
    form = QuestionSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save_set(request, form, question_set)
        if saved is not None:
            messages.success(request, f"Saved the set “{saved.title}”.")
            return redirect("teach_set", set_id=saved.pk)
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
    question_move(
        by=request.user,
        question=question,
        offset=-1 if request.POST.get("direction") == "up" else 1,
    )
    if is_htmx(request):
        # htmx swaps in the list from the page, keeping the teacher's place.
        return _set_detail_page(request, question_set)
    return redirect("teach_set", set_id=set_id)


@teacher_required
@require_http_methods(["GET", "POST"])
def question_edit(request, set_id: int, question_id: int | None = None):
    question_set = _own_set(request, set_id)
    live = question_set.questions.filter(archived_at__isnull=True)
    question = get_object_or_404(live, pk=question_id) if question_id is not None else None
    form, answers, kind = editor_forms(request, question_set, question)
    answer_errors: list[str] = []
    preview = None
    if request.method == "POST" and "add_row" not in request.POST:
        saved, answer_errors, preview = save_question(
            request.user, form, answers, kind, question_set, question, commit=True
        )
        if saved is not None:
            messages.success(request, "The question is saved.")
            if "save_and_add" in request.POST:
                return redirect(f"{_new_question_url(set_id)}?kind={kind}")
            return redirect("teach_set", set_id=set_id)
    elif question is not None:
        preview = student_question(question, student_id=request.user.pk)
    editor = {"form": form, "answers": answers, "kind": kind, "columns": ANSWER_COLUMNS[kind]}
    return render(
        request,
        "questions/teach/question_form.html",
        {"question_set": question_set, "question": question, **editor, "nav": "teach"}
        | {"answer_errors": answer_errors, "preview": preview},
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
    form, answers, kind = editor_forms(request, question_set, None)
    _, answer_errors, preview = save_question(
        request.user, form, answers, kind, question_set, None, commit=False
    )
    problems = [*answer_errors, *answers.non_form_errors()]
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        problems.extend(f"{label or 'Question'}: {error}" for error in errors)
    tried = None
    if preview is not None:
        # Stable ids, so that the try-out box keeps its focus while the preview is redrawn.
        preview = {**preview, "id": "preview"}
        rows = key_rows(kind, form, answers)
        prompt = form.cleaned_data["prompt"]
        tried = preview_grade(kind=kind, prompt=prompt, rows=rows, data=request.POST)
    context = {"preview": preview, "problems": problems, "tried": tried, "given": request.POST}
    return render(request, "questions/teach/_preview.html", context)


@teacher_required
@require_POST
def question_editor_refresh(request, set_id: int):
    """Re-render the editor for another type or one more answer row, keeping what was typed."""
    question_set = _own_set(request, set_id)
    form, answers, kind = editor_forms(request, question_set, None)
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
            add_errors(form, error)
        else:
            verb = "Created" if created else "Found"
            messages.success(
                request,
                f"{verb} the source “{source.title}” with {source.passages.count()} passages.",
            )
            return redirect("source", source_id=source.pk)
    return render(request, "questions/teach/source_form.html", {"form": form, "nav": "teach"})


def _import(request, form):
    """(the import report, or the job importing a large file, []) or (None, the problems that
    refused the file)."""
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
            return import_job_start(**arguments, now=timezone.now()), []
        return import_file(**arguments, dry_run=form.cleaned_data["dry_run"]), []
    except ImportRefused as refused:
        form.add_error("file", "The file was not imported; nothing from it was saved.")
        return None, refused.problems


@teacher_required
@require_http_methods(["GET", "POST"])
def set_import_page(request):
    own_sets = QuestionSet.objects.filter(owner=request.user, archived_at__isnull=True)
    form = ImportForm(request.POST or None, request.FILES or None, sets=own_sets)
    report, problems = None, []
    if request.method == "POST" and form.is_valid():
        report, problems = _import(request, form)
        if isinstance(report, Job):
            return redirect("teach_job", job_id=report.id)
        if report is not None and not report.dry_run and report.question_set is not None:
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
    archived = question_delete(by=request.user, question=question, now=timezone.now())
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
    archived = set_delete(by=request.user, question_set=question_set, now=timezone.now())
    messages.success(
        request,
        f"“{question_set.title}” is archived: students' answers are kept."
        if archived
        else f"“{question_set.title}” is deleted.",
    )
    return redirect("teach_sets")
