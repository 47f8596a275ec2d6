from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from questions import domain
from questions.limits import ANSWER_LENGTH, DESCRIPTION_LENGTH, EXPLANATION_LENGTH, PROMPT_LENGTH
from questions.validation import validate_question_fields


class Topic(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


DESIRED_RETENTION_MIN = 0.7
DESIRED_RETENTION_MAX = 0.99
# The longest study session a student or a set may ask for, in answers.
SESSION_SIZE_MAX = 200
"""The desired retention a teacher or student may choose: below 0.7 FSRS schedules too few
reviews to be useful, above 0.99 the review load grows without bound."""


def default_learning_steps() -> list[int]:
    return [60, 600]


def default_relearning_steps() -> list[int]:
    return [600]


class QuestionSet(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private"
        CLASSES = "classes", "My classes"
        PUBLIC = "public", "Public"

    class NewOrder(models.TextChoices):
        IN_ORDER = "in_order", "In the set's order"
        SHUFFLE = "shuffle", "Shuffled"

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, validators=[DESCRIPTION_LENGTH])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="question_sets"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    source = models.ForeignKey(
        "questions.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="question_sets",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="question_sets")
    external_id = models.CharField(
        max_length=200,
        blank=True,
        help_text="Stable id from an imported file, so importing it again updates this set.",
    )
    origin = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the imported file said that quizsite has no place for (an Anki deck's "
        "note types), by format, so an export to that format restores it.",
    )

    # Scheduling settings: FSRS-6 options that a teacher chooses per set.
    desired_retention = models.FloatField(default=0.9)
    learning_steps = models.JSONField(
        default=default_learning_steps,
        blank=True,
        help_text="Learning steps in seconds, e.g. [60, 600].",
    )
    relearning_steps = models.JSONField(
        default=default_relearning_steps,
        blank=True,
        help_text="Relearning steps in seconds, e.g. [600].",
    )
    maximum_interval = models.PositiveIntegerField(default=36500, help_text="In days.")
    enable_fuzzing = models.BooleanField(default=True)
    new_order = models.CharField(max_length=10, choices=NewOrder.choices, default=NewOrder.IN_ORDER)
    daily_new_limit = models.PositiveIntegerField(default=20)
    daily_review_limit = models.PositiveIntegerField(default=200)
    session_size = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(SESSION_SIZE_MAX)],
        help_text="Answers in one study session of this set; empty for the site's default.",
    )

    archived_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a set with study history is deleted."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(desired_retention__gt=0.5, desired_retention__lt=1),
                name="set_desired_retention_between_half_and_one",
            ),
            models.CheckConstraint(
                condition=models.Q(maximum_interval__gte=1), name="set_maximum_interval_positive"
            ),
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~models.Q(external_id=""),
                name="set_unique_external_id_per_owner",
            ),
        ]
        indexes = [models.Index(fields=["visibility"], name="set_visibility_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        for field in ("learning_steps", "relearning_steps"):
            steps = getattr(self, field)
            if not isinstance(steps, list) or not all(
                isinstance(step, int) and step > 0 for step in steps
            ):
                raise ValidationError({field: "Give a list of whole numbers of seconds above 0."})


class QuestionKind(models.TextChoices):
    FLASHCARD = domain.QuestionKind.FLASHCARD.value, "Flashcard"
    MULTIPLE_CHOICE = domain.QuestionKind.MULTIPLE_CHOICE.value, "Multiple choice"
    TRUE_FALSE = domain.QuestionKind.TRUE_FALSE.value, "True or false"
    SHORT_ANSWER = domain.QuestionKind.SHORT_ANSWER.value, "Short answer"
    NUMERICAL = domain.QuestionKind.NUMERICAL.value, "Numerical"
    CLOZE = domain.QuestionKind.CLOZE.value, "Cloze"
    MATCHING = domain.QuestionKind.MATCHING.value, "Matching"
    ORDERING = domain.QuestionKind.ORDERING.value, "Ordering"


class Question(models.Model):
    """A question of a set. Its answer key is its Answer rows; see questions/validation.py."""

    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    title = models.CharField(max_length=300, blank=True)
    prompt = models.TextField(
        help_text="The question; a flashcard's front; for a cloze, the text with gaps {{1}}, {{2}}.",
        validators=[PROMPT_LENGTH],
    )
    explanation = models.TextField(
        blank=True, help_text="Shown after the student answers.", validators=[EXPLANATION_LENGTH]
    )
    passage = models.ForeignKey(
        "questions.Passage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
        help_text="The passage of the set's source that supports the answer.",
    )
    sentence_start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where the supporting sentence starts in the passage."
    )
    sentence_end = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where it ends (exclusive), in characters."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    external_id = models.CharField(max_length=200, blank=True)
    origin = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the imported file said that quizsite has no place for (an Anki note's "
        "fields and note type), by format, so an export to that format restores it.",
    )
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a question with study history is deleted."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question_set", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=QuestionKind.values), name="question_kind_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(prompt=""), name="question_prompt_not_empty"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=QuestionKind.CLOZE) | models.Q(prompt__contains="{{"),
                name="question_cloze_has_gap",
            ),
            # A sentence span is a non-empty span of the cited passage, or there is none.
            models.CheckConstraint(
                condition=models.Q(sentence_start__isnull=True, sentence_end__isnull=True)
                | models.Q(
                    passage__isnull=False,
                    sentence_start__isnull=False,
                    sentence_end__gt=models.F("sentence_start"),
                ),
                name="question_sentence_span_in_passage",
            ),
            models.UniqueConstraint(
                fields=["question_set", "external_id"],
                condition=~models.Q(external_id=""),
                name="question_unique_external_id_in_set",
            ),
        ]
        indexes = [
            models.Index(fields=["question_set", "position"], name="question_set_position_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.prompt[:60]}"

    def clean(self) -> None:
        validate_question_fields(self)


ANSWER_KEY_FIELDS = (
    "text",
    "match_text",
    "is_correct",
    "fraction",
    "gap",
    "number",
    "tolerance",
    "feedback",
    "is_choice",
)
"""The columns of an Answer that make up a question's answer key."""


class Answer(models.Model):
    """One row of a question's answer key.

    How each kind uses the columns:
    flashcard: one row, `text` is the back.
    multiple_choice / true_false: one row per choice; `is_correct`, `fraction` (Moodle's weight).
    short_answer: one row per accepted variant.
    numerical: one row per accepted value: `number` give or take `tolerance`.
    cloze: one row per accepted variant of gap `gap`; in a choice gap (a drop-down, as Moodle's
        MULTICHOICE embedded answers) every option is a row with `is_choice`, right when
        `is_correct`.
    matching: one row per pair, `text` on the left, `match_text` on the right.
    ordering: one row per item, `position` is its place in the right order.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True, validators=[ANSWER_LENGTH])
    match_text = models.TextField(blank=True, validators=[ANSWER_LENGTH])
    is_correct = models.BooleanField(default=False)
    fraction = models.FloatField(default=0, help_text="Credit from -1 to 1 (Moodle's weight).")
    gap = models.PositiveIntegerField(null=True, blank=True)
    number = models.FloatField(null=True, blank=True)
    tolerance = models.FloatField(null=True, blank=True)
    feedback = models.TextField(blank=True, validators=[ANSWER_LENGTH])
    is_choice = models.BooleanField(
        default=False, help_text="An option of a cloze gap chosen from a list, not typed."
    )

    class Meta:
        ordering = ["question", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="answer_unique_position_in_question"
            ),
            models.CheckConstraint(
                condition=models.Q(fraction__gte=-1, fraction__lte=1),
                name="answer_fraction_between_minus_one_and_one",
            ),
            models.CheckConstraint(
                condition=models.Q(tolerance__isnull=True) | models.Q(tolerance__gte=0),
                name="answer_tolerance_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(gap__isnull=True) | models.Q(gap__gte=1),
                name="answer_gap_from_one",
            ),
        ]

    def __str__(self) -> str:
        if self.match_text:
            return f"{self.text} → {self.match_text}"
        if self.number is not None:
            return f"{self.number:g} ± {self.tolerance or 0:g}"
        return self.text[:80]
