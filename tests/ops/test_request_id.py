import json
import logging

import pytest
from django.test import Client

from quizsite.ops.request_id import RequestIdLogFilter, current_request_id

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_new_request_id():
    first = Client().get("/healthz")["X-Request-ID"]
    second = Client().get("/healthz")["X-Request-ID"]

    assert len(first) == 32
    assert first != second


def test_a_clients_request_id_is_ignored_unless_the_proxy_is_trusted():
    response = Client().get("/healthz", headers={"X-Request-ID": "forged-by-client-1"})

    assert response["X-Request-ID"] != "forged-by-client-1"


@pytest.mark.parametrize(
    ("given", "kept"),
    [("lb-0123456789abcdef", True), ("short", False), ("bad id\nwith newline", False)],
)
def test_a_trusted_proxys_request_id_is_kept_when_it_is_well_formed(settings, given, kept):
    settings.QUIZSITE_TRUST_REQUEST_ID = True

    response = Client().get("/healthz", headers={"X-Request-ID": given})

    assert (response["X-Request-ID"] == given) is kept


def test_log_records_written_during_a_request_carry_its_id():
    record = logging.LogRecord("questions", logging.INFO, __file__, 1, "answered", None, None)
    token = current_request_id.set("abc123abc123")
    try:
        RequestIdLogFilter().filter(record)
    finally:
        current_request_id.reset(token)

    assert record.request_id == "abc123abc123"


def test_the_json_log_format_writes_one_object_a_line_with_the_request_id(settings):
    from logging.config import dictConfig

    formatter_config = settings.LOGGING["formatters"]["json"]
    dictConfig({"version": 1, "formatters": {"json": formatter_config}})
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(
        formatter_config["format"], rename_fields=formatter_config["rename_fields"]
    )
    record = logging.LogRecord("questions", logging.WARNING, __file__, 1, "slow step", None, None)
    record.request_id = "req-42-req-42"

    line = json.loads(formatter.format(record))

    assert line["level"] == "WARNING"
    assert line["logger"] == "questions"
    assert line["message"] == "slow step"
    assert line["request_id"] == "req-42-req-42"
