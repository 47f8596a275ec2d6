"""A student's home, progress and source reading pages."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from questions.models import Card, CardState, Profile, QuestionSet
from questions.scheduling import MASTERED_STABILITY_DAYS
from questions.selectors import PassageProgress, studied_sets
from questions.selectors import progress as progress_of
from questions.selectors_api import (
    source_detail,
    students_taught_by,
    studyable_questions,
    visible_sets,
)
from questions.web.selectors import (
    home_sets,
    public_sets,
    review_calendar,
    topic_mastery,
    weekly_retention,
)


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
    learner = request.user
    if request.GET.get("student", "").isdigit():
        learner = get_object_or_404(
            students_taught_by(request.user), pk=int(request.GET["student"])
        )
    # A teacher reads a student's work only in the sets the teacher may see.
    seen_by = request.user if learner != request.user else None
    sets = visible_sets(learner)
    shown_sets = studied_sets(learner)
    if seen_by is not None:
        sets = sets.filter(pk__in=visible_sets(seen_by).values("pk"))
        shown_sets = shown_sets.filter(pk__in=visible_sets(seen_by).values("pk"))
    question_set = None
    if request.GET.get("set", "").isdigit():
        question_set = get_object_or_404(sets, pk=int(request.GET["set"]))
    scope_sets = QuestionSet.objects.filter(pk=question_set.pk) if question_set else shown_sets
    figures = progress_of(user=learner, now=now, question_set=question_set, seen_by=seen_by)
    profile = Profile.objects.filter(user=learner).first()
    target = (profile and profile.desired_retention) or (
        question_set.desired_retention if question_set else 0.9
    )
    return render(
        request,
        "questions/progress.html",
        {
            "learner": learner,
            "question_set": question_set,
            "sets": shown_sets.order_by("title"),
            "figures": figures,
            "calendar": review_calendar(user=learner, now=now),
            "retention": weekly_retention(user=learner, now=now),
            "target": target,
            "topics": topic_mastery(user=learner, sets=scope_sets),
            "sources": _passages_by_source(scope_sets, figures),
            "nav": "progress",
        },
    )


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
    cited = dict(
        studyable_questions(request.user)
        .filter(passage__source=source)
        .values_list("passage_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    now = timezone.now()
    own_cards = (
        Card.objects.filter(user=request.user, question__passage__source=source)
        .exclude(state=CardState.NEW)
        .values("question__passage_id")
        .annotate(
            studied=Count("id"),
            due=Count("id", filter=Q(due__lte=now)),
            mastered=Count("id", filter=Q(stability__gt=MASTERED_STABILITY_DAYS)),
        )
        .order_by()
    )
    cards_by_passage = {row["question__passage_id"]: row for row in own_cards}
    known = {
        row.passage_id: row.known_share for row in progress_of(user=request.user, now=now).passages
    }
    passages = []
    for passage in source.passages.all():
        questions = cited.get(passage.pk, 0)
        cards = cards_by_passage.get(passage.pk, {"studied": 0, "due": 0, "mastered": 0})
        passages.append(
            {
                "passage": passage,
                "questions": questions,
                "studied": cards["studied"],
                "due": cards["due"],
                "known": known.get(passage.pk, 0.0) if questions else None,
                "studied_share": cards["studied"] / questions if questions else None,
            }
        )
    return render(
        request,
        "questions/source.html",
        {"source": source, "passages": passages},
    )
