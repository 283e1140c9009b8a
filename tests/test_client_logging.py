"""Logging: exactly one INFO record per call, structured fields, and never a national number."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from client_support import (
    CBSS_TICKET,
    CUSTOMER_TICKET,
    SOA_URL,
    SSIN,
    WRITE_INFO,
    WRITE_URL,
    Flavor,
    fault_body,
    flavor_fixture,
    html_response,
    interpret_ok,
    interpret_unknown,
    no_national_number,
    reply_body,
    soap_response,
)

from cbss_sdk._redact import MASK
from cbss_sdk.errors import CbssError
from cbss_sdk.transport import RetryPolicy

flavor = flavor_fixture()

#: Every way a call can end, with what the mock answers and how the reply is interpreted.
SCENARIOS: dict[str, tuple[Any, Callable[..., Any]]] = {
    "success": (soap_response(reply_body()), interpret_ok),
    "business-error": (soap_response(reply_body()), interpret_unknown),
    "fault": (soap_response(fault_body(), 500), interpret_ok),
    "http-error": (html_response(503), interpret_ok),
    "connect-error": (httpx.ConnectError(f"refused while sending {SSIN}"), interpret_ok),
    "timeout": (httpx.ReadTimeout(f"timed out reading {SSIN}"), interpret_ok),
    "not-soap": (httpx.Response(200, text=f"ssin={SSIN}"), interpret_ok),
}


def mock(router: respx.MockRouter, url: str, answer: Any) -> respx.Route:
    route = router.post(url)
    if isinstance(answer, Exception):
        return route.mock(side_effect=answer)
    return route.mock(return_value=answer)


def record_texts(record: logging.LogRecord) -> list[str]:
    """Everything a handler could write out of a record."""
    texts = [record.getMessage(), str(record.args)]
    if record.exc_info and record.exc_info[1] is not None:
        texts.append(str(record.exc_info[1]))
    texts.append(repr(getattr(record, "cbss", None)))
    return texts


async def run_scenario(flavor: Flavor, router: respx.MockRouter, name: str, **kwargs: Any) -> None:
    answer, interpret = SCENARIOS[name]
    mock(router, SOA_URL, answer)
    client = flavor.client(verification="off", retry=RetryPolicy(jitter=False), **kwargs)
    flavor.record_sleeps(client)
    try:
        await flavor.call(client, interpret=interpret)
    except CbssError:
        assert name != "success"
    else:
        assert name == "success"


def info_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.levelno == logging.INFO and r.name.startswith("cbss_sdk")
    ]


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_one_info_record_and_no_national_number(
    flavor: Flavor,
    respx_mock: respx.MockRouter,
    caplog: pytest.LogCaptureFixture,
    scenario: str,
) -> None:
    caplog.set_level(logging.DEBUG, logger="cbss_sdk")
    await run_scenario(flavor, respx_mock, scenario)
    assert len(info_records(caplog)) == 1
    for record in caplog.records:
        assert list(no_national_number(*record_texts(record))) == [], record.getMessage()


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_bodies_are_masked_when_logged(
    flavor: Flavor,
    respx_mock: respx.MockRouter,
    caplog: pytest.LogCaptureFixture,
    scenario: str,
) -> None:
    caplog.set_level(logging.DEBUG, logger="cbss_sdk")
    await run_scenario(flavor, respx_mock, scenario, log_bodies=True)
    assert len(info_records(caplog)) == 1
    for record in caplog.records:
        assert list(no_national_number(*record_texts(record))) == [], record.getMessage()
    bodies = [r for r in caplog.records if r.levelno == logging.DEBUG and " body" in r.msg]
    assert bodies, "log_bodies=True logs the request body"
    assert MASK in bodies[0].getMessage()


async def test_bodies_are_not_logged_by_default(
    flavor: Flavor, respx_mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="cbss_sdk")
    await run_scenario(flavor, respx_mock, "success")
    assert not any("Envelope" in r.getMessage() for r in caplog.records)


async def test_the_info_record_carries_structured_fields(
    flavor: Flavor, respx_mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="cbss_sdk")
    await run_scenario(flavor, respx_mock, "success")
    (record,) = info_records(caplog)
    assert record.name == "cbss_sdk.transport"
    fields = record.cbss  # type: ignore[attr-defined]
    assert fields["service"] == "RetrieveTIGroups"
    assert fields["operation"] == "retrieveTI"
    assert fields["environment"] == "acpt"
    assert fields["customer_ticket"] == CUSTOMER_TICKET
    assert fields["cbss_ticket"] == CBSS_TICKET
    assert fields["outcome"] == "DATA_FOUND"
    assert fields["error"] is None
    assert fields["attempts"] == 1
    assert fields["duration_ms"] >= 0
    message = record.getMessage()
    assert "RetrieveTIGroups.retrieveTI" in message
    assert "DATA_FOUND" in message
    assert CBSS_TICKET in message


@pytest.mark.parametrize(
    ("scenario", "error"),
    [
        ("business-error", "SsinUnknown MSG00005"),
        ("fault", "SoapFault soapenv:Server MSG00003"),
        ("http-error", "CbssHttpError 503"),
        ("connect-error", "CbssConnectError"),
        ("timeout", "CbssTimeout"),
    ],
)
async def test_failures_are_logged_with_class_and_code(
    flavor: Flavor,
    respx_mock: respx.MockRouter,
    caplog: pytest.LogCaptureFixture,
    scenario: str,
    error: str,
) -> None:
    caplog.set_level(logging.INFO, logger="cbss_sdk")
    await run_scenario(flavor, respx_mock, scenario)
    (record,) = info_records(caplog)
    assert record.cbss["error"] == error  # type: ignore[attr-defined]
    assert record.cbss["outcome"] == "error"  # type: ignore[attr-defined]
    assert error in record.getMessage()


async def test_retries_still_make_one_info_record(
    flavor: Flavor, respx_mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="cbss_sdk")
    respx_mock.post(SOA_URL).mock(
        side_effect=[httpx.ConnectError("refused"), html_response(503), soap_response(reply_body())]
    )
    client = flavor.client(verification="off", retry=RetryPolicy(jitter=False))
    flavor.record_sleeps(client)
    await flavor.call(client)
    (record,) = info_records(caplog)
    assert record.cbss["attempts"] == 3  # type: ignore[attr-defined]
    retries = [r for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) == 2
    assert all(r.levelno == logging.DEBUG for r in retries)


async def test_non_idempotent_failure_is_logged_once(
    flavor: Flavor, respx_mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="cbss_sdk")
    respx_mock.post(WRITE_URL).mock(return_value=html_response(503))
    client = flavor.client(verification="off")
    with pytest.raises(CbssError):
        await flavor.call(client, WRITE_INFO)
    (record,) = info_records(caplog)
    assert record.cbss["service"] == "ManageAccess"  # type: ignore[attr-defined]


async def test_nothing_is_logged_when_the_logger_is_silenced(
    flavor: Flavor, respx_mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="cbss_sdk")
    await run_scenario(flavor, respx_mock, "success", log_bodies=True)
    assert [r for r in caplog.records if r.name.startswith("cbss_sdk")] == []
