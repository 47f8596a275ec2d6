"""Teachers' classes: create, join code, members, assigned sets and the class report."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from questions.models import Membership, Passage
from questions.permissions import assignable_sets, taught_classes
from questions.selectors.claims import class_claims
from questions.selectors.class_report import chosen_classroom_set, class_report, classroom_sets
from questions.selectors.classes import classes_of
from questions.services.classes import (
    classroom_create,
    member_remove,
    set_assign,
    set_unassign,
)
from questions.web.forms import AssignSetForm, ClassroomForm
from questions.web.permissions import teacher_required

HARDEST_SHOWN = 10


def _taught(request, class_id: int):
    """A class the user teaches; any other class is a 404, as in the API."""
    return get_object_or_404(taught_classes(request.user).select_related("owner"), pk=class_id)


@teacher_required
@require_http_methods(["GET", "POST"])
def class_list(request):
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            classroom = classroom_create(owner=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error.messages)
        else:
            messages.success(
                request, f"Created {classroom.name}. Give your students its join code."
            )
            return redirect("class_detail", class_id=classroom.pk)
    classes = [c for c in classes_of(request.user) if c.is_teacher]
    return render(
        request, "questions/classes/list.html", {"classes": classes, "form": form, "nav": "classes"}
    )


@teacher_required
@require_http_methods(["GET", "POST"])
def class_detail(request, class_id: int):
    classroom = _taught(request, class_id)
    sets = assignable_sets(request.user).exclude(assignments__classroom=classroom)
    form = AssignSetForm(request.POST or None, sets=sets)
    if request.method == "POST" and form.is_valid():
        question_set = form.cleaned_data["question_set"]
        set_assign(by=request.user, classroom=classroom, question_set=question_set)
        messages.success(request, f"Assigned “{question_set.title}” to {classroom.name}.")
        return redirect("class_detail", class_id=classroom.pk)
    members = classroom.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "questions/classes/detail.html",
        {
            "classroom": classroom,
            "members": members,
            "students": sum(1 for m in members if m.role == Membership.Role.STUDENT),
            "assignments": classroom.assignments.select_related("question_set").order_by(
                "question_set__title"
            ),
            "form": form,
            "join_url": request.build_absolute_uri(reverse("class_join")),
            "nav": "classes",
        },
    )


@teacher_required
@require_POST
def class_unassign(request, class_id: int, set_id: int):
    classroom = _taught(request, class_id)
    assignment = get_object_or_404(
        classroom.assignments.select_related("question_set"), question_set_id=set_id
    )
    set_unassign(by=request.user, classroom=classroom, question_set=assignment.question_set)
    messages.success(request, f"“{assignment.question_set.title}” is no longer assigned.")
    return redirect("class_detail", class_id=classroom.pk)


@teacher_required
@require_POST
def class_member_remove(request, class_id: int, user_id: int):
    classroom = _taught(request, class_id)
    membership = get_object_or_404(classroom.memberships.select_related("user"), user_id=user_id)
    try:
        member_remove(by=request.user, classroom=classroom, user=membership.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.user.username} has left {classroom.name}.")
    return redirect("class_detail", class_id=classroom.pk)


@teacher_required
@require_GET
def class_report_page(request, class_id: int):
    classroom = _taught(request, class_id)
    assigned = classroom_sets(classroom=classroom)
    chosen = chosen_classroom_set(classroom=classroom, wanted=request.GET.get("set", ""))
    report = class_report(classroom=classroom, question_set=chosen)
    graded = [row for row in report.questions if row.facility is not None]
    hardest = sorted(graded, key=lambda row: (row.facility, -row.attempts))[:HARDEST_SHOWN]
    return render(
        request,
        "questions/classes/report.html",
        {
            "classroom": classroom,
            "report": report,
            "assigned": assigned,
            "chosen": chosen,
            "hardest": hardest,
            "passages": weakest_passages(report),
            "unanswered": sum(1 for row in report.questions if not row.attempts),
            "claims": class_claims(classroom=classroom, question_set=chosen),
            "nav": "classes",
        },
    )


def weakest_passages(report) -> list[dict]:
    """The source passages behind the class's questions, the least well answered first."""
    attempts: dict[int, int] = defaultdict(int)
    right: dict[int, float] = defaultdict(float)
    questions: dict[int, int] = defaultdict(int)
    for row in report.questions:
        passage_id = row.question.passage_id
        if passage_id is None:
            continue
        questions[passage_id] += 1
        # A question's answers are all graded, or all self-rated flashcards (no facility).
        if row.attempts and row.facility is not None:
            attempts[passage_id] += row.attempts
            right[passage_id] += row.facility * row.attempts
    passages = Passage.objects.filter(pk__in=list(attempts)).select_related("source")
    rows = [
        {
            "passage": passage,
            "questions": questions[passage.pk],
            "attempts": attempts[passage.pk],
            "facility": right[passage.pk] / attempts[passage.pk],
        }
        for passage in passages
    ]
    return sorted(rows, key=lambda row: (row["facility"], -row["attempts"]))
