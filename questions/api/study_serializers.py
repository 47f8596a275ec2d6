"""Output shapes of studying: the question before answering, the feedback after, reports.

These serializers describe dictionaries that questions.presentation and the engine build,
so the OpenAPI schema says exactly what a client receives.
"""

from rest_framework import serializers

from questions.api.filters import MAX_ID
from questions.api.serializers import PassageSerializer, UserSummarySerializer
from questions.domain import QueueReason
from questions.models import CardState, QuestionKind, Rating, ReviewMode


class TopicSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(allow_blank=True)


class OpaqueItemSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Send this id back in your answer.")
    text = serializers.CharField(allow_blank=True)


class StudentQuestionSerializer(serializers.Serializer):
    """A question as a student sees it before answering: never anything that gives it away."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    title = serializers.CharField(allow_blank=True)
    prompt = serializers.CharField()
    set_id = serializers.IntegerField()
    passage_id = serializers.IntegerField(allow_null=True)
    topics = TopicSerializer(many=True)
    choices = OpaqueItemSerializer(
        many=True, required=False, help_text="multiple_choice, true_false"
    )
    multiple = serializers.BooleanField(
        required=False, help_text="multiple_choice: more than one choice is right."
    )
    left = ChoiceSerializer(many=True, required=False, help_text="matching: the left sides.")
    right = OpaqueItemSerializer(
        many=True, required=False, help_text="matching: the right sides, shuffled."
    )
    items = OpaqueItemSerializer(
        many=True, required=False, help_text="ordering: the items to put in order, shuffled."
    )
    gaps = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="cloze: the gap numbers."
    )
    gap_choices = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="cloze: for each gap chosen from a list, its options; answer with one of them.",
    )


class IntervalsSerializer(serializers.Serializer):
    again = serializers.FloatField()
    hard = serializers.FloatField()
    good = serializers.FloatField()
    easy = serializers.FloatField()


class QueueItemSerializer(serializers.Serializer):
    question = StudentQuestionSerializer()
    reason = serializers.ChoiceField(
        choices=[
            (reason.value, reason.value) for reason in QueueReason if reason != QueueReason.RETRY
        ],
        help_text="Why it is in the queue: a due review, a learning step, a new question, or "
        "(with `ahead`) a card not yet due.",
    )
    state = serializers.ChoiceField(choices=CardState.choices)
    due = serializers.DateTimeField(allow_null=True)
    intervals = IntervalsSerializer(
        allow_null=True,
        help_text="Flashcards only: days until due again after rating 1 (again) to 4 (easy) now.",
    )


class QueueSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = QueueItemSerializer(many=True)


class FeedbackChoiceSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    is_correct = serializers.BooleanField()
    feedback = serializers.CharField(allow_blank=True)


class NumberSerializer(serializers.Serializer):
    number = serializers.FloatField(allow_null=True)
    tolerance = serializers.FloatField()


class PairSerializer(serializers.Serializer):
    left = ChoiceSerializer()
    right = OpaqueItemSerializer()


class RightAnswerSerializer(serializers.Serializer):
    """The right answer, shown after answering; the fields present depend on the kind."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    title = serializers.CharField(allow_blank=True)
    prompt = serializers.CharField()
    set_id = serializers.IntegerField()
    passage_id = serializers.IntegerField(allow_null=True)
    topics = TopicSerializer(many=True)
    explanation = serializers.CharField(allow_blank=True)
    back = serializers.CharField(required=False, allow_blank=True, help_text="flashcard")
    choices = FeedbackChoiceSerializer(many=True, required=False)
    accepted = serializers.ListField(child=serializers.CharField(), required=False)
    values = NumberSerializer(many=True, required=False)
    gaps = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    pairs = PairSerializer(many=True, required=False)
    order = OpaqueItemSerializer(many=True, required=False)


class PartSerializer(serializers.Serializer):
    part = serializers.CharField()
    is_correct = serializers.BooleanField()
    given = serializers.JSONField(allow_null=True)
    expected = serializers.JSONField(allow_null=True)
    reason = serializers.CharField(
        allow_blank=True, help_text="Why this part was graded so, e.g. “wrong: a different date”."
    )


class CitedPassageSerializer(PassageSerializer):
    source = serializers.IntegerField(source="source_id")
    source_title = serializers.CharField(source="source.title")

    class Meta(PassageSerializer.Meta):
        fields = [*PassageSerializer.Meta.fields, "source", "source_title"]
        read_only_fields = fields


class ScheduleSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=CardState.choices)
    due = serializers.DateTimeField()
    interval_days = serializers.FloatField()
    stability = serializers.FloatField()
    difficulty = serializers.FloatField()


class ReviewResultSerializer(serializers.Serializer):
    """The outcome of one answer; replaying its client_id returns the same body (status 200)."""

    review = serializers.IntegerField()
    client_id = serializers.CharField()
    question = serializers.IntegerField()
    is_correct = serializers.BooleanField(
        allow_null=True, help_text="Empty for a self-rated flashcard."
    )
    score = serializers.FloatField(allow_null=True, help_text="Share of the answer that was right.")
    rating = serializers.ChoiceField(
        choices=Rating.choices, help_text="The rating used to reschedule: 1 again … 4 easy."
    )
    mode = serializers.ChoiceField(choices=ReviewMode.choices)
    verdict = serializers.CharField(
        allow_blank=True,
        help_text="Why the answer was graded so: “right”, “accepted: spelling of “Harriman””, "
        "“wrong: a different date”. Empty for a self-rated flashcard.",
    )
    parts = PartSerializer(many=True)
    right_answer = RightAnswerSerializer()
    explanation = serializers.CharField(allow_blank=True)
    passage = CitedPassageSerializer(allow_null=True, help_text="The passage the answer rests on.")
    schedule = ScheduleSerializer()
    next = QueueItemSerializer(
        required=False,
        allow_null=True,
        help_text="Only with ?next=true: what to study next, as GET /api/v1/study/queue/?limit=1 "
        "would give it right after this answer; null when nothing is left for today.",
    )


class QuestionReportSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    set = serializers.IntegerField(source="question.question_set_id")
    kind = serializers.CharField(source="question.kind")
    title = serializers.CharField(source="question.title", allow_blank=True)
    prompt = serializers.CharField(source="question.prompt")
    attempts = serializers.IntegerField(help_text="Answers given by the class's students.")
    students = serializers.IntegerField(help_text="Students who answered it at least once.")
    facility = serializers.FloatField(
        allow_null=True, help_text="Share of answers that were right."
    )
    discrimination_index = serializers.FloatField(
        allow_null=True,
        help_text="Moodle's discrimination index in percent: 100 × the correlation between the "
        "first answer's score and the mean score of the student's first answers to the "
        "class's other questions. Empty when fewer than two students allow it.",
    )
    mean_response_ms = serializers.FloatField(allow_null=True)


class StudentReportSerializer(serializers.Serializer):
    user = UserSummarySerializer()
    attempts = serializers.IntegerField()
    facility = serializers.FloatField(allow_null=True)
    mastered = serializers.IntegerField(help_text="Questions with a stability over 21 days.")
    mastery = serializers.FloatField(allow_null=True, help_text="Mastered share of the questions.")
    last_activity = serializers.DateTimeField(allow_null=True)


class ReportSetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ClassReportSerializer(serializers.Serializer):
    class_id = serializers.IntegerField(source="classroom.pk")
    class_name = serializers.CharField(source="classroom.name")
    sets = ReportSetSerializer(many=True)
    questions = QuestionReportSerializer(many=True)
    students = StudentReportSerializer(many=True)


class StudyScopeQuerySerializer(serializers.Serializer):
    set = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Only this set."
    )
    topic = serializers.SlugField(required=False, help_text="Only this topic (its slug).")
    passage = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Only questions citing this passage.",
    )


class QueueQuerySerializer(StudyScopeQuerySerializer):
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=50, default=10, help_text="At most this many."
    )
    ahead = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true (or 1): when nothing else is left, also cards not yet due, the soonest "
        "first (studying ahead, cramming a set); their answers are logged as studied ahead.",
    )


class AnswerQuerySerializer(StudyScopeQuerySerializer):
    next = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true (or 1): also return the next item to study, from the whole queue or "
        "from `set`, `topic` or `passage`, so that one request answers and fetches.",
    )
    ahead = serializers.BooleanField(
        required=False,
        default=False,
        help_text="With `next`: the next item as GET /study/queue/?ahead=1 gives it (cards not "
        "yet due when nothing else is left).",
    )


class ProgressQuerySerializer(serializers.Serializer):
    set = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Only this set."
    )
    topic = serializers.SlugField(required=False, help_text="Only this topic (its slug).")
    user = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="A student of one of your classes (teachers); yourself when left out.",
    )


class ByStateSerializer(serializers.Serializer):
    new = serializers.IntegerField()
    learning = serializers.IntegerField()
    review = serializers.IntegerField()
    relearning = serializers.IntegerField()


class ForecastDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    due = serializers.IntegerField()


class PassageProgressSerializer(serializers.Serializer):
    passage_id = serializers.IntegerField()
    position = serializers.IntegerField()
    heading = serializers.CharField(allow_blank=True)
    questions = serializers.IntegerField()
    studied = serializers.IntegerField()
    mastered = serializers.IntegerField()
    mean_retrievability = serializers.FloatField(allow_null=True)
    known_share = serializers.FloatField()


class ProgressSerializer(serializers.Serializer):
    """Progress as the engine computes it (questions.selectors.progress)."""

    user = serializers.IntegerField()
    set = serializers.IntegerField(allow_null=True)
    topic = serializers.CharField(allow_null=True)
    questions = serializers.IntegerField()
    by_state = ByStateSerializer()
    due_now = serializers.IntegerField()
    due_today = serializers.IntegerField()
    due_this_week = serializers.IntegerField()
    forecast = ForecastDaySerializer(
        many=True, help_text="Reviews due on each of the next 30 days."
    )
    reviews = serializers.IntegerField()
    retention_reviews = serializers.IntegerField()
    true_retention = serializers.FloatField(
        allow_null=True, help_text="Share of scheduled reviews of review cards that passed."
    )
    mean_retrievability = serializers.FloatField(allow_null=True)
    mastered = serializers.IntegerField()
    mastered_share = serializers.FloatField()
    streak_days = serializers.IntegerField()
    studied_today = serializers.BooleanField()
    time_studied_ms = serializers.IntegerField()
    time_studied_today_ms = serializers.IntegerField()
    passages = PassageProgressSerializer(many=True)
