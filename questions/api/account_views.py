"""The API's accounts: token login, tokens, and the caller's own profile."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, mixins, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from questions import lockout
from questions.api import errors
from questions.api.account_serializers import (
    LoginSerializer,
    NewTokenSerializer,
    ProfileSerializer,
    TokenSerializer,
)
from questions.api.authentication import ApiTokenAuthentication
from questions.api.views import ApiViewMixin
from questions.models import (
    ApiToken,
    Profile,
)
from questions.selectors.banks import (
    tokens_of,
)
from questions.services.accounts import profile_update
from questions.services.tokens import token_create, token_revoke
from questions.throttling import ScopedThrottle

WRONG_CREDENTIALS = "The username or password is wrong."


class TokenLoginView(ApiViewMixin, APIView):
    """Exchange a username and password for a new personal API token (shown once)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"

    def get_authenticate_header(self, request):
        return ApiTokenAuthentication().authenticate_header(request)

    @extend_schema(
        request=LoginSerializer,
        responses={201: NewTokenSerializer},
        auth=[],
        tags=["tokens"],
    )
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        locked = lockout.refusal(
            username=serializer.validated_data["username"], address=lockout.client_address(request)
        )
        if locked:
            raise errors.SignInLocked(locked, wait=settings.QUIZSITE_LOCKOUT_SECONDS)
        user = authenticate(
            request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise exceptions.AuthenticationFailed(WRONG_CREDENTIALS)
        new = token_create(user=user, name=serializer.validated_data["token_name"])
        body = NewTokenSerializer(new.token).data | {"token": new.key}
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["tokens"], responses={200: TokenSerializer})
class TokenViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your personal API tokens. Only a hash is kept; a token is shown once, when created."""

    serializer_class = TokenSerializer
    queryset = ApiToken.objects.none()

    def visible_queryset(self):
        return tokens_of(self.request.user)

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            self.throttle_scope = "token_create"
            throttles.append(ScopedThrottle())
        return throttles

    @extend_schema(request=TokenSerializer, responses={201: NewTokenSerializer})
    def create(self, request):
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = token_create(user=request.user, name=serializer.validated_data["name"])
        body = NewTokenSerializer(new.token).data | {"token": new.key}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        """Revoke the token: it stops working at once and stays listed as revoked."""
        token_revoke(token=self.get_object(), now=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["me"])
class MeView(ApiViewMixin, generics.RetrieveUpdateAPIView):
    """Your profile and study settings; FSRS parameters fitted to your reviews are read-only."""

    serializer_class = ProfileSerializer

    def get_object(self):
        profile, _ = Profile.objects.select_related("user").get_or_create(user=self.request.user)
        return profile

    @extend_schema(responses={200: ProfileSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def perform_update(self, serializer):
        profile = serializer.instance
        data = serializer.validated_data
        updated = profile_update(
            user=self.request.user,
            time_zone=data.get("time_zone", profile.time_zone),
            desired_retention=data.get("desired_retention", profile.desired_retention),
            day_starts_at_hour=data.get("day_starts_at_hour", profile.day_starts_at_hour),
            new_cards_per_day=data.get("new_cards_per_day", profile.new_cards_per_day),
            session_size=data.get("session_size", profile.session_size),
        )
        updated.user = self.request.user
        serializer.instance = updated
