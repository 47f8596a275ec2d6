"""The class report: per question and per student statistics, as Moodle's quiz statistics."""

import math
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Avg, Count, Max, OuterRef, Q, Subquery
from django.http import Http404

from questions.models import Card, Classroom, Membership, Question, QuestionSet, Review
from questions.scheduling import MASTERED_STABILITY_DAYS


@dataclass
class QuestionStatistics:
    question: Question
    attempts: int
    students: int
    facility: float | None
    discrimination_index: float | None
    mean_response_ms: float | None


@dataclass
class StudentStatistics:
    user: User
    attempts: int
    facility: float | None
    mastered: int
    mastery: float | None
    last_activity: datetime | None


@dataclass
class ClassReport:
    classroom: Classroom
    sets: list[QuestionSet]
    questions: list[QuestionStatistics]
    students: list[StudentStatistics]


GRADED = Q(is_correct__isnull=False)
"""An answer the server graded. A flashcard's self-rating says how well the student felt they
remembered, not whether they were right: facility and "right" count graded answers only."""
CORRECT = Q(is_correct=True)


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x == 0 or var_y == 0:
        return None
    return cov / math.sqrt(var_x * var_y)


def discrimination_index(
    first_scores: dict[int, dict[int, float]], question_id: int
) -> float | None:
    """Moodle's discrimination index of one question, in percent (-100 to 100).

    Moodle's quiz statistics take each student's first attempt and correlate the score on the
    question with the score on the rest of the test: 100 × r(x, X − x). Here students answer
    different subsets of a class's questions, so "the rest of the test" is the mean score of
    the student's first answers to the class's other questions. Students who answered this
    question only are left out; None when fewer than two remain or either score never varies.
    """
    xs, rests = [], []
    for scores in first_scores.values():
        if question_id not in scores or len(scores) < 2:
            continue
        others = [score for other, score in scores.items() if other != question_id]
        xs.append(scores[question_id])
        rests.append(sum(others) / len(others))
    r = _pearson(xs, rests)
    return None if r is None else round(100 * r, 2)


def classroom_sets(*, classroom: Classroom) -> list[QuestionSet]:
    """The sets assigned to a class, by title."""
    return list(
        QuestionSet.objects.filter(assignments__classroom=classroom).order_by("title", "id")
    )


def chosen_classroom_set(*, classroom: Classroom, wanted: str) -> QuestionSet | None:
    """The class's set whose id is `wanted` (a ?set= parameter), None for all of them ("");
    Http404 for a set the class is not assigned, so a report never mixes in another set."""
    if not wanted:
        return None
    for question_set in classroom_sets(classroom=classroom):
        if str(question_set.pk) == wanted:
            return question_set
    raise Http404("This class has no such set.")


def class_report(*, classroom: Classroom, question_set: QuestionSet | None = None) -> ClassReport:
    """Per question and per student statistics over the live questions of the class's sets
    (or of one of them).

    Six queries whatever the class size: sets, questions, per-question aggregates, first
    answers, students with their aggregates, and mastered cards.
    """
    assigned = QuestionSet.objects.filter(assignments__classroom=classroom)
    if question_set is not None:
        assigned = assigned.filter(pk=question_set.pk)
    sets = list(assigned.order_by("title", "id"))
    questions = list(
        Question.objects.filter(
            question_set__in=[s.pk for s in sets], archived_at__isnull=True
        ).order_by("question_set__title", "question_set_id", "position", "id")
    )
    question_ids = [question.pk for question in questions]
    student_ids = Membership.objects.filter(
        classroom=classroom, role=Membership.Role.STUDENT
    ).values("user_id")
    reviews = Review.objects.counted().filter(user_id__in=student_ids, question_id__in=question_ids)

    per_question = {
        row["question_id"]: row
        for row in reviews.values("question_id").annotate(
            attempts=Count("id"),
            graded=Count("id", filter=GRADED),
            students=Count("user_id", distinct=True),
            correct=Count("id", filter=CORRECT),
            mean_ms=Avg("response_ms"),
        )
    }
    first_answer = (
        Review.objects.counted()
        .filter(user_id=OuterRef("user_id"), question_id=OuterRef("question_id"))
        .order_by("reviewed_at", "id")
        .values("id")[:1]
    )
    first_scores: dict[int, dict[int, float]] = {}
    for user_id, question_id, score, is_correct in reviews.filter(
        GRADED, pk=Subquery(first_answer)
    ).values_list("user_id", "question_id", "score", "is_correct"):
        if score is None:
            score = 1.0 if is_correct else 0.0
        first_scores.setdefault(user_id, {})[question_id] = score

    question_rows = []
    for question in questions:
        row = per_question.get(question.pk)
        attempts = row["attempts"] if row else 0
        graded = row["graded"] if row else 0
        question_rows.append(
            QuestionStatistics(
                question=question,
                attempts=attempts,
                students=row["students"] if row else 0,
                facility=round(row["correct"] / graded, 4) if graded else None,
                discrimination_index=discrimination_index(first_scores, question.pk),
                mean_response_ms=round(row["mean_ms"], 1) if attempts else None,
            )
        )

    students = (
        User.objects.filter(pk__in=student_ids)
        .annotate(
            attempts=Count("reviews", filter=Q(reviews__question_id__in=question_ids)),
            graded=Count(
                "reviews",
                filter=Q(reviews__question_id__in=question_ids, reviews__is_correct__isnull=False),
            ),
            correct=Count(
                "reviews",
                filter=Q(reviews__question_id__in=question_ids, reviews__is_correct=True),
            ),
            last_activity=Max(
                "reviews__reviewed_at", filter=Q(reviews__question_id__in=question_ids)
            ),
        )
        .order_by("username", "id")
    )
    mastered = dict(
        Card.objects.filter(
            user_id__in=student_ids,
            question_id__in=question_ids,
            stability__gt=MASTERED_STABILITY_DAYS,
        )
        .values("user_id")
        .annotate(mastered=Count("id"))
        .values_list("user_id", "mastered")
    )
    student_rows = [
        StudentStatistics(
            user=student,
            attempts=student.attempts,
            facility=round(student.correct / student.graded, 4) if student.graded else None,
            mastered=mastered.get(student.pk, 0),
            mastery=round(mastered.get(student.pk, 0) / len(questions), 4) if questions else None,
            last_activity=student.last_activity,
        )
        for student in students
    ]
    return ClassReport(
        classroom=classroom, sets=sets, questions=question_rows, students=student_rows
    )
