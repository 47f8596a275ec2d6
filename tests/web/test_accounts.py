import pytest
from django.contrib.auth.models import User
from django.test import Client

from questions.models import Membership, Profile, QuestionKind, QuestionSet
from questions.web.views.account import TOO_MANY_LOGINS
from tests.factories import QuestionFactory, QuestionSetFactory

pytestmark = pytest.mark.django_db

STUDENT_PAGES = ["/progress/", "/settings/", "/join/", "/study/"]


@pytest.mark.parametrize("url", STUDENT_PAGES)
def test_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={url}")


def test_a_signed_out_visitor_gets_the_landing_page_with_the_public_sets(client):
    public = QuestionSetFactory(title="Open set", visibility=QuestionSet.Visibility.PUBLIC)
    QuestionFactory(question_set=public)
    QuestionSetFactory(title="Empty public set", visibility=QuestionSet.Visibility.PUBLIC)
    QuestionFactory(question_set=QuestionSetFactory(title="Private set"))

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/signup/"' in html
    assert 'href="/login/"' in html
    assert [s.title for s in response.context["public"]] == ["Open set"]
    assert f'href="/signup/?next=%2Fstudy%2F%3Fset%3D{public.pk}"' in html
    assert "Private set" not in html


def test_sign_up_from_a_public_set_goes_on_to_study_it_but_never_off_the_site(client):
    fields = {
        "username": "newbie",
        "email": "",
        "password1": "a long secret phrase 42",
        "password2": "a long secret phrase 42",
        "time_zone": "UTC",
    }

    form = client.get("/signup/?next=/study/%3Fset%3D7")
    response = client.post("/signup/", {**fields, "next": "/study/?set=7"})
    client.logout()
    elsewhere = client.post(
        "/signup/", {**fields, "username": "other", "next": "https://evil.example/"}
    )

    assert '<input type="hidden" name="next" value="/study/?set=7">' in form.content.decode()
    assert response["Location"] == "/study/?set=7"
    assert elsewhere["Location"] == "/join/"


def test_the_sign_up_time_zone_is_marked_for_the_browser_to_fill_in(client):
    html = client.get("/signup/").content.decode()

    assert "data-browser-time-zone" in html
    assert "<script>" not in html


def test_sign_up_creates_a_student_with_their_time_zone_and_logs_them_in(client):
    response = client.post(
        "/signup/",
        {
            "username": "newbie",
            "email": "",
            "password1": "a long secret phrase 42",
            "password2": "a long secret phrase 42",
            "time_zone": "Europe/Paris",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/join/"
    user = User.objects.get(username="newbie")
    assert Profile.objects.get(user=user).time_zone == "Europe/Paris"
    assert not user.groups.exists()
    assert client.get("/").context["user"] == user


def test_failed_sign_up_shows_the_error_by_its_field_and_keeps_what_was_typed(client):
    response = client.post(
        "/signup/",
        {
            "username": "newbie",
            "email": "newbie@example.org",
            "password1": "a long secret phrase 42",
            "password2": "another phrase",
            "time_zone": "Europe/Paris",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_password2_error"' in html
    assert 'value="newbie@example.org"' in html
    assert '<option value="Europe/Paris" selected>' in html
    assert not User.objects.filter(username="newbie").exists()


def test_log_in_and_log_out(client, school):
    school.student.set_password("pw-for-sam-123")
    school.student.save()

    response = client.post("/login/", {"username": "sam", "password": "pw-for-sam-123"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200

    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/progress/").status_code == 302


def test_guessing_passwords_on_the_login_page_is_rate_limited(client, school):
    school.student.set_password("pw-for-sam-123")
    school.student.save()
    # Ten usernames, so that the per-username lockout (after five) is not what stops it.
    guesses = [
        client.post("/login/", {"username": f"sam-{n}", "password": f"guess-{n}"}).status_code
        for n in range(10)
    ]

    right_password = client.post("/login/", {"username": "sam", "password": "pw-for-sam-123"})

    assert guesses == [200] * 10
    assert right_password.status_code == 429
    assert TOO_MANY_LOGINS in right_password.content.decode()
    assert client.get("/progress/").status_code == 302


def test_log_out_needs_a_post_with_a_csrf_token(school):
    client = Client(enforce_csrf_checks=True)
    client.force_login(school.student)

    assert client.post("/logout/").status_code == 403
    assert client.get("/").status_code == 200


def test_settings_save_time_zone_day_start_and_retention(school):
    client = school.client("student")

    response = client.post(
        "/settings/",
        {"time_zone": "America/New_York", "day_starts_at_hour": "5", "desired_retention": "0.85"},
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user=school.student)
    assert (profile.time_zone, profile.day_starts_at_hour, profile.desired_retention) == (
        "America/New_York",
        5,
        0.85,
    )


def test_an_empty_retention_falls_back_to_each_sets_own(school):
    Profile.objects.filter(user=school.student).update(desired_retention=0.8)

    school.client("student").post(
        "/settings/", {"time_zone": "UTC", "day_starts_at_hour": "4", "desired_retention": ""}
    )

    assert Profile.objects.get(user=school.student).desired_retention is None


def test_a_retention_out_of_range_is_refused_next_to_its_field(school):
    response = school.client("student").post(
        "/settings/",
        {"time_zone": "Europe/Berlin", "day_starts_at_hour": "4", "desired_retention": "1.5"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_desired_retention_error"' in html
    assert 'value="1.5"' in html
    assert Profile.objects.get(user=school.student).desired_retention is None


def test_settings_show_fitted_parameters_with_their_date(school):
    Profile.objects.filter(user=school.student).update(
        fsrs_parameters=[
            0.2172,
            1.1771,
            3.2602,
            16.1507,
            7.0114,
            0.57,
            2.0966,
            0.0069,
            1.5261,
            0.112,
            1.0178,
            1.849,
            0.1133,
            0.3127,
            2.2934,
            0.2191,
            3.0004,
            0.7536,
            0.3332,
            0.1437,
            0.2,
        ],
        fsrs_fitted_review_count=812,
    )

    html = school.client("student").get("/settings/").content.decode()

    assert "812 reviews" in html
    assert "Show the 21 parameters" in html


def test_joining_a_class_with_its_code_makes_a_student_member(school):
    response = school.client("outsider").post(
        "/join/", {"join_code": school.classroom.join_code.lower()}
    )

    assert response.status_code == 302
    membership = Membership.objects.get(classroom=school.classroom, user=school.outsider)
    assert membership.role == Membership.Role.STUDENT


def test_an_unknown_join_code_is_refused_next_to_the_field(school):
    response = school.client("outsider").post("/join/", {"join_code": "NOPE1234"})

    assert response.status_code == 200
    assert 'id="id_join_code_error"' in response.content.decode()
    assert not Membership.objects.filter(user=school.outsider).exists()


def test_home_lists_the_assigned_set_with_due_and_new_counts(school):
    response = school.client("student").get("/")

    summaries = response.context["summaries"]
    assert [s.question_set for s in summaries] == [school.question_set]
    assert summaries[0].new == len(school.questions)
    assert summaries[0].due == 0
    assert f'href="/study/?set={school.question_set.pk}"' in response.content.decode()


def test_home_of_a_student_outside_the_class_does_not_list_the_set(school):
    response = school.client("outsider").get("/")

    assert response.context["summaries"] == []


def test_home_counts_only_the_new_questions_left_for_today(school):
    from tests.web.test_study import post_answer, right_answer_fields

    school.question_set.daily_new_limit = 3
    school.question_set.save()
    question = school.questions[QuestionKind.TRUE_FALSE]
    post_answer(school.client("student"), question, right_answer_fields(question))

    summary = school.client("student").get("/").context["summaries"][0]

    assert summary.new == 2
    assert summary.studied == 1
