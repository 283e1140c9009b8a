"""The SSDN envelope: ``SSDNRequest`` out, ``SSDNReply`` back, inside ``sendXML``'s ``xmlString``.

Legacy CBSS services take a whole ``SSDNRequest`` document as the *text* of
one ``xmlString`` element (the SOAP layer escapes it), and answer with an
``SSDNReply`` document as text.  Like the SOAP envelope, this wrapping is
kept in lxml; only the service payload inside is a generated model.
"""

from __future__ import annotations

from datetime import datetime, timezone

import attrs
from lxml import etree

from .._organization import Organization, SsdnUser
from ..errors import ProtocolError, SsdnDetail, StatusInformation
from ..soap import XmlLimits, parse_xml

__all__ = [
    "COMMON_NS",
    "CONNECTOR_NS",
    "SERVICE_NS",
    "ResultSummary",
    "ServiceReply",
    "SsdnReply",
    "build_ssdn_request",
    "read_ssdn_reply",
    "ssdn_time",
    "wrap_xml_string",
]

SERVICE_NS = "http://www.ksz-bcss.fgov.be/XSD/SSDN/Service"
COMMON_NS = "http://www.ksz-bcss.fgov.be/XSD/SSDN/Common"
CONNECTOR_NS = "http://ksz-bcss.fgov.be/connectors/WebServiceConnector"

_S = f"{{{SERVICE_NS}}}"
_C = f"{{{COMMON_NS}}}"


def ssdn_time(moment: datetime) -> str:
    """SSDN ``t_DateTimeUTC``: ``yyyyMMddThhmmss`` in UTC."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S")


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = text
    return child


def build_ssdn_request(
    *,
    user: SsdnUser,
    organization: Organization,
    reference: str,
    sent: datetime,
    service_id: str,
    version: str,
    payload: etree._Element,
) -> etree._Element:
    """An ``SSDNRequest`` with one ``ServiceRequest`` carrying *payload*."""
    # A prefix, not a default namespace: payloads with unqualified children (ManageAccess
    # Period dates, L036 AuthorizedUser...) must not fall into the Service namespace.
    root = etree.Element(_S + "SSDNRequest", nsmap={"ssdn": SERVICE_NS})
    context = _sub(root, _S + "RequestContext")
    authorized = _sub(context, _S + "AuthorizedUser")
    _sub(authorized, _S + "UserID", user.user_id)
    _sub(authorized, _S + "Email", user.email)
    org_unit = user.org_unit or organization.cbe_number
    if org_unit:
        _sub(authorized, _S + "OrgUnit", org_unit)
    _sub(authorized, _S + "MatrixID", str(organization.matrix_id))
    _sub(authorized, _S + "MatrixSubID", str(organization.matrix_sub_id))
    message = _sub(context, _S + "Message")
    _sub(message, _S + "Reference", reference)
    _sub(message, _S + "TimeRequest", ssdn_time(sent))
    service = _sub(root, _S + "ServiceRequest")
    _sub(service, _S + "ServiceId", service_id)
    _sub(service, _S + "Version", version)
    service.append(payload)
    return root


def wrap_xml_string(document: etree._Element) -> etree._Element:
    """The ``sendXML`` body element: the document serialized as the text of ``xmlString``."""
    wrapper = etree.Element(f"{{{CONNECTOR_NS}}}xmlString", nsmap={"con": CONNECTOR_NS})
    wrapper.text = etree.tostring(document, encoding="unicode")
    return wrapper


@attrs.frozen
class ResultSummary:
    """An SSDN ``ResultSummary``: ``ok`` (YES/NO/WARNING), ``return_code`` (0/1/10000), details."""

    ok: str
    return_code: int | None
    details: tuple[SsdnDetail, ...]

    @property
    def warnings(self) -> tuple[SsdnDetail, ...]:
        return tuple(d for d in self.details if d.severity != "ERROR")

    @property
    def errors(self) -> tuple[SsdnDetail, ...]:
        return tuple(d for d in self.details if d.severity == "ERROR")


@attrs.frozen
class ServiceReply:
    """One ``ServiceReply``: its summary, ServiceId, Version and the payload element (if any)."""

    summary: ResultSummary
    service_id: str | None
    version: str | None
    payload: etree._Element | None = attrs.field(repr=False)


@attrs.frozen
class SsdnReply:
    """A parsed ``SSDNReply``: the context summary, CBSS ticket and times, the service replies."""

    summary: ResultSummary
    reference: str | None
    ticket: str | None
    time_receive: datetime | None
    time_response: datetime | None
    services: tuple[ServiceReply, ...]


def _text(parent: etree._Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    child = parent.find(tag)
    if child is None or child.text is None:
        return None
    return child.text.strip()


def _parse_ssdn_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def _summary(element: etree._Element | None) -> ResultSummary:
    if element is None:
        raise ProtocolError("SSDN reply without ResultSummary")
    code_text = _text(element, _C + "ReturnCode")
    try:
        return_code = int(code_text) if code_text is not None else None
    except ValueError:
        return_code = None
    details = []
    for detail in element.iterfind(_C + "Detail"):
        information = tuple(
            StatusInformation(_text(info, _C + "FieldName") or "", _text(info, _C + "FieldValue"))
            for info in detail.iterfind(_C + "Information")
        )
        details.append(
            SsdnDetail(
                severity=_text(detail, _C + "Severity") or "ERROR",
                reason_code=_text(detail, _C + "ReasonCode") or "",
                diagnostic=_text(detail, _C + "Diagnostic"),
                author_codes=tuple(
                    (a.text or "").strip() for a in detail.iterfind(_C + "AuthorCodeList")
                ),
                information=information,
            )
        )
    ok = element.get("ok") or ("YES" if return_code == 0 else "NO")
    return ResultSummary(ok=ok, return_code=return_code, details=tuple(details))


def read_ssdn_reply(wrapper: etree._Element | None, *, limits: XmlLimits) -> SsdnReply:
    """Parse the ``xmlString`` text of a ``sendXML`` reply into an :class:`SsdnReply`.

    The inner document goes through the same hardened parser as every
    inbound message.
    """
    if wrapper is None or etree.QName(wrapper).localname != "xmlString":
        raise ProtocolError("sendXML reply without xmlString")
    text = (wrapper.text or "").strip()
    if not text:
        raise ProtocolError("sendXML reply with an empty xmlString")
    root = parse_xml(text.encode("utf-8"), limits=limits)
    if root.tag != _S + "SSDNReply":
        raise ProtocolError("xmlString does not hold an SSDNReply")
    context = root.find(_S + "ReplyContext")
    if context is None:
        raise ProtocolError("SSDNReply without ReplyContext")
    message = context.find(_S + "Message")
    services = []
    for service in root.iterfind(_S + "ServiceReply"):
        payload = None
        for child in service:
            if isinstance(child.tag, str) and child.tag not in (
                _C + "ResultSummary",
                _S + "ServiceId",
                _S + "Version",
            ):
                payload = child
                break
        services.append(
            ServiceReply(
                summary=_summary(service.find(_C + "ResultSummary")),
                service_id=_text(service, _S + "ServiceId"),
                version=_text(service, _S + "Version"),
                payload=payload,
            )
        )
    return SsdnReply(
        summary=_summary(context.find(_C + "ResultSummary")),
        reference=_text(message, _S + "Reference"),
        ticket=_text(message, _S + "Ticket"),
        time_receive=_parse_ssdn_time(_text(message, _S + "TimeReceive")),
        time_response=_parse_ssdn_time(_text(message, _S + "TimeResponse")),
        services=tuple(services),
    )
