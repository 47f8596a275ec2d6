"""Rebuilding card states from the review log: the log is the truth, a card a cache of it."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from django.db import transaction
from django.db.models.functions import Coalesce

from questions.models import Card, CardState, Profile, Question, Review, ReviewMode
from questions.scheduling import NEW_CARD, CardSnapshot, SchedulerSettings, schedule, settings_for
from questions.selectors.study_days import profile_of
from questions.services.reviews import SCHEDULING_FIELDS, apply_snapshot, fuzz_key
from questions.services.studied_sets import studied_set_started


@dataclass(frozen=True)
class CardDifference:
    user_id: int
    question_id: int
    field: str
    stored: object
    rebuilt: object

    def __str__(self) -> str:
        return (
            f"user {self.user_id} question {self.question_id}: {self.field} "
            f"stored {self.stored!r}, rebuilt {self.rebuilt!r}"
        )


@dataclass
class RebuildReport:
    cards_checked: int = 0
    cards_changed: int = 0
    differences: list[CardDifference] = field(default_factory=list)


def _differs(stored, rebuilt) -> bool:
    if isinstance(stored, float) and isinstance(rebuilt, float):
        return abs(stored - rebuilt) > 1e-9 * max(1.0, abs(rebuilt))
    if isinstance(stored, datetime) and isinstance(rebuilt, datetime):
        return abs(stored - rebuilt) >= timedelta(milliseconds=1)
    return stored != rebuilt


def _histories(reviews) -> Iterator[tuple[int, list[tuple[int, datetime, dict | None]]]]:
    """(question id, [(rating, reviewed_at, scheduler settings), …] oldest first) for each
    card of one user."""
    # A claim ("I was right") supersedes the rating its review was logged with.
    rows = reviews.order_by("question_id", "reviewed_at", "id").values_list(
        "question_id", Coalesce("claim__rating", "rating"), "reviewed_at", "scheduler_settings"
    )
    for question_id, group in groupby(rows, key=lambda row: row[0]):
        yield question_id, [row[1:] for row in group]


def _replay(*, user_id: int, question_id: int, history, settings) -> CardSnapshot:
    """Replay with the settings each answer was scheduled with; `settings` (today's) only for
    answers logged without them."""
    rebuilt = NEW_CARD
    key = fuzz_key(user_id=user_id, question_id=question_id)
    for rating, reviewed_at, logged_settings in history:
        rebuilt = schedule(
            card=rebuilt,
            rating=rating,
            now=reviewed_at,
            settings=SchedulerSettings.from_json(logged_settings) if logged_settings else settings,
            fuzz_key=key,
        )
    return rebuilt


def card_replay(*, card: Card) -> Card:
    """Reschedule a locked card from its review log (claims applied); in the caller's
    transaction. Quiz answers leave cards as they are, here as in a rebuild."""
    reviews = (
        Review.objects.counted()
        .filter(user_id=card.user_id, question_id=card.question_id)
        .exclude(mode=ReviewMode.QUIZ)
    )
    # With no answer left (the only one undone) the card is new again, due from when it was
    # answered (a new card's row is made then).
    _, history = next(_histories(reviews), (card.question_id, []))
    due = card.last_review or card.due
    settings = settings_for(question_set=card.question.question_set, profile=profile_of(card.user))
    apply_snapshot(
        card,
        _replay(
            user_id=card.user_id, question_id=card.question_id, history=history, settings=settings
        ),
    )
    if not history:
        card.due = due
    card.save()
    return card


def _rebuild_user(*, user_id: int, profile: Profile | None, check: bool, report: RebuildReport):
    """Compare (and unless `check`, rewrite) one user's cards, holding their row locks so that
    no answer is recorded meanwhile; run inside a transaction."""
    cards = {
        card.question_id: card
        for card in Card.objects.select_for_update(of=("self",))
        .select_related("question__question_set")
        .filter(user_id=user_id)
    }
    # Quiz answers are logged but never scheduled: the cards come from the other reviews.
    reviews = Review.objects.counted().filter(user_id=user_id).exclude(mode=ReviewMode.QUIZ)
    for question_id, history in _histories(reviews):
        card = cards.get(question_id)
        if card is None and not check:
            # Lost, or being answered for the first time right now: take the card's lock the
            # way review_record does, then read its history again.
            question = Question.objects.select_related("question_set").get(pk=question_id)
            Card.objects.bulk_create(
                [Card(user_id=user_id, question=question, state=CardState.NEW, due=history[0][1])],
                ignore_conflicts=True,
            )
            card = (
                Card.objects.select_for_update(of=("self",))
                .select_related("question__question_set")
                .get(user_id=user_id, question_id=question_id)
            )
            history = next(_histories(reviews.filter(question_id=question_id)))[1]
            studied_set_started(user_id=user_id, question_set=question.question_set)
        report.cards_checked += 1
        if card is None:
            report.differences.append(CardDifference(user_id, question_id, "card", None, "missing"))
            report.cards_changed += 1
            continue
        settings = settings_for(question_set=card.question.question_set, profile=profile)
        rebuilt = _replay(
            user_id=user_id, question_id=question_id, history=history, settings=settings
        )
        if card.state == CardState.NEW:
            differences = [CardDifference(user_id, question_id, "card", None, "missing")]
        else:
            differences = [
                CardDifference(user_id, question_id, name, stored_value, rebuilt_value)
                for name in SCHEDULING_FIELDS
                if _differs(
                    stored_value := getattr(card, name), rebuilt_value := getattr(rebuilt, name)
                )
            ]
        if differences:
            report.differences.extend(differences)
            report.cards_changed += 1
            if not check:
                apply_snapshot(card, rebuilt)
                card.save()


def card_states_rebuild(*, check: bool = False, user_ids=None) -> RebuildReport:
    """Replay the review log and compare every card's state with the stored one.

    With check=False the stored states are replaced by the rebuilt ones (and missing cards
    created). Each answer is replayed with the FSRS options it was scheduled with, as the log
    keeps them, and the fuzz is seeded, so the log rebuilds exactly the stored state even after
    a set's options or a student's parameters changed (those apply from the next answer on).
    Works one user at a time, each in a transaction holding that user's card locks, so it is
    safe to run while students answer.
    """
    report = RebuildReport()
    reviewers = Review.objects.order_by("user_id").values_list("user_id", flat=True).distinct()
    profiles = Profile.objects.all()
    if user_ids is not None:
        reviewers = reviewers.filter(user_id__in=user_ids)
        profiles = profiles.filter(user_id__in=user_ids)
    profile_by_user = {profile.user_id: profile for profile in profiles}
    for user_id in list(reviewers):
        with transaction.atomic():
            _rebuild_user(
                user_id=user_id, profile=profile_by_user.get(user_id), check=check, report=report
            )
    return report
