"""The CommonV3 request header of new-generation (SOA) services.

Every SOA request type extends CommonV3 ``BaseRequestType``: it starts with
``informationCustomer`` (our ticket, the time we sent, who we are) and
``legalContext``.  These fields are filled here from the client's
configuration, once, for every service: facades never write them.  Each
generated service package has its own copy of the CommonV3 classes, so the
header classes are looked up from the request class's own type hints.
"""

from __future__ import annotations

import os
import typing
from datetime import datetime, timezone
from types import UnionType
from typing import Any

from xsdata.models.datatype import XmlDateTime

from .._organization import Organization
from .._redact import has_national_number
from ..errors import ConfigurationError, RequestValidationError

__all__ = ["check_legal_context", "common_header_fields", "new_ticket"]

_MAX_LEGAL_CONTEXT = 64


def new_ticket() -> str:
    """A fresh customer ticket: a UUID (CBSS truncates non-UUID tickets to 32 characters).

    A random (version 4) UUID, as :func:`uuid.uuid4` makes it, formatted directly:
    122 random bits from the system's CSPRNG, the version and variant bits set.  About
    one UUID in 200 ends with eleven decimal digits, which log masking would take for a
    national number and hide: such a draw is replaced, so a ticket always reads in full.
    """
    while True:
        raw = bytearray(os.urandom(16))
        raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
        raw[8] = (raw[8] & 0x3F) | 0x80  # variant RFC 4122
        h = raw.hex()
        ticket = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        if not has_national_number(ticket):
            return ticket


def check_legal_context(value: str) -> str:
    """Validate a legal context string (CommonV3: at most 64 characters)."""
    if not value or len(value) > _MAX_LEGAL_CONTEXT or value != value.strip():
        raise RequestValidationError(
            "legal_context must be a non-empty string of at most 64 characters "
            "without surrounding spaces",
            field="legal_context",
        )
    return value


def _concrete(hint: Any) -> type[Any]:
    """``X | None`` → ``X``."""
    if isinstance(hint, UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            hint = args[0]
    if not isinstance(hint, type):
        raise ConfigurationError(f"cannot build a CommonV3 header for field type {hint!r}")
    return hint


_FIELD_TYPES: dict[tuple[type[Any], str], type[Any]] = {}


def _field_type(cls: type[Any], name: str) -> type[Any]:
    key = (cls, name)
    found = _FIELD_TYPES.get(key)
    if found is None:
        found = _FIELD_TYPES[key] = _concrete(typing.get_type_hints(cls)[name])
    return found


# request class -> (informationCustomer class, customerIdentification class)
_HEADER_TYPES: dict[type[Any], tuple[type[Any], type[Any]]] = {}


def _header_types(request_type: type[Any]) -> tuple[type[Any], type[Any]]:
    found = _HEADER_TYPES.get(request_type)
    if found is None:
        info_type = _field_type(request_type, "information_customer")
        found = (info_type, _field_type(info_type, "customer_identification"))
        _HEADER_TYPES[request_type] = found
    return found


def common_header_fields(
    request_type: type[Any],
    *,
    organization: Organization,
    ticket: str,
    sent: datetime,
    legal_context: str | None,
) -> dict[str, Any]:
    """Keyword arguments ``information_customer`` (and ``legal_context``) for *request_type*.

    CommonV3 makes the customer identification a choice: the CBE number, or
    sector + institution — never both.
    """
    info_type, ident_type = _header_types(request_type)
    if organization.cbe_number is not None:
        ident = ident_type(cbe_number=organization.cbe_number)
    else:
        ident = ident_type(sector=organization.sector, institution=organization.institution)
    # XmlDateTime.from_datetime of the UTC instant, without its offset arithmetic (zero here)
    utc = sent if sent.tzinfo is timezone.utc else sent.astimezone(timezone.utc)
    timestamp_sent = XmlDateTime(
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond * 1000, 0
    )
    information = info_type(
        ticket=ticket,
        timestamp_sent=timestamp_sent,
        customer_identification=ident,
    )
    fields: dict[str, Any] = {"information_customer": information}
    if legal_context is not None:
        fields["legal_context"] = legal_context
    return fields
