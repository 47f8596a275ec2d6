"""Throttles and lockouts against a live gunicorn with two workers, on Redis and on the
database cache: spoofing X-Forwarded-For gains nothing and the workers count together."""

import re
import urllib.parse

import pytest

from tests.live.server import Gunicorn, prepare

pytestmark = pytest.mark.live

LOGIN_LIMIT = 10
# 10 an hour rather than the default 10 a minute: the limit is a sliding window, and on a busy
# machine 30 page logins (a GET and a POST each) can take longer than a minute, when a minute's
# window rightly lets more through.
LOGIN_RATE = f"{LOGIN_LIMIT}/hour"
ATTEMPTS = 30


@pytest.fixture(scope="module", params=["redis", "database"])
def live(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"live-{request.param}")
    env, tokens = prepare(tmp, redis=request.param == "redis")
    env["QUIZSITE_THROTTLE_LOGIN"] = LOGIN_RATE
    with Gunicorn(env, tokens, log_path=tmp / "gunicorn.log") as server:
        yield server


def _spoofed(n: int) -> dict:
    return {"X-Forwarded-For": f"203.0.113.{n % 250}, 198.51.100.{n % 7}"}


def test_spoofed_api_logins_are_throttled_across_both_workers(live):
    statuses = [
        live.request(
            "POST",
            "/api/v1/auth/token/",
            body={"username": f"nobody-{n}", "password": "guess"},
            headers=_spoofed(n),
            source="127.0.0.2",
        ).status
        for n in range(ATTEMPTS)
    ]

    assert statuses.count(401) == LOGIN_LIMIT
    assert statuses.count(429) == ATTEMPTS - LOGIN_LIMIT


def _page_login(live, username: str, n: int, *, source: str) -> int:
    page = live.request("GET", "/login/", source=source)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    form = {"csrfmiddlewaretoken": token.decode(), "username": username, "password": "guess"}
    headers = {
        **_spoofed(n),
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    body = urllib.parse.urlencode(form).encode()
    return live.request("POST", "/login/", body=body, headers=headers, source=source).status


def test_spoofed_page_logins_are_throttled_across_both_workers(live):
    statuses = [_page_login(live, f"nobody-{n}", n, source="127.0.0.3") for n in range(ATTEMPTS)]

    assert statuses.count(200) == LOGIN_LIMIT
    assert statuses.count(429) == ATTEMPTS - LOGIN_LIMIT


def test_five_wrong_passwords_lock_the_account_on_every_worker(live):
    for n in range(5):
        live.request(
            "POST",
            "/api/v1/auth/token/",
            body={"username": "live-teacher", "password": f"guess {n}"},
            headers=_spoofed(n),
            source="127.0.0.4",
        )

    replies = [
        live.request(
            "POST",
            "/api/v1/auth/token/",
            body={"username": "LIVE-TEACHER", "password": "live teacher password 1"},
            source="127.0.0.4",
        )
        for _ in range(4)
    ]

    assert {reply.status for reply in replies} == {429}
    assert "locked" in replies[0].json()["error"]["message"]
