"""SOAP 1.1 Faults turned into :class:`~cbss_sdk.errors.SoapFault` with a typed CBSS detail.

CBSS reports technical failures as a SOAP Fault whose ``detail`` holds a
CommonV3 ``CBSSFaultType`` (tickets, timestamps, and messages with a reason
code such as ``MSG00003``).  Older (v1) services spell the messages ``error``
instead of ``detail``; both are read.  Reading is best effort: a fault with an
odd or broken detail still becomes a ``SoapFault``, never another exception.

Free-text fields (``faultstring``, ``diagnostic``) are masked for national
numbers and capped in length, since they end up in logs; the structured
``information`` name/value pairs are kept as sent.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from .._redact import mask_national_numbers
from .._xmltime import parse_xml_datetime
from ..errors import FaultDetail, FaultMessage, SoapFault, StatusInformation
from ._envelope import SoapMessage
from ._ns import SOAP_FAULT

__all__ = ["find_fault", "parse_fault"]

_MAX_TEXT = 1024  # a CBSS diagnostic is at most 256 characters
_MAX_MESSAGES = 100  # CBSSFaultType allows 30
_MAX_INFORMATION = 50  # MessageType allows 15
_MESSAGE_NAMES = frozenset({"detail", "error"})


def find_fault(message: SoapMessage) -> etree._Element | None:
    """The ``soapenv:Fault`` element directly inside the Body, or ``None``."""
    return next(message.body.iterchildren(SOAP_FAULT), None)


def _local(element: etree._Element) -> str | None:
    tag = element.tag
    if not isinstance(tag, str):
        return None
    return tag.rpartition("}")[2]


def _children(element: etree._Element, *names: str) -> Iterator[etree._Element]:
    """Element children matched by local name (unqualified or qualified alike)."""
    for child in element.iterchildren(etree.Element):
        if _local(child) in names:
            yield child


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next(_children(element, name), None)


def _text(element: etree._Element | None, *, free: bool = False) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    if not text:
        return None
    if free:
        if len(text) > _MAX_TEXT:
            text = text[: _MAX_TEXT - 1] + "…"
        text = mask_national_numbers(text)
    return text


def _looks_like_cbss_fault(element: etree._Element) -> bool:
    for child in element.iterchildren(etree.Element):
        name = _local(child)
        if name == "informationCBSS":
            return True
        if (
            name in _MESSAGE_NAMES
            and next(_children(child, "reasonCode", "severity"), None) is not None
        ):
            return True
    return False


def _read_message(element: etree._Element) -> FaultMessage | None:
    information = tuple(
        StatusInformation(field_name=name, field_value=_text(_child(info, "fieldValue")))
        for info in list(_children(element, "information"))[:_MAX_INFORMATION]
        if (name := _text(_child(info, "fieldName"))) is not None
    )
    message = FaultMessage(
        severity=_text(_child(element, "severity")),
        reason_code=_text(_child(element, "reasonCode")),
        diagnostic=_text(_child(element, "diagnostic"), free=True),
        author_code=_text(_child(element, "authorCode"), free=True),
        information=information,
    )
    if message == FaultMessage(severity=None, reason_code=None):
        return None
    return message


def _read_detail(fault: etree._Element) -> FaultDetail | None:
    detail = _child(fault, "detail")
    if detail is None:
        return None
    entry = next((c for c in detail.iterchildren(etree.Element) if _looks_like_cbss_fault(c)), None)
    if entry is None:
        return None
    customer = _child(entry, "informationCustomer")
    cbss = _child(entry, "informationCBSS")
    messages = tuple(
        message
        for element in list(_children(entry, *_MESSAGE_NAMES))[:_MAX_MESSAGES]
        if (message := _read_message(element)) is not None
    )
    result = FaultDetail(
        ticket_cbss=_text(_child(cbss, "ticketCBSS"), free=True),
        ticket_customer=_text(_child(customer, "ticket"), free=True),
        timestamp_receive=parse_xml_datetime(_text(_child(cbss, "timestampReceive"))),
        timestamp_reply=parse_xml_datetime(_text(_child(cbss, "timestampReply"))),
        messages=messages,
    )
    return None if result == FaultDetail() else result


def parse_fault(fault: etree._Element, *, http_status: int | None = None) -> SoapFault:
    """Build the :class:`~cbss_sdk.errors.SoapFault` for a ``soapenv:Fault`` element.

    ``faultcode`` keeps the QName text as sent (``soapenv:Server``);
    ``faultstring`` is masked for national numbers.  ``detail`` is the parsed
    CBSS fault detail, or ``None`` when the fault carries none (or one that
    cannot be read).  Only ever returns; the caller raises.
    """
    try:
        faultcode = _text(_child(fault, "faultcode"), free=True) or ""
        faultstring = _text(_child(fault, "faultstring"), free=True) or ""
        faultactor = _text(_child(fault, "faultactor"), free=True)
    except Exception:  # a hostile tree must not turn a fault into a crash
        faultcode, faultstring, faultactor = "", "", None
    try:
        detail = _read_detail(fault)
    except Exception:
        detail = None
    return SoapFault(
        faultcode, faultstring, detail=detail, http_status=http_status, faultactor=faultactor
    )
