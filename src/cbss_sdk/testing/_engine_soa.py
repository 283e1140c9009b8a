"""The simulator's new-generation (SOA) engine, and the SOAP answers both engines send.

A SOA request is dispatched by URL path (``/SOA4520/<operation path>`` of the
catalog) and checked against the operation's SOAPAction, then goes through
the checks of :mod:`cbss_sdk.testing._checks` and the handler.  The reply is
built as CBSS builds it: the response element with the CommonV3 header
(informationCustomer echoed, informationCBSS with a fresh ticket and the
receive/reply times, legalContext echoed), signed with the simulator's own
certificate.  A business refusal becomes status ``NO_RESULT`` with the
request's business part echoed; a technical failure becomes a SOAP fault
with a CommonV3 ``CBSSFaultType`` detail (HTTP 500).

Decisions (documented in ``docs/simulator.md``):

* an unknown path answers HTTP 404 with a small HTML page, as the CBSS
  gateway does for an address it does not serve; a known path with another
  method than POST answers 405;
* a SOAPAction header that names another operation is a ``soapenv:Client``
  fault ``MSG00008``; an absent or empty SOAPAction is accepted (curl);
* a body that is not a SOAP 1.1 envelope, or whose payload is not the
  operation's request element, is a ``soapenv:Client`` fault ``MSG00008``;
* a schema-invalid payload is status ``NO_RESULT`` ``MSG00008`` naming the
  invalid element in ``information/fieldName``;
* SOAP faults are not signed (the SDK reads faults before any signature check).
"""

from __future__ import annotations

import copy
import dataclasses
import html
import json
import logging
from collections.abc import Hashable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import attrs
import httpx
from lxml import etree

from .. import catalog
from .._binding import bind, model_to_element, shared_fast_binder
from .._redact import mask_national_numbers
from ..errors import CbssError, StatusInformation
from ..soa._header import new_ticket
from ..soap import COMMON_V3_NS, SOAP_ENV_NS, build_envelope, parse_xml, read_envelope
from ..soap import serialize_envelope as _serialize
from ..wsse import sign_envelope
from ._checks import MSG_VALIDATION, check_legal_context, check_signature, find_subject
from ._checks import organization_label as _organization_label
from ._registry import (
    SimContext,
    SimRequest,
    SimulatedBusinessError,
    SimulatedFault,
    SimulatedSsdnError,
    SoaHeader,
    model_class,
)
from ._replycache import (
    CachedReply,
    Same,
    content_between,
    handler_reply_key,
    header_only,
    splice_point,
)

if TYPE_CHECKING:
    from cryptography import x509

    from ._simulator import Simulator

__all__ = [
    "SOA_BASE_PATH",
    "Exchange",
    "HttpCall",
    "SimResponse",
    "fault_response",
    "html_response",
    "json_response",
    "serve_soa",
    "soa_routes",
    "xml_response",
]

logger = logging.getLogger("cbss_sdk.testing")

#: Path prefix of new-generation services on a CBSS host (and on the simulator).
SOA_BASE_PATH = "/SOA4520/"
_XML = "text/xml; charset=utf-8"
_GENERIC_FAULT_TAG = f"{{{COMMON_V3_NS}}}CBSSFault"
_AUTHOR = "http://www.ksz-bcss.fgov.be"


# --------------------------------------------------------------------------- HTTP in and out


@attrs.frozen
class HttpCall:
    """An HTTP request as the simulator sees it (in process or over HTTP).

    ``headers`` have lower-case names; ``read_timeout`` is the client's read
    timeout when known (in process only), used by the ``slow`` persona.
    """

    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes = attrs.field(repr=False)
    read_timeout: float | None = None


@attrs.frozen
class SimResponse:
    """An HTTP answer of the simulator; ``delay`` is how long to hold it back (``slow`` persona)."""

    status_code: int
    content_type: str
    body: bytes = attrs.field(repr=False)
    delay: float = 0.0
    extra_headers: tuple[tuple[str, str], ...] = ()

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [
            ("content-type", self.content_type),
            ("content-length", str(len(self.body))),
            *self.extra_headers,
        ]

    def to_httpx(self, request: httpx.Request) -> httpx.Response:
        # A byte stream, not ``content=``: httpx then neither re-derives the headers nor reads
        # the body into the response up front (most of the cost of building the response);
        # the client reads the same bytes and headers.
        return httpx.Response(
            self.status_code,
            headers=self.headers,
            stream=httpx.ByteStream(self.body),
            request=request,
        )


@attrs.define
class Exchange:
    """The state of one HTTP exchange while it is served: arrival time, delay to apply."""

    received: datetime
    delay: float = 0.0


def xml_response(envelope: etree._Element, status_code: int = 200) -> SimResponse:
    return SimResponse(status_code, _XML, _serialize(envelope))


def html_response(status_code: int, title: str, text: str) -> SimResponse:
    page = (
        f"<html><head><title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return SimResponse(status_code, "text/html; charset=utf-8", page.encode("utf-8"))


def json_response(data: object, status_code: int = 200) -> SimResponse:
    body = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    return SimResponse(status_code, "application/json", body)


def _xml_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = text
    return child


def _information(parent: etree._Element, items: Sequence[StatusInformation]) -> None:
    for item in items[:15]:
        information = _sub(parent, "information")
        _sub(information, "fieldName", item.field_name[:64])
        if item.field_value is not None:
            _sub(information, "fieldValue", item.field_value[:256])


def _information_cbss(
    parent: etree._Element, ticket: str, received: datetime, replied: datetime
) -> None:
    block = _sub(parent, "informationCBSS")
    _sub(block, "ticketCBSS", ticket)
    _sub(block, "timestampReceive", _xml_time(received))
    _sub(block, "timestampReply", _xml_time(replied))


def fault_response(
    fault: SimulatedFault,
    *,
    fault_tag: str | None,
    information_customer: etree._Element | None,
    ticket: str,
    received: datetime,
    replied: datetime,
) -> SimResponse:
    """A SOAP 1.1 fault with a CommonV3 ``CBSSFaultType`` detail (unsigned)."""
    envelope = etree.Element(f"{{{SOAP_ENV_NS}}}Envelope", nsmap={"soapenv": SOAP_ENV_NS})
    body = _sub(envelope, f"{{{SOAP_ENV_NS}}}Body")
    element = _sub(body, f"{{{SOAP_ENV_NS}}}Fault")
    _sub(element, "faultcode", fault.faultcode)
    _sub(element, "faultstring", fault.faultstring)
    detail = _sub(element, "detail")
    tag = fault_tag or _GENERIC_FAULT_TAG
    namespace = etree.QName(tag).namespace
    entry = etree.SubElement(detail, tag, nsmap={"cbss": namespace} if namespace else None)
    if information_customer is not None:
        entry.append(copy.deepcopy(information_customer))
    _information_cbss(entry, ticket, received, replied)
    message = _sub(entry, "detail")
    _sub(message, "severity", fault.severity)
    _sub(message, "reasonCode", fault.reason_code)
    _sub(message, "diagnostic", fault.diagnostic)
    _sub(message, "authorCode", _AUTHOR)
    _information(message, fault.information)
    return xml_response(envelope, fault.http_status)


def _fault_tag(op: catalog.OperationSpec | None) -> str | None:
    """``{ns}retrieveTIGroupsFault`` from ``{ns}retrieveTIGroupsRequest`` (CBSS naming)."""
    if op is None or op.request_element is None:
        return None
    name = etree.QName(op.request_element)
    local = name.localname
    if local.endswith("Request"):
        local = local[: -len("Request")]
    return f"{{{name.namespace}}}{local}Fault"


# --------------------------------------------------------------------------- routing


def soa_routes() -> dict[str, tuple[catalog.ServiceSpec, catalog.OperationSpec]]:
    """Every catalog SOA operation by URL path, with and without the ``/SOA4520`` prefix."""
    routes: dict[str, tuple[catalog.ServiceSpec, catalog.OperationSpec]] = {}
    for spec in catalog.SERVICES:
        if spec.protocol != "soa":
            continue
        for op in spec.operations:
            if op.path:
                path = op.path.strip("/")
                routes[SOA_BASE_PATH + path] = (spec, op)
                routes["/" + path] = (spec, op)
    return routes


def _soap_action(headers: Mapping[str, str]) -> str:
    return headers.get("soapaction", "").strip().strip('"').strip()


# --------------------------------------------------------------------------- serving


def _by_name(parent: etree._Element | None) -> dict[str, etree._Element]:
    """The first child element of *parent* for each local name (``_xmlpath.child``, one pass)."""
    found: dict[str, etree._Element] = {}
    if parent is not None:
        for element in parent.iterchildren(etree.Element):
            found.setdefault(str(element.tag).rpartition("}")[2], element)
    return found


def _stripped(element: etree._Element | None) -> str | None:
    """``_xmlpath.child_text`` of a child already found: stripped text, ``None`` when empty."""
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _organization(customer: Mapping[str, etree._Element]) -> str:
    """The caller label from the children of ``informationCustomer``."""
    element = customer.get("customerIdentification")
    if element is None:
        return "unknown"
    identification = _by_name(element)
    return _organization_label(
        cbe_number=_stripped(identification.get("cbeNumber")),
        sector=_stripped(identification.get("sector")),
        institution=_stripped(identification.get("institution")),
    )


@attrs.define
class _Soa:
    """What is known about a SOA request while it is served."""

    sim: Simulator
    service: catalog.ServiceSpec
    op: catalog.OperationSpec
    exchange: Exchange
    ticket: str = attrs.field(factory=lambda: new_ticket())
    information_customer: etree._Element | None = None
    subject: str | None = None
    #: The reply-cache key of this call, when its handler is deterministic (see ``_replycache``).
    cache_key: Hashable | None = None

    def fault(self, fault: SimulatedFault) -> SimResponse:
        self.sim._record(self.service.key, self.op.name, self.subject, "fault", fault.reason_code)
        return fault_response(
            fault,
            fault_tag=_fault_tag(self.op),
            information_customer=self.information_customer,
            ticket=self.ticket,
            received=self.exchange.received,
            replied=self.sim.now(),
        )

    def client_fault(self, diagnostic: str) -> SimResponse:
        return self.fault(
            SimulatedFault(
                MSG_VALIDATION,
                diagnostic,
                faultcode="soapenv:Client",
                faultstring="The request is not valid.",
            )
        )


def serve_soa(sim: Simulator, call: HttpCall, exchange: Exchange) -> SimResponse:
    """Answer one POST to a SOA operation path."""
    route = sim._soa_routes.get(call.path)
    if route is None:  # pragma: no cover - the dispatcher routes known paths only
        return html_response(404, "404 Not Found", "No service is published at this address.")
    state = _Soa(sim, route[0], route[1], exchange)
    try:
        return _serve(state, call)
    except SimulatedFault as fault:
        return state.fault(fault)


def _bind_request(payload: etree._Element, request_type: type[Any]) -> object:
    """The request bound to its model; *payload* is left as received (handlers read it).

    The fast binder reads the tree without changing it; when it gives up,
    xsdata (which empties what it reads) binds a copy, as :func:`bind` would.
    """
    try:
        return shared_fast_binder().bind(payload, request_type)
    except Exception:  # the fast path gave up: xsdata decides, on a copy
        return bind(copy.deepcopy(payload), request_type)


def _serve(state: _Soa, call: HttpCall) -> SimResponse:
    sim, service, op = state.sim, state.service, state.op
    action = _soap_action(call.headers)
    if action and op.soap_action and action != op.soap_action:
        return state.client_fault(
            f"The SOAPAction {action[:120]!r} does not match the operation at this address."
        )
    try:
        message = read_envelope(parse_xml(call.body, limits=sim.xml_limits))
    except CbssError as exc:
        return state.client_fault(f"The request is not a SOAP 1.1 envelope: {exc.message}")
    payload = message.payload
    top = _by_name(payload)
    state.information_customer = top.get("informationCustomer")
    signer: x509.Certificate | None = None
    if sim.verify_requests:
        verified = check_signature(message.envelope, sim.request_verification)
        signer = verified.certificate if verified is not None else None
    if payload is None or (op.request_element is not None and payload.tag != op.request_element):
        expected = etree.QName(op.request_element).localname if op.request_element else "a payload"
        return state.client_fault(f"The SOAP Body must hold {expected}.")
    state.subject = find_subject(payload)
    # CommonV3 puts the legal context at the top; a few services (Dolsis) in securityContext.
    legal_context = _stripped(top.get("legalContext")) or _stripped(
        _by_name(top.get("securityContext")).get("legalContext")
    )
    if sim.schemas is not None and service.schema is not None:
        problem = sim.schemas.validate(payload, service.schema)
        if problem is not None:
            refusal = SimulatedBusinessError(
                MSG_VALIDATION,
                "A validation error occurred.",
                [(problem.field_name, problem.message)],
            )
            return _no_result(state, payload, refusal)
    request_type = model_class(service, str(payload.tag))
    try:
        model: object = _bind_request(payload, request_type) if request_type else payload
    except CbssError as exc:
        raise SimulatedFault(
            diagnostic=f"The simulator could not read the request: {exc.message}"
        ) from None
    customer = _by_name(state.information_customer)
    organization = _organization(customer)
    request = SimRequest(
        service=service,
        operation=op,
        model=model,
        element=payload,
        legal_context=legal_context,
        organization=organization,
        subject=state.subject,
        signer_certificate=signer,
        customer_ticket=_stripped(customer.get("ticket")),
    )
    header = SoaHeader(
        information_customer=getattr(model, "information_customer", None),
        legal_context=legal_context,
        ticket=state.ticket,
        received=state.exchange.received,
    )
    context = SimContext(
        population=sim.population,
        registrations=sim.registrations,
        now=state.exchange.received,
        organization=organization,
        header=header,
    )
    try:
        check_legal_context(service, op, legal_context, sim.extra_legal_contexts)
        reply = sim._execute(
            context,
            request,
            state.exchange,
            cached=lambda function: _cached(state, context, request, function),
        )
    except SimulatedBusinessError as refusal:
        return _no_result(state, payload, refusal)
    except SimulatedSsdnError:
        raise SimulatedFault(
            diagnostic=f"{service.key} is a SOA service: SimulatedSsdnError does not apply"
        ) from None
    if isinstance(reply, CachedReply):
        return _reply_from_cache(state, header, reply)
    return _reply(state, header, reply)


def _cached(
    state: _Soa, ctx: SimContext, request: SimRequest, function: object
) -> CachedReply | None:
    """The cached reply of a deterministic handler for this call (and its key, noted in *state*)."""
    declared = handler_reply_key(function)
    if declared is None:
        return None
    key = declared(ctx, request)
    if key is None:
        return None
    full_key = (function, Same(ctx.population), key)
    try:
        found = state.sim._reply_cache.get(full_key)
    except TypeError:  # an unhashable key: this reply is not cached
        return None
    state.cache_key = full_key
    return found


def _reply(state: _Soa, header: SoaHeader, reply: object) -> SimResponse:
    sim = state.sim
    replied = sim.now()
    try:
        response = header.complete(reply, replied)
        element = model_to_element(response)
    except Exception as exc:  # a handler returned something that cannot be serialized
        logger.error(
            "CBSS simulator: %s.%s reply cannot be serialized (%s)",
            state.service.key,
            state.op.name,
            type(exc).__name__,
        )
        raise SimulatedFault(
            diagnostic=f"The simulated reply could not be built ({type(exc).__name__})."
        ) from None
    status = getattr(response, "status", None)
    value = getattr(getattr(status, "value", None), "value", None)
    code = getattr(status, "code", None)
    outcome = str(value or "ok")
    sim._record(state.service.key, state.op.name, state.subject, outcome, code)
    answer = _signed(sim, element)
    if state.cache_key is not None:
        _remember(state, header, response, replied, answer, outcome, code)
    return answer


def _remember(
    state: _Soa,
    header: SoaHeader,
    response: Any,
    replied: datetime,
    answer: SimResponse,
    outcome: str,
    code: str | None,
) -> None:
    """Keep the reply of a deterministic handler, and its content bytes when the splice holds."""
    sim = state.sim
    try:
        base = header_only(response)
        content = None
        if not sim.sign_replies:
            head = _serialize(build_envelope(model_to_element(header.complete(base, replied))))
            content = content_between(answer.body, head)
    except Exception:  # pragma: no cover - the full reply was built: this one is a subset
        return
    # The reply without its header fields: completed per call, as the handler's own reply is.
    reply = dataclasses.replace(response, **dict.fromkeys(header.field_names(type(response))))
    sim._reply_cache.put(state.cache_key, CachedReply(reply, base, content, outcome, code))


def _reply_from_cache(state: _Soa, header: SoaHeader, entry: CachedReply) -> SimResponse:
    """The reply of a deterministic handler served again: a fresh header, the same content."""
    sim = state.sim
    state.cache_key = None  # served from the entry: nothing to remember
    if entry.content is None or sim.sign_replies:  # signed replies are built and signed whole
        return _reply(state, header, entry.reply)
    head = _serialize(build_envelope(model_to_element(header.complete(entry.base, sim.now()))))
    point = splice_point(head)
    if point is None:  # pragma: no cover - proven when the entry was filled
        return _reply(state, header, entry.reply)
    sim._record(state.service.key, state.op.name, state.subject, entry.outcome, entry.code)
    return SimResponse(200, _XML, head[:point] + entry.content + head[point:])


def _signed(sim: Simulator, payload: etree._Element) -> SimResponse:
    envelope = build_envelope(payload)
    if sim.sign_replies:
        sign_envelope(envelope, sim.credentials)
    return xml_response(envelope)


def _no_result(
    state: _Soa, request: etree._Element, refusal: SimulatedBusinessError
) -> SimResponse:
    """The reply CBSS gives to a refused request: header, request business part echoed, status.

    The children follow the response type's declaration; request elements the
    response also declares (``legalContext``, ``searchInformation``,
    ``criteria``…) are echoed.
    """
    sim, op = state.sim, state.op
    if op.response_element is None:
        raise SimulatedFault(diagnostic=f"{state.service.key}.{op.name} has no reply element")
    response = etree.Element(op.response_element, nsmap=_nsmap(op.response_element))
    for name in _response_children(state.service, op.response_element):
        if name == "informationCustomer":
            if state.information_customer is not None:
                response.append(copy.deepcopy(state.information_customer))
        elif name == "informationCBSS":
            _information_cbss(response, state.ticket, state.exchange.received, sim.now())
        elif name == "status":
            _status(response, refusal)
        else:
            for child in request.iterchildren(etree.Element):
                local = etree.QName(child).localname
                if local == name or (name == "*" and local not in _CONVENTIONAL_REPLY):
                    response.append(copy.deepcopy(child))
    sim._record(state.service.key, op.name, state.subject, "NO_RESULT", refusal.code)
    return _signed(sim, response)


_CONVENTIONAL_REPLY = ("informationCustomer", "informationCBSS", "legalContext", "*", "status")


def _response_children(service: catalog.ServiceSpec, tag: str) -> tuple[str, ...]:
    """Local names of the response element's children, in declaration order."""
    response_type = model_class(service, tag)
    if response_type is None:
        return _CONVENTIONAL_REPLY
    return _declared_children(response_type)


_DECLARED: dict[type[object], tuple[str, ...]] = {}


def _declared_children(response_type: type[object]) -> tuple[str, ...]:
    found = _DECLARED.get(response_type)
    if found is None:
        from xsdata.formats.dataclass.context import XmlContext

        meta = XmlContext().build(response_type)
        found = _DECLARED[response_type] = tuple(v.local_name for v in meta.get_element_vars())
    return found


def _status(parent: etree._Element, refusal: SimulatedBusinessError) -> None:
    status = _sub(parent, "status")
    _sub(status, "value", "NO_RESULT")
    _sub(status, "code", refusal.code[:16])
    if refusal.description:
        _sub(status, "description", mask_national_numbers(refusal.description)[:256])
    _information(status, refusal.information)


def _nsmap(tag: str) -> dict[str | None, str] | None:
    namespace = etree.QName(tag).namespace
    return {"ns": namespace} if namespace else None
