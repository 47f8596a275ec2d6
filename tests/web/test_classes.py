import pytest

from questions.models import (
    Assignment,
    Classroom,
    Membership,
    Question,
    QuestionKind,
    QuestionSet,
)
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuestionSetFactory,
    question_of_kind,
)
from tests.web.test_study import post_answer, right_answer_fields

pytestmark = pytest.mark.django_db


def test_a_teacher_creates_a_class_and_sees_its_join_code(school):
    client = school.client("teacher")

    response = client.post("/classes/", {"name": "History 2"})

    classroom = Classroom.objects.get(name="History 2")
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert Membership.objects.get(classroom=classroom).user == school.teacher
    assert classroom.join_code in client.get(f"/classes/{classroom.pk}/").content.decode()


def test_a_student_may_not_create_classes(school):
    response = school.client("student").post("/classes/", {"name": "Mine"})

    assert response.status_code == 403
    assert not Classroom.objects.filter(name="Mine").exists()


def test_the_class_page_lists_members_and_assigned_sets(school):
    html = school.client("teacher").get(f"/classes/{school.classroom.pk}/").content.decode()

    assert "sam" in html
    assert school.question_set.title in html


@pytest.mark.parametrize("who", ["other_teacher"])
@pytest.mark.parametrize("path", ["", "report/"])
def test_a_teacher_of_another_class_gets_a_404(school, who, path):
    assert school.client(who).get(f"/classes/{school.classroom.pk}/{path}").status_code == 404


@pytest.mark.parametrize("path", ["", "report/"])
def test_a_student_of_the_class_may_not_open_its_teacher_pages(school, path):
    assert school.client("student").get(f"/classes/{school.classroom.pk}/{path}").status_code == 403


def test_a_teacher_assigns_one_of_their_sets(school):
    new_set = QuestionSetFactory(title="Second set", owner=school.teacher)

    school.client("teacher").post(f"/classes/{school.classroom.pk}/", {"question_set": new_set.pk})

    assert Assignment.objects.filter(classroom=school.classroom, question_set=new_set).exists()


def test_a_teacher_cannot_assign_another_teachers_private_set(school):
    private = QuestionSetFactory(title="Private", owner=school.other_teacher)

    response = school.client("teacher").post(
        f"/classes/{school.classroom.pk}/", {"question_set": private.pk}
    )

    assert 'id="id_question_set_error"' in response.content.decode()
    assert not Assignment.objects.filter(question_set=private).exists()


def test_a_teacher_cannot_pass_on_a_set_shared_with_their_own_class_membership(school):
    """Teacher B shares a set with "my classes"; teacher A sits in B's class and so sees it,
    but may not hand it to A's own students."""
    other_class = ClassroomFactory(owner=school.other_teacher)
    MembershipFactory(classroom=other_class, user=school.teacher)
    shared = QuestionSetFactory(
        owner=school.other_teacher, visibility=QuestionSet.Visibility.CLASSES
    )

    response = school.client("teacher").post(
        f"/classes/{school.classroom.pk}/", {"question_set": shared.pk}
    )

    assert 'id="id_question_set_error"' in response.content.decode()
    assert not Assignment.objects.filter(question_set=shared).exists()


def test_unassigning_a_set(school):
    school.client("teacher").post(
        f"/classes/{school.classroom.pk}/sets/{school.question_set.pk}/unassign/"
    )

    assert not Assignment.objects.filter(classroom=school.classroom).exists()


def test_the_report_puts_the_hardest_questions_and_weakest_passages_first(school):
    client = school.client("student")
    wrong_one = school.questions[QuestionKind.SHORT_ANSWER]
    post_answer(client, wrong_one, {"text": "Kissinger"}, client_id="wrong")
    right_one = school.questions[QuestionKind.TRUE_FALSE]
    post_answer(client, right_one, right_answer_fields(right_one), client_id="right")

    response = school.client("teacher").get(f"/classes/{school.classroom.pk}/report/")

    assert response.status_code == 200
    hardest = response.context["hardest"]
    assert [row.question for row in hardest] == [wrong_one, right_one]
    passages = response.context["passages"]
    assert passages[0]["passage"] == wrong_one.passage
    assert passages[0]["facility"] == 0.0
    html = response.content.decode()
    assert 'aria-labelledby="chart-hardest-questions-t' in html
    assert "sam" in html


def test_a_teacher_removes_a_student_from_the_class(school):
    school.client("teacher").post(
        f"/classes/{school.classroom.pk}/members/{school.student.pk}/remove/"
    )

    assert not Membership.objects.filter(classroom=school.classroom, user=school.student).exists()


def test_the_owner_cannot_be_removed_from_their_class(school):
    response = school.client("teacher").post(
        f"/classes/{school.classroom.pk}/members/{school.teacher.pk}/remove/", follow=True
    )

    assert "cannot leave" in response.content.decode()
    assert Membership.objects.filter(classroom=school.classroom, user=school.teacher).exists()


def test_another_teacher_cannot_remove_members(school):
    response = school.client("other_teacher").post(
        f"/classes/{school.classroom.pk}/members/{school.student.pk}/remove/"
    )

    assert response.status_code == 404
    assert Membership.objects.filter(classroom=school.classroom, user=school.student).exists()


def test_the_report_leaves_self_rated_flashcards_out_of_what_was_right(school):
    client = school.client("student")
    card = school.questions[QuestionKind.FLASHCARD]
    post_answer(client, card, {"rating": "4"}, client_id="easy")
    wrong_one = school.questions[QuestionKind.SHORT_ANSWER]
    post_answer(client, wrong_one, {"text": "Kissinger"}, client_id="wrong")

    response = school.client("teacher").get(f"/classes/{school.classroom.pk}/report/")

    assert [row.question for row in response.context["hardest"]] == [wrong_one]
    (sam,) = response.context["report"].students
    assert (sam.attempts, sam.facility) == (2, 0.0)


def test_the_report_draws_cloze_gaps_as_blanks_and_keeps_long_labels_whole(school):
    cloze = school.questions[QuestionKind.CLOZE]
    long_title = "Which delegation arrived first in Paris, and who led it at the opening session"
    short = school.questions[QuestionKind.SHORT_ANSWER]
    Question.objects.filter(pk=short.pk).update(title=long_title)
    client = school.client("student")
    post_answer(client, cloze, {"gap_1": "Rome", "gap_2": "May 12"}, client_id="cloze")
    post_answer(client, short, {"text": "x"}, client_id="short")

    html = school.client("teacher").get(f"/classes/{school.classroom.pk}/report/").content.decode()

    assert "{{1}}" not in html
    assert "Talks began in ____ on ____." in html
    assert f'<span class="bar-label">{long_title}</span>' in html


def test_the_report_filters_by_one_of_the_class_sets(school):
    second = QuestionSetFactory(title="Second set", owner=school.teacher)
    AssignmentFactory(classroom=school.classroom, question_set=second)
    only = question_of_kind(QuestionKind.TRUE_FALSE, question_set=second)
    client = school.client("teacher")

    everything = client.get(f"/classes/{school.classroom.pk}/report/")
    filtered = client.get(f"/classes/{school.classroom.pk}/report/?set={second.pk}")
    stranger = QuestionSetFactory(owner=school.teacher)
    refused = client.get(f"/classes/{school.classroom.pk}/report/?set={stranger.pk}")

    assert len(everything.context["report"].questions) == len(QuestionKind.values) + 1
    assert [row.question for row in filtered.context["report"].questions] == [only]
    assert f'<option value="{second.pk}" selected>' in filtered.content.decode()
    assert refused.status_code == 404


def test_the_filtered_report_downloads_the_csv_of_the_chosen_set_only(school):
    second = QuestionSetFactory(title="Second set", owner=school.teacher)
    AssignmentFactory(classroom=school.classroom, question_set=second)
    client = school.client("teacher")

    everything = client.get(f"/classes/{school.classroom.pk}/report/").content.decode()
    filtered = client.get(f"/classes/{school.classroom.pk}/report/?set={second.pk}")

    csv_link = f"/api/v1/classes/{school.classroom.pk}/report/?format=csv"
    assert f'href="{csv_link}"' in everything
    assert f'href="{csv_link}&amp;set={second.pk}"' in filtered.content.decode()


def test_unassigning_and_removing_ask_for_confirmation(school):
    html = school.client("teacher").get(f"/classes/{school.classroom.pk}/").content.decode()

    assert f'data-confirm="Unassign “{school.question_set.title}” from History 1?' in html
    assert 'data-confirm="Remove sam from History 1?"' in html
