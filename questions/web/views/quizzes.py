"""Graded quizzes: a teacher makes one from a set; a student takes attempts, one question a
page, each answer saved as it changes (and on every page turn), on the server's clock."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from questions.grading import InvalidAnswer
from questions.models import QuestionKind, QuizAttempt
from questions.permissions import assignable_sets
from questions.presentation import item_id
from questions.selectors.quizzes import attempt_questions, attempts_of, quiz_results, quizzes_for
from questions.services.quizzes import attempt_start, attempt_submit, quiz_create, response_save
from questions.web.answer_input import parse_answer
from questions.web.forms import QuizForm
from questions.web.permissions import teacher_required
from questions.web.presenting import is_htmx, right_answer, student_question


@login_required
def quiz_list(request):
    context = {"quizzes": quizzes_for(request.user), "nav": "quizzes"}
    return render(request, "questions/quizzes/list.html", context)


@teacher_required
def quiz_new(request, set_id: int):
    question_set = get_object_or_404(assignable_sets(request.user), pk=set_id)
    form = QuizForm(request.POST or None, initial={"title": f"Quiz: {question_set.title}"})
    if request.method == "POST" and form.is_valid():
        try:
            quiz = quiz_create(
                owner=request.user,
                question_set=question_set,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Quiz created. Share its page, or link it from your LMS.")
            return redirect("quiz", quiz_id=quiz.pk)
    return render(
        request, "questions/quizzes/new.html", {"form": form, "question_set": question_set}
    )


@login_required
def quiz_page(request, quiz_id: int):
    quiz = get_object_or_404(quizzes_for(request.user), pk=quiz_id)
    context = {
        "quiz": quiz,
        "attempts": attempts_of(request.user).filter(quiz=quiz),
        "results": quiz_results(quiz) if quiz.owner_id == request.user.pk else None,
        "now": timezone.now(),
    }
    return render(request, "questions/quizzes/quiz.html", context)


@require_POST
@login_required
def quiz_start(request, quiz_id: int):
    quiz = get_object_or_404(quizzes_for(request.user), pk=quiz_id)
    try:
        attempt = attempt_start(user=request.user, quiz=quiz, now=timezone.now())
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("quiz", quiz_id=quiz.pk)
    return redirect("quiz_attempt_question", attempt_id=attempt.pk, position=1)


def _attempt(request, attempt_id: int) -> QuizAttempt:
    return get_object_or_404(attempts_of(request.user), pk=attempt_id)


def _question_at(attempt: QuizAttempt, position: int):
    questions = attempt_questions(attempt)
    if not 1 <= position <= len(questions):
        raise Http404("No such question in this attempt.")
    return questions, questions[position - 1]


@login_required
def attempt_question(request, attempt_id: int, position: int):
    attempt = _attempt(request, attempt_id)
    if attempt.submitted_at is not None:
        return redirect("quiz_attempt_result", attempt_id=attempt.pk)
    questions, question = _question_at(attempt, position)
    context = {
        "attempt": attempt,
        "position": position,
        "count": len(questions),
        "now": timezone.now(),
    }
    if request.method == "POST":
        return _save(request, attempt, question, context)
    saved = attempt.responses.filter(question=question).first()
    context.update(
        q=student_question(question, student_id=attempt.user_id),
        given=_given(question, saved, student_id=attempt.user_id),
        saved=saved,
    )
    return render(request, "questions/quizzes/attempt.html", context)


def _save(request, attempt, question, context):
    now = timezone.now()
    try:
        saved = response_save(
            attempt=attempt,
            question=question,
            answer=parse_answer(question.kind, request.POST)[0],
            now=now,
        )
    except ValidationError as error:
        if QuizAttempt.objects.get(pk=attempt.pk).submitted_at is not None:
            messages.error(request, " ".join(error.messages))
            return redirect("quiz_attempt_result", attempt_id=attempt.pk)
        return _error(request, context, question, " ".join(error.messages))
    except InvalidAnswer as error:
        return _error(request, context, question, str(error))
    if is_htmx(request):
        return HttpResponse(f"Saved at {now:%H:%M:%S} UTC")
    if saved.grade is not None:
        context.update(
            q=student_question(question, student_id=attempt.user_id),
            grade=saved.grade,
            right=right_answer(question, student_id=attempt.user_id),
        )
        context["saved"] = saved.response
        return render(request, "questions/quizzes/attempt.html", context)
    return _next(context)


def _next(context):
    if context["position"] < context["count"]:
        return redirect(
            "quiz_attempt_question",
            attempt_id=context["attempt"].pk,
            position=context["position"] + 1,
        )
    return redirect("quiz_attempt_review", attempt_id=context["attempt"].pk)


def _error(request, context, question, message: str):
    if is_htmx(request):
        return HttpResponse(message, status=400)
    student_id = context["attempt"].user_id
    context.update(
        q=student_question(question, student_id=student_id), given=request.POST, error=message
    )
    return render(request, "questions/quizzes/attempt.html", context, status=400)


def _given(question, saved, *, student_id: int) -> dict:
    """The saved answer as the form's fields, so a reload shows what was saved."""
    if saved is None:
        return {}
    answer = saved.answer

    def shown(row_id) -> str:
        return item_id(question_id=question.pk, answer_id=int(row_id), student_id=student_id)

    match question.kind:
        case QuestionKind.TRUE_FALSE:
            wanted = "true" if answer.get("value") else "false"
            choices = student_question(question, student_id=student_id).get("choices", [])
            return {"choice": [c["id"] for c in choices if c["text"].strip().lower() == wanted]}
        case QuestionKind.MULTIPLE_CHOICE:
            return {"choice": [shown(row) for row in answer.get("choices", [])]}
        case QuestionKind.SHORT_ANSWER:
            return {"text": answer.get("text", "")}
        case QuestionKind.NUMERICAL:
            return {"number": answer.get("value", "")}
        case QuestionKind.CLOZE:
            return {f"gap_{gap}": value for gap, value in answer.get("gaps", {}).items()}
        case QuestionKind.MATCHING:
            return {f"pair_{left}": shown(right) for left, right in answer.get("pairs", {}).items()}
        case QuestionKind.ORDERING:
            return {"order": [shown(row) for row in answer.get("order", [])]}
    return {}


@login_required
def attempt_review(request, attempt_id: int):
    """Before submitting: every question, answered or not, with links back."""
    attempt = _attempt(request, attempt_id)
    answered = set(attempt.responses.values_list("question_id", flat=True))
    rows = [
        {"position": index, "answered": question.pk in answered, "question": question}
        for index, question in enumerate(attempt_questions(attempt), start=1)
    ]
    return render(
        request,
        "questions/quizzes/review.html",
        {"attempt": attempt, "rows": rows, "now": timezone.now()},
    )


@require_POST
@login_required
def attempt_finish(request, attempt_id: int):
    attempt = attempt_submit(attempt=_attempt(request, attempt_id), now=timezone.now())
    return redirect("quiz_attempt_result", attempt_id=attempt.pk)


@login_required
def attempt_result(request, attempt_id: int):
    attempt = _attempt(request, attempt_id)
    if attempt.submitted_at is None:
        return redirect("quiz_attempt_review", attempt_id=attempt.pk)
    responses = {r.question_id: r for r in attempt.responses.select_related("review")}
    rows = [
        {
            "question": q,
            "review": getattr(responses.get(q.pk), "review", None),
            "right": right_answer(q, student_id=attempt.user_id),
        }
        for q in attempt_questions(attempt)
    ]
    return render(request, "questions/quizzes/result.html", {"attempt": attempt, "rows": rows})
