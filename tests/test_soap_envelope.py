"""SOAP 1.1 envelope: building, serialising and reading back."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from cbss_sdk.errors import ProtocolError, RequestValidationError
from cbss_sdk.soap import (
    SOAP_BODY,
    SOAP_ENV_NS,
    SOAP_ENVELOPE,
    SOAP_HEADER,
    WSU_ID,
    WSU_NS,
    SoapMessage,
    build_envelope,
    parse_xml,
    read_envelope,
    serialize_envelope,
)

FIXTURES = Path("/work/shared/reference/cbss/head/fixtures")
PAYLOAD_NS = "http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v2"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"


def _payload() -> etree._Element:
    request = etree.Element(f"{{{PAYLOAD_NS}}}retrieveTIGroupsRequest", nsmap={"v2": PAYLOAD_NS})
    etree.SubElement(request, "legalContext").text = "PCSA:SOCIAL_INQUIRY"
    return request


def test_build_shape() -> None:
    payload = _payload()
    envelope = build_envelope(payload)
    assert envelope.tag == SOAP_ENVELOPE
    assert [child.tag for child in envelope] == [SOAP_HEADER, SOAP_BODY]
    header, body = envelope
    assert len(header) == 0
    assert list(body) == [payload]
    assert WSU_ID not in body.attrib
    assert envelope.nsmap["soapenv"] == SOAP_ENV_NS
    assert envelope.nsmap["wsu"] == WSU_NS


def test_body_id_uses_the_wsu_prefix_declared_on_the_envelope() -> None:
    envelope = build_envelope(_payload(), body_id="id-body-1")
    body = envelope[1]
    assert body.get(WSU_ID) == "id-body-1"
    xml = serialize_envelope(envelope)
    assert b'<soapenv:Body wsu:Id="id-body-1">' in xml
    assert xml.count(b"xmlns:wsu=") == 1
    assert xml.count(b"xmlns:soapenv=") == 1


def test_serialize_has_declaration_and_no_pretty_print() -> None:
    xml = serialize_envelope(build_envelope(_payload()))
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b"\n" not in xml.split(b"?>", 1)[1].lstrip(b"\n")  # only after the declaration
    assert b"<soapenv:Header/>" in xml


def test_serialize_keeps_whitespace_as_built() -> None:
    payload = _payload()
    payload[0].tail = "\n   "
    xml = serialize_envelope(build_envelope(payload))
    assert b"</legalContext>\n   </v2:retrieveTIGroupsRequest>" in xml


def test_round_trip_through_the_hardened_parser() -> None:
    xml = serialize_envelope(build_envelope(_payload(), body_id="b1"))
    message = read_envelope(parse_xml(xml))
    assert isinstance(message, SoapMessage)
    assert message.header is not None
    assert len(message.header) == 0
    assert message.body.get(WSU_ID) == "b1"
    assert message.payload is not None
    assert message.payload.tag == f"{{{PAYLOAD_NS}}}retrieveTIGroupsRequest"
    assert message.payload.findtext("legalContext") == "PCSA:SOCIAL_INQUIRY"
    assert message.envelope.getroottree().getroot() is message.envelope


def test_payload_is_moved_not_copied() -> None:
    holder = etree.Element("holder")
    payload = etree.SubElement(holder, "payload")
    envelope = build_envelope(payload)
    assert payload.getparent() is envelope[1]
    assert len(holder) == 0


@pytest.mark.parametrize("body_id", ["", "1abc", "a b", "a:b", "-x", "id#1"])
def test_invalid_body_id(body_id: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        build_envelope(_payload(), body_id=body_id)
    assert caught.value.field == "body_id"


@pytest.mark.parametrize("payload", [etree.Comment("x"), "<a/>", None])
def test_payload_must_be_an_element(payload: object) -> None:
    with pytest.raises(TypeError):
        build_envelope(payload)  # type: ignore[arg-type]


def _envelope(inner: str, ns: str = SOAP_ENV_NS) -> etree._Element:
    return parse_xml(f'<s:Envelope xmlns:s="{ns}">{inner}</s:Envelope>')


def test_read_without_header() -> None:
    message = read_envelope(_envelope("<s:Body><p/></s:Body>"))
    assert message.header is None
    assert message.payload is not None
    assert message.payload.tag == "p"


def test_read_empty_body() -> None:
    message = read_envelope(_envelope("<s:Header/><s:Body>  <!-- nothing --> </s:Body>"))
    assert message.payload is None


def test_payload_skips_comments_and_pis() -> None:
    message = read_envelope(_envelope("<s:Body><!-- c --><?pi x?>\n<p/><q/></s:Body>"))
    assert message.payload is not None
    assert message.payload.tag == "p"


def test_other_prefix_and_trailing_elements_are_accepted() -> None:
    message = read_envelope(_envelope('<s:Header/><s:Body><p/></s:Body><x:extra xmlns:x="urn:x"/>'))
    assert message.payload is not None


def test_soap12_is_refused_clearly() -> None:
    with pytest.raises(ProtocolError, match=r"SOAP 1\.2"):
        read_envelope(_envelope("<s:Body><p/></s:Body>", ns=SOAP12))


@pytest.mark.parametrize(
    ("inner", "match"),
    [
        ("<s:Body><p/></s:Body><s:Body><q/></s:Body>", "2 Body"),
        ("<s:Header/>", "no Body"),
        ("", "no Body"),
        ("<s:Header/><s:Header/><s:Body/>", "more than one Header"),
        ("<s:Body/><s:Header/>", "first child"),
        (f'<s:Header/><b:Body xmlns:b="{SOAP12}"/>', "no Body"),
        ("<s:Header><s:Body/></s:Header>", "no Body"),
        ("<Body/>", "no Body"),
    ],
)
def test_bad_structures_are_refused(inner: str, match: str) -> None:
    with pytest.raises(ProtocolError, match=match):
        read_envelope(_envelope(inner))


@pytest.mark.parametrize(
    "xml",
    [
        "<Envelope><Body/></Envelope>",
        '<e:Envelope xmlns:e="urn:not-soap"><e:Body/></e:Envelope>',
        f'<s:Body xmlns:s="{SOAP_ENV_NS}"/>',
        "<html><body/></html>",
    ],
)
def test_root_must_be_a_soap11_envelope(xml: str) -> None:
    with pytest.raises(ProtocolError, match=r"expected a SOAP 1\.1 Envelope"):
        read_envelope(parse_xml(xml))


def test_reads_a_real_cbss_reply() -> None:
    path = FIXTURES / "tx25_1107.xml"
    if not path.is_file():
        pytest.skip("CBSS reference fixtures are not available on this machine")
    message = read_envelope(parse_xml(path.read_bytes()))
    assert message.payload is not None
    assert etree.QName(message.payload).localname == "retrieveTIGroupsResponse"


def test_each_envelope_is_a_new_tree_and_the_template_stays_empty() -> None:
    """build_envelope copies one template: no two envelopes share a node."""
    first = build_envelope(_payload(), body_id="b1")
    etree.SubElement(first[0], "{urn:x}Note").text = "only in the first"
    second = build_envelope(_payload())
    assert first is not second and first[0] is not second[0]
    assert len(second[0]) == 0
    assert WSU_ID not in second[1].attrib
    assert [child.tag for child in second] == [SOAP_HEADER, SOAP_BODY]
    assert len(second[1]) == 1
    assert serialize_envelope(second) == (
        b"<?xml version='1.0' encoding='UTF-8'?>\n"
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        b'xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-'
        b'utility-1.0.xsd"><soapenv:Header/><soapenv:Body>'
        b'<v2:retrieveTIGroupsRequest xmlns:v2="http://kszbcss.fgov.be/intf/'
        b'RetrieveTIGroupsService/v2"><legalContext>PCSA:SOCIAL_INQUIRY</legalContext>'
        b"</v2:retrieveTIGroupsRequest></soapenv:Body></soapenv:Envelope>"
    )


def test_envelope_is_the_one_built_element_by_element() -> None:
    """The copied template gives the bytes the three elements built one by one give."""
    envelope = etree.Element(SOAP_ENVELOPE, nsmap={"soapenv": SOAP_ENV_NS, "wsu": WSU_NS})
    etree.SubElement(envelope, SOAP_HEADER)
    body = etree.SubElement(envelope, SOAP_BODY)
    body.set(WSU_ID, "b-7")
    body.append(_payload())
    assert serialize_envelope(build_envelope(_payload(), body_id="b-7")) == serialize_envelope(
        envelope
    )


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "Élise & Zoë <3 \"quotes\" 'apostrophes' > ]]>",
        "  line one\n\tline two\r\n  ",
        "emoji \U0001f600 and CJK \u4e2d\u6587",
        "",
    ],
)
def test_serialize_is_lxml_utf8_serialisation_with_declaration(text: str) -> None:
    payload = _payload()
    payload[0].text = text
    payload.set("note", text)
    payload[0].tail = text
    envelope = build_envelope(payload, body_id="b1")
    etree.SubElement(envelope[0], "{urn:x}Note", nsmap={"x": "urn:x"}).text = text
    assert serialize_envelope(envelope) == etree.tostring(
        envelope, encoding="UTF-8", xml_declaration=True
    )


def test_serialize_keeps_the_xml_version_of_a_parsed_document() -> None:
    envelope = etree.fromstring(
        f"<?xml version='1.1' encoding='UTF-8'?>"
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV_NS}"><soapenv:Body>\u00e9</soapenv:Body>'
        "</soapenv:Envelope>".encode()
    )
    xml = serialize_envelope(envelope)
    assert xml == etree.tostring(envelope, encoding="UTF-8", xml_declaration=True)
    assert xml.startswith(b"<?xml version='1.1' encoding='UTF-8'?>\n")
