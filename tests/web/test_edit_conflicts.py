"""A teacher editing a set or a question in two tabs is told, not overwritten: page edits take
the row lock and version check the API's If-Match takes."""

import re

import pytest

from questions.models import QuestionKind
from questions.services.versions import STALE_VERSION
from tests.web.test_teach import editor_data

pytestmark = pytest.mark.django_db


def shown_version(response) -> str:
    match = re.search(r'name="version" value="([^"]+)"', response.content.decode())
    assert match, "the form carries the version it shows"
    return match.group(1).replace("&quot;", '"')


def set_form(school, version: str, title: str) -> dict:
    question_set = school.question_set
    return {
        "version": version,
        "title": title,
        "description": "",
        "visibility": question_set.visibility,
        "source": question_set.source_id,
        "desired_retention": question_set.desired_retention,
        "new_order": question_set.new_order,
        "daily_new_limit": question_set.daily_new_limit,
        "daily_review_limit": question_set.daily_review_limit,
    }


def test_saving_a_set_from_a_stale_tab_is_refused_and_keeps_the_first_save(school):
    client = school.client("teacher")
    url = f"/teach/sets/{school.question_set.pk}/edit/"
    first_tab, second_tab = shown_version(client.get(url)), shown_version(client.get(url))

    saved = client.post(url, set_form(school, first_tab, "First tab's title"))
    refused = client.post(url, set_form(school, second_tab, "Second tab's title"))

    assert saved.status_code == 302
    assert refused.status_code == 409
    assert STALE_VERSION in refused.content.decode().replace("&#x27;", "'")
    school.question_set.refresh_from_db()
    assert school.question_set.title == "First tab's title"


def test_a_set_form_without_a_version_is_refused(school):
    url = f"/teach/sets/{school.question_set.pk}/edit/"

    response = school.client("teacher").post(url, set_form(school, "", "No version"))

    assert response.status_code == 409
    school.question_set.refresh_from_db()
    assert school.question_set.title != "No version"


def test_saving_a_question_from_a_stale_tab_is_refused_and_keeps_the_first_save(school):
    client = school.client("teacher")
    question = school.questions[QuestionKind.SHORT_ANSWER]
    url = f"/teach/sets/{school.question_set.pk}/questions/{question.pk}/"
    first_tab, second_tab = shown_version(client.get(url)), shown_version(client.get(url))

    def save(version, answer):
        data = editor_data(
            QuestionKind.SHORT_ANSWER,
            [{"text": answer}],
            passage=question.passage_id,
            version=version,
        )
        return client.post(url, data)

    saved, refused = save(first_tab, "Clifford"), save(second_tab, "Harriman")

    assert saved.status_code == 302
    assert refused.status_code == 409
    assert [a.text for a in question.answers.all()] == ["Clifford"]


def test_a_fresh_version_after_reloading_saves(school):
    client = school.client("teacher")
    url = f"/teach/sets/{school.question_set.pk}/edit/"
    client.post(url, set_form(school, shown_version(client.get(url)), "Once"))

    again = client.post(url, set_form(school, shown_version(client.get(url)), "Twice"))

    assert again.status_code == 302
    school.question_set.refresh_from_db()
    assert school.question_set.title == "Twice"
