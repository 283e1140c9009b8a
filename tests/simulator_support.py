"""Shared pieces of the simulator tests: hand-built requests, persona expectations, a tiny population.

The simulator must answer any SOAP client, not only the SDK, so several tests
post envelopes built here by hand (signed or not, valid or not) with plain
httpx and read the raw answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
from lxml import etree

from cbss_sdk import RetrieveTIGroups, TestConnection, catalog
from cbss_sdk.errors import (
    CbssError,
    CbssHttpError,
    CbssTimeout,
    LegalContextRefused,
    NotIntegrated,
    SoapFault,
    SsdnError,
    SsinCancelled,
    SsinReplaced,
    SsinUnknown,
)
from cbss_sdk.soap import build_envelope, read_soap_response, serialize_envelope
from cbss_sdk.ssdn import build_ssdn_request, read_ssdn_reply, wrap_xml_string
from cbss_sdk.testing import SSDN_REASON_CODES, Simulator, make_test_credentials
from cbss_sdk.testing._population import PERSONA_SSINS, UNKNOWN_SSIN
from cbss_sdk.transport import SSDN_CONNECTOR_PATH
from cbss_sdk.wsse import sign_envelope

SOA_PREFIX = "/SOA4520/"
TX25 = catalog.operation("RetrieveTIGroups", "retrieveTI")
ECHO = catalog.operation("TestConnection", "sendTestMessage")
IN_PROCESS = "http://cbss-simulator.test"

#: Persona tag → SSIN (the documented cast of the default population), plus ``unknown``.
PERSONAS: dict[str, str] = {**PERSONA_SSINS, "unknown": UNKNOWN_SSIN}

#: What the SDK raises for each error persona on a SOA consultation (RetrieveTIGroups).
SOA_EXPECTED: dict[str, tuple[type[CbssError], str | None]] = {
    "unknown": (SsinUnknown, "MSG00005"),
    "replaced": (SsinReplaced, "MSG00006"),
    "cancelled": (SsinCancelled, "MSG00007"),
    "not_integrated": (NotIntegrated, "MSG00012"),
    "legal_context_refused": (LegalContextRefused, "MSG00013"),
    "internal_error": (SoapFault, "MSG00003"),
    "slow": (CbssTimeout, None),
    "unavailable": (CbssHttpError, None),
}

#: What the SDK raises for each error persona on an SSDN consultation (PerformInvestigation).
SSDN_EXPECTED: dict[str, tuple[type[CbssError], str | None]] = {
    "unknown": (SsdnError, SSDN_REASON_CODES["MSG00005"]),
    "replaced": (SsdnError, SSDN_REASON_CODES["MSG00006"]),
    "cancelled": (SsdnError, SSDN_REASON_CODES["MSG00007"]),
    "not_integrated": (SsdnError, SSDN_REASON_CODES["MSG00012"]),
    "legal_context_refused": (SsdnError, SSDN_REASON_CODES["MSG00013"]),
    "internal_error": (SoapFault, "MSG00003"),
    "slow": (CbssTimeout, None),
    "unavailable": (CbssHttpError, None),
}


def check_error(
    error: CbssError, persona: str, expected: tuple[type[CbssError], str | None]
) -> None:
    """The raised *error* is the one the SDK promises for *persona*."""
    cls, code = expected
    assert type(error) is cls, f"{persona}: {type(error).__name__} instead of {cls.__name__}"
    if isinstance(error, SsdnError):
        assert error.reason_codes == (code,)
    elif isinstance(error, SoapFault):
        assert error.reason_codes == (code,)
        assert error.faultcode == "soapenv:Server"
    elif isinstance(error, CbssHttpError):
        assert error.status_code == 503
    elif code is not None:
        assert getattr(error, "code", None) == code
    if isinstance(error, SsinReplaced):
        assert error.replacement is not None and error.replacement != PERSONAS["replaced"]


def normal_ssin(sim: Simulator) -> str:
    """A person without any error persona, National Register number, integrated."""
    for person in sim.population:
        if not person.tags and person.integrated and not person.is_bis:
            return person.ssin
    raise AssertionError("the default population has no plain person")


# --------------------------------------------------------------------------- hand-built requests


def tx25_payload(sim: Simulator, ssin: str, **kwargs: Any) -> etree._Element:
    """A RetrieveTIGroups request element as the SDK builds it (CommonV3 header included)."""
    with sim.client() as client:
        facade = RetrieveTIGroups(client)
        return RetrieveTIGroups.retrieve.prepare(facade, ssin, **kwargs).payload


def echo_payload(sim: Simulator, text: str = "hello") -> etree._Element:
    with sim.client() as client:
        return TestConnection.send_test_message.prepare(TestConnection(client), text).payload


def envelope_bytes(
    payload: etree._Element, *, signed: bool = True, now: dt.datetime | None = None
) -> bytes:
    envelope = build_envelope(payload)
    if signed:
        sign_envelope(envelope, make_test_credentials(), now=now)
    return serialize_envelope(envelope)


def ssdn_document(service_id: str, version: str, payload: etree._Element) -> etree._Element:
    from cbss_sdk import Organization
    from cbss_sdk.testing import SIMULATOR_CBE, SIMULATOR_SSDN_USER

    return build_ssdn_request(
        user=SIMULATOR_SSDN_USER,
        organization=Organization(cbe_number=SIMULATOR_CBE),
        reference="test-reference-1",
        sent=dt.datetime.now(dt.timezone.utc),
        service_id=service_id,
        version=version,
        payload=payload,
    )


def ssdn_bytes(document: etree._Element) -> bytes:
    return serialize_envelope(build_envelope(wrap_xml_string(document)))


def post(
    client: httpx.Client,
    path: str,
    body: bytes,
    soap_action: str | None,
) -> httpx.Response:
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    if soap_action is not None:
        headers["SOAPAction"] = f'"{soap_action}"'
    return client.post(path, content=body, headers=headers)


def raw_client(sim: Simulator) -> httpx.Client:
    """Plain httpx, in process, to the simulator (no SDK involved)."""
    return httpx.Client(transport=sim.transport(), base_url=IN_PROCESS)


def post_tx25(client: httpx.Client, body: bytes) -> httpx.Response:
    return post(client, SOA_PREFIX + TX25.path, body, TX25.soap_action)


def post_ssdn(client: httpx.Client, body: bytes) -> httpx.Response:
    return post(client, SSDN_CONNECTOR_PATH, body, catalog.SSDN_SOAP_ACTION)


def soap_message(response: httpx.Response) -> Any:
    """The SDK's reading of a raw reply (raises SoapFault, CbssHttpError, ...)."""
    return read_soap_response(
        response.status_code, response.headers.get("content-type"), response.content
    )


def ssdn_reply(response: httpx.Response) -> Any:
    message = soap_message(response)
    from cbss_sdk.soap import DEFAULT_XML_LIMITS

    return read_ssdn_reply(message.payload, limits=DEFAULT_XML_LIMITS)


def children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in element.iter(etree.Element):
        if etree.QName(child).localname == name:
            yield child


# --------------------------------------------------------------------------- a tiny population


@attrs.frozen
class TinyPerson:
    """The little the engine needs of a person (a stand-in for the content's Person)."""

    ssin: str
    tags: frozenset[str] = frozenset()
    replaced_by: str | None = None
    integrated: bool = True


class TinyPopulation:
    """A population of a few people, independent of the default one."""

    def __init__(self, *people: TinyPerson) -> None:
        self._people = {p.ssin: p for p in people}

    def get(self, ssin: str) -> TinyPerson | None:
        return self._people.get(ssin)

    def __iter__(self) -> Iterator[TinyPerson]:
        return iter(self._people.values())
