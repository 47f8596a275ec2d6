"""One base of domain errors, mapped once by the API's exception handler and once for the pages."""

import pytest
from django.test import RequestFactory

from questions.api.errors import exception_handler
from questions.errors import Conflict, DomainError, NotAllowed, NotFound
from questions.web.errors import response_for_domain_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (DomainError("Bad."), 400, "invalid"),
        (NotFound("No such thing."), 404, "not_found"),
        (NotAllowed("Not yours."), 403, "permission_denied"),
        (Conflict("Already."), 409, "conflict"),
    ],
)
def test_each_domain_error_keeps_its_status_and_message_in_the_api_and_on_the_pages(
    error, status, code
):
    api = exception_handler(error, {})
    page = response_for_domain_error(RequestFactory().get("/"), error)

    assert (api.status_code, page.status_code) == (status, status)
    assert api.data["error"]["code"] == code
    assert api.data["error"]["message"] == error.message


def test_an_error_about_named_inputs_is_a_400_listing_them_in_the_api():
    error = NotFound("No set.", fields={"set": ["No set."], "topic": ["No topic."]})

    api = exception_handler(error, {})

    assert api.status_code == 400
    assert api.data["error"]["fields"] == {"set": ["No set."], "topic": ["No topic."]}
