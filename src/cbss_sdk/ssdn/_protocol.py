"""The legacy SSDN protocol: from a payload model to a typed result.

``prepare_ssdn_call`` wraps the service payload in an ``SSDNRequest``
(authorized user, organisation, reference, time, ServiceId and Version from
the catalog), sends it as the text of ``xmlString`` through ``sendXML``, and
reads the ``SSDNReply``: ``ok=NO`` becomes a typed
:class:`~cbss_sdk.errors.SsdnError` carrying the reason codes, warnings and
information details are kept on the result, and the payload is bound to the
generated reply model.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar

import attrs

from .. import catalog
from .._binding import bind, model_to_element
from .._prepared import PreparedCall
from .._results import CallMeta
from ..errors import ConfigurationError, ProtocolError, SsdnDetail, SsdnError
from ..soa._header import new_ticket
from ..soap import DEFAULT_XML_LIMITS, XmlLimits
from ..transport import CallInfo, Outcome, SoapReply
from ._envelope import ServiceReply, build_ssdn_request, read_ssdn_reply, wrap_xml_string

__all__ = ["SsdnResultParts", "prepare_ssdn_call"]

R = TypeVar("R")
T = TypeVar("T")


@attrs.frozen
class SsdnResultParts(Generic[R]):
    """A read SSDN reply: call metadata, warnings, and the bound payload (``None`` when absent)."""

    meta: CallMeta
    ok: str
    warnings: tuple[SsdnDetail, ...]
    response: R | None
    no_data: bool = False


def _pick_service(services: tuple[ServiceReply, ...], service_id: str) -> ServiceReply | None:
    for service in services:
        if service.service_id == service_id:
            return service
    return services[0] if services else None


def prepare_ssdn_call(
    client: Any,
    service: catalog.ServiceSpec,
    op: catalog.OperationSpec,
    payload: object,
    *,
    reply_type: type[R],
    build: Callable[[SsdnResultParts[R]], T],
    subject: str | None = None,
    no_data_codes: Collection[str] = (),
    reference: str | None = None,
) -> PreparedCall[T]:
    """Prepare one SSDN call.

    ``no_data_codes`` are reason codes that mean "nothing found" for this
    service (a phonetic search without match): the result then says so
    instead of raising.  ``reference`` is the ``Message/Reference`` to send
    (a fresh UUID when ``None``): a service whose payload repeats the
    reference (OCMWCPASL036 ``UniqueReference``) generates it first.
    """
    if service.ssdn_service_id is None or service.ssdn_version is None:
        raise ConfigurationError(f"{service.key} is not an SSDN service")
    user = getattr(client, "ssdn_user", None)
    organization = getattr(client, "organization", None)
    if user is None or organization is None:
        raise ConfigurationError(
            "SSDN services need the client's ssdn_user (SsdnUser) and organization (Organization)"
        )
    limits: XmlLimits = getattr(client, "xml_limits", None) or DEFAULT_XML_LIMITS
    if reference is None:
        reference = new_ticket()
    elif not isinstance(reference, str) or not reference.strip() or len(reference) > 100:
        raise ConfigurationError("reference must be a non-empty string of at most 100 characters")
    sent = datetime.now(timezone.utc)
    document = build_ssdn_request(
        user=user,
        organization=organization,
        reference=reference,
        sent=sent,
        service_id=service.ssdn_service_id,
        version=service.ssdn_version,
        payload=model_to_element(payload),
    )
    environment = getattr(client, "environment", None)
    environment_name = str(getattr(environment, "name", environment) or "custom")
    info = CallInfo(
        service=service.key,
        operation=op.name,
        path="",
        soap_action=op.soap_action or catalog.SSDN_SOAP_ACTION,
        protocol="ssdn",
        idempotent=op.idempotent,
        subject=subject,
        customer_ticket=reference,
    )
    service_id = service.ssdn_service_id
    no_data = frozenset(no_data_codes)

    def interpret(reply: SoapReply) -> Outcome[T]:
        ssdn = read_ssdn_reply(reply.message.payload, limits=limits)
        tickets = [t for t in (reference, ssdn.ticket) if t]
        chosen = _pick_service(ssdn.services, service_id)
        service_errors = chosen.summary.errors if chosen is not None else ()
        context_errors = ssdn.summary.errors
        nothing_found = bool(service_errors) and all(
            d.reason_code in no_data for d in service_errors
        )
        if (service_errors or ssdn.summary.ok == "NO") and not nothing_found:
            raise SsdnError(
                details=service_errors or context_errors,
                return_code=(chosen.summary.return_code if chosen else ssdn.summary.return_code),
                tickets=tickets,
            )
        if chosen is None:
            raise ProtocolError("SSDN reply without ServiceReply")
        meta = CallMeta(
            service=service.key,
            operation=op.name,
            environment=environment_name,
            customer_ticket=reference,
            cbss_ticket=ssdn.ticket,
            timestamp_sent=sent,
            timestamp_received=ssdn.time_receive,
            timestamp_reply=ssdn.time_response,
        )
        warnings = tuple(d for d in chosen.summary.details if d.severity != "ERROR")
        response = (
            bind(chosen.payload, reply_type)
            if chosen.payload is not None and not nothing_found
            else None
        )
        label = "NO_DATA_FOUND" if nothing_found else ("WARNING" if warnings else "ok")
        parts = SsdnResultParts(
            meta=meta,
            ok=chosen.summary.ok,
            warnings=warnings,
            response=response,
            no_data=nothing_found,
        )
        return Outcome(build(parts), label, ssdn.ticket)

    return PreparedCall(info, wrap_xml_string(document), interpret)
