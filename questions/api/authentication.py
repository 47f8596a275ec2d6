"""Personal API tokens in the Authorization header: `Bearer <token>` or `Token <token>`."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from questions.api import errors
from questions.services.tokens import token_authenticate

KEYWORDS = (b"bearer", b"token")
MALFORMED_HEADER = (
    "Send the header as 'Authorization: Bearer <token>', with the token and nothing else after it."
)


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(MALFORMED_HEADER)
        try:
            key = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(MALFORMED_HEADER) from None
        token = token_authenticate(key=key, now=timezone.now())
        if token is None:
            raise exceptions.AuthenticationFailed(errors.TOKEN_INVALID)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token from POST /api/v1/tokens/ or POST /api/v1/auth/token/, "
                "sent as 'Authorization: Bearer <token>' ('Token <token>' works too)."
            ),
        }
