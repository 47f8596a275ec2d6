"""django-filter filter sets of the API's lists."""

from datetime import UTC

import django_filters
from django import forms
from django.db.models import Q
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from questions.models import QuestionSet, Review, Source

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number from 1, so nothing out of range reaches the database."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


OUT_OF_RANGE_TIME = "Give a date and time between the years 1 and 9999, e.g. 2026-05-01T08:00:00Z."


class UtcDateTimeField(IsoDateTimeField):
    """ISO 8601 with any offset, turned into UTC: databases refuse offsets beyond ±16 hours."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(OUT_OF_RANGE_TIME) from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class SetFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", max_length=200, help_text="Words in the title or description."
    )
    topic = django_filters.CharFilter(
        field_name="topics__slug", max_length=100, help_text="A topic's slug."
    )
    source = IdFilter(field_name="source_id", help_text="A source's id.")
    owner = IdFilter(field_name="owner_id", help_text="The owner's user id.")
    assigned_class = IdFilter(
        field_name="assignments__classroom_id", help_text="Sets assigned to this class id."
    )
    visibility = django_filters.ChoiceFilter(choices=QuestionSet.Visibility.choices)
    archived = django_filters.BooleanFilter(
        method="filter_archived",
        help_text="Your archived sets (sets deleted after being studied). Left out by default.",
    )

    class Meta:
        model = QuestionSet
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value)

    def filter_queryset(self, queryset):
        if self.form.cleaned_data.get("archived") is None:
            queryset = queryset.filter(archived_at__isnull=True)
        # Filtering across a many-to-many relation may repeat a set.
        return super().filter_queryset(queryset).distinct()


class SourceFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", max_length=200, help_text="Words in the title."
    )

    class Meta:
        model = Source
        fields = []


class ReviewFilter(django_filters.FilterSet):
    set = IdFilter(field_name="question__question_set_id", help_text="A set id.")
    question = IdFilter(field_name="question_id")
    since = UtcDateTimeFilter(
        field_name="reviewed_at", lookup_expr="gte", help_text="Reviewed at or after (ISO 8601)."
    )
    until = UtcDateTimeFilter(
        field_name="reviewed_at", lookup_expr="lt", help_text="Reviewed before (ISO 8601)."
    )
    date = django_filters.DateFilter(
        field_name="reviewed_at", lookup_expr="date", help_text="Reviewed on this UTC date."
    )

    class Meta:
        model = Review
        fields = []
