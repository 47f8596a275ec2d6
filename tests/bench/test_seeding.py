import io
import itertools
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from bench.seeding import (
    _chunks,
    clear_study_history,
    reviews_per_card,
    reviews_per_student,
    seed_reviews,
)
from questions.models import Card, Membership, Profile, QuestionKind, Review
from questions.validation import validate_answer_key

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reviews", "students", "expected"),
    [(10, 3, [4, 3, 3]), (3, 5, [1, 1, 1, 0, 0]), (1_000_000, 1_000, [1_000] * 1_000)],
)
def test_reviews_are_spread_evenly_over_students(reviews, students, expected):
    assert reviews_per_student(reviews=reviews, students=students) == expected


@pytest.mark.parametrize(
    ("reviews", "questions", "cards"),
    [(0, 500, 0), (1, 500, 1), (10, 500, 4), (1_000, 500, 334), (1_000, 100, 70)],
)
def test_a_student_studies_part_of_the_set_a_few_times_each(reviews, questions, cards):
    counts = reviews_per_card(reviews=reviews, questions=questions)
    assert len(counts) == cards
    assert sum(counts) == reviews
    assert max(counts, default=0) - min(counts, default=0) <= 1


def test_the_school_has_one_valid_question_of_every_kind(tiny_school):
    question_set = tiny_school.question_set
    questions = list(question_set.questions.prefetch_related("answers").order_by("position"))
    assert [q.kind for q in questions] == list(QuestionKind.values)
    for question in questions:
        validate_answer_key(
            kind=question.kind, prompt=question.prompt, answers=question.answers.all()
        )
        assert question.passage.source_id == question_set.source_id
    assert Profile.objects.filter(user_id__in=tiny_school.student_ids).count() == 2
    assert (
        Membership.objects.filter(
            user_id__in=tiny_school.student_ids, classroom__assignments__question_set=question_set
        ).count()
        == 2
    )
    assert set(tiny_school.tokens) == set(tiny_school.student_ids)


def test_seeded_cards_are_the_states_their_reviews_imply(tiny_school):
    written = seed_reviews(school=tiny_school, reviews=30, now=NOW, progress=False)

    assert written == Review.objects.count() == 30
    for card in Card.objects.all():
        log = list(
            Review.objects.filter(user=card.user_id, question=card.question_id).order_by(
                "reviewed_at"
            )
        )
        assert card.reps == len(log)
        assert log[0].state_before == "new"
        assert all(a.state_after == b.state_before for a, b in itertools.pairwise(log))
        assert all(a.due_after == b.due_before for a, b in itertools.pairwise(log))
        assert card.state == log[-1].state_after
        assert card.due == log[-1].due_after
        assert card.stability == log[-1].stability_after
        assert card.last_review == log[-1].reviewed_at
        assert log[-1].reviewed_at < NOW


def test_the_engine_rebuilds_exactly_the_seeded_card_states(tiny_school):
    seed_reviews(school=tiny_school, reviews=200, now=NOW, progress=False)
    out = io.StringIO()

    call_command("rebuild_card_states", "--check", stdout=out)

    assert f"Checked {Card.objects.count()} cards: 0 differ" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_clearing_the_history_leaves_the_school(tiny_school):
    # Outside a test transaction, as the bench runs: PostgreSQL's TRUNCATE refuses to run
    # with the foreign-key checks of this transaction's inserts still pending.
    seed_reviews(school=tiny_school, reviews=10, now=NOW, progress=False)
    clear_study_history()
    assert not Review.objects.exists()
    assert not Card.objects.exists()
    assert tiny_school.question_set.questions.count() == 8


def test_chunks_share_out_every_students_reviews_once(tiny_school, monkeypatch):
    monkeypatch.setattr("bench.seeding.FLUSH_EVERY", 7)
    chunks = _chunks(school=tiny_school, reviews=25, now=NOW, seed=1)
    students = [pair for chunk in chunks for pair in chunk.students]
    assert sorted(user for user, _ in students) == sorted(tiny_school.student_ids)
    assert sum(reviews for _, reviews in students) == 25
    assert len({chunk.seed for chunk in chunks}) == len(chunks)
