"""The schema tells the truth: integer parameters carry their range, the errors every
operation can answer are documented, and the set export names each file's content type."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from questions.formats.registry import FORMATS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_integer_parameter_has_a_minimum(schema):
    missing = [
        (method, path, parameter["name"])
        for path, method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["schema"].get("type") == "integer" and "minimum" not in parameter["schema"]
    ]

    assert missing == []


@pytest.mark.parametrize("code", ["413", "414", "429"])
def test_every_operation_documents_the_limits_it_enforces(schema, code):
    undocumented = [
        (method, path)
        for path, method, operation in operations(schema)
        if code not in operation["responses"]
    ]

    assert undocumented == []


def test_the_set_export_lists_the_content_type_of_every_format(schema):
    content = schema["paths"]["/api/v1/sets/{set_id}/export/"]["get"]["responses"]["200"]["content"]

    assert set(content) == {fmt.content_type.split(";")[0] for fmt in FORMATS.values()}


def test_page_size_is_bounded_in_the_schema(schema, settings):
    listing = schema["paths"]["/api/v1/sets/"]["get"]
    page_size = next(p for p in listing["parameters"] if p["name"] == "page_size")

    assert page_size["schema"]["minimum"] == 1
    assert page_size["schema"]["maximum"] == settings.QUIZSITE_MAX_PAGE_SIZE
