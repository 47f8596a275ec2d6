"""A synthetic school, seeded fast with bulk inserts: students, one set, and a review history.

The history is simulated with FSRS itself (the `fsrs` package, with the set's own settings and
no fuzzing), so each card's state is exactly the one its reviews imply.
"""

import math
import multiprocessing
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import fsrs
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection, connections, transaction
from tqdm import tqdm

from questions.models import (
    Answer,
    ApiToken,
    Assignment,
    Card,
    CardState,
    Classroom,
    Membership,
    Passage,
    Profile,
    Question,
    QuestionKind,
    QuestionSet,
    Rating,
    Review,
    ReviewMode,
    Source,
    Topic,
)
from questions.services.studied_sets import studied_sets_sync
from questions.services.tokens import token_create

TEACHERS_GROUP = "teachers"
KIND_CYCLE = list(QuestionKind.values)
TOPIC_COUNT = 5
PASSAGE_COUNT = 20
SHARE_OF_SET_STUDIED = 0.7
"""A student with a long history has still not started every question of the set."""
MEAN_REVIEWS_PER_CARD = 3
RATING_WEIGHTS = {Rating.AGAIN: 12, Rating.HARD: 8, Rating.GOOD: 70, Rating.EASY: 10}
HISTORY_DAYS = 365
FLUSH_EVERY = 20_000
"""Reviews kept in memory before they are written; bounds the seeder's memory at any scale."""

FSRS_STATES = {
    fsrs.State.Learning: CardState.LEARNING,
    fsrs.State.Review: CardState.REVIEW,
    fsrs.State.Relearning: CardState.RELEARNING,
}


@dataclass
class SeededQuestion:
    id: int
    kind: str
    key: dict | None
    """The right answer by the texts a student sees (bench.load.answer_from_view reads it);
    None for a flashcard, which the student rates."""
    logged_right: dict | None
    """A right answer as the review log keeps it, by answer row ids."""
    logged_wrong: dict | None


@dataclass
class School:
    teacher: User
    question_set: QuestionSet
    student_ids: list[int]
    questions: list[SeededQuestion]
    """In the set's order."""
    tokens: dict[int, str] = field(default_factory=dict)
    """Student id to API token."""


def _question_rows(number: int, kind: str) -> tuple[str, list[dict]]:
    """Prompt and answer rows of the `number`th question of the set, of the given kind."""
    match kind:
        case QuestionKind.FLASHCARD:
            return f"Who spoke for delegation {number}?", [{"text": f"Envoy {number}"}]
        case QuestionKind.MULTIPLE_CHOICE:
            return f"Which city hosted round {number}?", [
                {
                    "text": city,
                    "is_correct": index == number % 4,
                    "fraction": 1.0 * (index == number % 4),
                }
                for index, city in enumerate(["Paris", "Geneva", "Warsaw", "Saigon"])
            ]
        case QuestionKind.TRUE_FALSE:
            truth = number % 2 == 0
            return f"Round {number} ended with a joint statement.", [
                {"text": "True", "is_correct": truth, "fraction": 1.0 * truth},
                {"text": "False", "is_correct": not truth, "fraction": 1.0 * (not truth)},
            ]
        case QuestionKind.SHORT_ANSWER:
            return f"Name the negotiator of session {number}.", [
                {"text": f"Negotiator {number}", "is_correct": True, "fraction": 1.0},
                {"text": f"N. {number}", "is_correct": True, "fraction": 1.0},
            ]
        case QuestionKind.NUMERICAL:
            return f"In what year did meeting {number} take place?", [
                {
                    "number": 1968.0 + number % 5,
                    "tolerance": 0.0,
                    "is_correct": True,
                    "fraction": 1.0,
                }
            ]
        case QuestionKind.CLOZE:
            return f"Session {number} opened in {{{{1}}}} in {{{{2}}}}.", [
                {"text": "Paris", "gap": 1, "is_correct": True, "fraction": 1.0},
                {"text": str(1968 + number % 5), "gap": 2, "is_correct": True, "fraction": 1.0},
            ]
        case QuestionKind.MATCHING:
            return f"Match each delegate of round {number} to a country.", [
                {"text": f"Delegate {number}-{side}", "match_text": country}
                for side, country in enumerate(["France", "Vietnam", "United States"])
            ]
        case QuestionKind.ORDERING:
            return f"Put the events of round {number} in order.", [
                {"text": f"Event {step} of round {number}"} for step in range(1, 5)
            ]
    raise ValueError(f"Unknown question kind {kind!r}.")


def _answer_key(kind: str, answers: list[Answer]) -> dict | None:
    match kind:
        case QuestionKind.FLASHCARD:
            return None
        case QuestionKind.MULTIPLE_CHOICE:
            return {"choices": [a.text for a in answers if a.is_correct]}
        case QuestionKind.TRUE_FALSE:
            return {"value": next(a.text == "True" for a in answers if a.is_correct)}
        case QuestionKind.SHORT_ANSWER:
            return {"text": answers[0].text}
        case QuestionKind.NUMERICAL:
            return {"value": answers[0].number}
        case QuestionKind.CLOZE:
            return {"gaps": {str(a.gap): a.text for a in answers}}
        case QuestionKind.MATCHING:
            return {"pairs": {a.text: a.match_text for a in answers}}
        case QuestionKind.ORDERING:
            return {"order": [a.text for a in sorted(answers, key=lambda a: a.position)]}
    raise ValueError(f"Unknown question kind {kind!r}.")


def _answers_logged(kind: str, answers: list[Answer]) -> tuple[dict | None, dict | None]:
    """A right and a wrong answer to a question, by answer row ids as the review log keeps them."""
    ids = [answer.pk for answer in answers]
    match kind:
        case QuestionKind.FLASHCARD:
            return None, None
        case QuestionKind.MULTIPLE_CHOICE:
            right = [a.pk for a in answers if a.is_correct]
            wrong = [a.pk for a in answers if not a.is_correct][:1]
            return {"choices": right}, {"choices": wrong}
        case QuestionKind.TRUE_FALSE:
            truth = next(a.text == "True" for a in answers if a.is_correct)
            return {"value": truth}, {"value": not truth}
        case QuestionKind.SHORT_ANSWER:
            return {"text": answers[0].text}, {"text": "Nobody at all"}
        case QuestionKind.NUMERICAL:
            return {"value": answers[0].number}, {"value": 1900.0}
        case QuestionKind.CLOZE:
            gaps = {str(a.gap): a.text for a in answers}
            return {"gaps": gaps}, {"gaps": dict.fromkeys(gaps, "London")}
        case QuestionKind.MATCHING:
            right = {str(a.pk): a.pk for a in answers}
            wrong = {
                str(a.pk): b.pk for a, b in zip(answers, [*answers[1:], answers[0]], strict=True)
            }
            return {"pairs": right}, {"pairs": wrong}
        case QuestionKind.ORDERING:
            return {"order": ids}, {"order": list(reversed(ids))}
    raise ValueError(f"Unknown question kind {kind!r}.")


@transaction.atomic
def seed_school(*, students: int, questions: int, seed: int = 1968) -> School:
    """One teacher, one class of `students`, and one assigned set of `questions` of every kind."""
    rng = random.Random(seed)
    teachers, _ = Group.objects.get_or_create(name=TEACHERS_GROUP)
    teacher = User.objects.create(username="bench-teacher", password=make_password(None))
    teacher.groups.add(teachers)
    users = User.objects.bulk_create(
        User(username=f"bench-student-{number:05d}", password=make_password(None))
        for number in range(1, students + 1)
    )
    Profile.objects.bulk_create(Profile(user=user) for user in users)

    source = Source.objects.create(
        slug="bench-source",
        title="Bench source",
        text="\n\n".join(f"Passage {n} of the bench source." for n in range(1, PASSAGE_COUNT + 1)),
        created_by=teacher,
    )
    passages = Passage.objects.bulk_create(
        Passage(source=source, position=n, text=f"Passage {n} of the bench source.")
        for n in range(1, PASSAGE_COUNT + 1)
    )
    topics = Topic.objects.bulk_create(
        Topic(slug=f"bench-topic-{n}", name=f"Bench topic {n}") for n in range(1, TOPIC_COUNT + 1)
    )
    question_set = QuestionSet.objects.create(
        title="Bench set",
        owner=teacher,
        visibility=QuestionSet.Visibility.CLASSES,
        source=source,
        enable_fuzzing=False,
    )
    question_set.topics.add(*topics)
    classroom = Classroom.objects.create(name="Bench school", owner=teacher)
    Membership.objects.bulk_create(
        [Membership(classroom=classroom, user=teacher, role=Membership.Role.TEACHER)]
        + [
            Membership(classroom=classroom, user=user, role=Membership.Role.STUDENT)
            for user in users
        ]
    )
    Assignment.objects.create(classroom=classroom, question_set=question_set)
    # What joining and assigning through the services keeps: the sets each member studies.
    studied_sets_sync(user_ids=[teacher.pk, *(user.pk for user in users)])

    kinds = [KIND_CYCLE[(number - 1) % len(KIND_CYCLE)] for number in range(1, questions + 1)]
    rows = {}
    question_objects = []
    for number, kind in enumerate(kinds, start=1):
        prompt, rows[number] = _question_rows(number, kind)
        question_objects.append(
            Question(
                question_set=question_set,
                kind=kind,
                title=f"Bench question {number}",
                prompt=prompt,
                explanation=f"Explained in passage {(number - 1) % PASSAGE_COUNT + 1}.",
                passage=passages[(number - 1) % PASSAGE_COUNT],
                position=number,
                external_id=f"bench-{number}",
            )
        )
    question_objects = Question.objects.bulk_create(question_objects)
    answers_by_question = {
        question.pk: Answer.objects.bulk_create(
            Answer(question=question, position=position, **row)
            for position, row in enumerate(rows[number], start=1)
        )
        for number, question in enumerate(question_objects, start=1)
    }
    Question.topics.through.objects.bulk_create(
        Question.topics.through(question=question, topic=rng.choice(topics))
        for question in question_objects
    )
    seeded = []
    for question in question_objects:
        answers = answers_by_question[question.pk]
        right, wrong = _answers_logged(question.kind, answers)
        seeded.append(
            SeededQuestion(
                id=question.pk,
                kind=question.kind,
                key=_answer_key(question.kind, answers),
                logged_right=right,
                logged_wrong=wrong,
            )
        )
    return School(
        teacher=teacher,
        question_set=question_set,
        student_ids=[user.pk for user in users],
        questions=seeded,
    )


@transaction.atomic
def issue_tokens(school: School) -> None:
    """A real API token for every student, made the way the API makes them."""
    for user in User.objects.filter(pk__in=school.student_ids):
        school.tokens[user.pk] = token_create(user=user, name="bench").key


def mark_tokens_in_use(*, now: datetime) -> None:
    """Tokens as a student's client holds them in steady use: last used just now.

    The token service writes last_used_at once per few minutes per token; a student studying
    pays that write once a session, not once a step, so the bench measures steps without it.
    """
    ApiToken.objects.update(last_used_at=now)


def reviews_per_student(*, reviews: int, students: int) -> list[int]:
    """`reviews` spread over `students` as evenly as whole numbers allow."""
    base, extra = divmod(reviews, students)
    return [base + (index < extra) for index in range(students)]


def reviews_per_card(*, reviews: int, questions: int) -> list[int]:
    """How many reviews each studied card gets, in set order, for a student with `reviews`."""
    if reviews <= 0:
        return []
    cards = min(
        math.ceil(SHARE_OF_SET_STUDIED * questions), math.ceil(reviews / MEAN_REVIEWS_PER_CARD)
    )
    cards = max(1, min(cards, reviews))
    base, extra = divmod(reviews, cards)
    return [base + (index < extra) for index in range(cards)]


def _scheduler(question_set: QuestionSet) -> fsrs.Scheduler:
    return fsrs.Scheduler(
        desired_retention=question_set.desired_retention,
        learning_steps=[timedelta(seconds=s) for s in question_set.learning_steps],
        relearning_steps=[timedelta(seconds=s) for s in question_set.relearning_steps],
        maximum_interval=question_set.maximum_interval,
        enable_fuzzing=question_set.enable_fuzzing,
    )


def _card_history(
    *,
    user_id: int,
    question: SeededQuestion,
    count: int,
    scheduler: fsrs.Scheduler,
    rng: random.Random,
    now: datetime,
) -> tuple[Card, list[Review]]:
    """`count` reviews of one card before `now`, mostly on time, and the state they leave."""
    ratings, weights = list(RATING_WEIGHTS), list(RATING_WEIGHTS.values())
    state = fsrs.Card(card_id=question.id)
    before_state, before_due = CardState.NEW, None
    reviewed_at = now - timedelta(days=rng.uniform(1, HISTORY_DAYS))
    lapses = 0
    reviews = []
    for number in range(1, count + 1):
        rating = rng.choices(ratings, weights)[0]
        before = state
        state, _ = scheduler.review_card(before, fsrs.Rating(rating), reviewed_at)
        after_state = FSRS_STATES[state.state]
        if before_state == CardState.REVIEW and rating == Rating.AGAIN:
            lapses += 1
        if question.kind == QuestionKind.FLASHCARD:
            answer, is_correct, score = None, None, None
        else:
            answer = question.logged_right if rating > Rating.AGAIN else question.logged_wrong
            is_correct = rating > Rating.AGAIN
            score = {Rating.AGAIN: 0.0, Rating.HARD: 0.5}.get(rating, 1.0)
        reviews.append(
            Review(
                client_id=f"seed-{question.id}-{number}",
                user_id=user_id,
                question_id=question.id,
                rating=rating,
                answer=answer,
                is_correct=is_correct,
                score=score,
                response_ms=rng.randint(2_000, 20_000),
                reviewed_at=reviewed_at,
                mode=ReviewMode.AHEAD
                if before_due is not None and reviewed_at < before_due
                else ReviewMode.SCHEDULED,
                state_before=before_state,
                stability_before=before.stability,
                difficulty_before=before.difficulty,
                due_before=before_due,
                state_after=after_state,
                stability_after=state.stability,
                difficulty_after=state.difficulty,
                due_after=state.due,
                interval_days=(state.due - reviewed_at).total_seconds() / 86_400,
            )
        )
        before_state, before_due = after_state, state.due
        # The next review comes when due, a little late; one that would fall after `now` is
        # studied ahead instead, somewhere between this review and `now`.
        late = (state.due - reviewed_at) * rng.uniform(0, 0.3)
        following = state.due + late
        if following >= now:
            following = reviewed_at + (now - reviewed_at) * rng.uniform(0.1, 0.9)
        reviewed_at = following
    card = Card(
        user_id=user_id,
        question_id=question.id,
        state=FSRS_STATES[state.state],
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
        reps=count,
        lapses=lapses,
    )
    return card, reviews


@dataclass(frozen=True)
class _Chunk:
    """Some students' histories: what one seeding process writes in one transaction."""

    question_set: QuestionSet
    questions: list[SeededQuestion]
    students: list[tuple[int, int]]
    """(user id, reviews) pairs."""
    now: datetime
    seed: int


def _chunks(*, school: School, reviews: int, now: datetime, seed: int) -> list[_Chunk]:
    per_student = reviews_per_student(reviews=reviews, students=len(school.student_ids))
    pairs = [pair for pair in zip(school.student_ids, per_student, strict=True) if pair[1]]
    chunks, current, size = [], [], 0
    for pair in pairs:
        current.append(pair)
        size += pair[1]
        if size >= FLUSH_EVERY:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return [
        _Chunk(school.question_set, school.questions, students, now, seed + number)
        for number, students in enumerate(chunks)
    ]


def _write_chunk(chunk: _Chunk) -> int:
    """Simulate and bulk-insert one chunk; returns how many reviews it wrote."""
    rng = random.Random(chunk.seed)
    scheduler = _scheduler(chunk.question_set)
    cards: list[Card] = []
    log: list[Review] = []
    for user_id, student_reviews in chunk.students:
        counts = reviews_per_card(reviews=student_reviews, questions=len(chunk.questions))
        for question, count in zip(chunk.questions, counts, strict=False):
            card, history = _card_history(
                user_id=user_id,
                question=question,
                count=count,
                scheduler=scheduler,
                rng=rng,
                now=chunk.now,
            )
            cards.append(card)
            log.extend(history)
    with transaction.atomic():
        Card.objects.bulk_create(cards)
        # bulk_create skips Review.save, the append-only guard, which is what seeding needs.
        Review.objects.bulk_create(log)
    return len(log)


def _write_chunk_in_child(chunk: _Chunk) -> int:
    try:
        return _write_chunk(chunk)
    finally:
        connections.close_all()


def seed_reviews(
    *,
    school: School,
    reviews: int,
    now: datetime,
    seed: int = 1968,
    progress: bool = True,
    processes: int = 1,
) -> int:
    """Write `reviews` reviews before `now` and the cards they imply; returns how many.

    With `processes` above 1 the students are shared out among forked processes, each with
    its own connection (the work is mostly building the INSERTs, which one core does alone).
    """
    chunks = _chunks(school=school, reviews=reviews, now=now, seed=seed)
    written = 0
    with tqdm(total=reviews, unit="review", desc="Seeding reviews", disable=not progress) as bar:
        if processes <= 1:
            for chunk in chunks:
                written += _write_chunk(chunk)
                bar.update(written - bar.n)
            _started(school)
            return written
        # Forked children must not share the parent's connection.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for count in pool.imap_unordered(_write_chunk_in_child, chunks):
                written += count
                bar.update(count)
    _started(school)
    return written


def _started(school: School) -> None:
    """The sets the seeded cards start, as a first answer through the services records them."""
    studied_sets_sync(user_ids=school.student_ids, set_ids=[school.question_set.pk])


def clear_study_history() -> None:
    """Remove every review and card: bench-only, since the review log is otherwise append-only."""
    tables = [Review._meta.db_table, Card._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # CASCADE: quiz answers and answer claims cite reviews; the bench has none of them.
            cursor.execute(
                "TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE"
            )
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def refresh_planner_statistics() -> None:
    """What autovacuum does on PostgreSQL after a big load; SQLite is left as deployed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
