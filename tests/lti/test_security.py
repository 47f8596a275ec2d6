"""Launches quizsite must refuse: each gets a clear page and writes nothing."""

import time

import pytest
from django.contrib.auth.models import User
from django.test import Client
from lti_tool.models import LtiContext, LtiDeployment, LtiMembership, LtiResourceLink, LtiUser

from lti.models import CourseClass, UsedNonce
from questions.models import Classroom, Membership
from tests.lti.platform import LEARNER, new_key

pytestmark = pytest.mark.django_db

WRITTEN = [
    User,
    LtiUser,
    LtiContext,
    LtiDeployment,
    LtiMembership,
    LtiResourceLink,
    CourseClass,
    Classroom,
    Membership,
    UsedNonce,
]


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def _expired(claims):
    claims["iat"] = int(time.time()) - 3600
    claims["exp"] = int(time.time()) - 600


def _wrong_audience(claims):
    claims["aud"] = "some-other-tool"


def _unknown_deployment(claims):
    claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = "deployment-nobody-made"


def _unknown_nonce(claims):
    claims["nonce"] = "a-nonce-quizsite-never-issued"


def _unknown_issuer(claims):
    claims["iss"] = "https://elsewhere.example.org"


@pytest.mark.parametrize(
    ("case", "options", "says"),
    [
        ("bad signature", {"key": new_key()}, "Unable to find public key"),
        ("expired token", {"tamper": _expired}, "expired"),
        ("wrong audience", {"tamper": _wrong_audience}, "Registration not found"),
        ("unknown deployment", {"tamper": _unknown_deployment}, "Unable to find deployment"),
        ("nonce never issued", {"tamper": _unknown_nonce}, "Invalid Nonce"),
        ("unknown issuer", {"tamper": _unknown_issuer}, "Registration not found"),
    ],
)
def test_a_bad_launch_is_refused_with_a_clear_page_and_nothing_created(
    platform, browser, case, options, says
):
    before = counts()

    response = platform.resource_launch(
        browser, sub="student-7", roles=[LEARNER], resource_link_id="rl-1", **options
    )

    assert response.status_code == 403, case
    page = response.content.decode()
    assert "quizsite could not open this link" in page
    assert says in page
    assert "Nothing was saved" in page
    assert counts() == before
    assert "quizsite_lti_session" not in response.cookies


def test_a_launch_signed_with_the_right_kid_but_another_key_is_refused(platform, browser):
    impostor = new_key()
    impostor_pem = impostor.export_to_pem(private_key=True, password=None)
    before = counts()
    state, nonce = platform.login(browser)
    claims = platform.claims(
        sub="s", roles=[LEARNER], nonce=nonce, message_type="LtiResourceLinkRequest"
    )
    import jwt

    token = jwt.encode(
        claims, impostor_pem, algorithm="RS256", headers={"kid": platform.key["kid"]}
    )

    response = browser.post("/lti/launch/", {"id_token": token, "state": state}, secure=True)

    assert response.status_code == 403
    assert "Signature verification failed" in response.content.decode()
    assert counts() == before


def test_a_replayed_launch_is_refused_and_changes_nothing(platform, browser, question_set):
    from tests.lti.test_end_to_end import link_set

    teacher = Client()
    link_set(platform, teacher, question_set)
    first = platform.resource_launch(
        browser,
        sub="student-7",
        roles=[LEARNER],
        resource_link_id="rl-1",
        custom={"quizsite_link": CourseClass.objects.get().links.get().token},
    )
    assert first.status_code == 302
    before = counts()

    replay = browser.post("/lti/launch/", platform.last_post, secure=True)

    assert replay.status_code == 403
    assert "already used" in replay.content.decode()
    assert counts() == before


def test_a_launch_without_the_login_state_from_this_browser_is_refused(platform, browser):
    before = counts()
    state, nonce = platform.login(browser)
    claims = platform.claims(
        sub="s", roles=[LEARNER], nonce=nonce, message_type="LtiResourceLinkRequest"
    )
    other_browser = Client()

    response = other_browser.post(
        "/lti/launch/", {"id_token": platform.sign(claims), "state": state}, secure=True
    )

    assert response.status_code == 403
    assert counts() == before


def test_an_inactive_deployment_is_refused(platform, browser):
    LtiDeployment.objects.update(is_active=False)
    before = counts()

    response = platform.resource_launch(
        browser, sub="student-7", roles=[LEARNER], resource_link_id="rl-1"
    )

    assert response.status_code == 403
    assert "Unable to find deployment" in response.content.decode()
    assert counts() == before


def test_a_learner_cannot_answer_a_deep_linking_request(platform, browser, question_set):
    response = platform.launch(
        browser,
        sub="student-9",
        roles=[LEARNER],
        message_type="LtiDeepLinkingRequest",
        extra={
            "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings": {
                "deep_link_return_url": "https://lms.example.edu/return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe"],
            }
        },
    )

    assert response.status_code == 403
    assert "Only a teacher" in response.content.decode()
    assert browser.get("/lti/deep-link/", secure=True).status_code == 403


def test_a_login_from_an_unregistered_platform_is_refused_with_a_page(platform, browser):
    response = browser.get(
        "/lti/login/",
        {
            "iss": "https://elsewhere.example.org",
            "client_id": "x",
            "login_hint": "h",
            "target_link_uri": "https://testserver/lti/launch/",
            "lti1p3_new_window": "1",
        },
        secure=True,
    )

    assert response.status_code == 403
    assert "quizsite could not open this link" in response.content.decode()
