"""What a received signature covers: the defence against signature wrapping.

A digest check answers "are the referenced elements unchanged?", not "is the
Body I will read one of them?".  This module answers the second question on
the received tree: every reference resolves to exactly one element of the
whole envelope, one of them is *the* Body (the Envelope's child) and one the
Timestamp of the same Security header, and no second ``soapenv:Body`` exists.
"""

from __future__ import annotations

from typing import Final

import attrs
from lxml import etree

from ..errors import SignatureError
from ._algorithms import DigestAlgorithm
from ._ns import SOAP_BODY, WSSE_BST, WSU_TIMESTAMP

_ID_ATTRIBUTES_XPATH: Final = etree.XPath(
    "descendant-or-self::*/@*[local-name()='Id' or local-name()='ID' or local-name()='id']"
)


@attrs.frozen
class SignedReference:
    """One ``ds:Reference`` of a received SignedInfo: its URI, the id it names, its digest."""

    uri: str
    element_id: str
    digest: DigestAlgorithm


@attrs.frozen
class Coverage:
    """The outcome of the coverage check: the signed Timestamp (if any) and the part names."""

    timestamp: etree._Element | None
    parts: tuple[str, ...]


def id_index(envelope: etree._Element, wanted: set[str]) -> dict[str, list[etree._Element]]:
    """Elements carrying each wanted id in an ``Id``/``ID``/``id`` attribute of any namespace.

    This is a superset of what signxml (local names Id, ID, id) and xmlsec1
    (configured attributes) may resolve, so "exactly one element here" means
    every verifier sees the same element.
    """
    index: dict[str, list[etree._Element]] = {}
    for attribute in _ID_ATTRIBUTES_XPATH(envelope):
        value = str(attribute)
        if value not in wanted:
            continue
        owner = attribute.getparent()
        holders = index.setdefault(value, [])
        if not any(owner is h for h in holders):
            holders.append(owner)
    return index


def element_path(element: etree._Element) -> str:
    """``/Envelope/Header/Wrapper/Body``: where an element sits, by local names (for messages)."""
    parts = [etree.QName(e).localname for e in (*reversed(list(element.iterancestors())), element)]
    return "/" + "/".join(parts)


def check_coverage(
    envelope: etree._Element,
    security: etree._Element,
    references: list[SignedReference],
    *,
    require_timestamp: bool,
) -> Coverage:
    """Check that *references* cover the real Body and the Timestamp of *security*, unambiguously.

    Raises :class:`~cbss_sdk.errors.SignatureError` with ``reason="coverage"``
    (or ``"missing-timestamp"`` / ``"malformed"``).  A Timestamp that is
    present but unsigned is an error when *require_timestamp*, and is
    otherwise ignored (``Coverage.timestamp`` is ``None``): unsigned data is
    never trusted.
    """
    seen: set[str] = set()
    for reference in references:
        if reference.element_id in seen:
            raise SignatureError(
                f"reference {reference.uri} appears twice in the signature", reason="coverage"
            )
        seen.add(reference.element_id)

    bodies = envelope.findall(SOAP_BODY)
    if len(bodies) != 1:
        raise SignatureError(
            f"the envelope has {len(bodies)} soapenv:Body children; exactly one is accepted",
            reason="coverage",
        )
    body = bodies[0]
    for other in envelope.iter(SOAP_BODY):
        if other is not body:
            raise SignatureError(
                f"a second soapenv:Body element sits at {element_path(other)}: a signature-wrapping "
                "pattern, refused",
                reason="coverage",
            )
    timestamps = security.findall(WSU_TIMESTAMP)
    if len(timestamps) > 1:
        raise SignatureError(
            f"the wsse:Security header holds {len(timestamps)} wsu:Timestamp elements",
            reason="malformed",
        )
    timestamp = timestamps[0] if timestamps else None

    index = id_index(envelope, seen)
    body_signed = timestamp_signed = False
    parts: list[str] = []
    for reference in references:
        holders = index.get(reference.element_id, [])
        if not holders:
            raise SignatureError(
                f"reference {reference.uri} points to no element of the message",
                reason="coverage",
            )
        if len(holders) > 1:
            places = ", ".join(element_path(h) for h in holders)
            raise SignatureError(
                f"reference {reference.uri} is ambiguous: {len(holders)} elements carry that id "
                f"({places}); duplicate ids are a signature-wrapping pattern",
                reason="coverage",
            )
        element = holders[0]
        if element is body:
            body_signed = True
            parts.append("Body")
        elif timestamp is not None and element is timestamp:
            timestamp_signed = True
            parts.append("Timestamp")
        elif element.tag == WSU_TIMESTAMP:
            raise SignatureError(
                f"reference {reference.uri} points to a wsu:Timestamp at {element_path(element)}, "
                "not the one of the wsse:Security header",
                reason="coverage",
            )
        elif element.tag == WSSE_BST and element.getparent() is security:
            parts.append("BinarySecurityToken")
        else:
            parts.append(str(element.tag))
    if not body_signed:
        raise SignatureError(
            "the signature does not cover the SOAP Body (no reference resolves to "
            f"/Envelope/Body; signed: {', '.join(parts) or 'nothing'})",
            reason="coverage",
        )
    if timestamp is None:
        if require_timestamp:
            raise SignatureError(
                "the wsse:Security header has no wsu:Timestamp", reason="missing-timestamp"
            )
    elif not timestamp_signed:
        if require_timestamp:
            raise SignatureError(
                "the wsu:Timestamp is not covered by the signature", reason="coverage"
            )
        timestamp = None  # unsigned: neither trusted nor checked
    return Coverage(timestamp=timestamp, parts=tuple(parts))
