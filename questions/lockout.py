"""Sign-in lockout: repeated failed sign-ins lock the username, and the address they came from.

Failures are counted in the shared cache (Redis or the database cache), so every worker sees
the same count. A username is locked after QUIZSITE_LOCKOUT_FAILURES failures and an address
after QUIZSITE_LOCKOUT_ADDRESS_FAILURES, each for QUIZSITE_LOCKOUT_SECONDS after the last
failure; while locked even the right password is refused. `manage.py unlock_login` resets.
"""

import hashlib
import math

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

ACCOUNT_LOCKED = (
    "Too many failed sign-ins for this account: it is locked for {minutes} minutes. "
    "Try again then, or ask an administrator to unlock it (manage.py unlock_login)."
)
ADDRESS_LOCKED = (
    "Too many failed sign-ins from your address: sign-in is locked here for {minutes} minutes."
)


def client_address(request) -> str:
    """The client's address as the rate limits see it: the connecting address, or with
    QUIZSITE_TRUSTED_PROXIES set the one the nearest trusted proxy saw."""
    return BaseThrottle().get_ident(request) or ""


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.casefold().encode()).hexdigest()
    return f"quizsite-lockout:{kind}:{digest}"


def _limits(*, username: str, address: str) -> list[tuple[str, int, str]]:
    return [
        (_key("user", username), settings.QUIZSITE_LOCKOUT_FAILURES, ACCOUNT_LOCKED),
        (_key("address", address), settings.QUIZSITE_LOCKOUT_ADDRESS_FAILURES, ADDRESS_LOCKED),
    ]


def refusal(*, username: str, address: str) -> str | None:
    """Why a sign-in for this username from this address is refused now, or None."""
    minutes = math.ceil(settings.QUIZSITE_LOCKOUT_SECONDS / 60)
    counts = cache.get_many([key for key, _, _ in _limits(username=username, address=address)])
    for key, limit, message in _limits(username=username, address=address):
        if counts.get(key, 0) >= limit:
            return message.format(minutes=minutes)
    return None


def record_failure(*, username: str, address: str) -> None:
    timeout = settings.QUIZSITE_LOCKOUT_SECONDS
    for key, _, _ in _limits(username=username, address=address):
        cache.add(key, 0, timeout)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout)
        cache.touch(key, timeout)


def unlock(*, username: str | None = None, address: str | None = None) -> None:
    keys = [_key("user", username)] if username else []
    keys += [_key("address", address)] if address else []
    cache.delete_many(keys)
