"""django-lti's tool configuration, made strict, and the launch validation built on it."""

import requests
from django.http import HttpRequest
from lti_tool.models import LtiDeployment, LtiLaunch
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch
from pylti1p3.deployment import Deployment
from pylti1p3.service_connector import ServiceConnector

# Seconds to wait for the LMS (its keyset, tokens, scores, roster) before giving up; a failed
# score is retried from the outbox, so a slow LMS never holds a student's answer for long.
LMS_TIMEOUT_SECONDS = 10


class LmsSession(requests.Session):
    """requests, with a timeout on every call (pylti1p3 sets none)."""

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", LMS_TIMEOUT_SECONDS)
        return super().request(method, url, **kwargs)


class StrictToolConfig(DjangoToolConfig):
    """Accepts only deployments registered (and active) in quizsite.

    django-lti creates an inactive deployment row for any unknown deployment id it sees; here
    an unknown deployment is refused before anything is written.
    """

    def _deployment(self, **lookups) -> Deployment | None:
        if self.registration_uuid is not None:
            lookups["registration__uuid"] = self.registration_uuid
        self.deployment = (
            LtiDeployment.objects.filter(registration__is_active=True, is_active=True, **lookups)
            .select_related("registration")
            .first()
        )
        if self.deployment is None:
            return None
        return Deployment().set_deployment_id(self.deployment.deployment_id)

    def find_deployment(self, iss, deployment_id):
        return self._deployment(registration__issuer=iss, deployment_id=deployment_id)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        return self._deployment(
            registration__issuer=iss,
            registration__client_id=client_id,
            deployment_id=deployment_id,
        )


def launch_validated(request: HttpRequest) -> LtiLaunch:
    """The launch in this request, its id_token checked: state, signature (against the
    platform's JWKS), issuer, audience, expiry, nonce issued by us, deployment. Raises
    pylti1p3's LtiException when any check fails; nothing is written before that."""
    message_launch = DjangoMessageLaunch(
        request,
        StrictToolConfig(),
        launch_data_storage=DjangoCacheDataStorage(),
        requests_session=LmsSession(),
    )
    message_launch.validate()
    return LtiLaunch(message_launch)


def service_connector(registration) -> ServiceConnector:
    """pylti1p3's client for the LMS's services, signed with the tool's key, with timeouts."""
    return ServiceConnector(registration.to_registration(), requests_session=LmsSession())
