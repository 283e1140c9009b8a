"""SOAP Faults: the CBSS fault detail (v2 ``detail`` and v1 ``error`` spellings), leniency, masking."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from cbss_sdk._xmltime import parse_xml_datetime as _parse_datetime
from cbss_sdk.errors import FaultDetail, FaultMessage, SoapFault, StatusInformation, XmlError
from cbss_sdk.soap import find_fault, parse_fault, parse_xml, read_envelope

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
V2 = "http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v2"
V1 = "http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v1"
TICKET = "0f4a1b2c-3d4e-4f50-8a61-72b3c4d5e6f7"

INFO_CUSTOMER = (
    "<informationCustomer><ticket>my-ticket-42</ticket>"
    "<timestampSent>2024-03-05T10:15:00.123+01:00</timestampSent>"
    "<customerIdentification><cbeNumber>0212344876</cbeNumber></customerIdentification>"
    "</informationCustomer>"
)
INFO_CBSS = (
    f"<informationCBSS><ticketCBSS>{TICKET}</ticketCBSS>"
    "<timestampReceive>2024-03-05T09:15:01.456Z</timestampReceive>"
    "<timestampReply>2024-03-05T09:15:02.5+00:00</timestampReply></informationCBSS>"
)


def _message(tag: str, code: str, diagnostic: str, *, info: str = "") -> str:
    return (
        f"<{tag}><severity>FATAL</severity><reasonCode>{code}</reasonCode>"
        f"<diagnostic>{diagnostic}</diagnostic>"
        "<authorCode>http://www.ksz-bcss.fgov.be/</authorCode>"
        f"{info}</{tag}>"
    )


def _fault_document(detail: str, *, code: str = "soapenv:Server", extra: str = "") -> str:
    return (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Body><soapenv:Fault>'
        f"<faultcode>{code}</faultcode>"
        "<faultstring>An error occurred while servicing your request.</faultstring>"
        f"{extra}{detail}</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )


V2_FAULT = _fault_document(
    f'<detail><v2:retrieveTIGroupsFault xmlns:v2="{V2}">'
    f"{INFO_CUSTOMER}{INFO_CBSS}"
    + _message(
        "detail",
        "MSG00003",
        "Unexpected internal error occurred",
        info="<information><fieldName>service</fieldName><fieldValue>TX25</fieldValue>"
        "</information><information><fieldName>empty</fieldName></information>",
    )
    + _message("detail", "MSG00002", "Source unavailable")
    + "</v2:retrieveTIGroupsFault></detail>"
)

V1_FAULT = _fault_document(
    f'<detail><v1:retrieveTIGroupsFault xmlns:v1="{V1}">'
    f"{INFO_CUSTOMER}{INFO_CBSS}"
    + _message("error", "MSG00003", "Unexpected internal error occurred")
    + "</v1:retrieveTIGroupsFault></detail>"
)


def _fault_element(document: str) -> etree._Element:
    fault = find_fault(read_envelope(parse_xml(document)))
    assert fault is not None
    return fault


def test_v2_fault_detail() -> None:
    error = parse_fault(_fault_element(V2_FAULT), http_status=500)
    assert isinstance(error, SoapFault)
    assert error.faultcode == "soapenv:Server"
    assert error.faultstring == "An error occurred while servicing your request."
    assert error.http_status == 500
    detail = error.detail
    assert detail is not None
    assert detail.ticket_cbss == TICKET
    assert detail.ticket_customer == "my-ticket-42"
    assert detail.timestamp_receive == datetime(2024, 3, 5, 9, 15, 1, 456000, tzinfo=timezone.utc)
    assert detail.timestamp_reply == datetime(2024, 3, 5, 9, 15, 2, 500000, tzinfo=timezone.utc)
    assert detail.messages == (
        FaultMessage(
            severity="FATAL",
            reason_code="MSG00003",
            diagnostic="Unexpected internal error occurred",
            author_code="http://www.ksz-bcss.fgov.be/",
            information=(
                StatusInformation("service", "TX25"),
                StatusInformation("empty", None),
            ),
        ),
        FaultMessage(
            severity="FATAL",
            reason_code="MSG00002",
            diagnostic="Source unavailable",
            author_code="http://www.ksz-bcss.fgov.be/",
        ),
    )
    assert error.reason_codes == ("MSG00003", "MSG00002")
    assert TICKET in error.tickets
    assert "MSG00003" in str(error)
    assert TICKET in str(error)


def test_v1_fault_uses_error_elements() -> None:
    error = parse_fault(_fault_element(V1_FAULT))
    assert error.http_status is None
    assert error.detail is not None
    assert error.reason_codes == ("MSG00003",)
    assert error.detail.messages[0].diagnostic == "Unexpected internal error occurred"
    assert error.detail.ticket_cbss == TICKET


def test_qualified_children_are_read_by_local_name() -> None:
    common = "http://kszbcss.fgov.be/types/common/v3"
    detail = (
        f'<detail><c:fault xmlns:c="{common}"><c:informationCBSS><c:ticketCBSS>{TICKET}'
        "</c:ticketCBSS></c:informationCBSS><c:detail><c:severity>WARNING</c:severity>"
        "<c:reasonCode>MSG00001</c:reasonCode></c:detail></c:fault></detail>"
    )
    fault_xml = (
        f'<s:Envelope xmlns:s="{SOAP}"><s:Body><s:Fault><s:faultcode>s:Client</s:faultcode>'
        f"<s:faultstring>busy</s:faultstring>{detail}</s:Fault></s:Body></s:Envelope>"
    )
    error = parse_fault(_fault_element(fault_xml))
    assert error.faultcode == "s:Client"
    assert error.faultstring == "busy"
    assert error.detail is not None
    assert error.detail.ticket_cbss == TICKET
    assert error.detail.messages[0].severity == "WARNING"
    assert error.reason_codes == ("MSG00001",)


def test_first_cbss_entry_of_detail_is_used() -> None:
    detail = (
        "<detail><trace>stack trace here</trace><other><x/></other>"
        f"<f>{INFO_CBSS}{_message('detail', 'MSG00003', 'd')}</f></detail>"
    )
    error = parse_fault(_fault_element(_fault_document(detail)))
    assert error.reason_codes == ("MSG00003",)


def test_fault_without_detail() -> None:
    error = parse_fault(_fault_element(_fault_document("")), http_status=500)
    assert error.detail is None
    assert error.reason_codes == ()
    assert str(error).startswith("SOAP fault soapenv:Server: An error occurred")


def test_faultactor_does_not_disturb_parsing() -> None:
    doc = _fault_document("", extra="<faultactor>http://cbss.example/actor</faultactor>")
    error = parse_fault(_fault_element(doc))
    assert error.faultcode == "soapenv:Server"
    assert error.detail is None


@pytest.mark.parametrize(
    "detail",
    [
        "<detail>plain text only</detail>",
        "<detail/>",
        "<detail><javaException><message>NullPointerException</message></javaException></detail>",
        "<detail><f><informationCBSS>garbage</informationCBSS></f></detail>",
        "<detail><f><detail>no children</detail><error/></f></detail>",
        "<detail><f><informationCBSS><timestampReceive>yesterday</timestampReceive>"
        "<timestampReply>2024-13-45T99:00:00Z</timestampReply></informationCBSS></f></detail>",
        "<detail><f><detail><reasonCode/><severity><b>x</b></severity></detail></f></detail>",
        "<detail><!-- comment --><?pi?></detail>",
    ],
)
def test_garbage_detail_never_crashes(detail: str) -> None:
    error = parse_fault(_fault_element(_fault_document(detail)), http_status=500)
    assert isinstance(error, SoapFault)
    assert error.faultcode == "soapenv:Server"
    if error.detail is not None:
        assert error.detail.timestamp_receive is None
        assert error.detail.timestamp_reply is None


def test_garbage_timestamps_keep_the_rest() -> None:
    detail = (
        "<detail><f><informationCBSS><ticketCBSS>t-1</ticketCBSS>"
        "<timestampReceive>not a date</timestampReceive></informationCBSS>"
        f"{_message('detail', 'MSG00003', 'd')}</f></detail>"
    )
    error = parse_fault(_fault_element(_fault_document(detail)))
    assert error.detail == FaultDetail(
        ticket_cbss="t-1",
        messages=(FaultMessage("FATAL", "MSG00003", "d", "http://www.ksz-bcss.fgov.be/"),),
    )


def test_empty_fault_element() -> None:
    error = parse_fault(etree.Element(f"{{{SOAP}}}Fault"))
    assert error.faultcode == ""
    assert error.faultstring == ""
    assert error.detail is None


def test_national_numbers_are_masked() -> None:
    detail = (
        f"<detail><f>{INFO_CBSS}"
        + _message(
            "detail",
            "MSG00005",
            "SSIN 85073003328 unknown",
            info="<information><fieldName>ssin</fieldName>"
            "<fieldValue>85073003328</fieldValue></information>",
        )
        + "</f></detail>"
    )
    doc = _fault_document(detail).replace(
        "An error occurred while servicing your request.", "No person 85073003328"
    )
    error = parse_fault(_fault_element(doc))
    for text in (str(error), repr(error), *map(str, error.args), error.faultstring):
        assert "85073003328" not in text
    assert error.detail is not None
    message = error.detail.messages[0]
    assert message.diagnostic == "SSIN *********** unknown"
    # Structured information is data the caller asked for: kept as sent.
    assert message.information == (StatusInformation("ssin", "85073003328"),)


def test_long_free_text_is_capped() -> None:
    doc = _fault_document("").replace(
        "An error occurred while servicing your request.", "x" * 100_000
    )
    error = parse_fault(_fault_element(doc))
    assert len(error.faultstring) <= 1024


def test_find_fault_only_looks_at_body_children() -> None:
    nested = (
        f'<s:Envelope xmlns:s="{SOAP}"><s:Body><p><s:Fault><faultcode>x</faultcode>'
        "</s:Fault></p></s:Body></s:Envelope>"
    )
    assert find_fault(read_envelope(parse_xml(nested))) is None
    ok = f'<s:Envelope xmlns:s="{SOAP}"><s:Body><p/></s:Body></s:Envelope>'
    assert find_fault(read_envelope(parse_xml(ok))) is None


BRUSSELS_WINTER = timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-10-20T14:09:24.653Z", datetime(2015, 10, 20, 14, 9, 24, 653000, timezone.utc)),
        (
            "2015-10-20T16:09:28.063232+01:00",
            datetime(2015, 10, 20, 16, 9, 28, 63232, timezone(timedelta(hours=1))),
        ),
        (
            "2015-10-20T16:09:28.0632329-02:30",
            datetime(2015, 10, 20, 16, 9, 28, 63232, timezone(-timedelta(hours=2, minutes=30))),
        ),
        ("2024-01-31T24:00:00Z", datetime(2024, 2, 1, 0, 0, tzinfo=timezone.utc)),
        ("2024-02-30T10:00:00Z", None),
        ("2024-01-01T10:00:00+25:00", None),
        ("2024-01-01", None),
        ("", None),
        (None, None),
        ("2024-01-01T10:00:00 Z", None),
        ("２０２４-01-01T10:00:00Z", None),
    ],
)
def test_parse_datetime(text: str | None, expected: datetime | None) -> None:
    assert _parse_datetime(text) == expected


def test_naive_datetime_is_read_as_belgian_time() -> None:
    value = _parse_datetime("2024-01-15T10:00:00")
    assert value is not None
    assert value.tzinfo is not None
    utc_offset = value.utcoffset()
    assert utc_offset in (BRUSSELS_WINTER, timedelta(0))  # UTC only without a tz database


_PARTS = st.sampled_from(
    [
        "<detail>",
        "</detail>",
        "<error>",
        "</error>",
        "<f>",
        "</f>",
        "<informationCBSS>",
        "</informationCBSS>",
        "<informationCustomer>",
        "</informationCustomer>",
        "<ticketCBSS>t</ticketCBSS>",
        "<ticket>c</ticket>",
        "<timestampReceive>2024-01-01T00:00:00Z</timestampReceive>",
        "<timestampReply>x</timestampReply>",
        "<severity>FATAL</severity>",
        "<reasonCode>MSG00003</reasonCode>",
        "<diagnostic>85073003328</diagnostic>",
        "<information>",
        "</information>",
        "<fieldName>n</fieldName>",
        "<fieldValue>v</fieldValue>",
        "text",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PARTS, max_size=25).map("".join))
def test_any_detail_shape_gives_a_soap_fault(detail: str) -> None:
    try:
        fault = _fault_element(_fault_document(detail))
    except XmlError:  # not well-formed: nothing to test
        return
    error = parse_fault(fault, http_status=500)
    assert isinstance(error, SoapFault)
    assert "85073003328" not in str(error)
