from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from questions.models import (
    Answer,
    ApiToken,
    Assignment,
    Card,
    Classroom,
    Membership,
    Passage,
    Profile,
    Question,
    QuestionSet,
    Review,
    Source,
    Topic,
)
from questions.models.banks import ANSWER_KEY_FIELDS
from questions.validation import validate_answer_key


class PassageInline(admin.TabularInline):
    model = Passage
    extra = 0
    fields = ["position", "heading", "text"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "period", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["title", "slug", "citation", "text"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PassageInline]


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "position", "heading"]
    list_filter = ["source"]
    search_fields = ["heading", "text"]
    list_select_related = ["source"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "kind", "prompt", "passage"]
    show_change_link = True
    raw_id_fields = ["passage"]


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "visibility", "source", "desired_retention", "updated_at"]
    list_filter = ["visibility", "new_order", "topics"]
    search_fields = ["title", "description", "owner__username"]
    list_select_related = ["owner", "source"]
    filter_horizontal = ["topics"]
    readonly_fields = ["origin"]  # written by imports; an export back to the format reads it
    inlines = [QuestionInline]


class AnswerInlineFormSet(BaseInlineFormSet):
    """Checks the answer key as a whole, as a question's answers only make sense together."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        answers = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            validate_answer_key(
                kind=self.instance.kind, prompt=self.instance.prompt, answers=answers
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class AnswerInline(admin.TabularInline):
    model = Answer
    formset = AnswerInlineFormSet
    extra = 0
    fields = ["position", *ANSWER_KEY_FIELDS]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "question_set", "kind", "position", "passage"]
    list_filter = ["kind", "question_set", "topics"]
    search_fields = ["prompt", "explanation", "external_id"]
    list_select_related = ["question_set", "passage"]
    raw_id_fields = ["passage"]
    filter_horizontal = ["topics"]
    readonly_fields = ["origin"]  # written by imports; an export back to the format reads it
    inlines = [AnswerInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "join_code", "created_at"]
    search_fields = ["name", "join_code", "owner__username"]
    list_filter = ["created_at"]
    list_select_related = ["owner"]
    inlines = [MembershipInline, AssignmentInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "classroom", "role", "joined_at"]
    list_filter = ["role", "classroom"]
    search_fields = ["user__username", "classroom__name"]
    list_select_related = ["user", "classroom"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["question_set", "classroom", "assigned_at"]
    list_filter = ["classroom"]
    search_fields = ["question_set__title", "classroom__name"]
    list_select_related = ["question_set", "classroom"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "time_zone", "desired_retention", "fsrs_fitted_at"]
    list_filter = ["time_zone"]
    search_fields = ["user__username"]
    list_select_related = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["user", "question", "state", "due", "stability", "difficulty", "reps"]
    list_filter = ["state"]
    search_fields = ["user__username", "question__prompt"]
    list_select_related = ["user", "question"]
    raw_id_fields = ["user", "question"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Read-only: the review log is append-only, and the admin is no exception."""

    list_display = ["user", "question", "rating", "is_correct", "mode", "reviewed_at"]
    list_filter = ["rating", "is_correct", "mode"]
    search_fields = ["user__username", "client_id", "question__prompt"]
    list_select_related = ["user", "question"]
    date_hierarchy = "reviewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
