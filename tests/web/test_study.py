import html
import re

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.test import Client
from django.utils import timezone

from questions.answer_input import UNKNOWN_ITEM_ID
from questions.models import Card, Question, QuestionKind, Review
from questions.presentation import item_id
from questions.study import SESSION_SIZE
from questions.web.views.study import SHOWN_SALT
from tests.factories import question_of_kind

pytestmark = pytest.mark.django_db

SESSION = "0123456789ab"


def shown_id(question, answer, student=None) -> str:
    """The id the study page shows the student (the school's "sam" unless named) for a row."""
    student = student or User.objects.get(username="sam")
    return item_id(question_id=question.pk, answer_id=answer.pk, student_id=student.pk)


def right_answer_fields(question, student=None) -> dict:
    """The study form's fields for a right answer to `question` (the default answer keys), as
    shown to `student` (the school's "sam" unless named)."""
    answers = list(question.answers.order_by("position"))
    match question.kind:
        case QuestionKind.FLASHCARD:
            return {"rating": "3"}
        case QuestionKind.MULTIPLE_CHOICE | QuestionKind.TRUE_FALSE:
            return {"choice": [shown_id(question, a, student) for a in answers if a.is_correct]}
        case QuestionKind.SHORT_ANSWER:
            return {"text": "harriman"}
        case QuestionKind.NUMERICAL:
            return {"number": "1968"}
        case QuestionKind.CLOZE:
            return {"gap_1": "Paris", "gap_2": "May 12"}
        case QuestionKind.MATCHING:
            return {f"pair_{a.pk}": shown_id(question, a, student) for a in answers}
        case QuestionKind.ORDERING:
            return {"order": [shown_id(question, a, student) for a in answers]}


def post_answer(client: Client, question, fields: dict, *, client_id: str = "1", htmx=True):
    shown = signing.dumps(timezone.now().timestamp() - 4, salt=SHOWN_SALT)
    data = {
        "session": SESSION,
        "set": question.question_set_id,
        "question": question.pk,
        "client_id": f"{SESSION}:{client_id}",
        "shown": shown,
        **fields,
    }
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/study/answer/", data, headers=headers)


def test_the_study_page_shows_the_first_new_question_without_its_answer(school):
    response = school.client("student").get(f"/study/?set={school.question_set.pk}")

    assert response.status_code == 200
    first = response.context["item"].question
    assert first == school.question_set.questions.order_by("position").first()
    html = response.content.decode()
    assert first.prompt in html
    assert "Back of the card" not in html
    assert "data-reveal" in html


# A flashcard's rating goes straight on to the next card (tests/web/test_flashcards.py).
@pytest.mark.parametrize("kind", sorted(set(QuestionKind.values) - {QuestionKind.FLASHCARD}))
def test_a_right_answer_of_every_kind_is_logged_and_explained_with_its_passage(school, kind):
    question = school.questions[kind]

    response = post_answer(school.client("student"), question, right_answer_fields(question))

    assert response.status_code == 200
    review = Review.objects.get(user=school.student, question=question)
    assert review.is_correct is True
    assert review.response_ms >= 4000
    html = response.content.decode()
    assert question.explanation in html
    assert question.passage.text in html
    assert f"/sources/{school.source.pk}/#passage-{question.passage.position}" in html
    assert "data-next" in html


def test_a_wrong_choice_shows_the_right_one(school):
    question = school.questions[QuestionKind.MULTIPLE_CHOICE]
    wrong = question.answers.filter(is_correct=False).first()

    response = post_answer(
        school.client("student"), question, {"choice": [shown_id(question, wrong)]}
    )

    assert Review.objects.get(question=question).is_correct is False
    assert response.context["result"].is_correct is False
    lines = {line["label"]: line for line in response.context["lines"]}
    assert lines["Averell Harriman"]["expected"] == "Right answer"
    assert lines[wrong.text]["given"] == "Your choice"
    assert "Not quite" in response.content.decode()


def test_a_malformed_answer_changes_nothing_and_keeps_what_was_typed(school):
    question = school.questions[QuestionKind.NUMERICAL]

    response = post_answer(school.client("student"), question, {"number": "nineteen 68"})

    assert response.status_code == 400
    assert 'value="nineteen 68"' in response.content.decode()
    assert 'id="answer-error"' in response.content.decode()
    assert not Review.objects.exists()
    assert not Card.objects.exists()


def test_a_retried_answer_is_logged_once(school):
    question = school.questions[QuestionKind.SHORT_ANSWER]
    client = school.client("student")

    post_answer(client, question, {"text": "Harriman"}, client_id="same")
    response = post_answer(client, question, {"text": "Harriman"}, client_id="same")

    assert response.status_code == 200
    assert Review.objects.filter(question=question).count() == 1


def test_an_answer_without_htmx_gets_the_whole_page(school):
    question = school.questions[QuestionKind.TRUE_FALSE]

    response = post_answer(
        school.client("student"), question, right_answer_fields(question), htmx=False
    )

    assert "<!doctype html>" in response.content.decode()


def test_revealing_a_flashcard_offers_four_ratings_with_growing_intervals(school):
    question = school.questions[QuestionKind.FLASHCARD]

    response = school.client("student").get(
        f"/study/reveal/{question.pk}/?set={school.question_set.pk}&session={SESSION}",
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    ratings = response.context["ratings"]
    assert [r["label"] for r in ratings] == ["Again", "Hard", "Good", "Easy"]
    intervals = [r["interval"] for r in ratings]
    assert intervals == sorted(intervals)
    assert intervals[0] < intervals[3]
    assert "Back of the card" in response.content.decode()


def test_revealing_is_only_for_flashcards(school):
    question = school.questions[QuestionKind.MULTIPLE_CHOICE]

    response = school.client("student").get(f"/study/reveal/{question.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["outsider", "other_teacher"])
def test_nobody_studies_or_answers_a_set_they_cannot_see(school, who):
    question = school.questions[QuestionKind.SHORT_ANSWER]
    client = school.client(who)

    assert client.get(f"/study/?set={school.question_set.pk}").status_code == 404
    assert post_answer(client, question, {"text": "Harriman"}).status_code == 404
    assert not Review.objects.exists()


def test_answering_needs_a_csrf_token(school):
    client = Client(enforce_csrf_checks=True)
    client.force_login(school.student)

    response = post_answer(client, school.questions[QuestionKind.SHORT_ANSWER], {"text": "x"})

    assert response.status_code == 403


def test_the_summary_counts_the_sessions_answers_right_answers_and_time(school):
    client = school.client("student")
    for number, kind in enumerate(QuestionKind.values):
        question = school.questions[kind]
        fields = right_answer_fields(question)
        if kind == QuestionKind.SHORT_ANSWER:
            fields = {"text": "Kissinger"}
        post_answer(client, question, fields, client_id=str(number))

    response = client.get(f"/study/?set={school.question_set.pk}&session={SESSION}")

    assert len(QuestionKind.values) < SESSION_SIZE
    assert response.context["answered"] == len(QuestionKind.values)
    assert response.context["right"] == len(QuestionKind.values) - 1
    assert response.context["spent_ms"] >= 4000 * len(QuestionKind.values)
    assert response.context["next_due"] is not None
    assert 'data-summary="answered"' in response.content.decode()


def test_a_session_ends_after_its_size_even_with_more_to_study(school):
    client = school.client("student")
    question = school.questions[QuestionKind.FLASHCARD]
    for number in range(SESSION_SIZE):
        post_answer(client, question, {"rating": "1"}, client_id=str(number))

    response = client.get(f"/study/?set={school.question_set.pk}&session={SESSION}")

    assert response.context["answered"] == SESSION_SIZE
    assert response.context["more"] is True


def test_studying_a_passage_offers_its_questions_even_when_none_is_due(school):
    client = school.client("student")
    passage = school.passages[1]
    cited = list(school.question_set.questions.filter(passage=passage))
    for number, question in enumerate(cited):
        post_answer(client, question, right_answer_fields(question), client_id=f"first-{number}")

    response = client.get(f"/study/?passage={passage.pk}")

    assert response.context["item"].question in cited
    assert response.context["item"].reason == "ahead"


def test_reusing_an_answers_id_for_another_answer_is_refused_with_a_fresh_id(school):
    question = school.questions[QuestionKind.SHORT_ANSWER]
    client = school.client("student")
    post_answer(client, question, {"text": "Harriman"}, client_id="once")

    response = post_answer(client, question, {"text": "Kissinger"}, client_id="once")

    assert response.status_code == 400
    assert response.context["client_id"] != f"{SESSION}:once"
    assert response.context["client_id"].startswith(f"{SESSION}:")
    assert Review.objects.filter(question=question).count() == 1


def test_studying_one_topic_offers_only_its_questions(school):
    from tests.factories import TopicFactory

    topic = TopicFactory(slug="dates", name="Dates")
    tagged = school.questions[QuestionKind.NUMERICAL]
    tagged.topics.add(topic)

    response = school.client("student").get("/study/?topic=dates")

    assert response.context["item"].question == tagged
    assert response.context["scope"].title == "Topic: Dates"


def study_page_of(school, question) -> str:
    """The study page's HTML while `question` is the next one to study."""
    Question.objects.filter(question_set=question.question_set_id).exclude(pk=question.pk).update(
        position=100
    )
    Question.objects.filter(pk=question.pk).update(position=0)
    response = school.client("student").get(f"/study/?set={school.question_set.pk}")
    assert response.context["item"].question == question
    return response.content.decode()


@pytest.mark.parametrize(
    ("kind", "shown_values"),
    [
        (QuestionKind.MATCHING, r'<option value="([^"]+)"'),
        (QuestionKind.ORDERING, r'name="order" value="([^"]+)"'),
        (QuestionKind.MULTIPLE_CHOICE, r'name="choice" value="([^"]+)"'),
        (QuestionKind.TRUE_FALSE, r'name="choice" value="([^"]+)"'),
    ],
)
def test_the_study_page_names_no_answer_row_so_its_html_gives_nothing_away(
    school, kind, shown_values
):
    question = school.questions[kind]
    rows = list(question.answers.order_by("position"))

    values = re.findall(shown_values, study_page_of(school, question))

    assert values  # each matching left side lists every right side
    assert not {str(row.pk) for row in rows} & set(values)
    # Nor do the ids sort into the answer: the shown names are a keyed hash, not a sequence.
    assert set(values) == {shown_id(question, row) for row in rows}


def test_posting_row_ids_read_from_the_page_is_refused(school):
    question = school.questions[QuestionKind.MATCHING]
    left_ids = re.findall(r'name="pair_(\d+)"', study_page_of(school, question))
    cheat = {f"pair_{left}": left for left in left_ids}

    response = post_answer(school.client("student"), question, cheat)

    assert response.status_code == 400
    assert UNKNOWN_ITEM_ID in html.unescape(response.content.decode())
    assert not Review.objects.exists()


def imported(school, kind, **fields):
    return question_of_kind(kind, question_set=school.question_set, **fields)


def test_an_imported_html_prompt_shows_as_markup_with_its_image(school):
    question = imported(
        school,
        QuestionKind.SHORT_ANSWER,
        prompt='<p>Who led <b>the U.S.</b> delegation?</p><img src="/media/imports/ab12.png" alt="map">',
    )

    page = study_page_of(school, question)

    assert "Who led <b>the U.S.</b> delegation?" in page
    assert '<img src="/media/imports/ab12.png" alt="map">' in page
    assert "&lt;b&gt;" not in page


def test_a_script_in_an_imported_prompt_is_removed(school):
    question = imported(
        school, QuestionKind.SHORT_ANSWER, prompt="Who? <script>alert('x')</script><b>Now</b>"
    )

    page = study_page_of(school, question)

    assert "alert(" not in page
    assert "<b>Now</b>" in page


def test_plain_text_with_angle_brackets_is_escaped(school):
    question = imported(school, QuestionKind.SHORT_ANSWER, prompt="Is 3 < 4 and 5 > 4?\nSay so.")

    page = study_page_of(school, question)

    assert "<p>Is 3 &lt; 4 and 5 &gt; 4?<br>Say so.</p>" in page


def test_imported_choices_explanation_and_feedback_show_as_markup(school):
    question = imported(
        school,
        QuestionKind.MULTIPLE_CHOICE,
        explanation="<p>See <i>Harriman's</i> memoirs.</p>",
        answers=[
            {"text": "<b>Harriman</b>", "is_correct": True, "fraction": 1},
            {
                "text": "Rusk <img src=x onerror=alert(1)>",
                "feedback": "<em>No</em>: he stayed home.",
            },
        ],
    )
    wrong = question.answers.get(is_correct=False)

    page = study_page_of(school, question)
    feedback = post_answer(
        school.client("student"), question, {"choice": [shown_id(question, wrong)]}
    ).content.decode()

    assert "<span><b>Harriman</b></span>" in page
    assert "onerror" not in page + feedback
    assert "See <i>Harriman's</i> memoirs." in feedback
    assert "<em>No</em>: he stayed home." in feedback


def test_markup_in_an_ordering_item_is_kept_as_text_in_its_button_labels(school):
    question = imported(
        school,
        QuestionKind.ORDERING,
        answers=[{"text": f"<b>Step</b> {n}", "is_correct": True} for n in (1, 2, 3)],
    )

    page = study_page_of(school, question)

    assert '<span class="item-text"><b>Step</b> 1</span>' in page
    assert 'aria-label="Move “Step 1” up"' in page


EMPTY_FIELDS = {
    QuestionKind.MULTIPLE_CHOICE: {},
    QuestionKind.TRUE_FALSE: {},
    QuestionKind.SHORT_ANSWER: {"text": "   "},
    QuestionKind.NUMERICAL: {"number": ""},
    QuestionKind.CLOZE: {"gap_1": "", "gap_2": " "},
    QuestionKind.MATCHING: {},
    QuestionKind.ORDERING: {},
    QuestionKind.FLASHCARD: {},
}


@pytest.mark.parametrize("kind", sorted(EMPTY_FIELDS))
def test_an_empty_answer_of_every_kind_is_refused_beside_the_control_and_records_nothing(
    school, kind
):
    question = school.questions[kind]

    response = post_answer(school.client("student"), question, EMPTY_FIELDS[kind])

    assert response.status_code == 400
    if kind != QuestionKind.FLASHCARD:  # rated by its buttons: there is no control to leave empty
        assert re.search(
            r'<p class="field-error" role="alert" id="answer-error">\S', response.content.decode()
        )
    assert not Review.objects.exists()
    assert not Card.objects.exists()


@pytest.mark.parametrize(
    ("typed", "is_correct"), [("1968.", True), ("1,968", True), ("1986", False)]
)
def test_a_typed_number_is_read_as_the_api_reads_it(school, typed, is_correct):
    question = school.questions[QuestionKind.NUMERICAL]

    response = post_answer(school.client("student"), question, {"number": typed})

    assert response.status_code == 200
    assert Review.objects.get(question=question).is_correct is is_correct
    assert ("a different number" in response.content.decode()) is not is_correct


def test_a_choice_gap_is_a_drop_down_and_a_right_option_is_right(school):
    from questions.models import Answer

    question = school.questions[QuestionKind.CLOZE]
    question.answers.filter(gap=1).update(is_choice=True)
    Answer.objects.create(question=question, position=9, text="London", gap=1, is_choice=True)

    page = study_page_of(school, question)

    select = re.search(r'<select[^>]*name="gap_1".*?</select>', page, re.S)
    assert select is not None
    assert re.findall(r'<option value="([^"]*)"', select.group(0)) == ["", "Paris", "London"]
    assert 'name="gap_2"' in page  # the typed gap stays a text field
    post_answer(school.client("student"), question, {"gap_1": "London", "gap_2": "May 12"})
    post_answer(
        school.client("student"), question, {"gap_1": "Paris", "gap_2": "May 12"}, client_id="2"
    )
    assert list(
        Review.objects.filter(question=question).order_by("id").values_list("is_correct", flat=True)
    ) == [False, True]
