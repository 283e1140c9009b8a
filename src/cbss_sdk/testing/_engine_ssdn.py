"""The simulator's legacy SSDN engine: ``sendXML`` with an ``SSDNRequest`` in ``xmlString``.

Every SSDN service shares one connector address and one SOAP operation; the
engine reads the ``SSDNRequest`` out of the ``xmlString`` text, checks it
against the project's SSDN schemas, and dispatches each ``ServiceRequest``
by ``ServiceId`` and ``Version`` to the catalog service (and, for services
with several catalog operations, by what the payload asks: the ManageAccess
``Action``, an IdentifyPerson phonetic search).  The answer is an
``SSDNReply`` built as CBSS builds it: a ``ReplyContext`` (overall
``ResultSummary``, the ``AuthorizedUser`` echoed, ``Message`` with the
caller's reference, a CBSS ticket and the times) and one ``ServiceReply``
per request (its ``ResultSummary``, ``ServiceId``, ``Version``, payload).

A refused service request gets ``ok=NO`` / ReturnCode 10000 with its error
details in the ServiceReply and the generic ``30000001`` detail in the
ReplyContext, as in the CBSS samples; warnings give ``ok=WARNING`` /
ReturnCode 1 and ``20000001``.  CBSS does not sign SSDN replies, nor does
the simulator.  Reason codes CBSS publishes nothing about are the
simulator's own (:data:`SSDN_REASON_CODES`, :data:`SSDN_UNKNOWN_SERVICE`).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Final

import attrs
from lxml import etree

from .. import catalog
from .._binding import bind, model_to_element
from .._redact import has_national_number, mask_national_numbers
from .._xmlpath import child as _child
from .._xmlpath import child_text as _text
from ..errors import CbssError, SsdnDetail, StatusInformation
from ..soa._header import new_ticket
from ..soap import build_envelope, parse_xml, read_envelope
from ..ssdn._envelope import COMMON_NS, CONNECTOR_NS, SERVICE_NS, ssdn_time, wrap_xml_string
from ._checks import (
    MSG_CANCELLED,
    MSG_INVALID_SSIN,
    MSG_LEGAL_CONTEXT,
    MSG_NOT_INTEGRATED,
    MSG_REPLACED,
    MSG_UNKNOWN,
    MSG_VALIDATION,
    check_signature,
    find_subject,
    organization_label,
)
from ._engine_soa import Exchange, HttpCall, SimResponse, fault_response, xml_response
from ._registry import (
    SimContext,
    SimRequest,
    SimulatedBusinessError,
    SimulatedFault,
    SimulatedSsdnError,
    SsdnAnswer,
    model_class,
)

if TYPE_CHECKING:
    from cryptography import x509

    from ._simulator import Simulator

__all__ = [
    "SSDN_ENVELOPE_SCHEMA",
    "SSDN_INVALID_REQUEST",
    "SSDN_REASON_CODES",
    "SSDN_SERVICE_ERROR",
    "SSDN_SERVICE_WARNING",
    "SSDN_UNKNOWN_SERVICE",
    "serve_ssdn",
    "ssdn_detail",
]

_S = f"{{{SERVICE_NS}}}"
_C = f"{{{COMMON_NS}}}"

#: ReplyContext detail when a service request failed (CBSS sample ``demo_ipr_2``).
SSDN_SERVICE_ERROR: Final = "30000001"
#: ReplyContext detail when a service request has warnings (CBSS sample ``demo_ipr_4``).
SSDN_SERVICE_WARNING: Final = "20000001"
#: A missing, empty or invalid argument (CBSS code 31000007); used for every schema error.
SSDN_INVALID_REQUEST: Final = "31000007"
#: The simulator's code for a ServiceId/Version it does not serve.
SSDN_UNKNOWN_SERVICE: Final = "31000002"
#: The simulator's SSDN reason codes for the business refusals the engine raises.
SSDN_REASON_CODES: Final[Mapping[str, str]] = {
    MSG_VALIDATION: SSDN_INVALID_REQUEST,
    MSG_INVALID_SSIN: "31000011",
    MSG_UNKNOWN: "32000005",
    MSG_REPLACED: "32000006",
    MSG_CANCELLED: "32000007",
    MSG_NOT_INTEGRATED: "32000012",
    MSG_LEGAL_CONTEXT: "32000013",
}
#: Schema of the SSDNRequest envelope (relative to ``xsd/``).
SSDN_ENVELOPE_SCHEMA: Final = "ssdn/service/SSDNRequest.xsd"

_CONNECTOR_FAULT = f"{{{CONNECTOR_NS}}}sendXMLFault"


def ssdn_detail(
    reason_code: str,
    diagnostic: str | None,
    information: Sequence[StatusInformation] = (),
    *,
    severity: str = "ERROR",
) -> SsdnDetail:
    """An SSDN ResultSummary detail authored by CBSS."""
    return SsdnDetail(
        severity=severity,
        reason_code=reason_code,
        diagnostic=diagnostic,
        author_codes=("CBSS",),
        information=tuple(information),
    )


def _refusal_details(refusal: SimulatedBusinessError) -> tuple[SsdnDetail, ...]:
    code = SSDN_REASON_CODES.get(refusal.code, refusal.code)
    return (ssdn_detail(code, refusal.description, refusal.information),)


# --------------------------------------------------------------------------- operation selection


def _manage_access(spec: catalog.ServiceSpec, payload: etree._Element) -> catalog.OperationSpec:
    action = (_text(payload, "Action") or "").lower()
    return spec.operation(action)


def _identify_person(spec: catalog.ServiceSpec, payload: etree._Element) -> catalog.OperationSpec:
    criteria = _child(payload, "SearchCriteria")
    phonetic = _child(criteria, "PhoneticCriteria") is not None
    return spec.operation("search" if phonetic and _child(criteria, "SSIN") is None else "identify")


_SELECTORS: dict[str, Callable[[catalog.ServiceSpec, etree._Element], catalog.OperationSpec]] = {
    "ManageAccess": _manage_access,
    "IdentifyPerson": _identify_person,
}


def select_operation(spec: catalog.ServiceSpec, payload: etree._Element) -> catalog.OperationSpec:
    """The catalog operation an SSDN payload asks for."""
    selector = _SELECTORS.get(spec.key)
    if selector is not None:
        try:
            return selector(spec, payload)
        except KeyError:
            pass
    implemented = [op for op in spec.operations if op.implemented] or list(spec.operations)
    return implemented[0]


def find_service(service_id: str | None, version: str | None) -> catalog.ServiceSpec | None:
    """The catalog SSDN service with this ServiceId and Version."""
    for spec in catalog.SERVICES:
        if (
            spec.protocol == "ssdn"
            and spec.ssdn_service_id == service_id
            and spec.ssdn_version == version
        ):
            return spec
    return None


# --------------------------------------------------------------------------- the reply


@attrs.frozen
class _ServiceResult:
    service_id: str
    version: str
    details: tuple[SsdnDetail, ...] = ()
    payload: etree._Element | None = attrs.field(default=None, repr=False)

    @property
    def ok(self) -> str:
        return _ok(self.details)


def _ok(details: Sequence[SsdnDetail]) -> str:
    severities = {d.severity for d in details}
    if "ERROR" in severities:
        return "NO"
    if "WARNING" in severities:
        return "WARNING"
    return "YES"


_RETURN_CODES = {"YES": 0, "WARNING": 1, "NO": 10000}


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = text
    return child


def _summary(parent: etree._Element, ok: str, details: Sequence[SsdnDetail]) -> None:
    summary = etree.SubElement(parent, _C + "ResultSummary", nsmap={"common": COMMON_NS})
    summary.set("ok", ok)
    _sub(summary, _C + "ReturnCode", str(_RETURN_CODES[ok]))
    for detail in details[:30]:
        element = _sub(summary, _C + "Detail")
        _sub(element, _C + "Severity", detail.severity)
        if detail.reason_code:
            _sub(element, _C + "ReasonCode", detail.reason_code)
        if detail.diagnostic:
            _sub(element, _C + "Diagnostic", mask_national_numbers(detail.diagnostic))
        if detail.author_codes:
            _sub(element, _C + "AuthorCodeList", " ".join(detail.author_codes))
        for item in detail.information[:5]:
            information = _sub(element, _C + "Information")
            _sub(information, _C + "FieldName", item.field_name)
            if item.field_value is not None:
                _sub(information, _C + "FieldValue", item.field_value)


@attrs.frozen
class _Context:
    """The parts of the SSDNRequest echoed in the ReplyContext."""

    authorized_user: etree._Element | None = attrs.field(default=None, repr=False)
    reference: str | None = None
    time_request: str | None = None


def _reply_document(
    context: _Context,
    context_details: Sequence[SsdnDetail],
    results: Sequence[_ServiceResult],
    *,
    ticket: str,
    received: datetime,
    replied: datetime,
) -> etree._Element:
    # A prefix, not a default namespace: unqualified payload children must stay unqualified.
    root = etree.Element(_S + "SSDNReply", nsmap={"ssdn": SERVICE_NS})
    reply_context = _sub(root, _S + "ReplyContext")
    details = list(context_details)
    if not details:
        outcomes = {r.ok for r in results}
        if "NO" in outcomes:
            details.append(
                ssdn_detail(
                    SSDN_SERVICE_ERROR, "At least one service request has generated an error."
                )
            )
        elif "WARNING" in outcomes:
            details.append(
                ssdn_detail(
                    SSDN_SERVICE_WARNING,
                    "At least one service request has generated a warning.",
                    severity="WARNING",
                )
            )
    _summary(reply_context, _ok(details), details)
    if context.authorized_user is not None:
        reply_context.append(copy.deepcopy(context.authorized_user))
    message = _sub(reply_context, _S + "Message")
    if context.reference is not None:
        _sub(message, _S + "Reference", context.reference)
    _sub(message, _S + "Ticket", ticket)
    if context.time_request is not None:
        _sub(message, _S + "TimeRequest", context.time_request)
    _sub(message, _S + "TimeReceive", ssdn_time(received))
    _sub(message, _S + "TimeResponse", ssdn_time(replied))
    for result in results:
        service_reply = _sub(root, _S + "ServiceReply")
        _summary(service_reply, result.ok, result.details)
        _sub(service_reply, _S + "ServiceId", result.service_id)
        _sub(service_reply, _S + "Version", result.version)
        if result.payload is not None:
            service_reply.append(result.payload)
    return root


def _new_ticket() -> str:
    """A CBSS-looking SSDN ticket (15 upper-case characters), never read as a national number."""
    while True:
        ticket = uuid.uuid4().hex[:15].upper()
        if not has_national_number(ticket):
            return ticket


# --------------------------------------------------------------------------- serving


@attrs.define
class _Ssdn:
    sim: Simulator
    exchange: Exchange
    ticket: str = attrs.field(factory=_new_ticket)

    def answer(
        self,
        context: _Context,
        results: Sequence[_ServiceResult] = (),
        context_details: Sequence[SsdnDetail] = (),
    ) -> SimResponse:
        document = _reply_document(
            context,
            context_details,
            results,
            ticket=self.ticket,
            received=self.exchange.received,
            replied=self.sim.now(),
        )
        return xml_response(build_envelope(wrap_xml_string(document)))

    def refuse(self, code: str, diagnostic: str, field: str | None = None) -> SimResponse:
        """An SSDNReply refused as a whole (the SSDNRequest itself is not acceptable)."""
        self.sim._record(None, None, None, "ssdn_error", code)
        information = [StatusInformation(field)] if field else []
        return self.answer(_Context(), context_details=[ssdn_detail(code, diagnostic, information)])

    def fault(self, fault: SimulatedFault) -> SimResponse:
        return fault_response(
            fault,
            fault_tag=_CONNECTOR_FAULT,
            information_customer=None,
            ticket=new_ticket(),
            received=self.exchange.received,
            replied=self.sim.now(),
        )


def serve_ssdn(sim: Simulator, call: HttpCall, exchange: Exchange) -> SimResponse:
    """Answer one POST to the SSDN connector."""
    state = _Ssdn(sim, exchange)
    try:
        return _serve(state, call)
    except SimulatedFault as fault:
        return state.fault(fault)


def _client_fault(diagnostic: str) -> SimulatedFault:
    return SimulatedFault(
        MSG_VALIDATION,
        diagnostic,
        faultcode="soapenv:Client",
        faultstring="The request is not valid.",
    )


def _serve(state: _Ssdn, call: HttpCall) -> SimResponse:
    sim = state.sim
    action = call.headers.get("soapaction", "").strip().strip('"').strip()
    if action and action != catalog.SSDN_SOAP_ACTION:
        sim._record(None, None, None, "fault", MSG_VALIDATION)
        raise _client_fault(f"The SOAPAction {action[:120]!r} is not sendXML.")
    try:
        message = read_envelope(parse_xml(call.body, limits=sim.xml_limits))
    except CbssError as exc:
        sim._record(None, None, None, "fault", MSG_VALIDATION)
        raise _client_fault(f"The request is not a SOAP 1.1 envelope: {exc.message}") from None
    signer = None
    if sim.verify_requests and _signed(message.envelope):  # SSDN requests are normally unsigned
        verified = check_signature(message.envelope, sim.request_verification)
        signer = verified.certificate if verified is not None else None
    wrapper = message.payload
    if wrapper is None or wrapper.tag != f"{{{CONNECTOR_NS}}}xmlString":
        sim._record(None, None, None, "fault", MSG_VALIDATION)
        raise _client_fault("The SOAP Body must hold the sendXML xmlString element.")
    try:
        document = parse_xml((wrapper.text or "").strip().encode("utf-8"), limits=sim.xml_limits)
    except CbssError as exc:
        return state.refuse(
            SSDN_INVALID_REQUEST, f"The xmlString is not an XML document: {exc.message}"
        )
    if document.tag != _S + "SSDNRequest":
        return state.refuse(SSDN_INVALID_REQUEST, "The xmlString does not hold an SSDNRequest.")
    if sim.schemas is not None:
        problem = sim.schemas.validate(document, SSDN_ENVELOPE_SCHEMA)
        if problem is not None:
            return state.refuse(SSDN_INVALID_REQUEST, problem.message, problem.field_name)
    request_context = _child(document, "RequestContext")
    user = _child(request_context, "AuthorizedUser")
    message_part = _child(request_context, "Message")
    context = _Context(
        authorized_user=user,
        reference=_text(message_part, "Reference"),
        time_request=_text(message_part, "TimeRequest"),
    )
    organization = _organization(user)
    results = [
        _serve_service(state, request, organization, context.reference, signer)
        for request in document.iterchildren(_S + "ServiceRequest")
    ]
    return state.answer(context, results)


def _signed(envelope: etree._Element) -> bool:
    """Whether the envelope carries a WS-Security signature."""
    return bool(
        envelope.xpath(
            "boolean(./*[local-name()='Header']/*[local-name()='Security']"
            "/*[local-name()='Signature'])"
        )
    )


def _organization(user: etree._Element | None) -> str:
    if user is None:
        return "unknown"
    org_unit = _text(user, "OrgUnit")
    if org_unit is not None and org_unit.isdigit() and len(org_unit) in (9, 10):
        return organization_label(cbe_number=org_unit, sector=None, institution=None)
    return organization_label(
        cbe_number=None, sector=_text(user, "MatrixID"), institution=_text(user, "MatrixSubID")
    )


def _payload(request: etree._Element) -> etree._Element | None:
    for child in request.iterchildren(etree.Element):
        if child.tag not in (_S + "ServiceId", _S + "Version"):
            return child
    return None


def _serve_service(
    state: _Ssdn,
    request: etree._Element,
    organization: str,
    reference: str | None,
    signer: x509.Certificate | None,
) -> _ServiceResult:
    sim = state.sim
    service_id = _text(request, "ServiceId") or ""
    version = _text(request, "Version") or ""
    spec = find_service(service_id, version)
    if spec is None:
        sim._record(None, None, None, "ssdn_error", SSDN_UNKNOWN_SERVICE)
        return _ServiceResult(
            service_id,
            version,
            (
                ssdn_detail(
                    SSDN_UNKNOWN_SERVICE,
                    "The requested service or version is not available.",
                    [
                        StatusInformation("ServiceId", service_id),
                        StatusInformation("Version", version),
                    ],
                ),
            ),
        )
    payload = _payload(request)
    if payload is None:
        sim._record(spec.key, None, None, "ssdn_error", SSDN_INVALID_REQUEST)
        return _ServiceResult(
            service_id,
            version,
            (
                ssdn_detail(
                    SSDN_INVALID_REQUEST,
                    "The expected mandatory argument is not provided or empty.",
                ),
            ),
        )
    op = select_operation(spec, payload)
    subject = find_subject(payload)
    if sim.schemas is not None and spec.schema is not None:
        problem = sim.schemas.validate(payload, spec.schema)
        if problem is not None:
            sim._record(spec.key, op.name, subject, "ssdn_error", SSDN_INVALID_REQUEST)
            return _ServiceResult(
                service_id,
                version,
                (
                    ssdn_detail(
                        SSDN_INVALID_REQUEST,
                        problem.message,
                        [StatusInformation(problem.field_name)],
                    ),
                ),
            )
    request_type = model_class(spec, str(payload.tag))
    try:
        model: object = bind(copy.deepcopy(payload), request_type) if request_type else payload
    except CbssError as exc:
        raise SimulatedFault(
            diagnostic=f"The simulator could not read the request: {exc.message}"
        ) from None
    call = SimRequest(
        service=spec,
        operation=op,
        model=model,
        element=payload,
        legal_context=None,
        organization=organization,
        subject=subject,
        signer_certificate=signer,
        customer_ticket=reference,
    )
    ctx = SimContext(
        population=sim.population,
        registrations=sim.registrations,
        now=state.exchange.received,
        organization=organization,
    )
    try:
        answer = sim._execute(ctx, call, state.exchange)
    except SimulatedBusinessError as refusal:
        sim._record(spec.key, op.name, subject, "ssdn_error", refusal.code)
        return _ServiceResult(service_id, version, _refusal_details(refusal))
    except SimulatedSsdnError as refusal:
        sim._record(spec.key, op.name, subject, "ssdn_error", refusal.details[0].reason_code)
        return _ServiceResult(service_id, version, refusal.details)
    if not isinstance(answer, SsdnAnswer):
        answer = SsdnAnswer(payload=answer)
    element = _payload_element(answer.payload)
    result = _ServiceResult(service_id, version, tuple(answer.warnings), element)
    sim._record(spec.key, op.name, subject, "warning" if result.ok == "WARNING" else "ok", None)
    return result


def _payload_element(payload: object | None) -> etree._Element | None:
    if payload is None:
        return None
    if isinstance(payload, etree._Element):
        return copy.deepcopy(payload)
    try:
        return model_to_element(payload)
    except Exception as exc:
        raise SimulatedFault(
            diagnostic=f"The simulated reply could not be built ({type(exc).__name__})."
        ) from None
