"""Every error the SDK raises, in one hierarchy.

A caller catches what it can act on: a business outcome by type
(``except SsinUnknown``), a whole family (``except TransportError``), or
everything (``except CbssError``)::

    CbssError                          root; carries service, operation, environment, tickets
    ├── ConfigurationError             the client or a call is configured wrongly
    ├── CredentialsError               key/certificate file unreadable, wrong password, mismatch, expired
    ├── RequestValidationError         an argument is invalid; nothing was sent (also a ValueError)
    │   └── InvalidIdentifier          SSIN, BIS or CBE number fails its checks
    ├── TransportError                 the request did not get an HTTP answer
    │   ├── CbssConnectError           connection refused, DNS, TLS handshake
    │   └── CbssTimeout                connect/read/write/pool timeout
    ├── CbssHttpError                  an HTTP error status without a SOAP envelope (HTML page, empty body)
    ├── XmlError                       an inbound document is not acceptable XML
    │   ├── XmlSecurityError           DTD, entity declaration, external reference (XXE, billion laughs)
    │   └── XmlTooLarge                over the configured size or depth cap
    ├── ProtocolError                  well-formed XML that is not the message expected (no Body, no payload)
    ├── SoapFault                      a SOAP Fault, with the parsed CBSS fault detail when present
    ├── SignatureError                 a signature is missing, invalid, stale, untrusted or covers the wrong parts
    └── CbssBusinessError              CBSS answered, with a business status that is not a result
        ├── SsinUnknown                MSG00005
        ├── SsinReplaced               MSG00006 (``replacement`` when CBSS gives it)
        ├── SsinCancelled              MSG00007
        ├── RequestInvalid             MSG00008 (CBSS-side validation)
        ├── SsinInvalid                MSG00011
        ├── NotIntegrated              MSG00012
        ├── LegalContextRefused        MSG00013
        ├── ServiceUnavailable         MSG00001 / MSG00002 (CBSS or a source temporarily unavailable)
        ├── DolsisFamilyCompositionFailed  DOLS0009
        ├── HandiserviceError          a Handiservice refusal
        │   ├── HandiClientNotAuthorized       HAN00010
        │   ├── HandiInformationNotAuthorized  HAN00011
        │   ├── HandiPaymentPeriodRefused      HAN00020 / HAN00021
        │   └── HandiSourceError               HAN00030 to HAN00033
        └── SsdnError                  an SSDN reply with ResultSummary ok=NO (carries the reason codes)

No message produced by these classes contains a national number: the root
class masks anything shaped like one, whatever the raiser put in the text.
Personal data that a caller may legitimately need (the replacement SSIN of
``SsinReplaced``) lives in attributes, never in ``str(error)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ._redact import mask_national_numbers

__all__ = [
    "CbssBusinessError",
    "CbssConnectError",
    "CbssError",
    "CbssHttpError",
    "CbssTimeout",
    "ConfigurationError",
    "CredentialsError",
    "DolsisFamilyCompositionFailed",
    "FaultDetail",
    "FaultMessage",
    "HandiClientNotAuthorized",
    "HandiInformationNotAuthorized",
    "HandiPaymentPeriodRefused",
    "HandiSourceError",
    "HandiserviceError",
    "InvalidIdentifier",
    "LegalContextRefused",
    "NotIntegrated",
    "ProtocolError",
    "RequestInvalid",
    "RequestValidationError",
    "ServiceUnavailable",
    "SignatureError",
    "SoapFault",
    "SsdnDetail",
    "SsdnError",
    "SsinCancelled",
    "SsinInvalid",
    "SsinReplaced",
    "SsinUnknown",
    "StatusInformation",
    "TransportError",
    "XmlError",
    "XmlSecurityError",
    "XmlTooLarge",
    "business_error_for_code",
]


class CbssError(Exception):
    """Root of every error raised by the SDK.

    Context attributes are filled as soon as they are known; the client adds
    the service, operation and environment of the call when an error crosses
    it, so a low-level error still tells which call failed.
    """

    def __init__(
        self,
        message: str,
        *,
        service: str | None = None,
        operation: str | None = None,
        environment: str | None = None,
        tickets: Sequence[str] = (),
    ) -> None:
        self.message = mask_national_numbers(message)
        self.service = service
        self.operation = operation
        self.environment = environment
        self.tickets: tuple[str, ...] = tuple(tickets)
        super().__init__(self.message)

    def with_context(
        self,
        *,
        service: str | None = None,
        operation: str | None = None,
        environment: str | None = None,
        tickets: Sequence[str] = (),
    ) -> CbssError:
        """Fill context fields that are still empty; return ``self`` for ``raise``."""
        self.service = self.service or service
        self.operation = self.operation or operation
        self.environment = self.environment or environment
        for ticket in tickets:
            if ticket and ticket not in self.tickets:
                self.tickets = (*self.tickets, ticket)
        return self

    def __str__(self) -> str:
        where = ".".join(part for part in (self.service, self.operation) if part)
        bits = [self.message]
        if where:
            bits.append(f"[{where}" + (f" @ {self.environment}]" if self.environment else "]"))
        if self.tickets:
            bits.append("(ticket " + ", ".join(self.tickets) + ")")
        return " ".join(bits)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ConfigurationError(CbssError):
    """The client, an environment or a call option is configured wrongly."""


class CredentialsError(CbssError):
    """A key or certificate could not be used.

    ``source`` names the file (or ``"<bytes>"``); ``cause`` is a short
    machine-friendly reason such as ``"wrong-password"``, ``"no-private-key"``,
    ``"key-mismatch"``, ``"unreadable"``, ``"expired"``, ``"not-yet-valid"``.
    The password never appears anywhere in the error.
    """

    def __init__(self, message: str, *, source: str | None = None, cause: str = "invalid") -> None:
        self.source = source
        self.cause = cause
        super().__init__(message)


class RequestValidationError(CbssError, ValueError):
    """An argument is invalid; the request was not sent.

    ``field`` names the argument. The offending value is not repeated.
    """

    def __init__(self, message: str, *, field: str | None = None, **context: object) -> None:
        self.field = field
        super().__init__(message, **context)  # type: ignore[arg-type]


class InvalidIdentifier(RequestValidationError):
    """An SSIN, BIS or CBE number fails its format or check-digit rules.

    ``kind`` is ``"ssin"``, ``"bis"``, ``"cbe"``; ``reason`` is one of
    ``"format"``, ``"length"``, ``"checksum"``, ``"date"``, ``"kind"``.
    """

    def __init__(self, message: str, *, kind: str, reason: str, field: str | None = None) -> None:
        self.kind = kind
        self.reason = reason
        super().__init__(message, field=field)


class TransportError(CbssError):
    """The request got no HTTP answer (network, TLS, timeout)."""


class CbssConnectError(TransportError):
    """The connection to CBSS could not be established or was dropped."""


class CbssTimeout(TransportError):
    """A connect, read, write or pool timeout expired."""


class CbssHttpError(CbssError):
    """An HTTP error status came back without a SOAP envelope to read.

    ``body_excerpt`` keeps the first bytes of the body (masked) for support.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        content_type: str | None = None,
        body_excerpt: str = "",
        **context: object,
    ) -> None:
        self.status_code = status_code
        self.content_type = content_type
        self.body_excerpt = mask_national_numbers(body_excerpt)
        super().__init__(message, **context)  # type: ignore[arg-type]


class XmlError(CbssError):
    """An inbound document is not acceptable XML (malformed, not XML at all)."""


class XmlSecurityError(XmlError):
    """An inbound document uses a construct refused for safety (DTD, entities, external references)."""


class XmlTooLarge(XmlError):
    """An inbound document exceeds the configured size or nesting cap."""


class ProtocolError(CbssError):
    """Well-formed XML that is not the message the protocol expects."""


@dataclass(frozen=True)
class StatusInformation:
    """One ``information`` entry (fieldName / fieldValue) of a status or fault message."""

    field_name: str
    field_value: str | None = None


@dataclass(frozen=True)
class FaultMessage:
    """One message of a CBSS fault detail (``detail`` in CommonV3, ``error`` in v1)."""

    severity: str | None
    reason_code: str | None
    diagnostic: str | None = None
    author_code: str | None = None
    information: tuple[StatusInformation, ...] = ()


@dataclass(frozen=True)
class FaultDetail:
    """The CBSS fault detail (``CBSSFaultType``) carried by a SOAP Fault."""

    ticket_cbss: str | None = None
    ticket_customer: str | None = None
    timestamp_receive: datetime | None = None
    timestamp_reply: datetime | None = None
    messages: tuple[FaultMessage, ...] = field(default_factory=tuple)

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(m.reason_code for m in self.messages if m.reason_code)


class SoapFault(CbssError):
    """A SOAP 1.1 Fault.

    ``faultcode``, ``faultstring`` and ``faultactor`` as sent; ``detail`` is
    the parsed CBSS fault detail when the fault carries one (``None``
    otherwise).  The message adds the reason codes and the first diagnostic
    (CBSS's faultstring is generic; the diagnostic says what went wrong).
    """

    @property
    def faultcode_local(self) -> str:
        """The faultcode without its prefix (``Server``, ``Client``)."""
        return self.faultcode.rsplit(":", 1)[-1]

    def __init__(
        self,
        faultcode: str,
        faultstring: str,
        *,
        detail: FaultDetail | None = None,
        http_status: int | None = None,
        faultactor: str | None = None,
        **context: object,
    ) -> None:
        self.faultcode = faultcode
        self.faultstring = faultstring
        self.faultactor = faultactor
        self.detail = detail
        self.http_status = http_status
        text = f"SOAP fault {faultcode}: {faultstring}"
        if detail is not None and detail.reason_codes:
            text += " (" + ", ".join(detail.reason_codes) + ")"
        diagnostic = (
            next((m.diagnostic for m in detail.messages if m.diagnostic), None)
            if detail is not None
            else None
        )
        if diagnostic and diagnostic != faultstring:
            text += f": {diagnostic}"
        tickets = list(context.pop("tickets", ()) or ())  # type: ignore[call-overload]
        if detail is not None and detail.ticket_cbss:
            tickets.append(detail.ticket_cbss)
        super().__init__(text, tickets=tickets, **context)  # type: ignore[arg-type]

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return self.detail.reason_codes if self.detail is not None else ()


class SignatureError(CbssError):
    """A WS-Security signature is missing, invalid, stale, untrusted or covers the wrong parts.

    ``reason`` is a short code (``"missing"``, ``"missing-timestamp"``,
    ``"invalid"``, ``"coverage"``, ``"timestamp-expired"``,
    ``"timestamp-future"``, ``"untrusted"``, ``"algorithm"``, ``"malformed"``);
    the message says it in words (docs/signing.md has the table).
    """

    def __init__(self, message: str, *, reason: str, **context: object) -> None:
        self.reason = reason
        super().__init__(message, **context)  # type: ignore[arg-type]


class CbssBusinessError(CbssError):
    """CBSS answered, with a status that is not a result (``NO_RESULT`` and a code).

    ``code`` is the CBSS code (``MSG00005``, ``TAXA0007``, …), ``description``
    its text (masked), ``information`` the fieldName/fieldValue pairs (raw:
    they may name the person, so they are attributes, not message text).
    """

    code_default: str | None = None

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        description: str | None = None,
        information: Sequence[StatusInformation] = (),
        status_value: str | None = None,
        **context: object,
    ) -> None:
        self.code = code or self.code_default
        self.description = mask_national_numbers(description) if description else None
        self.information = tuple(information)
        self.status_value = status_value
        if message is None:
            message = f"CBSS status {self.code or '?'}"
            if self.description:
                message += f": {self.description}"
        super().__init__(message, **context)  # type: ignore[arg-type]


class SsinUnknown(CbssBusinessError):
    """MSG00005: the SSIN is not known to CBSS."""

    code_default = "MSG00005"


class SsinReplaced(CbssBusinessError):
    """MSG00006: the SSIN was replaced; ``replacement`` holds the new one when CBSS gives it."""

    code_default = "MSG00006"

    @property
    def replacement(self) -> str | None:
        for info in self.information:
            name = info.field_name.lower()
            if info.field_value and ("replac" in name or name in {"newssin", "ssin"}):
                return info.field_value
        return None


class SsinCancelled(CbssBusinessError):
    """MSG00007: the SSIN was cancelled."""

    code_default = "MSG00007"


class RequestInvalid(CbssBusinessError):
    """MSG00008: CBSS found the request invalid (``information`` names the field)."""

    code_default = "MSG00008"


class SsinInvalid(CbssBusinessError):
    """MSG00011: the SSIN has an invalid structure according to CBSS."""

    code_default = "MSG00011"


class NotIntegrated(CbssBusinessError):
    """MSG00012: the person is not integrated (no ManageAccess registration) for this organisation."""

    code_default = "MSG00012"


class LegalContextRefused(CbssBusinessError):
    """MSG00013: the legal context is not valid for this service, operation or client."""

    code_default = "MSG00013"


class ServiceUnavailable(CbssBusinessError):
    """MSG00001/MSG00002: CBSS or one of its sources is temporarily unavailable."""

    code_default = "MSG00001"


@dataclass(frozen=True)
class SsdnDetail:
    """One ``Detail`` of an SSDN ``ResultSummary``."""

    severity: str
    reason_code: str
    diagnostic: str | None = None
    author_codes: tuple[str, ...] = ()
    information: tuple[StatusInformation, ...] = ()


class SsdnError(CbssBusinessError):
    """An SSDN reply whose ResultSummary says ``ok=NO`` (ReturnCode 10000).

    ``details`` are the ResultSummary details (severity, reason code,
    diagnostic); ``reason_codes`` lists their codes.
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        details: Sequence[SsdnDetail] = (),
        return_code: int | None = None,
        **context: object,
    ) -> None:
        self.details = tuple(details)
        self.return_code = return_code
        codes = [d.reason_code for d in self.details]
        if message is None:
            message = "SSDN request refused"
            if codes:
                message += " (" + ", ".join(codes) + ")"
            first = next((d.diagnostic for d in self.details if d.diagnostic), None)
            if first:
                message += f": {first}"
        context.setdefault("code", codes[0] if codes else None)
        super().__init__(message, **context)  # type: ignore[arg-type]

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(d.reason_code for d in self.details)


_BY_CODE: dict[str, type[CbssBusinessError]] = {
    "MSG00001": ServiceUnavailable,
    "MSG00002": ServiceUnavailable,
    "MSG00005": SsinUnknown,
    "MSG00006": SsinReplaced,
    "MSG00007": SsinCancelled,
    "MSG00008": RequestInvalid,
    "MSG00011": SsinInvalid,
    "MSG00012": NotIntegrated,
    "MSG00013": LegalContextRefused,
}


def business_error_for_code(
    code: str | None, extra: dict[str, type[CbssBusinessError]] | None = None
) -> type[CbssBusinessError]:
    """The exception class for a CBSS status code: a service's own table first, then the generic one."""
    if code is None:
        return CbssBusinessError
    if extra and code in extra:
        return extra[code]
    return _BY_CODE.get(code, CbssBusinessError)


# Service-specific business errors live beside their service group and are part of this module's
# surface; imported last because they subclass the classes above.
from ._errors_social import (  # noqa: E402
    DolsisFamilyCompositionFailed,
    HandiClientNotAuthorized,
    HandiInformationNotAuthorized,
    HandiPaymentPeriodRefused,
    HandiserviceError,
    HandiSourceError,
)
