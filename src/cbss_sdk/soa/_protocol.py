"""The new-generation (SOA) protocol: from a request model to a typed result.

``prepare_soa_call`` serializes the facade's request model, puts the
CommonV3 header in front of it (ticket, time, customer identification,
legal context) and returns a :class:`~cbss_sdk._prepared.PreparedCall`
whose interpret function checks the reply element, raises the typed
business error of a ``NO_RESULT`` status, and binds the payload to the
generated response model.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import attrs
from lxml import etree

from .. import catalog
from .._binding import model_to_element
from .._prepared import PreparedCall
from .._results import CallMeta, Status
from ..errors import CbssBusinessError, ConfigurationError, ProtocolError
from ..transport import CallInfo, Outcome, SoapReply
from ._header import check_legal_context, common_header_fields, new_ticket
from ._reply import raise_for_status, read_information_cbss, read_status
from ._stream import bound_payload, streaming

__all__ = ["SoaReply", "prepare_soa_call"]

R = TypeVar("R")
T = TypeVar("T")


@attrs.frozen
class SoaReply(Generic[R]):
    """A bound SOA reply: the generated response model plus what CBSS said about the call."""

    meta: CallMeta
    status: Status | None
    response: R


def _environment_name(client: Any) -> str:
    environment = getattr(client, "environment", None)
    return str(getattr(environment, "name", environment) or "custom")


# service key -> (the catalog entry, its error table); the catalog is immutable data
_ERROR_TABLES: dict[str, tuple[catalog.ServiceSpec, Mapping[str, type[CbssBusinessError]]]] = {}


def _error_table(service: catalog.ServiceSpec) -> Mapping[str, type[CbssBusinessError]]:
    found = _ERROR_TABLES.get(service.key)
    if found is None or found[0] is not service:
        found = _ERROR_TABLES[service.key] = (service, MappingProxyType(service.error_table()))
    return found[1]


def prepare_soa_call(
    client: Any,
    service: catalog.ServiceSpec,
    op: catalog.OperationSpec,
    request_type: type[Any],
    body: Mapping[str, Any],
    *,
    response_type: type[R],
    build: Callable[[SoaReply[R]], T],
    legal_context: str | None = None,
    subject: str | None = None,
    common_header: bool = True,
    legal_context_field: bool = True,
    no_data_codes: Collection[str] = (),
) -> PreparedCall[T]:
    """Prepare one SOA call: ``request_type(**body, <CommonV3 header>)``.

    ``legal_context`` overrides the operation's default; ``subject`` is the
    SSIN the call is about (journal only).  ``common_header=False`` is for
    the few services whose request does not extend CommonV3 BaseRequestType
    (TestConnection).  ``legal_context_field=False`` is for services that carry
    the legal context elsewhere (Dolsis puts it in ``securityContext``): the
    facade then places it in *body* itself; it is still journaled.
    ``no_data_codes`` are codes that mean "nothing found" for this service even
    when CBSS sends them with ``NO_RESULT`` (TAXA0007, HAN00022…): the result
    then carries status ``NO_DATA_FOUND`` with that code instead of an error.
    """
    if op.path == "" or op.soap_action is None or op.response_element is None:
        raise ConfigurationError(f"{service.key}.{op.name} is not a SOA operation")
    context = legal_context if legal_context is not None else op.default_legal_context
    if context is not None:
        context = check_legal_context(context)
    ticket = new_ticket()
    sent = datetime.now(timezone.utc)
    fields = dict(body)
    if common_header:
        organization = getattr(client, "organization", None)
        if organization is None:
            raise ConfigurationError(
                "SOA services identify the caller: give the client an Organization"
            )
        fields.update(
            common_header_fields(
                request_type,
                organization=organization,
                ticket=ticket,
                sent=sent,
                legal_context=context if legal_context_field else None,
            )
        )
    payload = model_to_element(request_type(**fields))
    environment = _environment_name(client)
    info = CallInfo(
        service=service.key,
        operation=op.name,
        path=op.path,
        soap_action=op.soap_action,
        protocol="soa",
        idempotent=op.idempotent,
        legal_context=context,
        subject=subject,
        customer_ticket=ticket if common_header else None,
    )
    expected = op.response_element
    error_table = _error_table(service)
    no_data = frozenset(no_data_codes)

    def interpret(reply: SoapReply) -> Outcome[T]:
        element = reply.message.payload
        if element is None or element.tag != expected:
            got = "nothing" if element is None else etree.QName(element).localname
            raise ProtocolError(
                f"expected {etree.QName(expected).localname} in the reply body, got {got}"
            )
        information = read_information_cbss(element)
        status = read_status(element)
        tickets = [t for t in (info.customer_ticket, information.ticket) if t]
        if status is not None and status.value == "NO_RESULT" and status.code in no_data:
            status = attrs.evolve(status, value="NO_DATA_FOUND")
        if status is not None:
            raise_for_status(status, error_table=error_table, tickets=tickets)
        meta = CallMeta(
            service=service.key,
            operation=op.name,
            environment=environment,
            customer_ticket=info.customer_ticket,
            cbss_ticket=information.ticket,
            timestamp_sent=sent,
            timestamp_received=information.timestamp_receive,
            timestamp_reply=information.timestamp_reply,
            legal_context=context,
        )
        response = bound_payload(reply, element, response_type)
        label = status.value if status is not None else "ok"
        return Outcome(build(SoaReply(meta, status, response)), label, information.ticket)

    return PreparedCall(
        info, payload, streaming(interpret, expected=expected, response_type=response_type)
    )
