"""Cookies that work inside the LMS's iframe, for the LTI flow only.

Inside an iframe on the LMS's site, browsers send only `SameSite=None; Secure` cookies, so
the site's own session and CSRF cookies (SameSite=Lax) never arrive. A launch therefore gets a
session of its own under separate cookie names with `SameSite=None; Secure`; a request that
carries no ordinary session but an LTI one uses it. The ordinary cookies, and every page opened
outside the LMS, keep their protections; only pages reached with the LTI session may be framed.
"""

import re

from django.conf import settings
from django.urls import reverse

LTI_SESSION_COOKIE = "quizsite_lti_session"
LTI_CSRF_COOKIE = "quizsite_lti_csrftoken"
FRAME_ORIGINS_KEY = "lti_frame_origins"
FRAME_ANCESTORS = re.compile(r"frame-ancestors[^;]*")


def _cookie_pairs() -> tuple[tuple[str, str], ...]:
    return (
        (settings.SESSION_COOKIE_NAME, LTI_SESSION_COOKIE),
        (settings.CSRF_COOKIE_NAME, LTI_CSRF_COOKIE),
    )


class LtiCookieMiddleware:
    """Goes before SessionMiddleware and CsrfViewMiddleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.launch_path = reverse("lti:launch")

    def _is_lti(self, request) -> bool:
        if request.path == self.launch_path:
            # A launch always starts a fresh LTI session, whatever else the browser sends.
            for ordinary, _lti in _cookie_pairs():
                request.COOKIES.pop(ordinary, None)
            return True
        return (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
            and LTI_SESSION_COOKIE in request.COOKIES
        )

    def __call__(self, request):
        is_lti = self._is_lti(request)
        if is_lti:
            for ordinary, lti in _cookie_pairs():
                if lti in request.COOKIES:
                    request.COOKIES[ordinary] = request.COOKIES[lti]
        request.is_lti_session = is_lti
        response = self.get_response(request)
        if is_lti:
            self._lti_cookies(response)
            self._frame_for_lms(request, response)
        return response

    @staticmethod
    def _lti_cookies(response) -> None:
        for ordinary, lti in _cookie_pairs():
            morsel = response.cookies.pop(ordinary, None)
            if morsel is None:
                continue
            response.set_cookie(
                lti,
                morsel.value,
                max_age=morsel["max-age"] or None,
                expires=morsel["expires"] or None,
                path="/",
                secure=True,
                httponly=bool(morsel["httponly"]),
                samesite="None",
            )

    @staticmethod
    def _frame_for_lms(request, response) -> None:
        session = getattr(request, "session", None)
        origins = session.get(FRAME_ORIGINS_KEY) if session is not None else None
        if not origins:
            return
        # XFrameOptionsMiddleware, further in, has already said DENY; the policy below says
        # who may frame instead.
        if "X-Frame-Options" in response:
            del response["X-Frame-Options"]
        # The site's policy (django-csp, further in) forbids every frame; for the LMS's own
        # pages of this session, its frame-ancestors names the LMS instead.
        frame = "frame-ancestors 'self' " + " ".join(origins)
        policy = response.get("Content-Security-Policy", "")
        if FRAME_ANCESTORS.search(policy):
            response["Content-Security-Policy"] = FRAME_ANCESTORS.sub(frame, policy, count=1)
        else:
            response["Content-Security-Policy"] = "; ".join(filter(None, [policy, frame]))
