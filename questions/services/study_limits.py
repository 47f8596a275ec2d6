"""More new cards today: a student raises one set's daily new-card limit for the study day."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F

from questions.models import NewCardsExtension, QuestionSet
from questions.selectors.study_days import profile_of, study_date

EXTRA_NEW_CARDS = 10


@transaction.atomic
def new_cards_extend(
    *,
    user: AbstractBaseUser,
    question_set: QuestionSet,
    now: datetime,
    extra: int = EXTRA_NEW_CARDS,
) -> NewCardsExtension:
    """Add `extra` new cards to today's limit of the set (the caller checked the user may study
    it); asked twice, the limit rises twice. Tomorrow the set's limit applies again."""
    day = study_date(profile=profile_of(user), now=now)
    extension, _ = NewCardsExtension.objects.select_for_update().get_or_create(
        user=user, question_set=question_set, day=day
    )
    NewCardsExtension.objects.filter(pk=extension.pk).update(extra=F("extra") + extra)
    extension.refresh_from_db()
    return extension
