import re

import pytest
from django.test import Client

from questions.models import Question, QuestionKind, QuestionSet, Source, Topic
from questions.services.versions import version_of

pytestmark = pytest.mark.django_db

TEACHER_PAGES = ["/teach/sets/", "/teach/sets/new/", "/teach/sets/import/", "/teach/sources/new/"]


@pytest.mark.parametrize("url", TEACHER_PAGES)
def test_a_student_may_not_open_teachers_pages(school, url):
    assert school.client("student").get(url).status_code == 403


@pytest.mark.parametrize("url", TEACHER_PAGES)
def test_a_teacher_opens_teachers_pages(school, url):
    assert school.client("teacher").get(url).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["", "edit/", "questions/new/", "questions/{question}/"],
)
def test_another_teacher_gets_a_404_for_a_set_that_is_not_theirs(school, path):
    question = school.questions[QuestionKind.FLASHCARD]
    url = f"/teach/sets/{school.question_set.pk}/" + path.format(question=question.pk)

    assert school.client("teacher").get(url).status_code == 200
    assert school.client("other_teacher").get(url).status_code == 404


def test_a_teacher_creates_a_set_with_a_source_and_new_topics(school):
    response = school.client("teacher").post(
        "/teach/sets/new/",
        {
            "title": "Diplomacy",
            "description": "",
            "visibility": "classes",
            "source": school.source.pk,
            "new_topics": "Negotiators, Dates",
            "desired_retention": "0.9",
            "new_order": "in_order",
            "daily_new_limit": "20",
            "daily_review_limit": "200",
        },
    )

    created = QuestionSet.objects.get(title="Diplomacy")
    assert response["Location"] == f"/teach/sets/{created.pk}/"
    assert created.owner == school.teacher
    assert created.source == school.source
    assert sorted(t.name for t in created.topics.all()) == ["Dates", "Negotiators"]


def test_a_set_form_error_keeps_what_was_typed(school):
    response = school.client("teacher").post(
        "/teach/sets/new/",
        {
            "title": "Kept title",
            "visibility": "private",
            "desired_retention": "1.7",
            "new_order": "in_order",
            "daily_new_limit": "20",
            "daily_review_limit": "200",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_desired_retention_error"' in html
    assert 'value="Kept title"' in html
    assert not QuestionSet.objects.filter(title="Kept title").exists()


def editor_data(kind: str, rows: list[dict], **fields) -> dict:
    data = {
        "kind": kind,
        "title": "",
        "prompt": fields.pop("prompt", "Who led the U.S. delegation?"),
        "explanation": "Passage 2 says so.",
        "answers-TOTAL_FORMS": str(len(rows)),
        "answers-INITIAL_FORMS": "0",
        "answers-MIN_NUM_FORMS": "0",
        "answers-MAX_NUM_FORMS": "40",
        **fields,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"answers-{index}-{name}"] = value
    return data


EDITOR_CASES = {
    QuestionKind.FLASHCARD: ([{"text": "Harriman"}], {}),
    QuestionKind.MULTIPLE_CHOICE: (
        [{"text": "Harriman", "is_correct": "on"}, {"text": "Kissinger"}, {"text": ""}],
        {},
    ),
    QuestionKind.TRUE_FALSE: ([], {"true_false_answer": "false"}),
    QuestionKind.SHORT_ANSWER: ([{"text": "Harriman"}, {"text": "Averell Harriman"}], {}),
    QuestionKind.NUMERICAL: ([{"number": "1968", "tolerance": "0"}], {}),
    QuestionKind.CLOZE: (
        [{"gap": "1", "text": "Paris"}, {"gap": "2", "text": "May 13"}],
        {"prompt": "Talks opened in {{1}} on {{2}}."},
    ),
    QuestionKind.MATCHING: (
        [
            {"text": "Harriman", "match_text": "U.S."},
            {"text": "Thuy", "match_text": "Hanoi"},
            {"text": "Ky", "match_text": "Saigon"},
        ],
        {},
    ),
    QuestionKind.ORDERING: ([{"text": "Tet"}, {"text": "Speech"}, {"text": "Talks"}], {}),
}


@pytest.mark.parametrize("kind", QuestionKind.values)
def test_a_teacher_creates_a_question_of_every_kind(school, kind):
    rows, fields = EDITOR_CASES[kind]
    topic = Topic.objects.create(slug="negotiators", name="Negotiators")
    data = editor_data(kind, rows, passage=school.passages[1].pk, topics=[topic.pk], **fields)

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/new/", data
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.filter(question_set=school.question_set).latest("id")
    assert question.kind == kind
    assert question.passage == school.passages[1]
    assert list(question.topics.all()) == [topic]
    assert question.position == max(q.position for q in school.questions.values()) + 1
    if kind == QuestionKind.TRUE_FALSE:
        assert question.answers.get(is_correct=True).text == "False"
    else:
        assert question.answers.count() == len([r for r in rows if any(r.values())])


def test_an_invalid_answer_key_is_shown_by_the_answers_and_nothing_typed_is_lost(school):
    data = editor_data(
        QuestionKind.MULTIPLE_CHOICE,
        [{"text": "Harriman"}, {"text": "Kissinger"}],
        passage=school.passages[0].pk,
        prompt="A question I typed",
    )

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/new/", data
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="answer-errors"' in html
    assert "at least one right choice" in html
    assert "A question I typed" in html
    assert 'value="Kissinger"' in html
    assert not Question.objects.filter(prompt="A question I typed").exists()


def test_a_question_of_a_set_with_a_source_needs_a_passage(school):
    data = editor_data(QuestionKind.FLASHCARD, [{"text": "Back"}], prompt="No passage")

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/new/", data
    )

    assert 'id="id_passage_error"' in response.content.decode()


def test_editing_a_question_replaces_its_answer_key(school):
    question = school.questions[QuestionKind.SHORT_ANSWER]
    data = editor_data(
        QuestionKind.SHORT_ANSWER,
        [{"text": "Clifford"}],
        passage=school.passages[0].pk,
        version=version_of(question),
    )

    school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/{question.pk}/", data
    )

    assert [a.text for a in question.answers.all()] == ["Clifford"]


def test_the_live_preview_shows_the_question_as_a_student_will_see_it_and_saves_nothing(school):
    before = Question.objects.count()
    data = editor_data(
        QuestionKind.MULTIPLE_CHOICE,
        [{"text": "Harriman", "is_correct": "on"}, {"text": "Kissinger"}],
        passage=school.passages[0].pk,
        explanation="SECRET EXPLANATION",
    )

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/preview/", data
    )

    html = response.content.decode()
    assert 'name="choice"' in html
    assert "Kissinger" in html
    assert "SECRET EXPLANATION" not in html
    assert Question.objects.count() == before


def test_the_preview_lists_what_is_missing(school):
    data = editor_data(QuestionKind.CLOZE, [], prompt="No gaps here", passage=school.passages[0].pk)

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/preview/", data
    )

    assert "gap" in response.context["problems"][0]


def test_changing_the_type_keeps_the_typed_answers(school):
    data = editor_data(QuestionKind.SHORT_ANSWER, [{"text": "Harriman"}])
    data["kind"] = QuestionKind.MULTIPLE_CHOICE

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/editor/", data
    )

    html = response.content.decode()
    assert 'value="Harriman"' in html
    assert 'name="answers-0-is_correct"' in html
    assert response.context["answers"].total_form_count() >= 2


def test_moving_a_question_up_swaps_it_with_the_one_above(school):
    ordered = list(school.question_set.questions.order_by("position"))

    school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/{ordered[1].pk}/move/",
        {"direction": "up"},
    )

    now_ordered = list(school.question_set.questions.order_by("position"))
    assert now_ordered[:2] == [ordered[1], ordered[0]]
    assert [q.position for q in now_ordered] == list(range(1, len(ordered) + 1))


def test_moving_an_archived_question_is_not_found(school):
    question = school.questions[QuestionKind.FLASHCARD]
    Question.objects.filter(pk=question.pk).update(archived_at=school.question_set.created_at)

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/{question.pk}/move/",
        {"direction": "up"},
    )

    assert response.status_code == 404


def test_another_teacher_cannot_move_or_delete_questions(school):
    question = school.questions[QuestionKind.FLASHCARD]
    base = f"/teach/sets/{school.question_set.pk}/questions/{question.pk}"
    client = school.client("other_teacher")

    assert client.post(f"{base}/move/", {"direction": "up"}).status_code == 404
    assert client.post(f"{base}/delete/").status_code == 404
    assert Question.objects.filter(pk=question.pk, archived_at__isnull=True).exists()


def test_deleting_an_unanswered_question_removes_it(school):
    question = school.questions[QuestionKind.FLASHCARD]

    school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/{question.pk}/delete/"
    )

    assert not Question.objects.filter(pk=question.pk).exists()


def test_teacher_writes_need_a_csrf_token(school):
    client = Client(enforce_csrf_checks=True)
    client.force_login(school.teacher)

    assert client.post("/teach/sets/new/", {"title": "x"}).status_code == 403


def test_pasting_a_text_creates_a_source_with_its_passages(school):
    text = "The Accords\n\nDate: 1973\n\nSigning\n\nThe accords were signed in Paris.\n\nThe war went on."

    response = school.client("teacher").post("/teach/sources/new/", {"text": text})

    source = Source.objects.get(title="The Accords")
    assert response["Location"] == f"/sources/{source.pk}/"
    assert source.period == "1973"
    assert [p.heading for p in source.passages.all()] == ["Signing", "Signing"]


def test_an_empty_source_text_is_refused_next_to_the_field(school):
    response = school.client("teacher").post("/teach/sources/new/", {"text": "   "})

    assert 'id="id_text_error"' in response.content.decode()


NATIVE_SET = b"""quizsite: 1
id: tiny-set
title: Tiny set
questions:
  - id: q1
    type: short_answer
    prompt: Who led the U.S. delegation?
    accept: [Harriman]
"""


def test_importing_a_file_creates_the_set_it_describes(school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tiny.yaml", NATIVE_SET, content_type="application/yaml")

    response = school.client("teacher").post("/teach/sets/import/", {"file": upload})

    created = QuestionSet.objects.get(title="Tiny set")
    assert response["Location"] == f"/teach/sets/{created.pk}/"
    assert created.owner == school.teacher
    assert created.questions.count() == 1


def test_a_dry_run_import_reports_and_saves_nothing(school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tiny.yaml", NATIVE_SET)

    response = school.client("teacher").post(
        "/teach/sets/import/", {"file": upload, "dry_run": "on"}
    )

    assert response.status_code == 200
    assert "Would import" in response.content.decode()
    assert not QuestionSet.objects.filter(title="Tiny set").exists()


def test_a_refused_import_lists_its_problems_and_saves_nothing(school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    broken = NATIVE_SET.replace(b"accept: [Harriman]", b"accept: []")
    upload = SimpleUploadedFile("tiny.yaml", broken)

    response = school.client("teacher").post("/teach/sets/import/", {"file": upload})

    assert response.status_code == 200
    assert response.context["problems"]
    assert 'id="id_file_error"' in response.content.decode()
    assert not QuestionSet.objects.filter(title="Tiny set").exists()


def test_the_editor_for_a_true_false_question_keeps_the_answer_rows_management_form(school):
    data = editor_data(QuestionKind.SHORT_ANSWER, [{"text": "Harriman"}])
    data["kind"] = QuestionKind.TRUE_FALSE

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/editor/", data
    )

    html = response.content.decode()
    assert 'name="answers-TOTAL_FORMS"' in html
    assert 'name="true_false_answer"' in html
    assert "errorlist" not in html


@pytest.mark.parametrize("url", [*TEACHER_PAGES, "/classes/"])
def test_an_anonymous_visitor_is_sent_to_log_in_from_teachers_pages(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_reordering_with_htmx_returns_the_updated_list(school):
    ordered = list(school.question_set.questions.order_by("position"))

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/{ordered[0].pk}/move/",
        {"direction": "down"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert list(response.context["questions"])[:2] == [ordered[1], ordered[0]]


def test_deleting_a_studied_set_archives_it(school):
    from tests.web.test_study import post_answer, right_answer_fields

    question = school.questions[QuestionKind.TRUE_FALSE]
    post_answer(school.client("student"), question, right_answer_fields(question))

    response = school.client("teacher").post(f"/teach/sets/{school.question_set.pk}/delete/")

    assert response["Location"] == "/teach/sets/"
    school.question_set.refresh_from_db()
    assert school.question_set.archived_at is not None
    assert school.client("teacher").get(f"/teach/sets/{school.question_set.pk}/").status_code == 404


def test_another_teacher_cannot_delete_a_set(school):
    response = school.client("other_teacher").post(f"/teach/sets/{school.question_set.pk}/delete/")

    assert response.status_code == 404
    assert QuestionSet.objects.filter(pk=school.question_set.pk, archived_at=None).exists()


def test_an_imported_html_prompt_is_listed_as_text_on_its_sets_page(school):
    question = school.questions[QuestionKind.SHORT_ANSWER]
    Question.objects.filter(pk=question.pk).update(
        title="", prompt="<p>Who led <b>the U.S.</b> delegation?<script>x()</script></p>"
    )

    page = school.client("teacher").get(f"/teach/sets/{school.question_set.pk}/").content.decode()

    assert "Who led the U.S. delegation?" in page
    assert "&lt;b&gt;" not in page
    assert "x()" not in page


@pytest.mark.parametrize(
    ("kind", "rows", "prompt", "typed", "verdict"),
    [
        (QuestionKind.SHORT_ANSWER, [{"text": "Nixon"}], "Who?", {"text": "Dixon"}, "Wrong"),
        (QuestionKind.SHORT_ANSWER, [{"text": "Harriman"}], "Who?", {"text": "Hariman"}, "Hard"),
        (QuestionKind.SHORT_ANSWER, [{"text": "Johnson"}], "Who?", {"text": "LBJ"}, "Wrong"),
        (
            QuestionKind.SHORT_ANSWER,
            [{"text": "Lyndon B. Johnson"}],
            "Who?",
            {"text": "L.B.J."},
            "Right",
        ),
        (
            QuestionKind.NUMERICAL,
            [{"number": "3"}],
            "How many days?",
            {"number": "3 days"},
            "Right",
        ),
        (
            QuestionKind.CLOZE,
            [{"text": "October 31", "gap": "1"}],
            "Halted on {{1}}.",
            {"gap_1": "31 Oct"},
            "Right",
        ),
    ],
)
def test_the_preview_grades_what_the_teacher_types_before_saving(
    school, kind, rows, prompt, typed, verdict
):
    before = Question.objects.count()
    data = editor_data(kind, rows, prompt=prompt, passage=school.passages[0].pk) | typed

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/preview/", data
    )

    html = response.content.decode()
    shown = re.search(r"data-preview-verdict[^>]*>\s*<strong>([^<]*)</strong>\s*— ([^<]*)<", html)
    assert shown, html
    assert verdict in shown[1]
    assert shown[2].strip() == response.context["tried"].verdict
    assert Question.objects.count() == before


def test_the_preview_grades_nothing_until_something_is_typed(school):
    data = editor_data(
        QuestionKind.SHORT_ANSWER, [{"text": "Nixon"}], passage=school.passages[0].pk
    )

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/preview/", data
    )

    assert response.context["tried"] is None
    assert "data-preview-verdict" not in response.content.decode()


def test_the_preview_of_a_fresh_form_shows_no_errors(school):
    """What "Save and add another" opens: a blank form whose preview is not a list of errors."""
    data = editor_data(QuestionKind.MULTIPLE_CHOICE, [{"text": ""}, {"text": ""}], prompt="")

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/preview/", data
    )

    assert response.context["problems"] == []
    assert "required" not in response.content.decode()
    assert "Type a question to see it here." in response.content.decode()


def test_save_and_add_another_opens_a_clean_form_of_the_same_type(school):
    rows, _ = EDITOR_CASES[QuestionKind.SHORT_ANSWER]
    data = editor_data(
        QuestionKind.SHORT_ANSWER, rows, passage=school.passages[1].pk, save_and_add="1"
    )
    client = school.client("teacher")

    saved = client.post(f"/teach/sets/{school.question_set.pk}/questions/new/", data)
    fresh = client.get(saved["Location"])

    assert saved["Location"].endswith("?kind=short_answer")
    html = fresh.content.decode()
    assert "This field is required" not in html
    assert 'aria-invalid="true"' not in html


def test_choice_feedback_and_partial_credit_are_saved_and_shown_again(school):
    rows = [
        {"text": "Harriman", "is_correct": "on", "feedback": "Right — he led it."},
        {"text": "Vance", "credit": "50", "feedback": "His deputy."},
        {"text": "Kissinger", "feedback": "Later, under Nixon."},
    ]
    data = editor_data(QuestionKind.MULTIPLE_CHOICE, rows, passage=school.passages[1].pk)
    client = school.client("teacher")

    client.post(f"/teach/sets/{school.question_set.pk}/questions/new/", data)

    question = Question.objects.filter(question_set=school.question_set).latest("id")
    assert [(a.text, a.is_correct, a.fraction, a.feedback) for a in question.answers.all()] == [
        ("Harriman", True, 1.0, "Right — he led it."),
        ("Vance", False, 0.5, "His deputy."),
        ("Kissinger", False, 0.0, "Later, under Nixon."),
    ]
    html = client.get(
        f"/teach/sets/{school.question_set.pk}/questions/{question.pk}/"
    ).content.decode()
    assert 'name="answers-1-credit" id="id_answers-1-credit" value="50.0"' in html
    assert 'name="answers-0-credit" id="id_answers-0-credit" value=""' in html
    assert 'value="Later, under Nixon."' in html


def test_a_short_answer_variant_with_credit_below_full_is_partly_right(school):
    rows = [{"text": "Harriman"}, {"text": "Vance", "credit": "25"}]
    data = editor_data(QuestionKind.SHORT_ANSWER, rows, passage=school.passages[1].pk)

    school.client("teacher").post(f"/teach/sets/{school.question_set.pk}/questions/new/", data)

    question = Question.objects.filter(question_set=school.question_set).latest("id")
    assert [(a.text, a.is_correct, a.fraction) for a in question.answers.all()] == [
        ("Harriman", True, 1.0),
        ("Vance", False, 0.25),
    ]


def test_a_credit_beyond_a_hundred_percent_is_refused_by_its_row(school):
    rows = [{"text": "Harriman", "is_correct": "on", "credit": "150"}, {"text": "Vance"}]
    data = editor_data(QuestionKind.MULTIPLE_CHOICE, rows, passage=school.passages[1].pk)

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/new/", data
    )

    assert response.status_code == 200
    assert "less than or equal to 100" in response.content.decode()


def test_the_editor_sets_the_supporting_sentence_and_refuses_words_not_in_the_passage(school):
    rows, _ = EDITOR_CASES[QuestionKind.SHORT_ANSWER]
    passage = school.passages[1]
    client = school.client("teacher")
    url = f"/teach/sets/{school.question_set.pk}/questions/new/"

    wrong = client.post(
        url, editor_data("short_answer", rows, passage=passage.pk, sentence="Nope.")
    )
    saved = client.post(
        url, editor_data("short_answer", rows, passage=passage.pk, sentence=passage.text)
    )

    assert wrong.status_code == 200
    assert 'id="id_sentence_error"' in wrong.content.decode()
    assert saved.status_code == 302
    question = Question.objects.filter(question_set=school.question_set).latest("id")
    assert (question.sentence_start, question.sentence_end) == (0, len(passage.text))
    edit = client.get(f"/teach/sets/{school.question_set.pk}/questions/{question.pk}/")
    assert f">\n{passage.text}</textarea>" in edit.content.decode()


def test_the_import_page_reads_a_file_in_the_encoding_chosen(school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    windows_1252 = "Caf\u00e9? {=oui}".encode("cp1252")
    upload = SimpleUploadedFile("c.gift", windows_1252)

    response = school.client("teacher").post(
        "/teach/sets/import/", {"file": upload, "encoding": "cp1252"}
    )

    assert response.status_code == 302
    assert Question.objects.filter(prompt="Café?").exists()


def test_a_teacher_writes_a_cloze_with_a_drop_down_gap(school):
    rows = [
        {"gap": "1", "text": "London", "is_choice": "on"},
        {"gap": "1", "text": "Paris", "is_choice": "on", "is_correct": "on"},
        {"gap": "2", "text": "May 13"},
    ]
    data = editor_data(
        QuestionKind.CLOZE,
        rows,
        prompt="Talks opened in {{1}} on {{2}}.",
        passage=school.passages[0].pk,
    )

    response = school.client("teacher").post(
        f"/teach/sets/{school.question_set.pk}/questions/new/", data
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.filter(question_set=school.question_set).latest("id")
    assert [
        (a.gap, a.text, a.is_choice, a.is_correct) for a in question.answers.order_by("position")
    ] == [(1, "London", True, False), (1, "Paris", True, True), (2, "May 13", False, True)]
    edit = school.client("teacher").get(
        f"/teach/sets/{school.question_set.pk}/questions/{question.pk}/"
    )
    assert edit.status_code == 200
    assert (
        edit.content.decode().count(
            'name="answers-0-is_choice" id="id_answers-0-is_choice" checked'
        )
        == 1
    )


@pytest.mark.parametrize("kind", QuestionKind.values)
def test_the_editor_opens_a_saved_question_of_every_kind_with_its_preview(school, kind):
    question = school.questions[kind]

    response = school.client("teacher").get(
        f"/teach/sets/{school.question_set.pk}/questions/{question.pk}/"
    )

    assert response.status_code == 200
    assert "data-preview" in response.content.decode()
