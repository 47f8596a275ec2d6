from pathlib import Path

import pytest

from questions.formats.gift import read_gift
from questions.formats.gift_export import write_gift
from questions.formats.spec import AnswerSpec, ImportRefused, QuestionSpec, SetSpec
from questions.models import Question, QuestionKind, QuestionSet
from questions.services.set_export import export_set, set_spec
from questions.services.set_import import import_file
from tests.factories import TeacherFactory, question_of_kind
from tests.formats.conftest import set_rows


def read(text: str):
    return read_gift(text.encode("utf-8"), filename="quiz.gift")


def only_question(text: str):
    spec = read(text)
    assert len(spec.questions) == 1
    return spec.questions[0]


def answers_of(question) -> list[tuple]:
    return [(a.text, a.is_correct, a.fraction, a.feedback) for a in question.answers]


def test_multiple_choice_with_weights_and_feedback():
    question = only_question(
        "Who led the U.S. side? {=Harriman#Yes. ~%50%Clifford#Half. ~Kissinger#Later.}"
    )

    assert question.kind == QuestionKind.MULTIPLE_CHOICE
    assert question.prompt == "Who led the U.S. side?"
    assert answers_of(question) == [
        ("Harriman", True, 1.0, "Yes."),
        ("Clifford", False, 0.5, "Half."),
        ("Kissinger", False, 0.0, "Later."),
    ]


def test_multiple_answers_without_an_equals_sign_mark_every_positive_weight_right():
    question = only_question("Which sat at the table? {~%50%Hanoi ~%50%Saigon ~%-100%Moscow}")

    assert answers_of(question) == [
        ("Hanoi", True, 0.5, ""),
        ("Saigon", True, 0.5, ""),
        ("Moscow", False, -1.0, ""),
    ]


@pytest.mark.parametrize(
    ("block", "right", "true_feedback", "false_feedback"),
    [
        ("Talks began in 1968.{T}", "True", "", ""),
        ("Talks began in 1968.{TRUE#Check the date.#Yes, May 1968.}", "True", "Yes, May 1968.",
         "Check the date."),
        ("Talks began in London.{FALSE#No, in Paris.#Right, Paris.}", "False", "No, in Paris.",
         "Right, Paris."),
        ("Talks began in London.{F}", "False", "", ""),
    ],
)  # fmt: skip
def test_true_false_with_both_feedbacks(block, right, true_feedback, false_feedback):
    question = only_question(block)

    assert question.kind == QuestionKind.TRUE_FALSE
    by_text = {a.text: a for a in question.answers}
    assert [a.text for a in question.answers if a.is_correct] == [right]
    assert (by_text["True"].feedback, by_text["False"].feedback) == (true_feedback, false_feedback)


def test_lower_case_true_is_a_short_answer_as_in_moodle():
    assert only_question("Say yes.{true}").kind == QuestionKind.SHORT_ANSWER


def test_short_answer_with_several_answers_and_partial_credit():
    question = only_question(
        "Who led the U.S. side? {=Harriman =Averell Harriman =%50%Averell#Surname?}"
    )

    assert question.kind == QuestionKind.SHORT_ANSWER
    assert answers_of(question) == [
        ("Harriman", True, 1.0, ""),
        ("Averell Harriman", True, 1.0, ""),
        ("Averell", True, 0.5, "Surname?"),
    ]


@pytest.mark.parametrize(
    ("answer_block", "values"),
    [
        ("{#1968}", [(1968.0, 0.0, 1.0)]),
        ("{#1968:2}", [(1968.0, 2.0, 1.0)]),
        ("{#1966..1970}", [(1968.0, 2.0, 1.0)]),
        ("{#3.141..3.142}", [(3.1415, 0.0005, 1.0)]),
        ("{#=1968:0 =%50%1968:1}", [(1968.0, 0.0, 1.0), (1968.0, 1.0, 0.5)]),
        ("{#\n=1968:0 #Exactly.\n=%25%1960..1976 #Roughly.\n}", [(1968.0, 0.0, 1.0), (1968.0, 8.0, 0.25)]),
        ("{#-5..5}", [(0.0, 5.0, 1.0)]),
    ],
)  # fmt: skip
def test_numerical_with_tolerance_ranges_and_several_answers(answer_block, values):
    question = only_question(f"When did the talks begin? {answer_block}")

    assert question.kind == QuestionKind.NUMERICAL
    assert [(a.number, a.tolerance, a.fraction) for a in question.answers] == values


def test_numerical_feedback_for_any_other_number_is_kept_as_an_uncredited_catch_all():
    spec = read("Year? {#=1968 ~#Look at the first line.}")

    answers = spec.questions[0].answers
    assert [(a.text, a.number, a.fraction, a.feedback) for a in answers] == [
        ("1968", 1968.0, 1.0, ""),
        ("*", None, 0.0, "Look at the first line."),
    ]
    assert spec.warnings == []


def test_a_matching_right_side_without_a_left_is_kept_as_a_distractor():
    question = only_question(
        "Match. {\n=Harriman -> Negotiator\n=Johnson -> President\n= -> Chat\n}"
    )

    assert [(a.text, a.match_text, a.is_correct) for a in question.answers] == [
        ("Harriman", "Negotiator", True),
        ("Johnson", "President", True),
        ("", "Chat", False),
    ]


def test_matching_pairs():
    question = only_question(
        "Match each man to his role. {\n=Harriman -> Negotiator\n=Clifford -> Defense\n"
        "=Johnson -> President\n}"
    )

    assert question.kind == QuestionKind.MATCHING
    assert [(a.text, a.match_text) for a in question.answers] == [
        ("Harriman", "Negotiator"),
        ("Clifford", "Defense"),
        ("Johnson", "President"),
    ]


def test_missing_word_short_answer_becomes_a_cloze_question():
    question = only_question("The talks opened in {=Paris =Paris, France} in May 1968.")

    assert question.kind == QuestionKind.CLOZE
    assert question.prompt == "The talks opened in {{1}} in May 1968."
    assert [(a.text, a.gap) for a in question.answers] == [("Paris", 1), ("Paris, France", 1)]


def test_missing_word_multiple_choice_keeps_its_choices_with_a_blank():
    question = only_question("The talks opened in {~London =Paris ~Geneva} in May 1968.")

    assert question.kind == QuestionKind.MULTIPLE_CHOICE
    assert question.prompt == "The talks opened in _____ in May 1968."
    assert [a.text for a in question.answers if a.is_correct] == ["Paris"]


def test_title_comments_categories_and_general_feedback():
    spec = read(
        "// A comment line is ignored.\n"
        "$CATEGORY: $course$/top/Paris talks/Origins\n"
        "\n"
        "// [id:ppt-1] [tag:Negotiators]\n"
        "::Chief negotiator::Who led the U.S. side?{=Harriman ####He led it from May 1968.}\n"
    )

    question = spec.questions[0]
    assert question.title == "Chief negotiator"
    assert question.external_id == "ppt-1"
    assert question.explanation == "He led it from May 1968."
    assert question.topics == ["paris-talks-origins", "negotiators"]
    assert spec.topics == {
        "paris-talks-origins": "Paris talks › Origins",
        "negotiators": "Negotiators",
    }


@pytest.mark.parametrize(
    ("marker", "prompt", "kept"),
    [
        ("[html]", "Who led the <b>U.S.</b> side?", "Who led the <b>U.S.</b> side?"),
        ("[markdown]", "Who led the **U.S.** side?", "Who led the <strong>U.S.</strong> side?"),
        ("[plain]", "Who led the U.S. side?", "Who led the U.S. side?"),
        ("[moodle]", "Who led the U.S. side?", "Who led the U.S. side?"),
    ],
)
def test_text_formats_are_read_and_html_is_cleaned(marker, prompt, kept):
    question = only_question(
        f"{marker}{prompt}<script>alert(1)</script>{{=Harriman}}".replace(
            "<script>alert(1)</script>", "<script>alert(1)</script>" if marker == "[html]" else ""
        )
    )

    assert question.prompt == kept
    assert "script" not in question.prompt


def test_escaped_characters_keep_their_meaning_as_text():
    question = only_question(r"Escapes \: \# \= \{ \} \~ and a\nbreak {=a\=b\~c\#d\{e\}}")

    assert question.prompt == "Escapes : # = { } ~ and a\nbreak"
    assert question.answers[0].text == "a=b~c#d{e}"


def test_essay_and_description_are_left_out_with_a_warning():
    spec = read("Write about the talks. {}\n\nThis text only describes.\n\nWho? {=Harriman}")

    assert [q.prompt for q in spec.questions] == ["Who?"]
    assert len(spec.warnings) == 2
    assert "line 1: an essay" in spec.warnings[0]
    assert "line 3: a description" in spec.warnings[1]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Fine? {=yes}\n\nWho led\nthe U.S. side? {=Harriman ~Rusk", 4, "never closed"),
        ("Who? {~%abc%Harriman ~Rusk}", 1, "Bad weight"),
        ("Who? {~%150%Harriman ~Rusk}", 1, "Bad weight"),
        ("Year?\n{#19x8}", 2, "not a number"),
        ("Who? {=%50%Harriman ~Rusk}", 1, "~%50%Answer"),
        ("Match {=a -> b =c d}", 1, "has no '->'"),
    ],
)
def test_malformed_gift_is_refused_with_the_line(text, line, message):
    with pytest.raises(ImportRefused) as refused:
        read(text)

    assert refused.value.problems[0].line == line
    assert message in str(refused.value)


def test_non_utf8_file_is_refused_with_a_clear_message():
    content = "Who? {=Harriman}\n\nCaf\u00e9? {=oui}".encode("latin-1")

    with pytest.raises(ImportRefused) as refused:
        read_gift(content, filename="quiz.gift")

    assert "not UTF-8" in str(refused.value)
    assert refused.value.problems[0].line == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Fine? {=yes}\n\nWho? {=Harriman ~Rusk", 3, "never closed"),
        ("Fine? {=yes}\n\n\nWho? {~Harriman ~Rusk}", 4, "at least one right choice"),
        ("Fine? {=yes}\n\nWho? {~%5o%Harriman =Rusk}", 3, "Bad weight"),
        ("Fine? {=yes}\n\nCaf\u00e9? {=oui}", 3, "not UTF-8"),
    ],
)
def test_malformed_file_imports_nothing(text, line, message):
    teacher = TeacherFactory()
    encoding = "latin-1" if "UTF-8" in message else "utf-8"

    with pytest.raises(ImportRefused) as refused:
        import_file(content=text.encode(encoding), filename="bad.gift", format=None, owner=teacher)

    assert refused.value.problems[0].line == line
    assert message in str(refused.value)
    assert not QuestionSet.objects.exists()
    assert not Question.objects.exists()


def test_export_is_read_back_to_the_same_questions(set_of_every_kind):
    spec = set_spec(set_of_every_kind)
    for question in spec.questions:
        question.passage = None
    spec.source = None
    spec.questions.append(one_gap_cloze())

    written = write_gift(spec)
    again = read_gift(written.content, filename="every.gift")

    kept = [q for q in spec.questions if q.external_id not in ("q-ordering", "q-cloze")]
    for question in again.questions:
        question.line = None
    assert again.questions == kept
    assert again.title == spec.title
    assert again.external_id == spec.external_id
    assert written.warnings == [
        "Question q-cloze: GIFT holds one gap per question; this cloze has several and was left "
        "out. Export the set as Moodle XML to keep it (as Moodle's embedded answers).",
        "Question q-ordering: GIFT has no ordering questions; it was left out. Export the set as "
        "Moodle XML to keep it (as Moodle's ordering question).",
    ]


def one_gap_cloze(prompt: str = "Talks began in {{1}}.") -> QuestionSpec:
    return QuestionSpec(
        kind=QuestionKind.CLOZE,
        prompt=prompt,
        answers=[
            AnswerSpec(text="Paris", gap=1, is_correct=True, fraction=1),
            AnswerSpec(
                text="Paris, France",
                gap=1,
                is_correct=True,
                fraction=0.5,
                feedback="Just the city.",
            ),
        ],
        external_id=f"cloze-{len(prompt)}",
    )


@pytest.mark.parametrize(
    "prompt", ["Talks began in {{1}}.", "{{1}} hosted the talks", "Talks began in {{1}}"]
)
def test_one_gap_cloze_round_trips_wherever_its_gap_is(prompt):
    spec = SetSpec(title="Cloze", questions=[one_gap_cloze(prompt)])

    again = read_gift(write_gift(spec).content, filename="c.gift").questions[0]

    again.line = None
    assert again == spec.questions[0]


def test_round_trip_through_the_database_keeps_every_question_gift_can_hold(set_of_every_kind):
    set_of_every_kind.questions.filter(
        kind__in=[QuestionKind.ORDERING, QuestionKind.CLOZE]
    ).delete()
    question_of_kind(
        QuestionKind.CLOZE,
        question_set=set_of_every_kind,
        prompt="Talks began in {{1}} in May.",
        answers=[{"text": "Paris", "gap": 1, "is_correct": True, "fraction": 1}],
        position=99,
    )
    exported = export_set(question_set=set_of_every_kind, format="gift")
    other = TeacherFactory()

    copy = import_file(
        content=exported.content, filename="every.gift", format="gift", owner=other
    ).question_set

    expected = [(*row[:4], None, *row[5:]) for row in set_rows(set_of_every_kind)]
    assert set_rows(copy) == expected
    assert exported.warnings[0].startswith("GIFT has no place for the source")


def test_importing_the_same_file_twice_creates_no_duplicates(db):
    teacher = TeacherFactory()
    content = b"Who? {=Harriman}\n\nWhere? {~London =Paris}\n"

    first = import_file(content=content, filename="q.gift", format=None, owner=teacher)
    second = import_file(content=content, filename="q.gift", format=None, owner=teacher)

    assert second.question_set == first.question_set
    assert (second.created_questions, second.unchanged_questions) == (0, 2)
    assert Question.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Who?\n{\n=Harriman\n~%5o%Rusk\n~Clifford\n}", 4),
        ("Year? {#\n=1968:0\n=%50%19x8:2\n}", 3),
        ("Match {\n=a -> b\n=c d\n=e -> f\n}", 3),
    ],
)
def test_an_error_in_a_long_answer_block_names_the_line_of_the_answer(text, line):
    with pytest.raises(ImportRefused) as refused:
        read(text)

    assert refused.value.problems[0].line == line


def test_a_category_line_without_a_blank_line_after_it_warns():
    spec = read("$CATEGORY: Origins\nWho? {=Harriman}\n\nWhere? {=Paris}")

    assert [q.topics for q in spec.questions] == [["origins"]]
    assert "must be followed by a blank line" in spec.warnings[0]


def test_export_keeps_braces_and_other_control_characters_in_feedback(db):
    content = (Path(__file__).parent / "moodle" / "gift" / "examples.txt").read_bytes()
    spec = read_gift(content, filename="examples.txt")

    written = write_gift(spec)

    again = read_gift(written.content, filename="examples.txt")
    control = next(q for q in again.questions if q.title == "GIFT Control Characters")
    assert [a.feedback for a in control.answers][:5] == [
        "~ is a control character.",
        "= is a control character.",
        "# is a control character.",
        "{ is a control character.",
        "} is a control character.",
    ]


@pytest.mark.parametrize("guid", ["IPIn]+uZ<~", "a\\]b", "[x]", "ends\\", "{#}=~:"])
def test_an_id_with_brackets_or_backslashes_reads_back_the_same(guid):
    spec = SetSpec(
        title="Ids",
        questions=[
            QuestionSpec(
                kind=QuestionKind.SHORT_ANSWER,
                prompt="Who?",
                answers=[AnswerSpec(text="Harriman", is_correct=True, fraction=1)],
                external_id=f"anki:{guid}",
                topics=["a-b"],
            )
        ],
        topics={"a-b": "A ] B"},
    )

    again = read_gift(write_gift(spec).content, filename="ids.gift")

    assert again.questions[0].external_id == f"anki:{guid}"
    assert again.topics == {"a-b": "A ] B"}


def test_moodles_escaped_bracket_in_an_id_comment_is_read():
    spec = read("// [id:i\\]d] [tag:t\\]ag]\nWho? {=Harriman}")

    assert spec.questions[0].external_id == "i]d"
    assert spec.topics == {"tag": "t]ag"}
