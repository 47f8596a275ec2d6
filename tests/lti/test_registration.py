"""Registering an LMS, the tool's keys, and the page listing what the LMS needs."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from lti_tool.models import Key, LtiDeployment, LtiRegistration

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "name": "Our Moodle",
    "issuer": "https://moodle.example.edu",
    "client_id": "abc123",
    "deployment_ids": ["1"],
    "auth_url": "https://moodle.example.edu/mod/lti/auth.php",
    "token_url": "https://moodle.example.edu/mod/lti/token.php",
    "keyset_url": "https://moodle.example.edu/mod/lti/certs.php",
}


def register(**changes) -> str:
    out = io.StringIO()
    call_command("lti_register", **{**REGISTRATION, **changes}, stdout=out)
    return out.getvalue()


def test_the_command_registers_a_platform_with_active_deployments_and_a_tool_key():
    printed = register()

    registration = LtiRegistration.objects.get()
    assert (registration.issuer, registration.client_id) == ("https://moodle.example.edu", "abc123")
    assert registration.is_active
    assert list(registration.deployments.values_list("deployment_id", "is_active")) == [("1", True)]
    assert Key.objects.active().count() == 1
    assert "/lti/login/" in printed
    assert "/lti/launch/" in printed
    assert "/lti/.well-known/jwks.json" in printed


def test_registering_again_updates_it_and_adds_deployments():
    register()
    register(deployment_ids=["2"], token_url="https://moodle.example.edu/new-token.php")

    registration = LtiRegistration.objects.get()
    assert registration.token_url == "https://moodle.example.edu/new-token.php"
    assert set(LtiDeployment.objects.values_list("deployment_id", flat=True)) == {"1", "2"}
    assert Key.objects.count() == 1


def test_a_bad_url_is_refused_and_nothing_is_registered():
    with pytest.raises(CommandError, match="Enter a valid URL"):
        register(auth_url="not a url")

    assert not LtiRegistration.objects.exists()


def test_rotating_keys_publishes_the_new_key_beside_the_old_until_it_retires(client):
    register()
    first = Key.objects.get()

    call_command("rotate_keys", stdout=io.StringIO())
    kids = {key["kid"] for key in client.get("/lti/.well-known/jwks.json").json()["keys"]}
    assert len(kids) == 2
    assert str(first) in kids

    call_command("rotate_keys", deactivate_after=0, stdout=io.StringIO())
    kids = {key["kid"] for key in client.get("/lti/.well-known/jwks.json").json()["keys"]}
    assert str(first) not in kids
    assert len(kids) == 1


def test_the_setup_page_lists_the_urls_the_keyset_and_the_registrations_for_admins():
    register()
    admin = Client()
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    page = admin.get("/lti/").content.decode()

    assert "http://testserver/lti/login/" in page
    assert "http://testserver/lti/launch/" in page
    assert "http://testserver/lti/.well-known/jwks.json" in page
    assert str(Key.objects.get()) in page
    assert "Our Moodle" in page


def test_the_setup_page_is_for_staff_only():
    student = Client()
    student.force_login(UserFactory(username="someone"))

    assert student.get("/lti/").status_code == 302


@pytest.mark.parametrize(
    "page",
    [
        "/admin/lti_tool/ltiregistration/add/",
        "/admin/lti/gradesend/",
        "/admin/lti/courseclass/",
        "/admin/lti/contentlink/",
    ],
)
def test_the_admin_registers_platforms_and_shows_the_lti_records(page):
    admin = Client()
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    assert admin.get(page).status_code == 200
