import base64

import pytest
from django.core.files.storage import default_storage

from questions.formats.moodle_xml import read_moodle_xml
from questions.formats.moodle_xml_export import write_moodle_xml
from questions.formats.spec import AnswerSpec, ImportRefused, QuestionSpec, SetSpec
from questions.models import Question, QuestionKind
from questions.services.set_export import export_set, set_spec
from questions.services.set_import import import_file
from tests.factories import TeacherFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def quiz(*questions: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"
    ).encode()


def question(qtype: str, body: str, text: str = "Question?", name: str = "Name") -> str:
    return f"""<question type="{qtype}">
  <name><text>{name}</text></name>
  <questiontext format="html"><text><![CDATA[<p>{text}</p>]]></text></questiontext>
  <generalfeedback format="html"><text>General.</text></generalfeedback>
  {body}
</question>"""


def answer(fraction: float, text: str, feedback: str = "", extra: str = "") -> str:
    return (
        f'<answer fraction="{fraction}" format="html"><text><![CDATA[{text}]]></text>'
        f"<feedback><text>{feedback}</text></feedback>{extra}</answer>"
    )


def read(*questions: str):
    return read_moodle_xml(quiz(*questions), filename="bank.xml")


def test_multichoice_single_and_multiple():
    spec = read(
        question(
            "multichoice",
            "<single>true</single>" + answer(100, "<p>Harriman</p>", "Yes.") + answer(0, "Rusk"),
        ),
        question(
            "multichoice",
            "<single>false</single>" + answer(50, "Hanoi") + answer(50, "Saigon")
            + answer(-100, "Moscow"),
        ),
    )  # fmt: skip

    single, multiple = spec.questions
    assert single.kind == multiple.kind == QuestionKind.MULTIPLE_CHOICE
    assert (single.prompt, single.title, single.explanation) == ("Question?", "Name", "General.")
    assert [(a.text, a.is_correct, a.feedback) for a in single.answers] == [
        ("Harriman", True, "Yes."),
        ("Rusk", False, ""),
    ]
    assert [(a.text, a.is_correct, a.fraction) for a in multiple.answers] == [
        ("Hanoi", True, 0.5),
        ("Saigon", True, 0.5),
        ("Moscow", False, -1.0),
    ]


def test_truefalse_keeps_both_feedbacks():
    spec = read(question("truefalse", answer(0, "true", "No.") + answer(100, "false", "Right.")))

    assert [(a.text, a.is_correct, a.feedback) for a in spec.questions[0].answers] == [
        ("True", False, "No."),
        ("False", True, "Right."),
    ]


def test_shortanswer_answers_are_plain_text():
    spec = read(question("shortanswer", answer(100, "Harriman") + answer(50, "<b>Averell</b>")))

    assert [(a.text, a.fraction) for a in spec.questions[0].answers] == [
        ("Harriman", 1.0),
        ("Averell", 0.5),
    ]


def test_numerical_with_tolerances_keeps_the_any_other_answer_for_its_feedback():
    spec = read(
        question(
            "numerical",
            answer(100, "1968", extra="<tolerance>0</tolerance>")
            + answer(50, "1968", "Close.", extra="<tolerance>1</tolerance>")
            + answer(0, "*", "Look again.", extra="<tolerance>0</tolerance>"),
        )
    )

    assert [(a.number, a.tolerance, a.fraction, a.feedback) for a in spec.questions[0].answers] == [
        (1968.0, 0.0, 1.0, ""),
        (1968.0, 1.0, 0.5, "Close."),
        (None, None, 0.0, "Look again."),
    ]


def test_matching_subquestions_become_pairs_and_a_right_side_alone_a_distractor():
    body = "".join(
        f'<subquestion format="html"><text><![CDATA[<p>{left}</p>]]></text>'
        f"<answer><text>{right}</text></answer></subquestion>"
        for left, right in [("Harriman", "Negotiator"), ("Clifford", "Defense"), ("", "Extra")]
    )

    spec = read(question("matching", body))

    assert [(a.text, a.match_text, a.is_correct) for a in spec.questions[0].answers] == [
        ("Harriman", "Negotiator", True),
        ("Clifford", "Defense", True),
        ("", "Extra", False),
    ]


def test_cloze_embedded_answers_become_gaps_and_drop_downs_choice_gaps():
    text = (
        "Talks began in {1:SHORTANSWER:=Paris#Yes~%50%France} in {2:NUMERICAL:=1968:0} "
        "and {3:MULTICHOICE:Rusk~=Harriman} led."
    )

    spec = read(question("cloze", "", text=text))

    cloze = spec.questions[0]
    assert cloze.kind == QuestionKind.CLOZE
    assert cloze.prompt == "Talks began in {{1}} in {{2}} and {{3}} led."
    assert [(a.gap, a.text, a.fraction, a.is_correct, a.is_choice) for a in cloze.answers] == [
        (1, "Paris", 1.0, True, False),
        (1, "France", 0.5, True, False),
        (2, "1968", 1.0, True, False),
        (3, "Rusk", 0.0, False, True),
        (3, "Harriman", 1.0, True, True),
    ]
    assert spec.warnings == []


def test_a_check_box_gap_is_kept_typed_with_a_warning():
    spec = read(question("cloze", "", text="Who? {1:MULTIRESPONSE:%50%Harriman~%50%Vance~Rusk}"))

    assert [(a.text, a.is_choice) for a in spec.questions[0].answers] == [
        ("Harriman", False),
        ("Vance", False),
    ]
    assert "check boxes" in spec.warnings[0]


def test_category_paths_become_nested_topics_and_other_types_are_skipped_with_a_warning():
    spec = read(
        '<question type="category"><category><text>$course$/top/Paris/Origins</text></category></question>',
        question("shortanswer", answer(100, "Harriman")),
        question("essay", ""),
    )

    assert spec.topics == {"paris-origins": "Paris › Origins"}
    assert spec.questions[0].topics == ["paris-origins"]
    assert "'essay'" in spec.warnings[0]


def test_html_is_cleaned_and_embedded_images_become_media(db):
    image = base64.b64encode(PNG).decode()
    body = answer(100, "Harriman")
    xml = question("shortanswer", body).replace(
        "<![CDATA[<p>Question?</p>]]></text>",
        '<![CDATA[<p onclick="x()">Who? <img src="@@PLUGINFILE@@/face.png"><script>x()</script></p>]]>'
        f'</text><file name="face.png" path="/" encoding="base64">{image}</file>',
    )

    report = import_file(
        content=quiz(xml), filename="bank.xml", format=None, owner=TeacherFactory()
    )

    prompt = report.question_set.questions.get().prompt
    assert "script" not in prompt
    assert "onclick" not in prompt
    stored = prompt.split('src="')[1].split('"')[0]
    assert stored.startswith("/media/imports/")
    assert stored.endswith(".png")
    with default_storage.open(stored.removeprefix("/media/"), "rb") as file:
        assert file.read() == PNG
    assert report.stored_media == 1


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"<quiz>\n<question type='shortanswer'>\n</quiz>", 3, "Not valid XML"),
        (b'<!DOCTYPE quiz [<!ENTITY a "b">]>\n<quiz/>', 1, "DOCTYPE"),
        (b"<questions/>", 1, "root element must be <quiz>"),
        (quiz(question("numerical", answer(100, "nineteen")).replace("<question", "\n<question")), 4,
         "not a number"),
    ],
)  # fmt: skip
def test_broken_xml_is_refused_with_the_line_and_nothing_saved(db, content, line, message):
    with pytest.raises(ImportRefused) as refused:
        import_file(content=content, filename="bad.xml", format=None, owner=TeacherFactory())

    assert refused.value.problems[0].line == line
    assert message in str(refused.value)
    assert not Question.objects.exists()


def test_export_reads_back_to_the_same_questions_ordering_too_and_flashcards_become_short_answers(
    set_of_every_kind,
):
    spec = set_spec(set_of_every_kind)
    spec.source = None
    for question in spec.questions:
        question.passage = None
        question.answers[0].text = question.answers[0].text.replace("Paris", 'Paris ~#}/"\\')
        if question.kind != QuestionKind.MATCHING:  # Moodle keeps no feedback per pair
            question.answers[0].feedback = "Right: <b>yes</b> ~#}"

    written = write_moodle_xml(spec)
    again = read_moodle_xml(written.content, filename="every.xml")

    expected = spec.questions
    expected[0].kind = QuestionKind.SHORT_ANSWER
    for question in again.questions:
        question.line = None
    assert [q.kind for q in again.questions] == [q.kind for q in expected]
    assert again.questions == expected
    assert again.topics == spec.topics
    assert written.warnings == [
        "Moodle has no flashcards: 1 were written as short-answer questions accepting the back.",
    ]


def test_export_carries_the_images_its_texts_show(db, tmp_path):
    from tests.formats.test_anki import PNG, build_apkg

    first = import_file(
        content=build_apkg(tmp_path), filename="d.apkg", format=None, owner=TeacherFactory()
    )

    exported = export_set(question_set=first.question_set, format="moodle_xml")

    spec = read_moodle_xml(exported.content, filename="d.xml")
    ((name, content),) = spec.media.items()
    assert content == PNG
    assert f'<img src="{name}">' in spec.questions[0].prompt


def test_importing_the_same_xml_twice_creates_no_duplicates(db):
    teacher = TeacherFactory()
    content = quiz(
        question("shortanswer", answer(100, "Harriman")),
        question("truefalse", answer(100, "true") + answer(0, "false"), text="Paris?"),
    )

    import_file(content=content, filename="bank.xml", format=None, owner=teacher)
    again = import_file(content=content, filename="bank.xml", format=None, owner=teacher)

    assert (again.created_questions, again.unchanged_questions) == (0, 2)
    assert Question.objects.count() == 2


def test_a_moodle_19_image_without_its_data_is_left_out_with_a_warning():
    xml = question("shortanswer", answer(100, "Harriman")).replace(
        "</questiontext>", "</questiontext><image>face.png</image>"
    )

    spec = read(xml)

    assert "<img" not in spec.questions[0].prompt
    assert spec.media == {}
    assert "'face.png' is not in the file" in spec.warnings[0]


def test_export_warns_of_credits_moodle_would_refuse():
    spec = SetSpec(
        title="Grades",
        questions=[
            QuestionSpec(
                kind=QuestionKind.MULTIPLE_CHOICE,
                prompt="Which?",
                answers=[
                    AnswerSpec(text="A", is_correct=True, fraction=1),
                    AnswerSpec(text="B", fraction=0.33),
                ],
                external_id="q-1",
            )
        ],
    )

    (warning,) = write_moodle_xml(spec).warnings

    assert warning.startswith("Question q-1: The grades 0.33 are not among those Moodle allows")
