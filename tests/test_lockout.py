"""Repeated failed sign-ins lock the username (on the page and the API alike) and the address;
the client is the connecting address unless QUIZSITE_TRUSTED_PROXIES says otherwise."""

from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from questions import lockout
from questions.services.accounts import USERNAME_TAKEN, user_sign_up
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password


def page_login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def api_login(username, password, **headers):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        **headers,
    )


def test_five_failures_lock_the_account_even_for_the_right_password(settings):
    user = StudentFactory()
    client = Client()
    failures = [page_login(client, user.username, f"guess {n}").status_code for n in range(3)]
    failures += [api_login(user.username, f"guess {n}").status_code for n in range(2)]

    page = page_login(client, user.username, PASSWORD)
    api = api_login(user.username, PASSWORD)

    assert failures == [200, 200, 200, 401, 401]
    assert page.status_code == 429
    assert "locked for 15 minutes" in page.content.decode()
    assert "correct username and password" not in page.content.decode()
    assert api.status_code == 429
    assert api.json()["error"]["message"].startswith("Too many failed sign-ins for this account")
    assert int(api.headers["Retry-After"]) == settings.QUIZSITE_LOCKOUT_SECONDS


def test_the_lockout_counts_the_username_whatever_its_case_and_from_any_address():
    user = StudentFactory(username="Sam")
    for n, address in enumerate(["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]):
        assert api_login("sAm", f"guess {n}", REMOTE_ADDR=address).status_code == 401

    assert api_login(user.username, PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 429


def test_another_account_is_not_locked_by_a_neighbours_failures():
    locked, other = StudentFactory(), StudentFactory()
    for n in range(5):
        api_login(locked.username, f"guess {n}")

    assert api_login(other.username, PASSWORD).status_code == 201


def test_an_address_is_locked_after_failures_across_many_usernames(settings):
    settings.QUIZSITE_LOCKOUT_ADDRESS_FAILURES = 4
    target = StudentFactory()
    for n in range(4):
        api_login(f"nobody-{n}", "guess")

    assert api_login(target.username, PASSWORD).status_code == 429
    assert api_login(target.username, PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 201


def test_the_lockout_ends_after_its_time():
    user = StudentFactory()
    with time_machine.travel("2026-03-01 12:00", tick=False) as traveller:
        for n in range(5):
            api_login(user.username, f"guess {n}")
        assert api_login(user.username, PASSWORD).status_code == 429
        traveller.shift(15 * 60 + 1)

        assert api_login(user.username, PASSWORD).status_code == 201


def test_unlock_login_resets_the_lockout_at_once():
    user = StudentFactory()
    for n in range(5):
        api_login(user.username, f"guess {n}")
    out = StringIO()

    call_command("unlock_login", user.username.upper(), stdout=out)

    assert "Unlocked" in out.getvalue()
    assert api_login(user.username, PASSWORD).status_code == 201


def test_forwarded_for_is_ignored_without_trusted_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert lockout.client_address(request) == "10.1.1.1"


def test_spoofed_forwarded_for_does_not_escape_the_lockout():
    user = StudentFactory()
    for n in range(5):
        api_login(user.username, f"guess {n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    assert (
        api_login(user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    )


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (1, "6.6.6.6, 192.0.2.10", "192.0.2.10"),  # the proxy appended the real client
        (2, "6.6.6.6, 192.0.2.10, 10.0.0.2", "192.0.2.10"),
        (1, "", "10.1.1.1"),
    ],
)
def test_with_trusted_proxies_the_client_is_what_the_nearest_proxy_saw(
    settings, proxies, forwarded, client
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", **headers)

    assert lockout.client_address(request) == client


def test_usernames_are_unique_whatever_their_case(client):
    StudentFactory(username="sam")

    response = client.post(
        "/signup/",
        {
            "username": "SAM",
            "password1": "a long secret phrase 42",
            "password2": "a long secret phrase 42",
            "time_zone": "UTC",
        },
    )

    assert response.status_code == 200
    assert USERNAME_TAKEN in response.content.decode()
    with pytest.raises(ValidationError):
        user_sign_up(username="Sam", password="a long secret phrase 42")
    with pytest.raises(IntegrityError):
        User.objects.create(username="sAm")


def test_sign_in_takes_the_username_in_any_case():
    StudentFactory(username="Sam")

    assert api_login("sam", PASSWORD).status_code == 201
