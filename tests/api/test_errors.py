"""One error body for every 4xx and 5xx: status, code, an actionable message, fields."""

import pytest
from rest_framework.test import APIClient

from questions.api import errors
from tests.api.conftest import client_for
from tests.factories import StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def assert_error_body(response, status: int) -> dict:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["status"] == status
    assert error["message"].endswith((".", "?")), error["message"]
    assert "Traceback" not in response.content.decode()
    return error


def test_a_field_error_names_the_field_and_says_what_is_wrong():
    client = client_for(TeacherFactory())

    response = client.post("/api/v1/sets/", {"title": "", "desired_retention": 2}, format="json")

    error = assert_error_body(response, 400)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"title", "desired_retention"}
    assert error["message"] == errors.INVALID


def test_nested_field_errors_are_named_with_dots(world):
    client = client_for(world.owner)

    response = client.post(
        f"/api/v1/sets/{world.question_set.pk}/questions/",
        {
            "kind": "short_answer",
            "prompt": "Who?",
            "passage": world.passage.pk,
            "answers": [{"text": "x", "fraction": 5}],
        },
        format="json",
    )

    error = assert_error_body(response, 400)
    assert error["fields"] == {
        "answers.0.fraction": ["Ensure this value is less than or equal to 1."]
    }
    assert error["message"].startswith("answers.0.fraction: ")


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/api/v1/sets/999999/", {}, 404, "not_found"),
        ("delete", "/api/v1/me/", {}, 405, "method_not_allowed"),
        (
            "post",
            "/api/v1/tokens/",
            {"data": "name=x", "content_type": "text/plain"},
            415,
            "unsupported_media_type",
        ),
        (
            "post",
            "/api/v1/tokens/",
            {"data": "{not json", "content_type": "application/json"},
            400,
            "parse_error",
        ),
        ("get", "/api/v1/me/", {"HTTP_ACCEPT": "application/xml"}, 406, "not_acceptable"),
        (
            "post",
            "/api/v1/sets/",
            {"data": {"title": "x"}, "format": "json"},
            403,
            "permission_denied",
        ),
    ],
)
def test_every_client_error_has_the_one_body(method, path, kwargs, status, code):
    client = client_for(StudentFactory())

    response = getattr(client, method)(path, **kwargs)

    assert assert_error_body(response, status)["code"] == code


def test_anonymous_callers_get_401_with_a_hint_at_tokens():
    error = assert_error_body(APIClient().get("/api/v1/sets/"), 401)

    assert error["message"] == errors.NOT_AUTHENTICATED


def test_a_server_error_is_logged_and_never_shows_a_traceback(monkeypatch, caplog):
    def broken(user):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("questions.api.views.set_list", broken)
    client = client_for(StudentFactory())

    response = client.get("/api/v1/sets/")

    error = assert_error_body(response, 500)
    assert error["message"] == errors.SERVER_ERROR
    assert "secret internals" not in response.content.decode()
    assert "secret internals" in caplog.text


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/sets/-1/", "/api/v1/sets/1/x"])
def test_an_unknown_api_address_gets_the_json_404_body(path):
    response = client_for(StudentFactory()).post(path, {"a": 1}, format="json")

    assert assert_error_body(response, 404)["code"] == "not_found"


def test_a_missing_trailing_slash_is_named_in_the_message():
    response = client_for(StudentFactory()).get("/api/v1/sets")

    error = assert_error_body(response, 404)
    assert error["message"] == "Addresses of the API end with a slash: use /api/v1/sets/ instead."
