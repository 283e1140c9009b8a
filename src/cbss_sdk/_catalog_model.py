"""The records of the service catalog: services, operations, business codes.

Kept apart from the data (``_catalog_*.py``) so that each group of services
can be described in its own module and :mod:`cbss_sdk.catalog` assembles
them.
"""

from __future__ import annotations

from typing import Literal

import attrs

from . import errors

Protocol = Literal["soa", "ssdn"]
Provenance = Literal["official-equivalent", "from-client-evidence", "modeled", "unknown"]
Group = Literal[
    "technical",
    "registers",
    "social-databases",
    "spp-is",
    "mediprima",
    "flemish",
    "notifications",
]

SSDN_NAMESPACE = "http://ksz-bcss.fgov.be/connectors/WebServiceConnector"
SSDN_SOAP_ACTION = "http://ksz-bcss.fgov.be/connectors/WebServiceConnector/sendXML"

PCSA_SOCIAL_INQUIRY = "PCSA:SOCIAL_INQUIRY"


@attrs.frozen
class CodeSpec:
    """A business code a service can answer with, and what the SDK makes of it.

    ``error`` is the exception raised for it (``None`` when the code is an
    informational outcome carried on the result, not an error).
    """

    code: str
    meaning: str
    error: type[errors.CbssBusinessError] | None = None


@attrs.frozen
class OperationSpec:
    """One operation of a service version.

    ``name`` is the CBSS operation name (SOA) or the facade-level action of an
    SSDN service (all SSDN services share the ``sendXML`` transport call).
    ``path`` is relative to the environment's SOA base URL (empty for SSDN).
    ``idempotent`` operations are consultations: the transport may retry them
    on connection failures; the others are never sent twice.
    """

    name: str
    python_name: str
    summary: str
    request_element: str | None = None
    response_element: str | None = None
    soap_action: str | None = None
    path: str = ""
    idempotent: bool = True
    default_legal_context: str | None = None
    implemented: bool = False


@attrs.frozen
class ServiceSpec:
    """One CBSS service version.

    ``key`` is the SDK's name for the service (the facade class name when it
    is implemented); ``cbss_name`` the name CBSS documents.  For SSDN
    services ``ssdn_service_id`` and ``ssdn_version`` go into the
    ``ServiceRequest``.  ``schema`` is the entry file in ``xsd/`` and
    ``models`` the generated package; ``facts`` points at the section of the
    public facts the contract rests on.  ``facade`` names the class of
    :mod:`cbss_sdk.services` that calls the service when it is not ``key``
    (one facade may serve several services); see :attr:`facade_name`.
    """

    key: str
    cbss_name: str
    title: str
    group: Group
    protocol: Protocol
    version: str
    operations: tuple[OperationSpec, ...]
    provenance: Provenance = "unknown"
    namespace: str | None = None
    ssdn_service_id: str | None = None
    ssdn_version: str | None = None
    schema: str | None = None
    models: str | None = None
    docs: str | None = None
    facts: str | None = None
    codes: tuple[CodeSpec, ...] = ()
    facade: str | None = None

    @property
    def implemented(self) -> bool:
        return any(op.implemented for op in self.operations)

    @property
    def facade_name(self) -> str | None:
        """The name of the facade class in :mod:`cbss_sdk.services` (``None``: not implemented).

        Only a name, so that a caller (the ``cbss`` command) can import that
        one facade, and with it only its own service's generated models.
        """
        if not self.implemented:
            return None
        return self.facade or self.key

    def operation(self, name: str) -> OperationSpec:
        for op in self.operations:
            if name in (op.name, op.python_name):
                return op
        raise KeyError(f"{self.key} has no operation {name!r}")

    def error_table(self) -> dict[str, type[errors.CbssBusinessError]]:
        """Service-specific code → exception class (the generic MSG table applies after it)."""
        return {c.code: c.error for c in self.codes if c.error is not None}


def soa_op(
    name: str,
    python_name: str,
    summary: str,
    *,
    service_path: str,
    action_prefix: str,
    interface_ns: str | None = None,
    request: str | None = None,
    response: str | None = None,
    idempotent: bool = True,
    legal_context: str | None = None,
    implemented: bool = False,
) -> OperationSpec:
    return OperationSpec(
        name=name,
        python_name=python_name,
        summary=summary,
        request_element=f"{{{interface_ns}}}{request}" if interface_ns and request else None,
        response_element=f"{{{interface_ns}}}{response}" if interface_ns and response else None,
        soap_action=f"{action_prefix}/{name}",
        path=f"{service_path}/{name}",
        idempotent=idempotent,
        default_legal_context=legal_context,
        implemented=implemented,
    )


def ssdn_op(
    name: str,
    python_name: str,
    summary: str,
    *,
    idempotent: bool = True,
    implemented: bool = False,
) -> OperationSpec:
    return OperationSpec(
        name=name,
        python_name=python_name,
        summary=summary,
        request_element=f"{{{SSDN_NAMESPACE}}}xmlString",
        response_element=f"{{{SSDN_NAMESPACE}}}xmlString",
        soap_action=SSDN_SOAP_ACTION,
        path="",
        idempotent=idempotent,
        implemented=implemented,
    )


def planned(name: str, python_name: str, summary: str) -> OperationSpec:
    return OperationSpec(name=name, python_name=python_name, summary=summary)


SSIN_CODES = (
    CodeSpec("MSG00000", "treatment completed successfully"),
    CodeSpec("MSG00005", "SSIN unknown", errors.SsinUnknown),
    CodeSpec("MSG00006", "SSIN replaced", errors.SsinReplaced),
    CodeSpec("MSG00007", "SSIN cancelled", errors.SsinCancelled),
    CodeSpec("MSG00008", "validation error", errors.RequestInvalid),
    CodeSpec("MSG00011", "invalid SSIN structure", errors.SsinInvalid),
    CodeSpec("MSG00012", "SSIN not integrated for this organisation", errors.NotIntegrated),
    CodeSpec("MSG00013", "legal context refused", errors.LegalContextRefused),
    CodeSpec("MSG00001", "CBSS service temporarily unavailable", errors.ServiceUnavailable),
    CodeSpec("MSG00002", "external supplier unavailable", errors.ServiceUnavailable),
)
