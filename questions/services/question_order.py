"""Reordering the questions of a set."""

from django.db import transaction

from questions.models import Question
from questions.permissions import require_owner


@transaction.atomic
def question_move(*, by, question: Question, offset: int) -> None:
    """Move the question up (offset -1) or down (+1) among the live questions of its set; the
    set's owner only.

    Positions are renumbered 1..n in the new order, so gaps and ties left by imports vanish.
    """
    require_owner(by, question.question_set)
    siblings = list(
        Question.objects.select_for_update()
        .filter(question_set_id=question.question_set_id, archived_at__isnull=True)
        .order_by("position", "id")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == question.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    moved = []
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            moved.append(sibling)
    Question.objects.bulk_update(moved, ["position"])
