"""A student's daily new-card limit for a set: their own setting when given, else the set's,
plus what they added for today ("10 more new cards today", questions.services.study_limits)."""

from datetime import date

from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from questions.models import NewCardsExtension, Profile, QuestionSet


def new_cards_limit(*, profile: Profile, question_set: QuestionSet, extra: int = 0) -> int:
    """New cards a day in the set: the student's setting, else the set's; plus today's extra."""
    own = profile.new_cards_per_day
    return (question_set.daily_new_limit if own is None else own) + extra


def extra_new_today(*, user, day: date):
    """A SQL value: the new cards the user added to the outer set's limit for study day `day`."""
    extra = NewCardsExtension.objects.filter(
        user=user, question_set=OuterRef("pk"), day=day
    ).values("extra")[:1]
    return Coalesce(Subquery(extra, output_field=IntegerField()), Value(0))
