"""Shared pieces of the client tests: payloads, canned replies, and the sync/async adapter.

Every behavioural test of the clients is written once and run against both
``CbssClient`` and ``AsyncCbssClient`` through :class:`Flavor`; the
``flavor`` fixture (``flavor = flavor_fixture()`` in a test module) gives
one of each.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import httpx
import pytest
from lxml import etree

from cbss_sdk._client import AsyncCbssClient, CbssClient
from cbss_sdk._credentials import Credentials
from cbss_sdk.errors import SsinUnknown
from cbss_sdk.soap import build_envelope, serialize_envelope
from cbss_sdk.transport import CallInfo, Outcome, SoapReply
from cbss_sdk.wsse import DEFAULT_SIGNING_PROFILE, sign_envelope

#: A valid national number (checksum correct); it must never show up in logs.
SSIN = "85073003328"
CUSTOMER_TICKET = "0f8c2f5e-3b7a-4a8e-9c1d-6a2b7f1e5d40"
CBSS_TICKET = "7d1e4c2a-9b3f-4e6d-8a5c-2f1b0e9d7c63"
TEST_NS = "urn:cbss-sdk:test"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
ELEVEN_DIGITS = re.compile(r"(?<!\d)\d{11}(?!\d)")

ACPT_SOA = "https://bcssksz-services-acpt.smals.be:443/SOA4520/"
ACPT_SSDN = (
    "https://bcssksz-services-acpt.smals.be/connectors/webservice/KSZBCSSWebServiceConnectorPort"
)

# The infos below are unsigned (sign=False) so that tests of other behaviours need no
# credentials; signing itself is tested with SIGNED_INFO.
SOA_INFO = CallInfo(
    service="RetrieveTIGroups",
    operation="retrieveTI",
    path="RetrieveTIGroupsService/v2/retrieveTI",
    soap_action="http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v2/retrieveTI",
    idempotent=True,
    sign=False,
    legal_context="PCSA:RETRIEVE_TI_GROUPS",
    subject=SSIN,
    customer_ticket=CUSTOMER_TICKET,
)
SOA_URL = ACPT_SOA + SOA_INFO.path
#: The same call with the protocol default: SOA requests are signed.
SIGNED_INFO = attrs.evolve(SOA_INFO, sign=None)

#: A call that changes state at CBSS: never sent twice.
WRITE_INFO = CallInfo(
    service="ManageAccess",
    operation="register",
    path="ManageAccessService/register",
    soap_action="urn:test:register",
    idempotent=False,
    sign=False,
    subject=SSIN,
    customer_ticket=CUSTOMER_TICKET,
)
WRITE_URL = ACPT_SOA + WRITE_INFO.path

SSDN_INFO = CallInfo(
    service="OCMWCPASIdentifyPerson",
    operation="sendXML",
    path="",
    soap_action="http://ksz-bcss.fgov.be/connectors/WebServiceConnector/sendXML",
    protocol="ssdn",
    idempotent=True,
    subject=SSIN,
    customer_ticket=CUSTOMER_TICKET,
)


def request_payload(ssin: str = SSIN) -> etree._Element:
    """A request payload naming a person, as a protocol layer would build it."""
    root = etree.Element(f"{{{TEST_NS}}}request", nsmap={"t": TEST_NS})
    etree.SubElement(root, "ssin").text = ssin
    etree.SubElement(root, "ticket").text = CUSTOMER_TICKET
    return root


def reply_payload(ssin: str = SSIN, ticket: str = CBSS_TICKET) -> etree._Element:
    """A reply payload naming the person again and carrying the CBSS ticket."""
    root = etree.Element(f"{{{TEST_NS}}}reply", nsmap={"t": TEST_NS})
    etree.SubElement(root, "ssin").text = ssin
    etree.SubElement(root, "ticketCBSS").text = ticket
    return root


def reply_body(credentials: Credentials | None = None, ssin: str = SSIN) -> bytes:
    """A SOAP reply; signed with ``credentials`` when given."""
    envelope = build_envelope(reply_payload(ssin))
    if credentials is not None:
        sign_envelope(envelope, credentials, DEFAULT_SIGNING_PROFILE)
    return serialize_envelope(envelope)


def fault_body(code: str = "MSG00003") -> bytes:
    """An unsigned CBSS SOAP fault whose texts name the person."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="{SOAP_NS}">
  <soapenv:Body>
    <soapenv:Fault>
      <faultcode>soapenv:Server</faultcode>
      <faultstring>An error occurred while servicing the request for {SSIN}</faultstring>
      <detail>
        <v1:retrieveTIGroupsFault xmlns:v1="http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v1">
          <informationCBSS>
            <ticketCBSS>{CBSS_TICKET}</ticketCBSS>
            <timestampReceive>2024-05-01T10:00:00.000+02:00</timestampReceive>
            <timestampReply>2024-05-01T10:00:01.000+02:00</timestampReply>
          </informationCBSS>
          <detail>
            <severity>FATAL</severity>
            <reasonCode>{code}</reasonCode>
            <diagnostic>Unexpected internal error for {SSIN}</diagnostic>
            <authorCode>CBSS</authorCode>
          </detail>
        </v1:retrieveTIGroupsFault>
      </detail>
    </soapenv:Fault>
  </soapenv:Body>
</soapenv:Envelope>""".encode()


def soap_response(body: bytes, status_code: int = 200) -> httpx.Response:
    return httpx.Response(
        status_code, content=body, headers={"Content-Type": "text/xml; charset=utf-8"}
    )


def html_response(status_code: int = 503) -> httpx.Response:
    page = f"<html><body><h1>Service Unavailable</h1><p>request for {SSIN}</p></body></html>"
    return httpx.Response(status_code, content=page.encode(), headers={"Content-Type": "text/html"})


def interpret_ok(reply: SoapReply) -> Outcome[str]:
    """Return the SSIN found in the reply, labelled DATA_FOUND, with the CBSS ticket."""
    payload = reply.message.payload
    assert payload is not None
    return Outcome(
        value=payload.findtext("ssin") or "",
        label="DATA_FOUND",
        cbss_ticket=payload.findtext("ticketCBSS"),
    )


def interpret_unknown(reply: SoapReply) -> Outcome[str]:
    """A protocol layer reporting MSG00005 (its description names the person)."""
    payload = reply.message.payload
    assert payload is not None
    ticket = payload.findtext("ticketCBSS")
    raise SsinUnknown(description=f"SSIN {SSIN} unknown", tickets=[ticket] if ticket else ())


class Flavor:
    """One of the two clients, with what differs between them hidden."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.client_class: type[CbssClient] | type[AsyncCbssClient] = (
            CbssClient if name == "sync" else AsyncCbssClient
        )
        self.http_class: type[httpx.Client] | type[httpx.AsyncClient] = (
            httpx.Client if name == "sync" else httpx.AsyncClient
        )
        self._clients: list[CbssClient | AsyncCbssClient] = []

    def __repr__(self) -> str:
        return self.name

    def client(self, **kwargs: Any) -> Any:
        """A client of this flavour; closed at the end of the test."""
        client = self.client_class(**kwargs)
        self._clients.append(client)
        return client

    async def call(
        self,
        client: Any,
        info: CallInfo = SOA_INFO,
        payload: etree._Element | None = None,
        interpret: Callable[[SoapReply], Outcome[Any]] = interpret_ok,
    ) -> Any:
        result = client.call(info, payload if payload is not None else request_payload(), interpret)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def close(self, client: Any) -> None:
        if isinstance(client, AsyncCbssClient):
            await client.aclose()
        else:
            client.close()

    def record_sleeps(self, client: Any) -> list[float]:
        """Replace the client's retry wait by a recorder (no real sleeping in tests)."""
        sleeps: list[float] = []
        if self.name == "sync":

            def sleep(seconds: float) -> None:
                sleeps.append(seconds)

            client._sleep = sleep
        else:

            async def asleep(seconds: float) -> None:
                sleeps.append(seconds)

            client._sleep = asleep
        return sleeps

    async def close_all(self) -> None:
        for client in self._clients:
            await self.close(client)


def flavor_fixture() -> Any:
    """A ``flavor`` fixture parametrised over the sync and async clients."""

    @pytest.fixture(params=["sync", "async"])
    async def flavor(request: pytest.FixtureRequest) -> Any:
        chosen = Flavor(request.param)
        yield chosen
        await chosen.close_all()

    return flavor


def no_national_number(*texts: object) -> Iterator[str]:
    """The texts among ``texts`` holding an 11-digit run (expected: none)."""
    for text in texts:
        if text is not None and ELEVEN_DIGITS.search(str(text)):
            yield str(text)
