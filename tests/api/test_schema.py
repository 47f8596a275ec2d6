"""The OpenAPI schema is valid, and the API keeps to it under generated requests."""

import json

import pytest
import schemathesis
import yaml
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, seed, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SCHEMA_URL = "/api/v1/schema/"
MAX_EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_3(client):
    response = client.get(SCHEMA_URL)

    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    validate(document)


@pytest.mark.django_db
def test_the_docs_page_serves_swagger_ui_from_our_own_static_files(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn.jsdelivr.net" not in page


def _load_schema():
    """The schema as the API serves it, loaded once at collection for schemathesis."""
    generator = SchemaGenerator()
    document = json.loads(OpenApiJsonRenderer().render(generator.get_schema(public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return {
        operation.label: operation
        for operation in (result.ok() for result in loaded.get_all_operations())
    }


OPERATIONS = _load_schema()


@pytest.fixture
def _connection_kept_between_requests():
    """Keep the test's database connection across WSGI requests, as Django's test client does:
    closing it at the end of a request would leave the test's transaction on PostgreSQL."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_connection_kept_between_requests")
@pytest.mark.parametrize("label", sorted(OPERATIONS))
@pytest.mark.parametrize(
    ("caller", "mode"),
    [
        ("owner", GenerationMode.POSITIVE),
        ("student_a", GenerationMode.POSITIVE),
        ("owner", GenerationMode.NEGATIVE),
    ],
)
def test_generated_requests_get_no_server_error_and_follow_the_schema(label, caller, mode, world):
    """Valid requests as a teacher and as a student, and invalid ones, to every operation."""
    headers = {"Authorization": f"Bearer {world.tokens[caller]}"}

    @given(case=OPERATIONS[label].as_strategy(generation_mode=mode))
    @seed(20261125)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
