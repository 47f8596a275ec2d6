"""LTI pages: the OIDC login, the launch, deep linking, the tool's set-up page, a course's
LTI status for its teacher."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from lti_tool.views import OIDCLoginInitView
from pylti1p3.exception import LtiException, OIDCException
from requests import RequestException

from lti import selectors
from lti.middleware import FRAME_ORIGINS_KEY
from lti.services.courses import roster_sync, roster_sync_if_stale
from lti.services.deep_linking import DEEP_LINK_SESSION_KEY, deep_link_response, deep_link_start
from lti.services.grades import grade_retry_now
from lti.services.launch import LaunchRefused, launch_accept
from lti.tool import launch_validated

REFUSED_STATUS = 403


def refused(request, reason: str, *, status: int = REFUSED_STATUS) -> HttpResponse:
    """The one page for a launch quizsite will not take: what happened and what to do."""
    return render(request, "lti/refused.html", {"reason": reason}, status=status)


@method_decorator(xframe_options_exempt, name="dispatch")
class LoginView(OIDCLoginInitView):
    """OIDC third-party login: the LMS starts here and is sent back to its own login."""

    def get_redirect_url(self, target_link_uri: str) -> str:
        # Always the launch page: the target the LMS names is not trusted as a redirect.
        return self.request.build_absolute_uri(reverse("lti:launch"))

    def get_oidc_response(self, request, registration_uuid, params):
        try:
            return super().get_oidc_response(request, registration_uuid, params)
        except (LtiException, OIDCException) as error:
            return refused(request, f"The LMS's login request was refused: {error}")


def _frame_origins(lti_launch) -> list[str]:
    urls = [lti_launch.get_claim("iss") or ""]
    urls.append((lti_launch.launch_presentation_claim or {}).get("return_url") or "")
    urls.append((lti_launch.platform_instance_claim or {}).get("url") or "")
    origins = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in {"http", "https"} and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


@csrf_exempt
@xframe_options_exempt
@require_POST
def launch(request):
    try:
        lti_launch = launch_validated(request)
        landing = launch_accept(lti_launch=lti_launch, now=timezone.now())
    except LtiException as error:
        return refused(request, f"The launch could not be verified: {error}")
    except LaunchRefused as refusal:
        return refused(request, refusal.message)
    if landing.course is not None:
        roster_sync_if_stale(course=landing.course, now=timezone.now())
    login(request, landing.user, backend=settings.AUTHENTICATION_BACKENDS[0])
    request.session[FRAME_ORIGINS_KEY] = _frame_origins(lti_launch)
    if lti_launch.is_deep_link_launch:
        return _deep_link_page(request, lti_launch, landing)
    if landing.is_teacher:
        return redirect("lti:course", class_id=landing.course.classroom_id)
    return redirect(selectors.landing_url(landing.resource))


def _deep_link_page(request, lti_launch, landing):
    if not landing.is_teacher or landing.course is None:
        return refused(request, "Only a teacher of the course can choose quizsite content.")
    request.session[DEEP_LINK_SESSION_KEY] = deep_link_start(
        lti_launch=lti_launch,
        course=landing.course,
        launch_url=request.build_absolute_uri(reverse("lti:launch")),
    )
    return redirect("lti:deep_link")


@xframe_options_exempt
@login_required
def deep_link(request):
    started = request.session.get(DEEP_LINK_SESSION_KEY)
    if started is None:
        return refused(request, "Choose content from your course's “add activity” page.")
    if request.method == "POST":
        try:
            html = deep_link_response(
                user=request.user,
                started=started,
                choice=request.POST.get("choice", ""),
                now=timezone.now(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            del request.session[DEEP_LINK_SESSION_KEY]
            return HttpResponse(html)
    choices = selectors.deep_link_choices(request.user)
    return render(request, "lti/deep_link.html", {"choices": choices})


@staff_member_required
def tool_setup(request):
    """Everything an LMS administrator pastes into the LMS, for each registration."""
    return render(request, "lti/setup.html", selectors.tool_setup(request))


@xframe_options_exempt
@login_required
def course(request, class_id: int):
    course = get_object_or_404(selectors.courses_taught(request.user), classroom_id=class_id)
    return render(request, "lti/course.html", selectors.course_status(course))


@require_POST
@login_required
def course_roster_sync(request, class_id: int):
    course = get_object_or_404(selectors.courses_taught(request.user), classroom_id=class_id)
    try:
        added, removed = roster_sync(course=course, now=timezone.now())
    except (LtiException, RequestException, ValueError) as error:
        messages.error(request, f"The roster could not be read from the LMS: {error}")
    else:
        messages.success(request, f"Roster synced: {added} added, {removed} removed.")
    return redirect("lti:course", class_id=class_id)


@require_POST
@login_required
def grade_retry(request, class_id: int, grade_id: int):
    course = get_object_or_404(selectors.courses_taught(request.user), classroom_id=class_id)
    send = selectors.course_grades(course).filter(pk=grade_id).first()
    if send is None:
        raise Http404("No such score for this course.")
    if grade_retry_now(send=send, now=timezone.now()):
        messages.success(request, "The score was sent.")
    else:
        messages.error(request, f"The LMS refused the score again: {send.last_error}")
    return redirect("lti:course", class_id=class_id)
