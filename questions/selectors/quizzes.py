"""Reads for graded quizzes."""

from django.db.models import Count, Max, Q, QuerySet

from questions.models import Question, Quiz, QuizAttempt
from questions.selectors.visibility import visible_sets


def quizzes_for(user) -> QuerySet[Quiz]:
    """Quizzes on the sets the user may see, with how many attempts the user has made."""
    return (
        Quiz.objects.filter(Q(question_set__in=visible_sets(user)) | Q(owner=user))
        .select_related("question_set")
        .annotate(
            my_attempts=Count("attempts", filter=Q(attempts__user=user)),
            my_best=Max("attempts__score", filter=Q(attempts__user=user)),
        )
        .order_by("-created_at", "-id")
    )


def attempts_of(user) -> QuerySet[QuizAttempt]:
    return QuizAttempt.objects.filter(user=user).select_related("quiz__question_set")


def quiz_results(quiz: Quiz) -> QuerySet[QuizAttempt]:
    """Every student's attempts, for the quiz's owner."""
    return quiz.attempts.select_related("user").order_by("user__username", "number")


def attempt_questions(attempt: QuizAttempt) -> list[Question]:
    """The attempt's questions in the order drawn."""
    questions = (
        Question.objects.filter(pk__in=attempt.question_ids)
        .prefetch_related("answers", "topics")
        .select_related("passage__source", "question_set")
    )
    by_id = {question.pk: question for question in questions}
    return [by_id[pk] for pk in attempt.question_ids if pk in by_id]
