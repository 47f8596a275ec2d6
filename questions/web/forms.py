"""The web pages' forms: they parse and check input; services do the writing."""

import zoneinfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from questions.formats.common import COMMON_ENCODINGS
from questions.models import Passage, QuestionKind, QuestionSet, Source, Topic
from questions.models.banks import DESIRED_RETENTION_MAX, DESIRED_RETENTION_MIN, SESSION_SIZE_MAX
from questions.services.accounts import USERNAME_TAKEN, username_taken

TIME_ZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
]


class LoginForm(AuthenticationForm):
    """Django's login form; `refusal`, set by the view (a lockout or the rate limit), is the
    form's only error, instead of the usual wrong-password message."""

    refusal: str | None = None

    def clean(self):
        if self.refusal:
            raise ValidationError(self.refusal, code="refused")
        return super().clean()


class SignUpForm(BaseUserCreationForm):
    email = forms.EmailField(required=False, help_text="Only used to reset your password.")
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES,
        initial="UTC",
        # site.js chooses the browser's own zone here, when the list has it.
        widget=forms.Select(attrs={"data-browser-time-zone": ""}),
        help_text="Your study day and due dates follow this time zone.",
    )

    class Meta(BaseUserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if username_taken(username):
            raise ValidationError(USERNAME_TAKEN, code="unique")
        return username


class ProfileForm(forms.Form):
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES)
    day_starts_at_hour = forms.TypedChoiceField(
        label="A new study day starts at",
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        coerce=int,
        help_text="Cards due before this hour count as due the day before, as in Anki.",
    )
    desired_retention = forms.FloatField(
        required=False,
        min_value=DESIRED_RETENTION_MIN,
        max_value=DESIRED_RETENTION_MAX,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text=(
            "The chance of remembering a card when it comes due, from 0.70 to 0.99. "
            "Higher means more reviews. Leave empty to use each set's own (usually 0.90)."
        ),
    )
    new_cards_per_day = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10_000,
        label="New cards per day",
        help_text="In each set. Leave empty to use each set's own (usually 20).",
    )
    session_size = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=SESSION_SIZE_MAX,
        label="Questions per session",
        help_text="Leave empty to use each set's own (usually 10).",
    )


class JoinClassForm(forms.Form):
    join_code = forms.CharField(
        max_length=16,
        help_text="Your teacher gives you this code, for example DEMO1968.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_join_code(self) -> str:
        return self.cleaned_data["join_code"].strip().upper().replace(" ", "")


class ClassroomForm(forms.Form):
    name = forms.CharField(max_length=200)


class AssignSetForm(forms.Form):
    question_set = forms.ModelChoiceField(
        queryset=QuestionSet.objects.none(), label="Set to assign"
    )

    def __init__(self, *args, sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_set"].queryset = sets


# What a teacher edits on a set's page; the other scheduling options are the API's.
SET_FORM_FIELDS = [
    "title",
    "description",
    "visibility",
    "source",
    "topics",
    "desired_retention",
    "new_order",
    "daily_new_limit",
    "daily_review_limit",
    "session_size",
]


class QuestionSetForm(forms.ModelForm):
    # The version of the row the page showed, so a save over someone else's edit is refused.
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    new_topics = forms.CharField(
        required=False,
        label="New topics",
        help_text="Names separated by commas, to add to the list of topics.",
    )

    class Meta:
        model = QuestionSet
        fields = SET_FORM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "topics": forms.CheckboxSelectMultiple,
            "desired_retention": forms.NumberInput(attrs={"step": "0.01"}),
        }
        help_texts = {
            "source": "The text the questions are drawn from; each question then cites a passage.",
            "desired_retention": "The chance of remembering a card when it comes due (0.70–0.99).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Source.objects.order_by("title")
        self.fields["topics"].queryset = Topic.objects.order_by("name")
        self.fields["topics"].required = False
        retention = self.fields["desired_retention"]
        retention.validators += [
            MinValueValidator(DESIRED_RETENTION_MIN),
            MaxValueValidator(DESIRED_RETENTION_MAX),
        ]
        retention.widget.attrs.update(min=DESIRED_RETENTION_MIN, max=DESIRED_RETENTION_MAX)


class SourceForm(forms.Form):
    text = forms.CharField(
        label="Text of the source",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Paste the text. The first line is its title, a “Date: …” line gives the period, "
            "blank lines separate the passages, a short line without a full stop is a heading."
        ),
    )
    citation = forms.CharField(
        required=False, max_length=500, help_text="Author, publication, year."
    )


class QuestionForm(forms.Form):
    """A question's own fields; its answer key is the AnswerFormSet next to it."""

    # The version of the row the page showed, so a save over someone else's edit is refused.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    kind = forms.ChoiceField(label="Type", choices=QuestionKind.choices)
    title = forms.CharField(required=False, max_length=300)
    prompt = forms.CharField(
        label="Question",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a cloze question write the gaps as {{1}}, {{2}} …",
    )
    passage = forms.ModelChoiceField(
        queryset=Passage.objects.none(),
        required=False,
        label="Supporting passage",
        help_text="The passage of the set's source that shows the answer is right.",
    )
    sentence = forms.CharField(
        required=False,
        label="Supporting sentence",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Paste the words of the passage the answer rests on; feedback highlights them.",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    explanation = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown after the student answers.",
    )
    true_false_answer = forms.TypedChoiceField(
        label="The statement is",
        required=False,
        choices=[("true", "True"), ("false", "False")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, question_set: QuestionSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_set = question_set
        if question_set.source_id:
            self.fields["passage"].queryset = Passage.objects.filter(
                source_id=question_set.source_id
            ).order_by("position")
            self.fields["passage"].required = True
        else:
            del self.fields["passage"]
            del self.fields["sentence"]
        self.fields["topics"].queryset = Topic.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == QuestionKind.TRUE_FALSE and not cleaned.get("true_false_answer"):
            self.add_error("true_false_answer", "Choose whether the statement is true or false.")
        return cleaned


class AnswerRowForm(forms.Form):
    """One row of the answer key; which columns a kind uses is in ANSWER_COLUMNS."""

    text = forms.CharField(required=False, widget=forms.TextInput)
    match_text = forms.CharField(required=False, label="Matches")
    is_correct = forms.BooleanField(required=False, label="Right")
    gap = forms.IntegerField(required=False, min_value=1, label="Gap")
    number = forms.FloatField(required=False, label="Value")
    tolerance = forms.FloatField(required=False, min_value=0, label="Give or take")
    credit = forms.FloatField(required=False, min_value=-100, max_value=100, label="Credit %")
    feedback = forms.CharField(required=False, label="Feedback")
    is_choice = forms.BooleanField(required=False, label="Drop-down option")

    def has_content(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(
            (data.get("text") or "").strip()
            or (data.get("match_text") or "").strip()
            or data.get("number") is not None
        )


AnswerFormSet = forms.formset_factory(AnswerRowForm, extra=0, min_num=0, max_num=40)

# Per kind: the label of each column the teacher fills in, in order; is_correct is implied
# where the kind has no choice between right and wrong rows.
ANSWER_COLUMNS: dict[str, dict[str, str]] = {
    QuestionKind.FLASHCARD: {"text": "Back of the card"},
    QuestionKind.MULTIPLE_CHOICE: {
        "text": "Choice",
        "is_correct": "Right",
        "credit": "Credit %",
        "feedback": "Feedback",
    },
    QuestionKind.TRUE_FALSE: {},
    QuestionKind.SHORT_ANSWER: {"text": "Accepted answer", "credit": "Credit %"},
    QuestionKind.NUMERICAL: {"number": "Value", "tolerance": "Give or take", "credit": "Credit %"},
    QuestionKind.CLOZE: {
        "gap": "Gap",
        "text": "Accepted answer or option",
        "is_choice": "Drop-down option",
        "is_correct": "Right option",
    },
    QuestionKind.MATCHING: {"text": "Left", "match_text": "Matches"},
    QuestionKind.ORDERING: {"text": "Item (in the right order)"},
}
BLANK_ROWS = {QuestionKind.FLASHCARD: 1, QuestionKind.TRUE_FALSE: 0}


def import_format_choices() -> list[tuple[str, str]]:
    from questions.formats.registry import FORMATS, importable_formats

    return [("", "Tell from the file's name")] + [
        (name, FORMATS[name].label) for name in importable_formats()
    ]


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="A quizsite set (YAML), Moodle XML or GIFT, CSV, an Anki package (.apkg or "
        ".colpkg), or a Quizlet export (choose Quizlet below)."
    )
    format = forms.ChoiceField(choices=import_format_choices, required=False)
    into = forms.ModelChoiceField(
        queryset=QuestionSet.objects.none(),
        required=False,
        label="Add to an existing set",
        help_text="Leave empty to create the set the file describes.",
    )
    encoding = forms.ChoiceField(
        choices=[("", "UTF-8 (the default)"), *list(COMMON_ENCODINGS.items())[1:]],
        required=False,
        help_text="What a text file (GIFT, XML, CSV, YAML) was saved in, if not UTF-8.",
    )
    dry_run = forms.BooleanField(required=False, label="Only check the file, import nothing")

    def __init__(self, *args, sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = sets


class QuizForm(forms.Form):
    title = forms.CharField(max_length=200)
    question_count = forms.IntegerField(
        required=False,
        min_value=1,
        label="Questions per attempt",
        help_text="Drawn at random for each student; leave empty for all of the set's questions.",
    )
    time_limit_minutes = forms.IntegerField(
        required=False, min_value=1, label="Time limit (minutes)", help_text="Empty for none."
    )
    attempts_allowed = forms.IntegerField(min_value=1, max_value=100, initial=1)
    opens_at = forms.DateTimeField(
        required=False,
        label="Opens at (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    closes_at = forms.DateTimeField(
        required=False,
        label="Closes at (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    feedback = forms.ChoiceField(
        choices=[("at_end", "At the end"), ("after_each", "After each question")],
        label="Show feedback",
    )
