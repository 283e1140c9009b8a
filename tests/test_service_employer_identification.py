"""Employer identification (A701 through SSDN XMLite): NSSO numbers, ClassicPrefix, replies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from lxml import etree
from social_support import client, schema, simulator

from cbss_sdk.errors import ConfigurationError, RequestValidationError, SsdnError
from cbss_sdk.services._employer_identification import (
    EmployerIdentification,
    EmployerIdentificationResult,
    classic_prefix,
    nsso_number_argument,
)
from cbss_sdk.testing._services._social import EMPLOYERS
from cbss_sdk.testing._services.employer_identification import SOURCE_DOWN_NUMBER

IDENTIFY = EmployerIdentification.identify
SERVICE_NS = "{http://www.ksz-bcss.fgov.be/XSD/SSDN/Service}"
MESSAGE_NS = "{http://www.ksz-bcss.fgov.be/XSD/Message}"
FLOW_NS = "{http://www.ksz-bcss.fgov.be/XmlSchema}"


def prepare(number: str, **kwargs: Any) -> Any:
    return IDENTIFY.prepare(EmployerIdentification(client()), number, **kwargs)


def ssdn_request(prepared: Any) -> etree._Element:
    """The SSDNRequest document carried as the text of xmlString."""
    return etree.fromstring(prepared.payload.text.encode())


def message(prepared: Any) -> etree._Element:
    found = ssdn_request(prepared).find(f"{SERVICE_NS}ServiceRequest/{MESSAGE_NS}Message")
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0093000051", "0093000051"),
        ("093000051", "0093000051"),
        ("009.300.00-51", "0093000051"),
        ("5112345678", "5112345678"),
    ],
)
def test_nsso_numbers(value: str, expected: str) -> None:
    assert nsso_number_argument(value) == expected


@pytest.mark.parametrize(
    "value", ["", "12345678", "1093000051", "52123456789", "00930000A1", 93000051]
)
def test_bad_nsso_numbers(value: Any) -> None:
    with pytest.raises(RequestValidationError) as caught:
        prepare(value)
    assert caught.value.field == "nsso_number"


def test_the_modeled_classic_prefix() -> None:
    moment = dt.datetime(2025, 6, 16, 9, 30, 5, tzinfo=dt.timezone.utc)
    prefix = classic_prefix("A701", user_id="00901234567", moment=moment)
    assert len(prefix) == 56
    assert prefix == "A701" + "00901234567" + "0" * 11 + "20250616093005" + "0" * 16
    with_person = classic_prefix(
        "L950",
        user_id="123",
        moment=moment,
        ssin="85073003328",
        period=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    )
    assert (
        with_person
        == "L950" + "00000000123" + "85073003328" + "20250616093005" + "2024010120241231"
    )
    with pytest.raises(RequestValidationError):
        classic_prefix("a701", user_id="1", moment=moment)
    with pytest.raises(RequestValidationError):
        classic_prefix("A701", user_id="1", moment=dt.datetime(2025, 1, 1))


def test_the_request_validates_against_our_schema() -> None:
    prepared = prepare("093000051")
    payload = message(prepared)
    schema("ssdn/XMLite/20051206/XMLite.xsd").assertValid(payload)
    request = ssdn_request(prepared)
    assert request.findtext(f"{SERVICE_NS}ServiceRequest/{SERVICE_NS}ServiceId") == "XMLite"
    assert request.findtext(f"{SERVICE_NS}ServiceRequest/{SERVICE_NS}Version") == "20051206"
    flow = payload.find(f"{MESSAGE_NS}Data/{MESSAGE_NS}XML/{FLOW_NS}A701")
    assert flow is not None and flow.get("processType") == "L" and flow.get("version") == "001"
    number = flow.findtext(
        f"{FLOW_NS}Request/{FLOW_NS}Employer/{FLOW_NS}FirmID/{FLOW_NS}NLOSSRegistrationNbr"
    )
    assert number == "0093000051"
    prefix = payload.findtext(f"{MESSAGE_NS}Header/{MESSAGE_NS}ClassicPrefix")
    assert prefix is not None and prefix.startswith("A70100901234567") and len(prefix) == 56


def test_a_caller_prefix_replaces_the_modeled_one() -> None:
    payload = message(prepare("0093000051", classic_prefix="A701 MY OWN LAYOUT"))
    assert payload.findtext(f"{MESSAGE_NS}Header/{MESSAGE_NS}ClassicPrefix") == "A701 MY OWN LAYOUT"
    for bad in ("", "x" * 1025, "tab\there", "é"):
        with pytest.raises(RequestValidationError) as caught:
            prepare("0093000051", classic_prefix=bad)
        assert caught.value.field == "classic_prefix"


def test_a_client_without_ssdn_user_is_a_configuration_error() -> None:
    from cbss_sdk._client import CbssClient
    from cbss_sdk._organization import Organization

    bare = CbssClient(environment="acpt", organization=Organization(cbe_number="0212344876"))
    with pytest.raises(ConfigurationError):
        IDENTIFY.prepare(EmployerIdentification(bare), "0093000051")


def test_through_the_simulator_sync() -> None:
    employer = EMPLOYERS[3]
    with simulator("employer_identification").client() as cbss:
        result = EmployerIdentification(cbss).identify(employer.nsso_number)
        unknown = EmployerIdentification(cbss).identify("0123456789")
    assert isinstance(result, EmployerIdentificationResult)
    assert result.found and result.nsso_number == employer.nsso_number
    assert result.enterprise_number == employer.enterprise_number and result.name == employer.name
    assert result.reply_prefix is not None and result.reply_prefix.startswith("A701")
    assert result.meta.cbss_ticket and result.meta.service == "EmployerIdentification"
    assert not unknown.found and unknown.name is None and unknown.enterprise_number is None


async def test_through_the_simulator_async() -> None:
    employer = EMPLOYERS[0]
    async with simulator("employer_identification").async_client() as cbss:
        result = await EmployerIdentification(cbss).identify(employer.nsso_number[1:])
    assert result.enterprise_number == employer.enterprise_number


def test_business_error_through_the_simulator() -> None:
    with simulator("employer_identification").client() as cbss, pytest.raises(SsdnError) as caught:
        EmployerIdentification(cbss).identify(SOURCE_DOWN_NUMBER)
    assert caught.value.reason_codes
