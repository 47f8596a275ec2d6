""" "I was right": a student's claim on a typed answer graded wrong, and the teacher's decision.

A claim reschedules the card as Hard (the review log is kept as it is; the claim supersedes
the review's rating, and rebuilding card states reads it). Claims are few per student per day
and every one shows in the class report, so they cannot move a schedule unseen. Accepting adds
what the student typed as an accepted variant, so it grades right for everyone from then on.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max

from questions.grading import AnswerKey, grade
from questions.models import (
    Answer,
    AnswerClaim,
    Card,
    ClaimStatus,
    Question,
    QuestionKind,
    Rating,
    Review,
    ReviewMode,
)
from questions.services.card_rebuild import card_replay
from questions.typed_answers import WILDCARD, normalize

CLAIMS_PER_DAY = 5
CLAIM_WINDOW = timedelta(days=1)
CLAIMABLE_KINDS = (QuestionKind.SHORT_ANSWER, QuestionKind.CLOZE)

NOT_YOUR_REVIEW = "This is not one of your answers."
NOT_CLAIMABLE = "Only a typed answer graded wrong can be claimed as right."
NOT_LATEST = "Only your latest answer to this question can be claimed."
ALREADY_CLAIMED = "You have already claimed this answer was right."
TOO_MANY_CLAIMS = (
    f"You have made {CLAIMS_PER_DAY} claims in the last day, the most there can be; your "
    "teacher will see them. Try again tomorrow."
)
NOT_THE_OWNER = "Only the owner of the question's set can decide on claims about it."
ALREADY_DECIDED = "This claim has already been decided."
NOT_A_VARIANT = (
    "This claimed text cannot become an accepted answer as it stands ({why}); reject the claim, "
    "or add the answer you mean in the question editor."
)
HAS_WILDCARD = "it contains *, which an accepted answer reads as a wildcard"
TOO_LONG_FOR_A_VARIANT = "it is longer than an accepted answer may be"


class ClaimRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def claims_left(*, user: AbstractBaseUser, now: datetime) -> int:
    made = AnswerClaim.objects.filter(user=user, created_at__gt=now - CLAIM_WINDOW).count()
    return max(0, CLAIMS_PER_DAY - made)


def _claimed_text(review: Review) -> dict:
    """What the student claims is right: the text, or the cloze gaps graded wrong."""
    if review.question.kind == QuestionKind.SHORT_ANSWER:
        return {"text": review.answer.get("text", "")}
    regraded = grade(
        kind=review.question.kind,
        answer_key=AnswerKey.of(review.question),
        answer=review.answer,
        response_ms=review.response_ms,
    )
    gaps = review.answer.get("gaps", {})
    wrong = [part.part.removeprefix("gap ") for part in regraded.parts if not part.is_correct]
    return {"gaps": {gap: gaps[gap] for gap in wrong if normalize(gaps.get(gap, ""))}}


def claim_record(*, user: AbstractBaseUser, review: Review, now: datetime) -> AnswerClaim:
    """Claim that `review` (the user's latest answer to its question) was right, and
    reschedule the card as Hard. Raises ClaimRefused saying why a claim is not allowed."""
    if review.user_id != user.pk:
        raise ClaimRefused(NOT_YOUR_REVIEW)
    # A quiz answer is a test's, scored on submit; it never moved the card.
    if (
        review.question.kind not in CLAIMABLE_KINDS
        or review.is_correct is not False
        or review.mode == ReviewMode.QUIZ
    ):
        raise ClaimRefused(NOT_CLAIMABLE)
    claimed = _claimed_text(review)
    if not claimed.get("text", "").strip() and not claimed.get("gaps"):
        raise ClaimRefused(NOT_CLAIMABLE)
    try:
        with transaction.atomic():
            card = Card.objects.select_for_update().get(user=user, question=review.question)
            latest = (
                Review.objects.counted()
                .filter(user=user, question=review.question)
                .aggregate(latest=Max("reviewed_at"))["latest"]
            )
            if latest != review.reviewed_at:
                raise ClaimRefused(NOT_LATEST)
            if claims_left(user=user, now=now) <= 0:
                raise ClaimRefused(TOO_MANY_CLAIMS)
            claim = AnswerClaim.objects.create(
                review=review,
                user=user,
                question=review.question,
                claimed=claimed,
                rating=Rating.HARD,
                created_at=now,
            )
            card_replay(card=card)
    except IntegrityError:
        raise ClaimRefused(ALREADY_CLAIMED) from None
    return claim


def claim_decide(
    *, teacher: AbstractBaseUser, claim: AnswerClaim, accept: bool, now: datetime
) -> AnswerClaim:
    """Accept (adding the claimed text as an accepted variant) or reject a pending claim."""
    if claim.question.question_set.owner_id != teacher.pk:
        raise PermissionDenied(NOT_THE_OWNER)
    with transaction.atomic():
        claim = AnswerClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.PENDING:
            raise ClaimRefused(ALREADY_DECIDED)
        if accept:
            _add_variants(claim, now=now)
        claim.status = ClaimStatus.ACCEPTED if accept else ClaimStatus.REJECTED
        claim.decided_at = now
        claim.decided_by = teacher
        claim.save(update_fields=["status", "decided_at", "decided_by"])
    return claim


def _add_variants(claim: AnswerClaim, *, now: datetime) -> None:
    """The claimed text as accepted variants; the question's updated_at moves, as with every
    edit of its answer key, so a cached key (questions.selectors.question_cache) is not used."""
    question = claim.question
    rows = list(question.answers.all())
    position = max((row.position for row in rows), default=0)
    texts = (
        [(None, claim.claimed["text"])]
        if "text" in claim.claimed
        else [(int(gap), text) for gap, text in claim.claimed.get("gaps", {}).items()]
    )
    new = []
    for gap, text in texts:
        # One click must not widen the key beyond the claimed text itself.
        if WILDCARD in text:
            raise ClaimRefused(NOT_A_VARIANT.format(why=HAS_WILDCARD))
        if len(text.strip()) > settings.QUIZSITE_MAX_ANSWER_CHARS:
            raise ClaimRefused(NOT_A_VARIANT.format(why=TOO_LONG_FOR_A_VARIANT))
        known = {normalize(row.text) for row in rows if row.gap == gap and row.is_correct}
        if normalize(text) in known:
            continue
        position += 1
        new.append(
            Answer(
                question=question,
                text=text.strip(),
                is_correct=True,
                fraction=1,
                gap=gap,
                position=position,
            )
        )
    Answer.objects.bulk_create(new)
    edited_at = max(now, question.updated_at + timedelta(microseconds=1))
    Question.objects.filter(pk=question.pk).update(updated_at=edited_at)
