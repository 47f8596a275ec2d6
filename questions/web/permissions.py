"""Who may open which page: the rules of questions.permissions, as for the API."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from questions.permissions import is_teacher


def teacher_required(view):
    """Logged in and in the teachers group, else 403 (anonymous users go to the login page)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_teacher(request.user):
            raise PermissionDenied("Only teachers can open this page.")
        return view(request, *args, **kwargs)

    return wrapped


__all__ = ["is_teacher", "teacher_required"]
