import datetime as dt

import pytest

from questions.models import QuestionKind
from questions.selectors.charts import DayCount
from questions.templatetags.charts import heat_level, known_colour, review_heatmap
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    PassageFactory,
    QuestionSetFactory,
    SourceFactory,
    TopicFactory,
    question_of_kind,
)
from tests.web.test_study import post_answer, right_answer_fields

pytestmark = pytest.mark.django_db


def answer_everything(school):
    client = school.client("student")
    for number, kind in enumerate(QuestionKind.values):
        question = school.questions[kind]
        post_answer(client, question, right_answer_fields(question), client_id=str(number))
    return client


def test_progress_draws_the_calendar_forecast_retention_topics_and_passages(school):
    client = answer_everything(school)

    response = client.get("/progress/")

    html = response.content.decode()
    assert response.status_code == 200
    for chart in ("reviews-per-day", "due-forecast", "retention-over-time"):
        assert f'aria-labelledby="chart-{chart}-t chart-{chart}-d"' in html
    today = response.context["calendar"][-1]
    assert today.count == len(QuestionKind.values)
    assert f'data-count="{len(QuestionKind.values)}"' in html
    assert f"/sources/{school.source.pk}/#passage-1" in html


def test_progress_of_one_set_is_limited_to_the_sets_a_student_may_see(school):
    assert (
        school.client("student").get(f"/progress/?set={school.question_set.pk}").status_code == 200
    )
    assert (
        school.client("outsider").get(f"/progress/?set={school.question_set.pk}").status_code == 404
    )


def test_the_source_page_marks_cited_passages_and_links_to_studying_them(school):
    response = school.client("student").get(f"/sources/{school.source.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("passage-block cited") == 2
    assert f"/study/?passage={school.passages[0].pk}" in html


def test_the_source_page_counts_only_questions_the_reader_may_study(school):
    response = school.client("outsider").get(f"/sources/{school.source.pk}/")

    assert "passage-block cited" not in response.content.decode()


@pytest.mark.parametrize(
    ("count", "busiest", "level"),
    [(0, 10, 0), (1, 10, 1), (3, 10, 2), (10, 10, 4), (5, 0, 0)],
)
def test_heat_levels_rise_with_the_days_share_of_the_busiest_day(count, busiest, level):
    assert heat_level(count, busiest) == level


def test_the_heatmap_has_one_cell_per_day_with_its_count_in_words():
    days = [DayCount(dt.date(2026, 11, 2) + dt.timedelta(days=n), n % 3) for n in range(14)]

    svg = review_heatmap(days)

    assert svg.count("<rect") == 14
    assert "Tue 3 Nov 2026: 1 review<" in svg
    assert "13 reviews on 9 of the last 14 days" in svg


@pytest.mark.parametrize(("share", "darker_than"), [(0.1, 0.0), (0.5, 0.1), (1.0, 0.5)])
def test_better_known_passages_get_a_different_shade(share, darker_than):
    assert known_colour(share) != known_colour(darker_than)


def test_an_anonymous_visitor_cannot_read_a_source(client, school):
    response = client.get(f"/sources/{school.source.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_next_study_step_is_a_fragment_for_htmx(school):
    response = school.client("student").get(
        f"/study/?set={school.question_set.pk}", headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="study-card"')
    assert "<!doctype html>" not in html


def test_a_teacher_reads_the_progress_of_a_student_they_teach(school):
    answer_everything(school)

    response = school.client("teacher").get(f"/progress/?student={school.student.pk}")

    assert response.status_code == 200
    assert response.context["learner"] == school.student
    assert response.context["calendar"][-1].count == len(QuestionKind.values)
    assert "Progress of sam" in response.content.decode()


def test_a_teacher_does_not_see_the_students_sets_of_another_teachers_class(school):
    other_class = ClassroomFactory(owner=school.other_teacher)
    MembershipFactory(classroom=other_class, user=school.student)
    private_set = QuestionSetFactory(title="Private workings", owner=school.other_teacher)
    AssignmentFactory(classroom=other_class, question_set=private_set)
    client = school.client("teacher")

    page = client.get(f"/progress/?student={school.student.pk}")
    private_page = client.get(f"/progress/?student={school.student.pk}&set={private_set.pk}")
    students_own = school.client("student").get("/progress/")

    assert "Private workings" not in page.content.decode()
    assert private_page.status_code == 404
    assert "Private workings" in students_own.content.decode()


def test_a_teacher_reading_a_students_progress_sees_no_activity_in_sets_they_cannot_see(school):
    other_class = ClassroomFactory(owner=school.other_teacher)
    MembershipFactory(classroom=other_class, user=school.student)
    private_set = QuestionSetFactory(title="Private workings", owner=school.other_teacher)
    AssignmentFactory(classroom=other_class, question_set=private_set)
    private = question_of_kind(QuestionKind.SHORT_ANSWER, question_set=private_set)
    post_answer(school.client("student"), private, {"text": "Kissinger"}, client_id="private")

    teachers_view = school.client("teacher").get(f"/progress/?student={school.student.pk}")
    students_own = school.client("student").get("/progress/")

    assert teachers_view.context["calendar"][-1].count == 0
    assert sum(week.reviews for week in teachers_view.context["retention"]) == 0
    assert students_own.context["calendar"][-1].count == 1


@pytest.mark.parametrize("who", ["other_teacher", "outsider", "student"])
def test_nobody_else_reads_a_students_progress(school, who):
    other = school.outsider if who == "student" else school.student
    response = school.client(who).get(f"/progress/?student={other.pk}")

    assert response.status_code == 404


def test_the_retention_chart_plots_only_weeks_with_due_reviews():
    from questions.selectors.charts import WeekRetention
    from questions.templatetags.charts import retention_chart

    weeks = [
        WeekRetention(dt.date(2026, 9, 7), reviews=10, passed=9),
        WeekRetention(dt.date(2026, 9, 14), reviews=0, passed=0),
        WeekRetention(dt.date(2026, 9, 21), reviews=4, passed=2),
    ]

    svg = retention_chart(weeks, 0.9)

    assert svg.count("<circle") == 2
    assert "11 of 14 due reviews (79%) were remembered" in svg
    assert "Week of 21 Sep: 50% of 4 reviews remembered" in svg


def test_the_forecast_has_a_bar_per_day_as_tall_as_its_share_of_the_busiest():
    from questions.selectors.progress import ForecastDay
    from questions.templatetags.charts import forecast_chart

    days = [ForecastDay(dt.date(2026, 11, 25) + dt.timedelta(days=n), due=n % 4) for n in range(30)]

    svg = forecast_chart(days)

    assert svg.count("<rect") == 30
    assert 'height="120" fill="#2f6fc4" data-due="3"' in svg
    assert "today: 0 due" in svg


def assign_four_passage_set_citing_three(school):
    """A teacher pastes a four-passage source, cites three of its passages in a set, and
    assigns the set to the class: the fourth passage has no question."""
    source = SourceFactory(title="Four passages", slug="four-passages")
    passages = [
        PassageFactory(source=source, position=n, text=f"Passage {n} of four.") for n in range(1, 5)
    ]
    question_set = QuestionSetFactory(title="Three of four", owner=school.teacher, source=source)
    for passage in passages[:3]:
        question_of_kind(QuestionKind.FLASHCARD, question_set=question_set, passage=passage)
    AssignmentFactory(classroom=school.classroom, question_set=question_set)
    return question_set


@pytest.mark.parametrize(
    ("who", "query"),
    [
        ("student", ""),
        ("student", "?set={set}"),
        ("teacher", "?student={student}"),
        ("teacher", "?student={student}&set={set}"),
    ],
)
def test_progress_renders_when_a_passage_of_an_assigned_source_has_no_question(school, who, query):
    question_set = assign_four_passage_set_citing_three(school)

    response = school.client(who).get(
        "/progress/" + query.format(set=question_set.pk, student=school.student.pk)
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-label="Passage 4: no questions"' in html
    assert 'aria-label="Passage 1: known 0%"' in html


def test_progress_renders_for_a_set_with_no_questions(school):
    empty_set = QuestionSetFactory(title="Nothing yet", owner=school.teacher, source=school.source)
    AssignmentFactory(classroom=school.classroom, question_set=empty_set)

    response = school.client("student").get(f"/progress/?set={empty_set.pk}")

    assert response.status_code == 200
    assert 'aria-label="Passage 1: no questions"' in response.content.decode()


def test_progress_renders_for_a_topic_with_no_studied_questions(school):
    topic = TopicFactory(name="Unstudied topic")
    school.questions[QuestionKind.FLASHCARD].topics.add(topic)

    response = school.client("student").get("/progress/")

    assert response.status_code == 200
    assert "Unstudied topic" in response.content.decode()


def test_progress_renders_for_a_student_in_no_class_with_no_cards(school):
    response = school.client("outsider").get("/progress/")

    assert response.status_code == 200
    assert response.context["figures"].reviews == 0


def test_the_source_page_renders_a_passage_with_no_question(school):
    question_set = assign_four_passage_set_citing_three(school)

    response = school.client("student").get(f"/sources/{question_set.source_id}/")

    assert response.status_code == 200
    assert 'id="passage-4"' in response.content.decode()


@pytest.mark.parametrize("share", [None, 0, 0.0, 1.0])
def test_known_fill_takes_every_share_a_passage_can_have(share):
    assert known_colour(share).startswith("#")
