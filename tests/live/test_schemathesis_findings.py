from tests.live.schemathesis_run import INTENDED, failing, unexpected

INTENDED_ONE = next(iter(INTENDED))


def test_an_intended_finding_neither_fails_nor_is_new():
    found = [(*INTENDED_ONE, "title")]

    assert unexpected(found) == []
    assert failing(found) == []


def test_a_new_wrongly_judged_request_is_reported_but_does_not_fail_the_run():
    found = [("GET /api/v1/nowhere/", "ST202", "Schema-valid request rejected")]

    assert unexpected(found) == found
    assert failing(found) == []


def test_a_server_error_or_a_response_outside_the_schema_fails_the_run():
    found = [
        ("GET /api/v1/nowhere/", "ST100", "Server error"),
        ("GET /api/v1/nowhere/", "ST108", "Response violates schema"),
    ]

    assert failing(found) == found
