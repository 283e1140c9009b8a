"""The handler contract of the CBSS simulator: registration, inputs, answers and refusals.

A *handler* simulates one catalog operation.  It is registered with
:func:`handler` and called by the engine once every protocol check has passed
(signature, schema, legal context, persona behaviour, integration)::

    @handler("RetrieveTIGroups", "retrieveTI")
    def retrieve(ctx: SimContext, request: SimRequest) -> object:
        return ctx.soa_response(RetrieveTIGroupsResponse, search_information=..., status=...)

It receives a :class:`SimContext` (population, ManageAccess registrations,
the simulator clock) and a :class:`SimRequest` (the request bound to its
generated model, plus what the engine learnt about it), and returns the
reply: a SOA response model, or an :class:`SsdnAnswer` for SSDN services.
A business refusal is raised: :class:`SimulatedBusinessError` (SOA status
``NO_RESULT``, or an SSDN error detail), :class:`SimulatedSsdnError` (SSDN
details as CBSS writes them) or :class:`SimulatedFault` (a SOAP fault).

This module also finds the generated model class of an element
(:func:`model_class`), which the engines need to bind requests and to build
``NO_RESULT`` replies.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
import threading
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from types import MappingProxyType, UnionType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import attrs
from lxml import etree

from .. import catalog
from .._redact import mask_national_numbers
from ..errors import ConfigurationError, SsdnDetail, StatusInformation
from ..soa._header import new_ticket

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cryptography import x509

    from ._checks import RegistrationStore
    from ._population import Population

__all__ = [
    "Handler",
    "PersonLike",
    "PopulationLike",
    "SimContext",
    "SimRequest",
    "SimulatedBusinessError",
    "SimulatedFault",
    "SimulatedSsdnError",
    "SoaHeader",
    "SsdnAnswer",
    "handler",
    "handlers",
    "load_default_handlers",
    "model_class",
]

T = TypeVar("T")

# --------------------------------------------------------------------------- the population


class PersonLike(Protocol):
    """What the engine reads of a person (the content's ``Person`` has much more)."""

    @property
    def ssin(self) -> str: ...

    @property
    def tags(self) -> frozenset[str]: ...

    @property
    def replaced_by(self) -> str | None: ...

    @property
    def integrated(self) -> bool: ...


class PopulationLike(Protocol):
    """What the engine needs of a population: look a person up by SSIN."""

    def get(self, ssin: str) -> PersonLike | None: ...


# --------------------------------------------------------------------------- refusals


def _information(
    items: Sequence[StatusInformation | tuple[str, str | None]],
) -> tuple[StatusInformation, ...]:
    result = []
    for item in items:
        if isinstance(item, StatusInformation):
            result.append(item)
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            result.append(StatusInformation(item[0], item[1]))
        else:
            raise ConfigurationError(
                "information entries must be StatusInformation or (field_name, field_value) pairs"
            )
    return tuple(result)


class SimulatedBusinessError(Exception):
    """A business refusal: SOA status ``NO_RESULT`` with *code*, or an SSDN ERROR detail.

    ``information`` are fieldName/fieldValue pairs (``StatusInformation`` or
    tuples).  For SSDN services a ``MSG000xx`` code is translated to the
    simulator's SSDN reason code (see ``docs/simulator.md``); any other code
    is used as the SSDN ``ReasonCode`` as it is.
    """

    def __init__(
        self,
        code: str,
        description: str | None = None,
        information: Sequence[StatusInformation | tuple[str, str | None]] = (),
    ) -> None:
        if not isinstance(code, str) or not code.strip():
            raise ConfigurationError("SimulatedBusinessError needs a non-empty code")
        self.code = code.strip()
        self.description = description
        self.information = _information(information)
        super().__init__(mask_national_numbers(f"{self.code}: {description or ''}".strip()))


class SimulatedSsdnError(Exception):
    """An SSDN refusal with its details exactly as CBSS writes them (``ok=NO``, ReturnCode 10000)."""

    def __init__(self, details: Sequence[SsdnDetail]) -> None:
        details = tuple(details)
        if not details or not all(isinstance(d, SsdnDetail) for d in details):
            raise ConfigurationError("SimulatedSsdnError needs at least one SsdnDetail")
        self.details = details
        super().__init__(", ".join(d.reason_code for d in details))


class SimulatedFault(Exception):
    """A SOAP fault with a CBSS fault detail (``CBSSFaultType``), HTTP 500.

    ``faultcode`` is ``"soapenv:Server"`` (CBSS failed) or ``"soapenv:Client"``
    (the request is at fault); ``severity`` is a CommonV3 severity
    (``FATAL``, ``WARNING``, ``INFORMATION``).
    """

    def __init__(
        self,
        reason_code: str = "MSG00003",
        diagnostic: str = "An unexpected internal error occurred.",
        *,
        faultcode: str = "soapenv:Server",
        faultstring: str = "An error occurred while servicing your request.",
        severity: str = "FATAL",
        information: Sequence[StatusInformation | tuple[str, str | None]] = (),
        http_status: int = 500,
    ) -> None:
        if faultcode not in ("soapenv:Server", "soapenv:Client"):
            raise ConfigurationError("faultcode must be 'soapenv:Server' or 'soapenv:Client'")
        if severity not in ("FATAL", "WARNING", "INFORMATION"):
            raise ConfigurationError("severity must be FATAL, WARNING or INFORMATION")
        self.reason_code = reason_code
        self.diagnostic = mask_national_numbers(diagnostic)[:256]
        self.faultcode = faultcode
        self.faultstring = faultstring
        self.severity = severity
        self.information = _information(information)
        self.http_status = http_status
        super().__init__(f"{faultcode} {reason_code}: {self.diagnostic}")


# --------------------------------------------------------------------------- answers


@attrs.frozen
class SsdnAnswer:
    """What an SSDN handler returns: the service payload model (or ``None``) and its warnings.

    ``warnings`` are WARNING or INFORMATION details; any WARNING makes the
    reply ``ok=WARNING`` with ReturnCode 1.
    """

    payload: object | None = None
    warnings: Sequence[SsdnDetail] = attrs.field(default=(), converter=tuple)

    def __attrs_post_init__(self) -> None:
        for detail in self.warnings:
            if not isinstance(detail, SsdnDetail) or detail.severity == "ERROR":
                raise ConfigurationError(
                    "SsdnAnswer.warnings holds WARNING or INFORMATION SsdnDetail objects; "
                    "raise SimulatedSsdnError for errors"
                )


# --------------------------------------------------------------------------- requests


@attrs.frozen
class SimRequest:
    """One simulated operation call, as the handler sees it.

    ``model`` is the request bound to its generated class (SOA: the Body's
    root element, e.g. ``RetrieveTIGroupsRequest``; SSDN: the service payload,
    e.g. ``IdentifyPersonRequest``); ``element`` the same request as lxml
    (read it, do not change it).  ``legal_context`` is the SOA legal context
    sent (``None`` for SSDN); ``organization`` the caller label
    (``"cbe:0212344876"`` or ``"sector:17/institution:1"``; ``"unknown"`` when
    the request does not say); ``subject`` the SSIN the request is about when
    the engine found one.  ``signer_certificate`` is the certificate of the
    request's WS-Security signature (``None`` when unsigned or not verified).
    """

    service: catalog.ServiceSpec
    operation: catalog.OperationSpec
    model: object = attrs.field(repr=False)
    element: etree._Element = attrs.field(repr=False)
    legal_context: str | None
    organization: str
    subject: str | None = attrs.field(repr=lambda value: mask_national_numbers(str(value)))
    signer_certificate: x509.Certificate | None = attrs.field(default=None, repr=False)
    customer_ticket: str | None = None

    @property
    def signer_certificate_base64(self) -> str | None:
        """The signer's certificate as base64 DER (what TestConnection echoes), or ``None``."""
        if self.signer_certificate is None:
            return None
        import base64

        from cryptography.hazmat.primitives import serialization

        der = self.signer_certificate.public_bytes(serialization.Encoding.DER)
        return base64.b64encode(der).decode("ascii")


_HEADER_FIELDS = ("information_customer", "information_cbss", "legal_context")
_HEADER_LAYOUTS: dict[type[Any], tuple[tuple[str, ...], type[Any] | None]] = {}


def _header_layout(response_type: type[Any]) -> tuple[tuple[str, ...], type[Any] | None]:
    """The header fields *response_type* has, and the class of its ``information_cbss``."""
    found = _HEADER_LAYOUTS.get(response_type)
    if found is None:
        names = {f.name for f in dataclasses.fields(response_type)}
        present = tuple(name for name in _HEADER_FIELDS if name in names)
        info_type = (
            field_class(response_type, "information_cbss") if "information_cbss" in names else None
        )
        found = _HEADER_LAYOUTS[response_type] = (present, info_type)
    return found


@attrs.frozen
class SoaHeader:
    """The CommonV3 parts of a SOA reply, prepared by the engine for one request.

    ``information_customer`` is the request's block as bound (echoed as is),
    ``ticket`` the CBSS ticket of this exchange, ``received`` when the
    simulator received the request.
    """

    information_customer: object | None
    legal_context: str | None
    ticket: str
    received: datetime

    @classmethod
    def new(
        cls, information_customer: object | None, legal_context: str | None, received: datetime
    ) -> SoaHeader:
        """A header with a fresh CBSS ticket (a UUID)."""
        return cls(information_customer, legal_context, new_ticket(), received)

    @staticmethod
    def field_names(response_type: type[Any]) -> tuple[str, ...]:
        """The header fields :meth:`fields_for` may fill that *response_type* has."""
        return _header_layout(response_type)[0]

    def fields_for(self, response_type: type[Any], replied: datetime) -> dict[str, Any]:
        """The header keyword arguments *response_type* has (CommonV3 or TestConnection shape)."""
        from xsdata.models.datatype import XmlDateTime

        names, info_type = _header_layout(response_type)
        fields: dict[str, Any] = {}
        if "information_customer" in names and self.information_customer is not None:
            fields["information_customer"] = self.information_customer
        if info_type is not None:
            fields["information_cbss"] = info_type(
                ticket_cbss=self.ticket,
                timestamp_receive=XmlDateTime.from_datetime(self.received.astimezone(timezone.utc)),
                timestamp_reply=XmlDateTime.from_datetime(replied.astimezone(timezone.utc)),
            )
        if "legal_context" in names and self.legal_context is not None:
            fields["legal_context"] = self.legal_context
        return fields

    def complete(self, response: T, replied: datetime) -> T:
        """A copy of *response* with the header fields filled (the handler's values replaced)."""
        if not dataclasses.is_dataclass(response) or isinstance(response, type):
            raise ConfigurationError(
                f"a SOA handler must return a generated response model, not {type(response).__name__}"
            )
        return dataclasses.replace(response, **self.fields_for(type(response), replied))


class SimContext:
    """What a handler may use: the population, the registrations, the clock, the caller.

    ``now`` is the simulator clock (aware, UTC) at the time the request was
    received.  :meth:`soa_response` builds a SOA response model with the
    CommonV3 header already filled, since generated classes demand it.
    """

    __slots__ = ("_header", "now", "organization", "population", "registrations")

    def __init__(
        self,
        *,
        population: Population,
        registrations: RegistrationStore,
        now: datetime,
        organization: str = "unknown",
        header: SoaHeader | None = None,
    ) -> None:
        self.population = population
        self.registrations = registrations
        self.now = now
        self.organization = organization
        self._header = header

    def soa_response(self, response_type: type[T], /, **fields: Any) -> T:
        """``response_type(**fields)`` with ``informationCustomer`` (echo), ``informationCBSS``
        (ticket, times) and ``legalContext`` filled for the current request."""
        if not isinstance(response_type, type) or not dataclasses.is_dataclass(response_type):
            raise ConfigurationError("soa_response() needs a generated response model class")
        if self._header is None:
            raise ConfigurationError("soa_response() is only available while serving a SOA call")
        header = self._header.fields_for(response_type, self.now)
        return response_type(**{**fields, **header})


# --------------------------------------------------------------------------- model classes


def _unwrap(hint: Any) -> Any:
    """``X | None`` → ``X``; ``list[X]`` → ``X``."""
    if isinstance(hint, UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            hint = args[0]
    if typing.get_origin(hint) in (list, tuple):
        items = typing.get_args(hint)
        if items:
            hint = items[0]
    return hint


_FIELD_CLASSES: dict[tuple[type[Any], str], type[Any]] = {}


def field_class(owner: type[Any], name: str) -> type[Any]:
    """The class of field *name* of a generated dataclass (``Optional`` and lists unwrapped)."""
    found = _FIELD_CLASSES.get((owner, name))
    if found is None:
        hint = _unwrap(typing.get_type_hints(owner)[name])
        if not isinstance(hint, type):
            raise ConfigurationError(f"{owner.__name__}.{name} is not a class-typed field")
        found = _FIELD_CLASSES[(owner, name)] = hint
    return found


_INDEX_LOCK = threading.Lock()


@functools.lru_cache(maxsize=32)
def _model_index(package: str) -> Mapping[str, type[Any]]:
    from xsdata.formats.dataclass.context import XmlContext

    context = XmlContext()
    root = importlib.import_module(package)
    index: dict[str, type[Any]] = {}
    modules = [root, *(importlib.import_module(m.name) for m in _walk(root))]
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and value.__module__ == module.__name__
                and "Meta" in value.__dict__
            ):
                qname = context.build(value).qname
                if qname.startswith("{"):
                    index.setdefault(qname, value)
    return MappingProxyType(index)


def _walk(root: Any) -> Iterator[pkgutil.ModuleInfo]:
    return pkgutil.walk_packages(root.__path__, root.__name__ + ".")


def model_class(service: catalog.ServiceSpec, tag: str) -> type[Any] | None:
    """The generated class of the root element *tag* (``{ns}local``) in *service*'s models."""
    if service.models is None:
        return None
    with _INDEX_LOCK:
        index = _model_index(service.models)
    return index.get(tag)


# --------------------------------------------------------------------------- the registry

#: A handler: ``(context, request) -> reply``; see the module docstring.
Handler = Callable[[SimContext, SimRequest], object]

_HANDLERS: dict[tuple[str, str], Handler] = {}
_REGISTRY_LOCK = threading.Lock()


def _handler_name(function: Handler) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"


def handler(service_key: str, operation: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the simulator of ``service_key.operation``.

    *operation* is the catalog operation name (``"retrieveTI"``) or its Python
    name (``"retrieve"``).  Registering a second, different function for the
    same operation raises :class:`~cbss_sdk.errors.ConfigurationError`.
    """
    try:
        spec = catalog.service(service_key)
        op = spec.operation(operation)
    except KeyError as exc:
        raise ConfigurationError(f"cannot register a simulator handler: {exc.args[0]}") from None
    key = (spec.key, op.name)

    def register(function: Handler) -> Handler:
        if not callable(function):
            raise ConfigurationError("a simulator handler must be callable")
        with _REGISTRY_LOCK:
            existing = _HANDLERS.get(key)
            if existing is not None and _handler_name(existing) != _handler_name(function):
                raise ConfigurationError(
                    f"{spec.key}.{op.name} already has a simulator handler "
                    f"({_handler_name(existing)})"
                )
            _HANDLERS[key] = function
        return function

    return register


def handlers() -> Mapping[tuple[str, str], Handler]:
    """A read-only snapshot of the registered handlers, by (service key, operation name)."""
    with _REGISTRY_LOCK:
        return MappingProxyType(dict(_HANDLERS))


_DEFAULT_SERVICES = "cbss_sdk.testing._services"


def load_default_handlers() -> Mapping[tuple[str, str], Handler]:
    """Import the simulator's own service handlers, then return every registered handler."""
    try:
        importlib.import_module(_DEFAULT_SERVICES)
    except ModuleNotFoundError as exc:
        if exc.name != _DEFAULT_SERVICES:
            raise
    return handlers()
