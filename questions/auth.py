"""Authentication: Django's model backend with case-insensitive usernames and the lockout."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from questions import lockout


class LockoutModelBackend(ModelBackend):
    """Refuses a locked username or address before checking the password, so a guess made
    while locked says nothing, whatever page or API it comes through (the admin's too)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username or kwargs.get(get_user_model().USERNAME_FIELD) or ""
        address = lockout.client_address(request) if request is not None else ""
        if lockout.refusal(username=username, address=address):
            raise PermissionDenied
        if password is None:
            return None
        user_model = get_user_model()
        user = user_model._default_manager.filter(username__iexact=username).first()
        if user is None:
            # Hash anyway, so that the time taken does not tell which usernames exist.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user of a session, with their profile in the same query (nearly every
        page reads it), as API token authentication brings it."""
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("profile").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


@receiver(user_login_failed, dispatch_uid="questions_count_failed_sign_in")
def count_failed_sign_in(sender, credentials, request=None, **kwargs):
    lockout.record_failure(
        username=credentials.get("username", ""),
        address=lockout.client_address(request) if request is not None else "",
    )
