"""Moodle's own GIFT and XML fixtures (tests/formats/moodle/, GPL-3.0-or-later, see its README)
read as Moodle's PHPUnit tests say they read, and round trips through both formats exact.

Deliberate differences from Moodle, kept out of the assertions: essays and descriptions are
left out with a warning (nothing to study); a short-answer missing word is a cloze question;
a true repeat within a file (identical in everything) is imported once, with a warning.
"""

from pathlib import Path

import pytest

from questions.formats.gift import read_gift
from questions.formats.moodle_xml import read_moodle_xml
from questions.formats.spec import ImportRefused
from questions.models import QuestionKind
from questions.services.set_export import export_set
from questions.services.set_import import import_file
from tests.factories import TeacherFactory
from tests.formats.conftest import set_rows

FIXTURES = Path(__file__).parent / "moodle"
GIFT_FIXTURES = ["examples.txt", "questions.gift.txt", "questions_in_category.gift.txt"]
XML_FIXTURES = [
    "categories_reverse_order.xml",
    "html_chars_in_idnumbers.xml",
    "multianswer.xml",
    "nested_categories_with_questions.xml",
    "old_format_file.xml",
    "sample_questions_with_old_image_tag.xml",
]
REFUSED_XML = ["broken_cloze_questions.xml", "error_invalid_grades.xml"]


def gift(name: str):
    return read_gift((FIXTURES / "gift" / name).read_bytes(), filename=name)


def xml(name: str):
    return read_moodle_xml((FIXTURES / "xml" / name).read_bytes(), filename=name)


def by_title(spec, title: str):
    (question,) = [q for q in spec.questions if q.title == title]
    return question


def keys(question) -> list[tuple]:
    return [(a.text, a.fraction, a.feedback) for a in question.answers]


# giftformat_test.php, on the same questions as fixtures/questions.gift.txt


def test_moodle_activities_match_keeps_every_text_format_and_the_chat_distractor():
    question = by_title(gift("questions.gift.txt"), "Moodle activities")

    assert question.kind == QuestionKind.MATCHING
    assert question.prompt == "Match the <b>activity</b> to the description."
    assert [(a.text, a.match_text, a.is_correct) for a in question.answers] == [
        ("An activity supporting asynchronous discussions.", "Forum", True),
        ("A teacher asks a question and specifies a choice of multiple responses.", "Choice", True),
        ("A bank of record entries which participants can add to.", "Database", True),
        ("A collection of web pages that anyone can add to or edit.", "Wiki", True),
        ("", "Chat", False),
    ]


def test_q2_is_single_answer_multiple_choice_with_feedback_per_choice():
    question = by_title(gift("questions.gift.txt"), "Q2")

    assert question.kind == QuestionKind.MULTIPLE_CHOICE
    assert question.prompt == "What's between orange and green in the spectrum?"
    assert keys(question) == [
        ("yellow", 1.0, "right; good!"),
        ("red", 0.0, "wrong, it's yellow"),
        ("blue", 0.0, "wrong, it's yellow"),
    ]
    assert [a.is_correct for a in question.answers] == [True, False, False]


def test_colours_is_multiple_answer_with_negative_weights():
    question = by_title(gift("questions.gift.txt"), "colours")

    assert keys(question) == [
        ("yellow", 0.5, "right; good!"),
        ("red", -1.0, "wrong"),
        ("off-beige", 0.5, "right; good!"),
        ("blue", -1.0, "wrong"),
    ]
    assert [a.is_correct for a in question.answers] == [True, False, True, False]


def test_q5_numerical_range_keeps_its_tolerance_and_any_other_answer_feedback():
    question = by_title(gift("questions.gift.txt"), "Q5")

    assert question.kind == QuestionKind.NUMERICAL
    assert question.prompt.startswith("What is a number from 1 to 5?")
    assert [
        (a.text, a.number, a.tolerance or 0, a.fraction, a.feedback) for a in question.answers
    ] == [
        ("3", 3.0, 2.0, 1.0, ""),
        ("*", None, 0, 0.0, "Completely wrong"),
    ]


def test_shortanswer_keeps_partial_credit_and_the_wildcard_answer():
    question = by_title(gift("questions.gift.txt"), "Shortanswer")

    assert question.kind == QuestionKind.SHORT_ANSWER
    assert question.prompt == "Which is the best animal?"
    assert keys(question) == [
        ("Frog", 1.0, "Good!"),
        ("Cat", 0.5, "What is it with Moodlers and cats?"),
        ("*", 0.0, "Completely wrong"),
    ]


def test_q1_true_false_has_both_feedbacks_and_general_feedback():
    question = by_title(gift("questions.gift.txt"), "Q1")

    assert question.kind == QuestionKind.TRUE_FALSE
    assert question.prompt.startswith("42 is the Absolute Answer to everything.")
    # Moodle: correctanswer 0, feedbacktrue (shown on answering true) and feedbackfalse.
    assert [(a.text, a.is_correct, a.feedback) for a in question.answers] == [
        ("True", False, "42 is the Ultimate Answer."),
        ("False", True, "You gave the right answer."),
    ]
    assert (
        question.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )


def test_t_and_true_are_the_same_answer_and_the_essay_is_left_out():
    spec = gift("questions.gift.txt")

    tsl = [q for q in spec.questions if q.title == "2-08 TSL"]
    assert [[a.is_correct for a in q.answers] for q in tsl] == [[True, False], [True, False]]
    assert "essay" in spec.warnings[0]
    assert len(spec.questions) == 8


def test_questions_in_category_belong_to_its_topic_and_keep_italics_and_links():
    spec = gift("questions_in_category.gift.txt")

    assert spec.topics == {"default-for-new-features": "Default for New Features"}
    assert [q.title for q in spec.questions] == [
        "Moodle activities",
        "Greeting",
        "Moodle user",
        "Moodle acronym",
    ]
    assert all(q.topics == ["default-for-new-features"] for q in spec.questions)
    greeting = by_title(spec, "Greeting")
    assert greeting.prompt.startswith(
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3" rel="noopener noreferrer">'
        "Listen to this greeting:</a>"
    )
    assert [a.text for a in greeting.answers if a.is_correct] == ["French"]
    assert (
        "<em>Modular Object-Oriented Dynamic Learning Environment</em>"
        in by_title(spec, "Moodle acronym").prompt
    )
    assert keys(by_title(spec, "Moodle user")) == [("Moodler", 1.0, "")]


# examples.txt: every example, none merged into another


def test_examples_read_43_questions_of_moodles_types():
    spec = gift("examples.txt")

    kinds = [q.kind for q in spec.questions]
    assert len(kinds) == 43
    assert spec.warnings == []
    assert {kind: kinds.count(kind) for kind in set(kinds)} == {
        QuestionKind.MULTIPLE_CHOICE: 18,
        QuestionKind.TRUE_FALSE: 5,
        QuestionKind.SHORT_ANSWER: 7,
        QuestionKind.CLOZE: 2,
        QuestionKind.NUMERICAL: 8,
        QuestionKind.MATCHING: 3,
    }


@pytest.mark.django_db
def test_examples_import_every_distinct_question_and_report_only_true_repeats():
    content = (FIXTURES / "gift" / "examples.txt").read_bytes()

    report = import_file(
        content=content, filename="examples.txt", format=None, owner=TeacherFactory()
    )

    # 43 questions; 9 are exact repeats of earlier ones: the class description, the
    # documentation and format.php give the same Grant's-tomb questions, {F} is {FALSE}, and
    # pi as 3.141..3.142 is pi as 3.1415:0.0005 (Moodle stores both so).
    assert report.created_questions == 34
    assert sum("the same question as an earlier one" in w for w in report.warnings) == 9
    questions = list(report.question_set.questions.all())
    numericals = [q for q in questions if q.kind == QuestionKind.NUMERICAL]
    grant = [
        sorted((a.number, a.tolerance, a.fraction) for a in q.answers.all())
        for q in numericals
        if "Grant born" in q.prompt
    ]
    assert sorted(grant) == sorted(
        [
            [(1822.0, 1.0, 1.0)],
            [(1822.0, 0.0, 1.0)],
            [(1822.0, 5.0, 1.0)],
            [(1822.0, 0.0, 1.0), (1822.0, 2.0, 0.5)],
            [(1822.0, 0.0, 1.0), (1822.0, 2.0, 0.5)],  # the same, with feedback
        ]
    )
    tomb_false = [
        [a.feedback for a in q.answers.all()]
        for q in questions
        if q.kind == QuestionKind.TRUE_FALSE and q.prompt == "Grant is buried in Grant's tomb."
    ]
    assert sorted(tomb_false) == [["", ""], ["No one is buried in Grant's tomb.", ""]]
    entombed = [
        [a.fraction for a in q.answers.all()]
        for q in questions
        if q.prompt == "What two people are entombed in Grant's tomb?"
    ]
    assert sorted(entombed) == [[-0.5, 0.5, 0.5, -0.5], [0.0, 0.5, 0.5, 0.0]]


def test_examples_markdown_is_rendered_and_escapes_are_read():
    spec = gift("examples.txt")

    prompts = [q.prompt for q in spec.questions]
    assert "Who's buried in <strong>Grant's tomb</strong>?" in prompts
    control = by_title(spec, "GIFT Control Characters")
    assert [a.text for a in control.answers] == ["~", "=", "#", "{", "}", "\\"]
    assert control.answers[3].feedback == "{ is a control character."


# xmlformat_test.php and qformat_xml_import_export_test.php


def test_nested_categories_become_nested_topics():
    spec = xml("nested_categories_with_questions.xml")

    assert spec.topics == {
        "iota": "Iota",
        "iota-kappa": "Iota › Kappa",
        "iota-kappa-lambda": "Iota › Kappa › Lambda",
        "iota-mu": "Iota › Mu",
    }
    assert [(q.title, q.topics) for q in spec.questions] == [
        ("Iota Question", ["iota"]),
        ("Kappa Question", ["iota-kappa"]),
        ("Lambda Question", ["iota-kappa-lambda"]),
        ("Mu Question", ["iota-mu"]),
    ]
    assert "'essay'" in spec.warnings[0]


@pytest.mark.parametrize(
    ("name", "topics"),
    [
        ("old_format_file.xml", {"pi": "Pi", "pi-rho": "Pi › Rho"}),
        ("categories_reverse_order.xml", {"sigma-tau": "Sigma › Tau", "sigma": "Sigma"}),
    ],
)
def test_category_paths_in_any_order_name_their_parents(name, topics):
    assert xml(name).topics == topics


def test_shortanswer_of_a_reversed_category_keeps_its_answers():
    question = xml("categories_reverse_order.xml").questions[0]

    assert (question.kind, question.title, question.topics) == (
        QuestionKind.SHORT_ANSWER,
        "Sigma Question",
        ["sigma"],
    )
    assert keys(question) == [("yes", 1.0, ""), ("no", 0.0, ""), ("may be", 0.0, "")]


def test_html_characters_in_an_idnumber_are_kept():
    question = xml("html_chars_in_idnumbers.xml").questions[0]

    assert question.external_id == "T & F"
    assert [(a.text, a.is_correct) for a in question.answers] == [("True", True), ("False", False)]


def test_multianswer_keeps_its_five_gaps_feedback_and_images():
    spec = xml("multianswer.xml")

    (cloze,) = spec.questions
    assert cloze.kind == QuestionKind.CLOZE
    assert [cloze.prompt.count(f"{{{{{gap}}}}}") for gap in range(1, 6)] == [1, 1, 1, 1, 1]
    right = [(a.gap, a.text, a.fraction, a.feedback) for a in cloze.answers if a.is_correct]
    assert right[:4] == [
        (1, "California", 1.0, "OK"),
        (2, "Arizona", 1.0, "OK"),
        (3, "California", 1.0, "OK"),
        (4, "Arizona", 1.0, "OK"),
    ]
    assert right[4:] == [
        (5, "Paris", 1.0, "Congratulations!"),
        (5, "Marseille", 0.5, "No, that is the second largest city in France (after<br>Paris)."),
    ]
    assert sorted(spec.media) == ["arizona_2.png", "california-state-flag.png", "moodle.png"]
    assert '<img src="moodle.png" alt="Moodle logo"' in cloze.explanation


def test_the_moodle_19_image_field_is_imported_into_the_question():
    spec = xml("sample_questions_with_old_image_tag.xml")

    assert [q.kind for q in spec.questions] == [QuestionKind.CLOZE, QuestionKind.MULTIPLE_CHOICE]
    assert all(q.prompt.endswith('<img src="moodle.png" alt="">') for q in spec.questions)
    assert spec.media["moodle.png"].startswith(b"\x89PNG")
    assert keys(spec.questions[1]) == [
        ("wrong answer", 0.0, ""),
        ("another wrong answer", 0.0, ""),
        ("right answer", 1.0, ""),
    ]


def test_invalid_grades_are_refused_as_moodle_refuses_them():
    with pytest.raises(ImportRefused) as refused:
        xml("error_invalid_grades.xml")

    (problem,) = refused.value.problems
    assert problem.line == 4
    assert "0.33 " in problem.message
    assert "Moodle" in problem.message


def test_broken_cloze_questions_are_refused_each_with_moodles_reason():
    with pytest.raises(ImportRefused) as refused:
        xml("broken_cloze_questions.xml")

    messages = [(p.line, p.message.split(":")[0]) for p in refused.value.problems]
    assert [line for line, _ in messages] == [4, 20, 36, 52, 68]
    text = str(refused.value)
    assert text.count("at least one embedded answer") == 2
    assert "needs at least 2 of them" in text
    assert "must have a score of 100%" in text
    assert "'zero' is not a number" in text


# Round trips: import, export, import again gives the same questions.


def _round_trip(content: bytes, filename: str, file_format: str):
    """Import, export, import again; `again` is None when the export holds no question (a
    file of nothing GIFT can hold), which an import refuses."""
    first = import_file(content=content, filename=filename, format=None, owner=TeacherFactory())
    exported = export_set(question_set=first.question_set, format=file_format)
    if len(first.question_set.questions.all()) == sum(
        "Export the set as Moodle XML" in warning for warning in exported.warnings
    ):
        return first, exported, None
    again = import_file(
        content=exported.content,
        filename=f"again.{'gift' if file_format == 'gift' else 'xml'}",
        format=file_format,
        owner=TeacherFactory(),
    )
    return first, exported, again


def _fixture_files():
    return [("gift", name) for name in GIFT_FIXTURES] + [("xml", name) for name in XML_FIXTURES]


@pytest.mark.django_db
@pytest.mark.parametrize(("folder", "name"), _fixture_files())
def test_every_fixture_round_trips_exactly_through_moodle_xml(folder, name):
    content = (FIXTURES / folder / name).read_bytes()

    first, exported, again = _round_trip(content, name, "moodle_xml")

    assert set_rows(again.question_set) == set_rows(first.question_set)
    assert again.created_questions == first.created_questions
    assert exported.warnings == []


@pytest.mark.django_db
@pytest.mark.parametrize(("folder", "name"), _fixture_files())
def test_every_fixture_round_trips_through_gift_except_what_gift_cannot_hold(folder, name):
    content = (FIXTURES / folder / name).read_bytes()

    first, exported, again = _round_trip(content, name, "gift")

    kept = [
        row
        for row, question in zip(
            set_rows(first.question_set), first.question_set.questions.all(), strict=True
        )
        if not (question.kind == QuestionKind.CLOZE and question.answers.filter(gap=2).exists())
    ]
    left_out = len(set_rows(first.question_set)) - len(kept)
    assert (set_rows(again.question_set) if again else []) == kept
    assert sum("Export the set as Moodle XML" in w for w in exported.warnings) == left_out
