"""The service catalog: every CBSS service version and operation the SDK knows, as data.

One source of truth for the client (endpoint path, SOAPAction, idempotency,
default legal context), the simulator (what to serve), the ``cbss`` command
(``cbss services``) and the documentation (the generated catalog table).
Nothing about a service's wire contract is written anywhere else.

A service the SDK does not implement yet is still listed (``implemented`` is
false on its operations) with what the public record says about it, so users
can see what exists and what is coming.  The entries live in one module per
group of services (``_catalog_core``, ``_catalog_social``, ``_catalog_ssdn``);
this module assembles them and answers look-ups.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import _catalog_core, _catalog_social, _catalog_ssdn
from ._catalog_model import (
    PCSA_SOCIAL_INQUIRY,
    SSDN_NAMESPACE,
    SSDN_SOAP_ACTION,
    CodeSpec,
    Group,
    OperationSpec,
    Protocol,
    Provenance,
    ServiceSpec,
)

__all__ = [
    "PCSA_SOCIAL_INQUIRY",
    "SERVICES",
    "SSDN_NAMESPACE",
    "SSDN_SOAP_ACTION",
    "CodeSpec",
    "Group",
    "OperationSpec",
    "Protocol",
    "Provenance",
    "ServiceSpec",
    "implemented_operations",
    "operation",
    "service",
]

SERVICES: tuple[ServiceSpec, ...] = (
    *_catalog_core.SERVICES,
    *_catalog_social.SERVICES,
    *_catalog_ssdn.SERVICES,
)

_BY_KEY = {s.key: s for s in SERVICES}
if len(_BY_KEY) != len(SERVICES):  # pragma: no cover - a programming error in the data
    raise RuntimeError("two catalog entries share a key")


def service(key: str) -> ServiceSpec:
    """The service with this SDK key (``"RetrieveTIGroups"``) or CBSS name."""
    found = _BY_KEY.get(key)
    if found is not None:
        return found
    for spec in SERVICES:
        if spec.cbss_name == key:
            return spec
    raise KeyError(f"unknown CBSS service {key!r}")


def operation(service_key: str, name: str) -> OperationSpec:
    """One operation of a service, by CBSS or Python name."""
    return service(service_key).operation(name)


def implemented_operations() -> Iterator[tuple[ServiceSpec, OperationSpec]]:
    """Every (service, operation) the SDK implements."""
    for spec in SERVICES:
        for op in spec.operations:
            if op.implemented:
                yield spec, op
