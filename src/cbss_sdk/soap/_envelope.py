"""The SOAP 1.1 envelope, built and read in lxml.

The envelope stays an lxml tree from end to end: the WS-Security layer adds
its header and signs this very tree, and a received envelope is verified as
parsed.  Only the Body payload is bound to generated classes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs
from lxml import etree

from ..errors import ProtocolError, RequestValidationError
from ._ns import (
    ENVELOPE_NSMAP,
    SOAP12_ENV_NS,
    SOAP_BODY,
    SOAP_ENV_NS,
    SOAP_ENVELOPE,
    SOAP_HEADER,
    WSU_ID,
)

__all__ = ["SoapMessage", "build_envelope", "read_envelope", "serialize_envelope"]

# xsd:ID is an NCName: no colon, no leading digit, dot or hyphen.
_NCNAME = re.compile(r"[A-Za-z_][\w.\-]*\Z")

# lxml's ``_Element.__copy__`` copies the whole subtree in one C call (``copy.deepcopy`` adds a
# memo and a dispatch around it); the type stubs do not declare it.
_deep_copy: Callable[[etree._Element], etree._Element] = etree._Element.__copy__  # type: ignore[attr-defined]


@attrs.frozen
class SoapMessage:
    """A SOAP 1.1 message as a tree: the envelope and its parts.

    ``header`` is ``None`` when the envelope has no Header; ``payload`` is the
    first element inside the Body (``None`` for an empty Body).  All four are
    nodes of the same tree, not copies.
    """

    envelope: etree._Element
    header: etree._Element | None
    body: etree._Element
    payload: etree._Element | None


def _envelope_template() -> etree._Element:
    envelope = etree.Element(SOAP_ENVELOPE, nsmap=dict(ENVELOPE_NSMAP))
    etree.SubElement(envelope, SOAP_HEADER)
    etree.SubElement(envelope, SOAP_BODY)
    return envelope


# Envelope / empty Header / empty Body, copied for every message (cheaper than building the
# three elements and their namespace declarations each time).  Never modified.
_ENVELOPE_TEMPLATE = _envelope_template()


def build_envelope(payload: etree._Element, *, body_id: str | None = None) -> etree._Element:
    """Wrap *payload* in ``soapenv:Envelope`` / empty ``soapenv:Header`` / ``soapenv:Body``.

    The ``soapenv`` and ``wsu`` prefixes are declared once, on the Envelope,
    so the signing layer can add ``wsu:Id`` attributes and a Timestamp without
    new declarations.  With *body_id* the Body carries ``wsu:Id="<body_id>"``
    (the reference a signature points to).  The payload element is moved into
    the Body, not copied.
    """
    if not isinstance(payload, etree._Element) or not isinstance(payload.tag, str):
        raise TypeError("build_envelope() needs an lxml element as payload")
    envelope = _deep_copy(_ENVELOPE_TEMPLATE)  # a deep copy, in one C call
    body = envelope[1]
    if body_id is not None:
        if not _NCNAME.match(body_id):
            raise RequestValidationError(
                "body_id must be an XML NCName (letters, digits, '.', '-', '_'; "
                "not starting with a digit)",
                field="body_id",
            )
        body.set(WSU_ID, body_id)
    body.append(payload)
    return envelope


_DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"


def serialize_envelope(envelope: etree._Element) -> bytes:
    """UTF-8 bytes with an XML declaration, byte for byte what was built (no pretty print).

    The bytes are ``etree.tostring(envelope, encoding="UTF-8", xml_declaration=True)``;
    for a document of XML 1.0 (every one built here) they are put together from lxml's
    text serialisation, which skips libxml2's output encoder and is a few microseconds
    faster on a signed request.
    """
    if envelope.getroottree().docinfo.xml_version == "1.0":
        return _DECLARATION + etree.tostring(envelope, encoding="unicode").encode("utf-8")
    return etree.tostring(envelope, encoding="UTF-8", xml_declaration=True)


def read_envelope(root: etree._Element) -> SoapMessage:
    """Check that *root* is a SOAP 1.1 Envelope and return its parts.

    The Envelope must hold at most one Header, placed first, and exactly one
    Body, both as direct children; anything else raises
    :class:`~cbss_sdk.errors.ProtocolError`.  A SOAP 1.2 envelope is refused
    with a message saying so (CBSS services speak SOAP 1.1).
    """
    tag = root.tag
    if not isinstance(tag, str) or tag != SOAP_ENVELOPE:
        if isinstance(tag, str) and etree.QName(tag).namespace == SOAP12_ENV_NS:
            raise ProtocolError(
                f"received a SOAP 1.2 envelope; CBSS services use SOAP 1.1 ({SOAP_ENV_NS})"
            )
        shown = tag if isinstance(tag, str) else type(root).__name__
        raise ProtocolError(f"expected a SOAP 1.1 Envelope, got root element {shown!r}")

    header: etree._Element | None = None
    bodies: list[etree._Element] = []
    for position, child in enumerate(root.iterchildren(etree.Element)):
        if child.tag == SOAP_HEADER:
            if header is not None:
                raise ProtocolError("SOAP Envelope has more than one Header")
            if position != 0:
                raise ProtocolError("SOAP Header must be the first child of the Envelope")
            header = child
        elif child.tag == SOAP_BODY:
            bodies.append(child)
    if not bodies:
        raise ProtocolError("SOAP Envelope has no Body")
    if len(bodies) > 1:
        raise ProtocolError(f"SOAP Envelope has {len(bodies)} Body elements; exactly one expected")
    body = bodies[0]
    payload = next(body.iterchildren(etree.Element), None)
    return SoapMessage(envelope=root, header=header, body=body, payload=payload)
