"""Graded quizzes: drawing, the server's clock, autosave, grading into the review log."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from questions.models import Card, QuestionKind, Quiz, QuizAttempt, Review, ReviewMode
from questions.presentation import item_id
from questions.selectors.class_report import class_report
from questions.services.card_rebuild import card_states_rebuild
from questions.services.quizzes import (
    ALREADY_SUBMITTED,
    CLOSED,
    LOCKED,
    NO_ATTEMPTS_LEFT,
    NOT_OPEN_YET,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
    quiz_create,
    response_save,
)
from questions.services.reviews import review_record
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuestionSetFactory,
    StudentFactory,
    TeacherFactory,
    question_of_kind,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def course():
    teacher = TeacherFactory(username="quiz-teacher")
    question_set = QuestionSetFactory(title="Peace talks", owner=teacher)
    questions = [
        question_of_kind(QuestionKind.TRUE_FALSE, question_set=question_set) for _ in range(4)
    ]
    question_of_kind(QuestionKind.FLASHCARD, question_set=question_set)
    classroom = ClassroomFactory(owner=teacher)
    AssignmentFactory(classroom=classroom, question_set=question_set)
    student = StudentFactory(username="quiz-student")
    MembershipFactory(classroom=classroom, user=student)
    return teacher, question_set, questions, student, classroom


def make_quiz(course, **options) -> Quiz:
    teacher, question_set, *_ = course
    return quiz_create(owner=teacher, question_set=question_set, title="Test 1", now=NOW, **options)


def true_false(question, *, right: bool) -> dict:
    """The answer naming the shown id of the right (or wrong) choice."""
    answer = question.answers.get(is_correct=right)
    return {"choice": item_id(question_id=question.pk, answer_id=answer.pk)}


def tf_answer(question, *, right: bool) -> dict:
    # The engine's true/false answer is the value itself.
    value = question.answers.get(is_correct=True).text.strip().lower() == "true"
    return {"value": value if right else not value}


def test_an_attempt_draws_the_quizs_number_of_gradable_questions_per_student(course):
    _, _, questions, student, _ = course
    quiz = make_quiz(course, question_count=3)

    attempt = attempt_start(user=student, quiz=quiz, now=NOW)

    assert len(attempt.question_ids) == 3
    assert set(attempt.question_ids) <= {q.pk for q in questions}  # never the flashcard


def test_starting_again_continues_the_open_attempt(course):
    _, _, _, student, _ = course
    quiz = make_quiz(course)

    first = attempt_start(user=student, quiz=quiz, now=NOW)
    again = attempt_start(user=student, quiz=quiz, now=NOW + timedelta(minutes=1))

    assert again.pk == first.pk
    assert sorted(first.question_ids) == sorted(q.pk for q in course[2])


def test_submitting_grades_saved_answers_and_scores_the_unanswered_zero(course):
    _, _, questions, student, _ = course
    quiz = make_quiz(course)
    attempt = attempt_start(user=student, quiz=quiz, now=NOW)
    by_id = {q.pk: q for q in questions}
    first, second, *_ = [by_id[pk] for pk in attempt.question_ids]
    response_save(attempt=attempt, question=first, answer=tf_answer(first, right=True), now=NOW)
    response_save(attempt=attempt, question=second, answer=tf_answer(second, right=False), now=NOW)
    # Autosave replaces: the last saved answer counts.
    response_save(attempt=attempt, question=second, answer=tf_answer(second, right=True), now=NOW)

    attempt = attempt_submit(attempt=attempt, now=NOW + timedelta(minutes=4))

    assert attempt.score == 0.5
    reviews = Review.objects.filter(user=student)
    assert reviews.count() == 2
    assert set(reviews.values_list("mode", flat=True)) == {ReviewMode.QUIZ}
    assert all(review.is_correct for review in reviews)
    assert attempt_submit(attempt=attempt, now=NOW + timedelta(minutes=5)).score == 0.5
    assert Review.objects.filter(user=student).count() == 2


def test_quiz_reviews_leave_cards_as_they_were_and_rebuilding_ignores_them(course):
    _, _, questions, student, _ = course
    question = questions[0]
    review_record(
        user=student,
        question=question,
        client_id="study-1",
        answer=tf_answer(question, right=True),
        rating=None,
        response_ms=3000,
        now=NOW - timedelta(days=1),
    )
    card_before = Card.objects.values().get(user=student, question=question)
    quiz = make_quiz(course)
    attempt = attempt_start(user=student, quiz=quiz, now=NOW)
    for pk in attempt.question_ids:
        q = next(x for x in questions if x.pk == pk)
        response_save(attempt=attempt, question=q, answer=tf_answer(q, right=False), now=NOW)
    attempt_submit(attempt=attempt, now=NOW + timedelta(minutes=3))

    assert Card.objects.values().get(user=student, question=question) == card_before
    assert Card.objects.filter(user=student).count() == 1  # no card for quiz-only questions
    report = card_states_rebuild(check=True)
    assert report.differences == []


def test_quiz_answers_count_in_the_class_reports_item_statistics(course):
    _, _, questions, student, classroom = course
    quiz = make_quiz(course)
    attempt = attempt_start(user=student, quiz=quiz, now=NOW)
    for pk in attempt.question_ids:
        q = next(x for x in questions if x.pk == pk)
        response_save(attempt=attempt, question=q, answer=tf_answer(q, right=True), now=NOW)
    attempt_submit(attempt=attempt, now=NOW + timedelta(minutes=3))

    report = class_report(classroom=classroom)

    stats = {row.question.pk: row for row in report.questions}
    assert all(stats[q.pk].attempts == 1 and stats[q.pk].facility == 1.0 for q in questions)


def test_the_deadline_is_the_servers_and_a_late_save_submits_the_attempt(course):
    _, _, questions, student, _ = course
    quiz = make_quiz(course, time_limit_minutes=10)
    attempt = attempt_start(user=student, quiz=quiz, now=NOW)
    assert attempt.deadline == NOW + timedelta(minutes=10)
    q = next(x for x in questions if x.pk == attempt.question_ids[0])
    response_save(attempt=attempt, question=q, answer=tf_answer(q, right=True), now=NOW)

    with pytest.raises(ValidationError, match="Time is up"):
        response_save(
            attempt=attempt,
            question=q,
            answer=tf_answer(q, right=False),
            now=NOW + timedelta(minutes=11),
        )

    attempt.refresh_from_db()
    assert attempt.submitted_at == NOW + timedelta(minutes=10)
    assert attempt.score == 0.25
    with pytest.raises(ValidationError, match=ALREADY_SUBMITTED):
        response_save(attempt=attempt, question=q, answer=tf_answer(q, right=True), now=NOW)


def test_an_abandoned_attempt_is_submitted_after_its_deadline(course):
    _, _, _, student, _ = course
    quiz = make_quiz(course, time_limit_minutes=5)
    attempt = attempt_start(user=student, quiz=quiz, now=NOW)

    assert attempts_close_expired(now=NOW + timedelta(minutes=4)) == 0
    assert attempts_close_expired(now=NOW + timedelta(minutes=6)) == 1

    attempt.refresh_from_db()
    assert attempt.score == 0.0


@pytest.mark.parametrize(
    ("options", "at", "message"),
    [
        ({"opens_at": NOW + timedelta(days=1)}, NOW, NOT_OPEN_YET),
        (
            {"closes_at": NOW - timedelta(minutes=1), "opens_at": NOW - timedelta(days=1)},
            NOW,
            CLOSED,
        ),
    ],
)
def test_a_quiz_is_taken_only_between_its_dates(course, options, at, message):
    quiz = make_quiz(course, **options)

    with pytest.raises(ValidationError, match=message):
        attempt_start(user=course[3], quiz=quiz, now=at)
    assert not QuizAttempt.objects.exists()


def test_attempts_are_limited(course):
    _, _, _, student, _ = course
    quiz = make_quiz(course, attempts_allowed=2)
    for minute in (0, 10):
        attempt = attempt_start(user=student, quiz=quiz, now=NOW + timedelta(minutes=minute))
        attempt_submit(attempt=attempt, now=NOW + timedelta(minutes=minute + 1))

    with pytest.raises(ValidationError, match=NO_ATTEMPTS_LEFT):
        attempt_start(user=student, quiz=quiz, now=NOW + timedelta(minutes=20))
    assert QuizAttempt.objects.count() == 2


def test_feedback_after_each_question_locks_its_answer(course):
    _, _, questions, student, _ = course
    quiz = make_quiz(course, feedback=Quiz.Feedback.AFTER_EACH)
    attempt = attempt_start(user=student, quiz=quiz, now=NOW)
    q = next(x for x in questions if x.pk == attempt.question_ids[0])

    saved = response_save(attempt=attempt, question=q, answer=tf_answer(q, right=False), now=NOW)

    assert saved.grade.is_correct is False
    with pytest.raises(ValidationError, match=LOCKED):
        response_save(attempt=attempt, question=q, answer=tf_answer(q, right=True), now=NOW)


def test_a_student_who_cannot_see_the_set_cannot_take_its_quiz(course):
    quiz = make_quiz(course)

    with pytest.raises(PermissionDenied):
        attempt_start(user=StudentFactory(username="outsider"), quiz=quiz, now=NOW)


def test_a_teacher_makes_quizzes_only_from_sets_they_may_assign(course):
    _, question_set, *_ = course

    with pytest.raises(PermissionDenied):
        quiz_create(
            owner=TeacherFactory(username="other"),
            question_set=question_set,
            title="Mine now",
            now=NOW,
        )


@pytest.mark.parametrize(
    "options",
    [
        {"question_count": 0},
        {"attempts_allowed": 0},
        {"time_limit_minutes": 0},
        {"opens_at": NOW, "closes_at": NOW - timedelta(hours=1)},
    ],
)
def test_impossible_quiz_settings_are_refused(course, options):
    with pytest.raises(ValidationError):
        make_quiz(course, **options)
    assert not Quiz.objects.exists()


def short_answer_quiz(course):
    """A quiz of one short-answer question, the course's student answering it wrongly."""
    teacher, _, _, student, classroom = course
    question_set = QuestionSetFactory(owner=teacher)
    AssignmentFactory(classroom=classroom, question_set=question_set)
    question = question_of_kind(QuestionKind.SHORT_ANSWER, question_set=question_set)
    quiz = quiz_create(owner=teacher, question_set=question_set, title="Typed", now=NOW)
    attempt = attempt_start(user=student, quiz=quiz, now=NOW)
    response_save(attempt=attempt, question=question, answer={"text": "Kissinger"}, now=NOW)
    attempt_submit(attempt=attempt, now=NOW + timedelta(minutes=1))
    return question, student


def test_a_quiz_answer_cannot_be_claimed_as_right_and_nothing_is_written(course):
    from questions.models import AnswerClaim
    from questions.services.claims import NOT_CLAIMABLE, ClaimRefused, claim_record

    question, student = short_answer_quiz(course)
    quiz_review = Review.objects.get(user=student, question=question)

    with pytest.raises(ClaimRefused, match=NOT_CLAIMABLE):
        claim_record(user=student, review=quiz_review, now=NOW + timedelta(minutes=2))
    assert not AnswerClaim.objects.exists()


def test_a_claim_on_a_study_answer_reschedules_the_card_without_the_quiz_answers(course):
    from questions.services.claims import claim_record

    question, student = short_answer_quiz(course)
    studied = review_record(
        user=student,
        question=question,
        client_id="study-1",
        answer={"text": "Averell Hariman of New York"},
        rating=None,
        response_ms=3000,
        now=NOW + timedelta(hours=1),
    ).review

    claim_record(user=student, review=studied, now=NOW + timedelta(hours=2))

    assert card_states_rebuild(check=True).differences == []
