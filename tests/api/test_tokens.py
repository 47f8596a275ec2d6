"""Personal API tokens: shown once, stored as a hash, usable as Bearer or Token, revocable."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from questions.models import ApiToken
from questions.services.tokens import LAST_USED_RESOLUTION, token_create
from tests.api.conftest import client_for
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(django_assert_num_queries):
    user = StudentFactory()
    client = APIClient()
    client.force_authenticate(user)

    # INSERT the token.
    with django_assert_num_queries(1):
        response = client.post("/api/v1/tokens/", {"name": "My LMS"}, format="json")

    assert response.status_code == 201
    key = response.json()["token"]
    stored = ApiToken.objects.get(pk=response.json()["id"])
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert key.startswith(stored.prefix)
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert [token["name"] for token in listed] == ["My LMS"]
    assert "token" not in listed[0]
    assert "key_hash" not in listed[0]


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_token_authenticates_with_either_keyword(keyword):
    user = StudentFactory()
    key = token_create(user=user, name="cli").key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["username"] == user.username


@pytest.mark.parametrize(
    "header",
    ["Bearer qs_not-a-real-token", "Bearer", "Bearer two parts", "Token "],
)
def test_a_bad_token_header_is_refused_with_401_and_the_error_body(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working_and_stays_listed_as_revoked(django_assert_num_queries):
    user = StudentFactory()
    new = token_create(user=user, name="old")
    owner = APIClient()
    owner.force_authenticate(user)

    # SELECT the caller's token by id; UPDATE revoked_at.
    with django_assert_num_queries(2):
        response = owner.delete(f"/api/v1/tokens/{new.token.pk}/")

    assert response.status_code == 204
    assert client_for(token=new.key).get("/api/v1/me/").status_code == 401
    listed = owner.get("/api/v1/tokens/").json()["results"]
    assert listed[0]["revoked_at"] is not None


def test_tokens_list_pins_its_queries(django_assert_num_queries):
    user = StudentFactory()
    for name in ("a", "b", "c"):
        token_create(user=user, name=name)
    client = APIClient()
    client.force_authenticate(user)

    # COUNT the caller's tokens; SELECT the page.
    with django_assert_num_queries(2):
        response = client.get("/api/v1/tokens/")

    assert response.json()["count"] == 3


def test_someone_elses_token_is_not_found():
    owner, other = StudentFactory(), StudentFactory()
    new = token_create(user=owner, name="mine")

    response = client_for(other).delete(f"/api/v1/tokens/{new.token.pk}/")

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=new.token.pk).revoked_at is None


def test_last_used_at_is_written_at_most_once_per_resolution(django_assert_num_queries):
    user = StudentFactory()
    new = token_create(user=user, name="cli")
    client = client_for(token=new.key)
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    # SELECT token with user; UPDATE last_used_at; SELECT profile with user;
    # SELECT whether the user is in the teachers group.
    with time_machine.travel(start, tick=False), django_assert_num_queries(4):
        client.get("/api/v1/me/")
    just_before = start + LAST_USED_RESOLUTION - timedelta(seconds=1)
    # SELECT token with user; SELECT profile with user; SELECT teachers group: no write.
    with time_machine.travel(just_before, tick=False), django_assert_num_queries(3):
        client.get("/api/v1/me/")
    assert ApiToken.objects.get(pk=new.token.pk).last_used_at == start
    later = start + LAST_USED_RESOLUTION
    with time_machine.travel(later, tick=False):
        client.get("/api/v1/me/")
    assert ApiToken.objects.get(pk=new.token.pk).last_used_at == later


def test_an_inactive_users_token_is_refused():
    user = StudentFactory(is_active=False)
    key = token_create(user=user, name="cli").key

    assert client_for(token=key).get("/api/v1/me/").status_code == 401


def test_login_with_a_password_makes_a_token():
    user = StudentFactory()
    client = APIClient()

    response = client.post(
        "/api/v1/auth/token/",
        {
            "username": user.username,
            "password": "correct horse battery staple",
            "token_name": "LMS",
        },
        format="json",
    )

    assert response.status_code == 201
    assert client_for(token=response.json()["token"]).get("/api/v1/me/").status_code == 200


def test_login_with_a_wrong_password_is_refused_and_makes_nothing():
    user = StudentFactory()

    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": "wrong"}, format="json"
    )

    assert response.status_code == 401
    assert response.json()["error"]["message"] == "The username or password is wrong."
    assert not ApiToken.objects.exists()


def test_login_attempts_are_throttled_per_address():
    client = APIClient()
    # Another username each time, so the per-username lockout (after five) is not what stops it.
    statuses = [
        client.post(
            "/api/v1/auth/token/",
            {"username": StudentFactory().username, "password": "guess"},
            format="json",
        ).status_code
        for _ in range(11)
    ]

    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429


def test_token_creation_is_throttled_more_strictly_than_other_calls():
    client = client_for(StudentFactory())
    statuses = [
        client.post("/api/v1/tokens/", {"name": f"t{n}"}, format="json").status_code
        for n in range(11)
    ]

    assert statuses[:10] == [201] * 10
    throttled = client.post("/api/v1/tokens/", {"name": "again"}, format="json")
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "throttled"
    assert "Retry-After" in throttled.headers
    assert client.get("/api/v1/tokens/").status_code == 200


def test_session_writes_need_the_csrf_token():
    user = StudentFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post("/api/v1/tokens/", {"name": "from a page"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert not ApiToken.objects.exists()


def test_token_writes_need_no_csrf_token():
    user = StudentFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='a').key}")

    response = client.post("/api/v1/tokens/", {"name": "b"}, format="json")

    assert response.status_code == 201
