"""Signing up, study settings and joining a class."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from questions import lockout
from questions.models import Profile
from questions.scheduling import fitted_parameters
from questions.services.accounts import profile_update, user_sign_up
from questions.services.classes import classroom_join
from questions.throttling import ScopedThrottle
from questions.web.forms import JoinClassForm, LoginForm, ProfileForm, SignUpForm


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        user = user_sign_up(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
            time_zone=form.cleaned_data["time_zone"],
        )
        login(request, user, backend="questions.auth.LockoutModelBackend")
        if next_url:
            messages.success(request, f"Welcome, {user.username}!")
            return redirect(next_url)
        messages.success(request, f"Welcome, {user.username}! Join your class with its code.")
        return redirect("class_join")
    return render(request, "questions/account/signup.html", {"form": form, "next": next_url})


def _safe_next(request) -> str:
    """Where to go after signing up (a public set to study), when it is a page of this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else ""


PROFILE_FORM_FIELDS = [
    "time_zone",
    "day_starts_at_hour",
    "desired_retention",
    "new_cards_per_day",
    "session_size",
]


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    profile, _ = Profile.objects.get_or_create(user=request.user)
    initial = model_to_dict(profile, fields=PROFILE_FORM_FIELDS)
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Your settings are saved.")
            return redirect("settings")
    return render(
        request,
        "questions/account/settings.html",
        {
            "form": form,
            "profile": profile,
            "parameters": fitted_parameters(profile.fsrs_parameters),
            "nav": "settings",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_join(request):
    form = JoinClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership, joined = classroom_join(
                user=request.user, code=form.cleaned_data["join_code"]
            )
        except ValidationError as refused:
            form.add_error("join_code", refused.messages)
        else:
            name = membership.classroom.name
            if joined:
                messages.success(request, f"You joined {name}. Its sets are on your home page.")
            else:
                messages.info(request, f"You are already in {name}.")
            return redirect("home")
    memberships = request.user.memberships.select_related("classroom", "classroom__owner")
    return render(
        request,
        "questions/account/join.html",
        {"form": form, "memberships": memberships, "nav": "join"},
    )


TOO_MANY_LOGINS = "Too many sign-in attempts from here; wait a minute and try again."


class LoginView(auth_views.LoginView):
    """Django's login page under the API's login rate limit (the same "login" scope and
    count), so a password cannot be guessed faster on the page than through the API."""

    template_name = "questions/account/login.html"
    redirect_authenticated_user = True
    throttle_scope = "login"

    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        form.refusal = lockout.refusal(
            username=request.POST.get("username", ""), address=lockout.client_address(request)
        )
        if form.refusal is None and not ScopedThrottle().allow_request(request, self):
            form.refusal = TOO_MANY_LOGINS
        if form.is_valid():
            return self.form_valid(form)
        status = 429 if form.refusal else 200
        return self.render_to_response(self.get_context_data(form=form), status=status)
