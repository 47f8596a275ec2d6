"""Personal API tokens: only the SHA-256 hash of a token is stored; the token is shown once."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User

from questions.models import ApiToken

TOKEN_PREFIX = "qs_"
PREFIX_LENGTH = 11
LAST_USED_RESOLUTION = timedelta(minutes=5)
"""last_used_at is written at most this often per token, so reads stay reads."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str
    """The token itself, shown to its owner once and never stored."""


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str) -> NewToken:
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=token_hash(key), prefix=key[:PREFIX_LENGTH]
    )
    return NewToken(token=token, key=key)


def token_revoke(*, token: ApiToken, now: datetime) -> ApiToken:
    """Revoke a token for good; revoking it again changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, key: str, now: datetime) -> ApiToken | None:
    """The live token with this key, with its user and the user's profile (which nearly every
    request reads); None when unknown, revoked or inactive."""
    token = (
        ApiToken.objects.select_related("user__profile")
        .filter(key_hash=token_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # A filtered update, so concurrent requests write it once and never move it back.
        ApiToken.objects.filter(pk=token.pk).exclude(
            last_used_at__gt=now - LAST_USED_RESOLUTION
        ).update(last_used_at=now)
        token.last_used_at = now
    return token
