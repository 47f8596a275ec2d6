"""Throttling per user and per anonymous address, with the one error body and Retry-After."""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from tests.api.conftest import client_for
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_anonymous_callers_are_throttled_by_address(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)
    client = APIClient()

    statuses = [client.get("/api/v1/sets/").status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]


def test_each_user_has_their_own_allowance(monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "rate", "3/minute", raising=False)
    busy, other = client_for(StudentFactory()), client_for(StudentFactory())

    statuses = [busy.get("/api/v1/me/").status_code for _ in range(4)]
    throttled = busy.get("/api/v1/me/")

    assert statuses == [200, 200, 200, 429]
    assert throttled.json()["error"]["code"] == "throttled"
    assert int(throttled.headers["Retry-After"]) > 0
    assert other.get("/api/v1/me/").status_code == 200
