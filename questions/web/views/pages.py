"""A student's home, progress and source reading pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from questions.models import QuestionSet
from questions.permissions import progress_reader
from questions.selectors.banks import source_detail
from questions.selectors.charts import (
    home_sets,
    public_sets,
    review_calendar,
    topic_mastery,
    weekly_retention,
)
from questions.selectors.progress import (
    PassageProgress,
    readable_sets,
    retention_target,
    source_reading,
)
from questions.selectors.progress import progress as progress_of


@require_GET
def home(request):
    if not request.user.is_authenticated:
        return render(request, "questions/landing.html", {"public": public_sets()})
    now = timezone.now()
    summaries, others = home_sets(user=request.user, now=now)
    return render(
        request,
        "questions/home.html",
        {
            "summaries": summaries,
            "others": others,
            "due_total": sum(s.due for s in summaries),
            "new_total": sum(s.new for s in summaries),
            "nav": "home",
        },
    )


@login_required
@require_GET
def progress(request):
    """The student's own progress; a teacher may add ?student= for a student they teach."""
    now = timezone.now()
    learner = progress_reader(reader=request.user, learner_id=_digits(request.GET, "student"))
    # A teacher reads a student's work only in the sets the teacher may see.
    seen_by = request.user if learner != request.user else None
    sets, shown_sets = readable_sets(learner=learner, seen_by=seen_by)
    seen = sets if seen_by is not None else None
    question_set = _one_of(sets, _digits(request.GET, "set"))
    scope_sets = QuestionSet.objects.filter(pk=question_set.pk) if question_set else shown_sets
    figures = progress_of(user=learner, now=now, question_set=question_set, seen_by=seen_by)
    return render(
        request,
        "questions/progress.html",
        {
            "learner": learner,
            "question_set": question_set,
            "sets": shown_sets.order_by("title"),
            "figures": figures,
            "calendar": review_calendar(user=learner, now=now, sets=seen),
            "retention": weekly_retention(user=learner, now=now, sets=seen),
            "target": retention_target(learner=learner, question_set=question_set),
            "topics": topic_mastery(user=learner, sets=scope_sets),
            "sources": _passages_by_source(scope_sets, figures),
            "nav": "progress",
        },
    )


def _one_of(sets, set_id: int | None):
    """The set of this id among `sets` (404 when it is not one of them), or None for all."""
    return get_object_or_404(sets, pk=set_id) if set_id is not None else None


def _digits(params, name: str) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


def _passages_by_source(sets, figures) -> list[dict]:
    """The sources of `sets`, each with its passages and how well the student knows each."""
    known = {p.passage_id: p for p in figures.passages}
    sources = sets.exclude(source=None).values("source_id")
    result = []
    for source in source_detail().filter(pk__in=sources):
        passages = [
            {
                "passage": passage,
                "progress": known.get(passage.pk) or PassageProgress.without_questions(passage),
            }
            for passage in source.passages.all()
        ]
        result.append({"source": source, "passages": passages})
    return result


@login_required
@require_GET
def source(request, source_id: int):
    """A source with the passages that questions cite marked, and how well each is known."""
    source = get_object_or_404(source_detail(), pk=source_id)
    passages = source_reading(user=request.user, source=source, now=timezone.now())
    return render(
        request,
        "questions/source.html",
        {"source": source, "passages": passages},
    )
