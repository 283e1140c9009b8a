"""Classifying HTTP replies: message, SOAP Fault, HTTP error, protocol error, hostile XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from cbss_sdk.errors import (
    CbssError,
    CbssHttpError,
    ProtocolError,
    SoapFault,
    XmlError,
    XmlSecurityError,
    XmlTooLarge,
)
from cbss_sdk.soap import SoapMessage, XmlLimits, looks_like_soap, read_soap_response

FIXTURES = Path("/work/shared/reference/cbss/head/fixtures")
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
TEXT_XML = "text/xml; charset=utf-8"

OK_REPLY = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="{SOAP}">\n'
    "  <soapenv:Header/>\n  <soapenv:Body>\n"
    '    <r:reply xmlns:r="urn:test"><value>42</value></r:reply>\n'
    "  </soapenv:Body>\n</soapenv:Envelope>"
).encode()

FAULT_REPLY = (
    f'<soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Body><soapenv:Fault>'
    "<faultcode>soapenv:Server</faultcode>"
    "<faultstring>An error occurred while servicing your request.</faultstring>"
    '<detail><v2:retrieveTIGroupsFault xmlns:v2="urn:cbss:test">'
    "<informationCBSS><ticketCBSS>5448d29b-0000-4000-8000-000000000001</ticketCBSS>"
    "<timestampReceive>2024-03-05T09:15:01Z</timestampReceive>"
    "<timestampReply>2024-03-05T09:15:02Z</timestampReply></informationCBSS>"
    "<detail><severity>FATAL</severity><reasonCode>MSG00003</reasonCode>"
    "<diagnostic>Unexpected error</diagnostic><authorCode>cbss</authorCode></detail>"
    "</v2:retrieveTIGroupsFault></detail>"
    "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
).encode()

HTML_503 = (
    b"<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>"
    b"<body><center><h1>503 Service Temporarily Unavailable</h1></center><hr>"
    b"<center>nginx</center></body></html>"
)


def test_ok_reply_returns_the_message_as_parsed() -> None:
    message = read_soap_response(200, TEXT_XML, OK_REPLY)
    assert isinstance(message, SoapMessage)
    assert message.payload is not None
    assert message.payload.findtext("value") == "42"
    # The tree is the received one: whitespace intact, nothing re-serialised.
    assert message.body.text == "\n    "
    assert etree.tostring(message.envelope) == OK_REPLY.split(b"?>\n", 1)[1]


def test_real_cbss_reply() -> None:
    path = FIXTURES / "demo_tx25_2.xml"
    if not path.is_file():
        pytest.skip("CBSS reference fixtures are not available on this machine")
    message = read_soap_response(200, "text/xml", path.read_bytes())
    assert message.payload is not None


@pytest.mark.parametrize("status", [500, 200, 400, 503])
def test_fault_is_raised_whatever_the_status(status: int) -> None:
    with pytest.raises(SoapFault) as caught:
        read_soap_response(status, TEXT_XML, FAULT_REPLY)
    error = caught.value
    assert error.http_status == status
    assert error.faultcode == "soapenv:Server"
    assert error.reason_codes == ("MSG00003",)
    assert "5448d29b-0000-4000-8000-000000000001" in error.tickets


def test_unsigned_fault_with_a_header_still_raises_the_fault() -> None:
    reply = FAULT_REPLY.replace(b"<soapenv:Body>", b"<soapenv:Header/><soapenv:Body>")
    with pytest.raises(SoapFault):
        read_soap_response(500, TEXT_XML, reply)


def test_html_503_page_is_an_http_error() -> None:
    with pytest.raises(CbssHttpError) as caught:
        read_soap_response(503, "text/html", HTML_503)
    error = caught.value
    assert error.status_code == 503
    assert error.content_type == "text/html"
    assert "503 Service Temporarily Unavailable" in str(error)
    assert error.body_excerpt.startswith("<!DOCTYPE html>")
    assert len(error.body_excerpt) <= 200
    assert not isinstance(error, XmlError)


def test_html_page_without_doctype_is_an_http_error() -> None:
    page = b"<html><body><h1>Bad Gateway</h1></body></html>"
    with pytest.raises(CbssHttpError) as caught:
        read_soap_response(502, None, page)
    assert caught.value.status_code == 502


def test_html_page_on_200_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="HTML"):
        read_soap_response(200, "text/html", HTML_503)


@pytest.mark.parametrize("body", [b"", b"   \r\n"])
def test_empty_500_is_an_http_error(body: bytes) -> None:
    with pytest.raises(CbssHttpError, match="empty body") as caught:
        read_soap_response(500, None, body)
    assert caught.value.status_code == 500
    assert caught.value.content_type is None


def test_empty_200_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="empty body"):
        read_soap_response(200, TEXT_XML, b"")


@pytest.mark.parametrize(
    "body",
    [b'{"message": "Internal Server Error"}', b"Gateway Timeout", b"<a><b></a>"],
)
def test_non_xml_with_error_status_is_an_http_error(body: bytes) -> None:
    with pytest.raises(CbssHttpError) as caught:
        read_soap_response(504, "text/plain", body)
    assert caught.value.status_code == 504
    assert isinstance(caught.value.__cause__, XmlError)


def test_non_xml_on_200_is_an_xml_error() -> None:
    with pytest.raises(XmlError):
        read_soap_response(200, "application/json", b'{"ok": true}')


def test_envelope_without_fault_on_error_status_is_an_http_error() -> None:
    with pytest.raises(CbssHttpError, match="without a Fault") as caught:
        read_soap_response(500, TEXT_XML, OK_REPLY)
    assert caught.value.status_code == 500


def test_other_xml_on_error_status_is_an_http_error() -> None:
    with pytest.raises(CbssHttpError, match="'error'") as caught:
        read_soap_response(503, "application/xml", b"<error>maintenance</error>")
    assert caught.value.status_code == 503


def test_other_xml_on_200_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match=r"expected a SOAP 1\.1 Envelope"):
        read_soap_response(200, TEXT_XML, b"<reply><value>42</value></reply>")


@pytest.mark.parametrize("status", [200, 500])
def test_soap12_envelope_is_a_protocol_error(status: int) -> None:
    reply = OK_REPLY.replace(SOAP.encode(), b"http://www.w3.org/2003/05/soap-envelope")
    with pytest.raises(ProtocolError, match=r"SOAP 1\.2"):
        read_soap_response(status, "application/soap+xml", reply)


def test_envelope_with_two_bodies_is_a_protocol_error() -> None:
    reply = OK_REPLY.replace(
        b"</soapenv:Envelope>", b"<soapenv:Body><x/></soapenv:Body></soapenv:Envelope>"
    )
    with pytest.raises(ProtocolError, match="Body"):
        read_soap_response(200, TEXT_XML, reply)


@pytest.mark.parametrize("status", [200, 500, 503])
def test_hostile_xml_propagates_whatever_the_status(status: int) -> None:
    xxe = (
        b'<!DOCTYPE soapenv:Envelope [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + FAULT_REPLY.replace(b"Unexpected error", b"&x;")
    )
    with pytest.raises(XmlSecurityError):
        read_soap_response(status, TEXT_XML, xxe)


def test_oversize_reply_is_too_large() -> None:
    with pytest.raises(XmlTooLarge):
        read_soap_response(200, TEXT_XML, OK_REPLY, limits=XmlLimits(max_bytes=100))
    with pytest.raises(XmlTooLarge):
        read_soap_response(503, "text/html", HTML_503, limits=XmlLimits(max_bytes=100))


def test_national_numbers_are_masked_in_http_errors() -> None:
    page = b"<html><head><title>No 85073003328</title></head><body>85073003328</body></html>"
    with pytest.raises(CbssHttpError) as caught:
        read_soap_response(500, "text/html", page)
    error = caught.value
    for text in (str(error), repr(error), error.body_excerpt):
        assert "85073003328" not in text
    assert "***********" in error.body_excerpt


def test_fault_faultstring_with_national_number_is_masked() -> None:
    reply = FAULT_REPLY.replace(b"An error occurred while servicing", b"SSIN 85073003328 in")
    with pytest.raises(SoapFault) as caught:
        read_soap_response(500, TEXT_XML, reply)
    assert "85073003328" not in str(caught.value)


def test_unknown_status_code_still_classifies() -> None:
    with pytest.raises(CbssHttpError) as caught:
        read_soap_response(599, None, b"")
    assert caught.value.status_code == 599
    with pytest.raises(CbssHttpError):
        read_soap_response(302, "text/html", b"<html><body>moved</body></html>")


# --------------------------------------------------------------------------- looks_like_soap


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        (TEXT_XML, OK_REPLY, True),
        (TEXT_XML, FAULT_REPLY, True),
        (None, FAULT_REPLY[:60], True),  # truncated envelope: CBSS answered
        ("application/soap+xml", b'<e:Envelope xmlns:e="urn:x12"/>', True),
        (TEXT_XML, b"\xef\xbb\xbf<?xml version='1.0'?><!-- hi --><s:Envelope>", True),
        (TEXT_XML, "<s:Envelope/>".encode("utf-16"), True),
        ("text/html", HTML_503, False),
        (None, b"", False),
        ("text/plain", b"Service Unavailable", False),
        ("application/xml", b"<error>busy</error>", False),
        (
            'multipart/related; type="text/xml"; boundary=uuid:1',
            b"--uuid:1\r\nContent-Type: text/xml\r\n\r\n<s:Envelope/>\r\n--uuid:1--",
            True,
        ),
        ("multipart/related; boundary=x", b"--x\r\n\r\nhello\r\n--x--", False),
    ],
)
def test_looks_like_soap(content_type: str | None, body: bytes, expected: bool) -> None:
    assert looks_like_soap(content_type, body) is expected


# --------------------------------------------------------------------------- properties

_STATUSES = st.sampled_from([200, 202, 204, 302, 400, 401, 403, 404, 500, 502, 503, 504])
_CONTENT_TYPES = st.sampled_from([None, TEXT_XML, "text/html", "application/json"])


@settings(max_examples=300, deadline=None)
@given(_STATUSES, _CONTENT_TYPES, st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_cbss_errors(
    status: int, content_type: str | None, body: bytes
) -> None:
    try:
        message = read_soap_response(status, content_type, body)
    except CbssError:
        return
    assert isinstance(message, SoapMessage)
    assert 200 <= status < 300


_PIECES = st.sampled_from(
    [
        f'<s:Envelope xmlns:s="{SOAP}">',
        "</s:Envelope>",
        "<s:Header>",
        "</s:Header>",
        "<s:Body>",
        "</s:Body>",
        "<s:Fault>",
        "</s:Fault>",
        "<faultcode>s:Server</faultcode>",
        "<faultstring>x</faultstring>",
        "<detail>",
        "</detail>",
        "<p/>",
        "<html>",
        "<!DOCTYPE html>",
        "text",
    ]
)


@settings(max_examples=400, deadline=None)
@given(_STATUSES, st.lists(_PIECES, max_size=14).map("".join))
def test_soap_like_bodies_raise_only_cbss_errors(status: int, body: str) -> None:
    try:
        message = read_soap_response(status, TEXT_XML, body.encode())
    except CbssError:
        return
    assert isinstance(message, SoapMessage)
