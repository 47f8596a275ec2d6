import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from questions.models import Card, QuestionKind, Review
from questions.web.views.study import SESSION_SIZE, SHOWN_SALT

pytestmark = pytest.mark.django_db

SESSION = "0123456789ab"


def right_answer_fields(question) -> dict:
    """The study form's fields for a right answer to `question` (the default answer keys)."""
    answers = list(question.answers.order_by("position"))
    match question.kind:
        case QuestionKind.FLASHCARD:
            return {"rating": "3"}
        case QuestionKind.MULTIPLE_CHOICE | QuestionKind.TRUE_FALSE:
            return {"choice": [a.pk for a in answers if a.is_correct]}
        case QuestionKind.SHORT_ANSWER:
            return {"text": "harriman"}
        case QuestionKind.NUMERICAL:
            return {"number": "1968"}
        case QuestionKind.CLOZE:
            return {"gap_1": "Paris", "gap_2": "May 12"}
        case QuestionKind.MATCHING:
            return {f"pair_{a.pk}": a.pk for a in answers}
        case QuestionKind.ORDERING:
            return {"order": [a.pk for a in answers]}


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


@pytest.mark.parametrize("kind", QuestionKind.values)
def test_a_right_answer_of_every_kind_is_logged_and_explained_with_its_passage(school, kind):
    question = school.questions[kind]

    response = post_answer(school.client("student"), question, right_answer_fields(question))

    assert response.status_code == 200
    review = Review.objects.get(user=school.student, question=question)
    assert review.is_correct is (None if kind == QuestionKind.FLASHCARD else True)
    assert review.response_ms >= 4000
    html = response.content.decode()
    assert question.explanation in html
    assert question.passage.text in html
    assert f"/sources/{school.source.pk}/#passage-{question.passage.position}" in html
    assert "data-next" in html


def test_a_wrong_choice_shows_the_right_one(school):
    question = school.questions[QuestionKind.MULTIPLE_CHOICE]
    wrong = question.answers.filter(is_correct=False).first()

    response = post_answer(school.client("student"), question, {"choice": [wrong.pk]})

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
