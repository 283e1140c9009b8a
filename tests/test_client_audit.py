"""The audit journal: one record per call, the subject as the only personal field, acting users."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import httpx
import pytest
import respx
from client_support import (
    CBSS_TICKET,
    CUSTOMER_TICKET,
    SIGNED_INFO,
    SOA_INFO,
    SOA_URL,
    SSIN,
    Flavor,
    fault_body,
    flavor_fixture,
    html_response,
    interpret_ok,
    interpret_unknown,
    no_national_number,
    reply_body,
    request_payload,
    soap_response,
)

from cbss_sdk import Organization
from cbss_sdk._client import AsyncCbssClient
from cbss_sdk.errors import CbssError, ConfigurationError, SsinUnknown
from cbss_sdk.transport import AuditRecord, RetryPolicy

flavor = flavor_fixture()

ORG = Organization(cbe_number="0212344876")
TEXT_FIELDS = [
    f.name
    for f in attrs.fields(AuditRecord)
    if f.name not in ("timestamp", "duration_ms", "subject")
]


class Journal:
    def __init__(self) -> None:
        self.records: list[AuditRecord] = []

    def __call__(self, record: AuditRecord) -> None:
        self.records.append(record)


def make(flavor: Flavor, journal: Journal, **kwargs: Any) -> Any:
    kwargs.setdefault("verification", "off")
    kwargs.setdefault("retry", RetryPolicy(jitter=False))
    client = flavor.client(audit_hook=journal, organization=ORG, **kwargs)
    flavor.record_sleeps(client)
    return client


async def test_a_successful_call_is_journaled(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    journal = Journal()
    client = make(flavor, journal, user="jdoe")
    before = datetime.now(timezone.utc)
    await flavor.call(client)
    (record,) = journal.records
    assert record.timestamp.tzinfo is not None
    assert record.timestamp.utcoffset() == timedelta(0)
    assert before <= record.timestamp <= datetime.now(timezone.utc)
    assert record.environment == "acpt"
    assert record.organization == "cbe:0212344876"
    assert record.user == "jdoe"
    assert (record.service, record.operation) == ("RetrieveTIGroups", "retrieveTI")
    assert record.legal_context == "PCSA:RETRIEVE_TI_GROUPS"
    assert record.subject == SSIN
    assert record.customer_ticket == CUSTOMER_TICKET
    assert record.cbss_ticket == CBSS_TICKET
    assert record.outcome == "DATA_FOUND"
    assert record.error is None
    assert record.duration_ms >= 0
    assert SSIN not in repr(record)


FAILURES: dict[str, tuple[Any, Any, str, str | None]] = {
    "business": (
        soap_response(reply_body()),
        interpret_unknown,
        "SsinUnknown MSG00005",
        CBSS_TICKET,
    ),
    "fault": (
        soap_response(fault_body(), 500),
        interpret_ok,
        "SoapFault soapenv:Server MSG00003",
        CBSS_TICKET,
    ),
    "http": (html_response(503), interpret_ok, "CbssHttpError 503", None),
    "connect": (httpx.ConnectError(f"refused {SSIN}"), interpret_ok, "CbssConnectError", None),
}


@pytest.mark.parametrize("name", list(FAILURES))
async def test_a_failed_call_is_journaled(
    flavor: Flavor, respx_mock: respx.MockRouter, name: str
) -> None:
    answer, interpret, error, cbss_ticket = FAILURES[name]
    route = respx_mock.post(SOA_URL)
    if isinstance(answer, Exception):
        route.mock(side_effect=answer)
    else:
        route.mock(return_value=answer)
    journal = Journal()
    client = make(flavor, journal)
    with pytest.raises(CbssError):
        await flavor.call(client, interpret=interpret)
    (record,) = journal.records  # one record, retries included
    assert record.outcome == "error"
    assert record.error == error
    assert record.cbss_ticket == cbss_ticket
    assert record.subject == SSIN
    assert record.customer_ticket == CUSTOMER_TICKET


async def test_a_call_refused_before_sending_is_journaled(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    journal = Journal()
    client = make(flavor, journal)
    with pytest.raises(ConfigurationError):
        await flavor.call(client, SIGNED_INFO)  # no credentials
    assert route.call_count == 0
    (record,) = journal.records
    assert record.error == "ConfigurationError"


@pytest.mark.parametrize("name", ["success", *FAILURES])
async def test_only_the_subject_holds_a_national_number(
    flavor: Flavor, respx_mock: respx.MockRouter, name: str
) -> None:
    if name == "success":
        answer, interpret = soap_response(reply_body()), interpret_ok
    else:
        answer, interpret, _, _ = FAILURES[name]
    route = respx_mock.post(SOA_URL)
    if isinstance(answer, Exception):
        route.mock(side_effect=answer)
    else:
        route.mock(return_value=answer)
    journal = Journal()
    # Even a careless caller putting a national number in the user or legal context is masked.
    client = make(flavor, journal, user=f"clerk-{SSIN}")
    info = attrs.evolve(SOA_INFO, legal_context=f"context {SSIN}")
    with contextlib.suppress(CbssError):
        await flavor.call(client, info, interpret=interpret)
    (record,) = journal.records
    texts = [getattr(record, field) for field in TEXT_FIELDS]
    assert list(no_national_number(*texts)) == []
    assert record.subject == SSIN


def test_audit_record_masks_its_text_fields() -> None:
    record = AuditRecord(
        timestamp=datetime.now(timezone.utc),
        environment="acpt",
        organization="cbe:0212344876",
        user=SSIN,
        service="S",
        operation="o",
        legal_context=None,
        subject=SSIN,
        customer_ticket=None,
        cbss_ticket=None,
        outcome="ok",
        error=f"X {SSIN}",
        duration_ms=1.0,
    )
    assert record.user == "***********"
    assert record.error == "X ***********"
    assert record.subject == SSIN


# -- acting users --------------------------------------------------------------------------


async def test_acting_as_overrides_the_user_within_the_block(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    journal = Journal()
    client = make(flavor, journal, user="batch")
    other = make(flavor, Journal(), user="other")
    with client.acting_as("jdoe"):
        assert client.user == "jdoe"
        assert other.user == "other"  # another client is not affected
        await flavor.call(client)
        with client.acting_as("asmith"):
            await flavor.call(client)
        await flavor.call(client)
    await flavor.call(client)
    assert [r.user for r in journal.records] == ["jdoe", "asmith", "jdoe", "batch"]


def test_acting_as_needs_a_name(flavor: Flavor) -> None:
    client = flavor.client()
    with pytest.raises(ConfigurationError), client.acting_as(""):
        pass


async def test_acting_as_follows_asyncio_tasks(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    journal = Journal()
    async with AsyncCbssClient(verification="off", audit_hook=journal) as client:

        async def consult(user: str) -> str:
            with client.acting_as(user):
                await asyncio.sleep(0)
                await client.call(SOA_INFO, request_payload(), interpret_ok)
                await asyncio.sleep(0)
                return client.user or ""

        seen = await asyncio.gather(*(consult(f"user{i}") for i in range(5)))
    assert seen == [f"user{i}" for i in range(5)]
    assert sorted(r.user or "" for r in journal.records) == [f"user{i}" for i in range(5)]


# -- a failing hook ------------------------------------------------------------------------


class JournalDown(Exception):
    pass


def failing_hook(record: AuditRecord) -> None:
    raise JournalDown(f"cannot store {record.subject}")


async def test_a_failing_hook_fails_a_successful_call(
    flavor: Flavor, respx_mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="cbss_sdk")
    respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification="off", audit_hook=failing_hook)
    with pytest.raises(JournalDown):
        await flavor.call(client)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "audit hook failed" in errors[0].getMessage()
    assert "JournalDown" in errors[0].getMessage()
    assert SSIN not in errors[0].getMessage()


async def test_a_failing_hook_wins_over_the_call_error(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification="off", audit_hook=failing_hook)
    with pytest.raises(JournalDown) as caught:
        await flavor.call(client, interpret=interpret_unknown)
    assert isinstance(caught.value.__context__, SsinUnknown)


class Abort(BaseException):
    """Stands for KeyboardInterrupt or task cancellation."""


async def test_an_interrupted_call_is_journaled_and_the_interruption_kept(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    def interrupt(request: httpx.Request) -> httpx.Response:
        raise Abort

    respx_mock.post(SOA_URL).mock(side_effect=interrupt)
    journal = Journal()
    client = make(flavor, journal)
    with pytest.raises(Abort):
        await flavor.call(client)
    (record,) = journal.records
    assert record.error == "Abort"
    failing = flavor.client(verification="off", audit_hook=failing_hook)
    with pytest.raises(Abort):
        await flavor.call(failing)


async def test_no_hook_no_record(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification="off")
    assert await flavor.call(client) == SSIN
