"""Registering an LMS platform with quizsite (the admin does the same by hand)."""

from django.db import transaction
from lti_tool.models import Key, LtiDeployment, LtiRegistration


@transaction.atomic
def platform_register(
    *,
    name: str,
    issuer: str,
    client_id: str,
    auth_url: str,
    token_url: str,
    keyset_url: str,
    deployment_ids: list[str],
    audience: str = "",
) -> tuple[LtiRegistration, bool]:
    """Create or update the registration for (issuer, client id), with active deployments.
    The tool gets its first signing key here when it has none (`rotate_keys` makes more)."""
    registration, created = LtiRegistration.objects.update_or_create(
        issuer=issuer,
        client_id=client_id,
        defaults={
            "name": name,
            "auth_url": auth_url,
            "token_url": token_url,
            "keyset_url": keyset_url,
            "audience": audience,
            "is_active": True,
        },
    )
    registration.full_clean()
    for deployment_id in deployment_ids:
        LtiDeployment.objects.update_or_create(
            registration=registration, deployment_id=deployment_id, defaults={"is_active": True}
        )
    if not Key.objects.active().exists():
        Key.objects.generate()
    return registration, created
