"""Authentication is one query: the user comes with their profile, by token or by session."""

import pytest
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from questions.api.authentication import ApiTokenAuthentication
from questions.auth import LockoutModelBackend
from questions.models import Profile
from questions.services.tokens import token_create
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def student():
    user = StudentFactory()
    Profile.objects.get_or_create(user=user)
    return user


def test_a_token_brings_its_user_and_the_users_profile_in_one_query(
    student, django_assert_num_queries
):
    key = token_create(user=student, name="cli").key
    authentication = ApiTokenAuthentication()
    request = APIRequestFactory().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}")
    authentication.authenticate(request)  # the first use writes last_used_at

    # SELECT the token joined to its user and the user's profile.
    with django_assert_num_queries(1):
        user, token = authentication.authenticate(request)
        assert user.profile.pk == student.profile.pk
        assert token.user_id == student.pk
    assert token.last_used_at <= timezone.now()


def test_a_session_brings_its_user_and_the_users_profile_in_one_query(
    student, django_assert_num_queries
):
    # SELECT the user joined to their profile.
    with django_assert_num_queries(1):
        user = LockoutModelBackend().get_user(student.pk)
        assert user.profile.pk == student.profile.pk


def test_a_session_of_a_user_without_a_profile_row_still_signs_in(django_assert_num_queries):
    user = StudentFactory()
    Profile.objects.filter(user=user).delete()

    with django_assert_num_queries(1):
        found = LockoutModelBackend().get_user(user.pk)
        assert not hasattr(found, "profile")
    assert found == user


def test_a_session_of_an_inactive_or_deleted_user_is_no_user():
    user = StudentFactory(is_active=False)
    assert LockoutModelBackend().get_user(user.pk) is None
    assert LockoutModelBackend().get_user(user.pk + 1000) is None
