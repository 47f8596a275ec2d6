"""Reads of "I was right" claims, for the class report."""

from dataclasses import dataclass, field

from questions.models import AnswerClaim, ClaimStatus, Membership, Question, QuestionSet
from questions.models.classes import Classroom


@dataclass
class QuestionClaims:
    question: Question
    claims: list[AnswerClaim] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return sum(claim.status == ClaimStatus.PENDING for claim in self.claims)


def class_claims(
    *, classroom: Classroom, question_set: QuestionSet | None = None
) -> list[QuestionClaims]:
    """The claims the class's students made on the questions of the class's sets (or of one of
    them, as the report's set filter chooses), grouped per question, questions with claims
    waiting first. One query."""
    students = Membership.objects.filter(classroom=classroom, role=Membership.Role.STUDENT).values(
        "user_id"
    )
    claims = (
        AnswerClaim.objects.filter(
            user_id__in=students,
            question__question_set__assignments__classroom=classroom,
            question__archived_at__isnull=True,
        )
        .select_related("user", "question__question_set", "review")
        .order_by("question__position", "question_id", "-created_at", "-id")
    )
    if question_set is not None:
        claims = claims.filter(question__question_set=question_set)
    grouped: dict[int, QuestionClaims] = {}
    for claim in claims:
        grouped.setdefault(claim.question_id, QuestionClaims(claim.question)).claims.append(claim)
    return sorted(grouped.values(), key=lambda group: group.pending == 0)
