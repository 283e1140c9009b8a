"""Log records of the SDK: one INFO line per call, bodies only on request, nothing personal.

Every call emits exactly one INFO record on the ``cbss_sdk.transport`` logger,
success or failure, with the call's identity (service, operation,
environment), its tickets, its duration and its outcome; the same fields are
attached as ``record.cbss`` (a dict) for structured log handlers.  Message
bodies are logged only when the client was built with ``log_bodies=True``,
at DEBUG level and with national numbers masked.  Anything textual that
could carry a national number goes through
:func:`~cbss_sdk._redact.mask_national_numbers`.
"""

from __future__ import annotations

import logging
from typing import Any

from .._redact import mask_national_numbers
from ..errors import (
    CbssBusinessError,
    CbssError,
    CbssHttpError,
    CredentialsError,
    SignatureError,
    SoapFault,
)

__all__ = [
    "BODY_LOG_LIMIT",
    "error_code",
    "error_summary",
    "log_body",
    "log_call",
    "logger",
]

#: The logger of the transport layer (a child of ``cbss_sdk``).
logger = logging.getLogger("cbss_sdk.transport")

#: Bodies longer than this many characters are cut in DEBUG records.
BODY_LOG_LIMIT = 65536


def error_code(error: BaseException) -> str | None:
    """The short, non-personal code of an error: CBSS code, HTTP status, fault reason…"""
    code: str | None = None
    if isinstance(error, CbssBusinessError):
        code = error.code
    elif isinstance(error, SoapFault):
        code = " ".join([error.faultcode, *error.reason_codes])
    elif isinstance(error, CbssHttpError):
        code = str(error.status_code)
    elif isinstance(error, SignatureError):
        code = error.reason
    elif isinstance(error, CredentialsError):
        code = error.cause
    return mask_national_numbers(code) if code else None


def error_summary(error: BaseException) -> str:
    """``ClassName`` or ``ClassName CODE``: what the journal and the logs say about a failure.

    The error message is deliberately left out: it is meant for a person
    reading a traceback, and a non-SDK exception may carry anything.
    """
    code = error_code(error)
    name = type(error).__name__
    return f"{name} {code}" if code else name


def log_call(
    *,
    service: str,
    operation: str,
    environment: str,
    customer_ticket: str | None,
    cbss_ticket: str | None,
    duration_ms: float,
    attempts: int,
    outcome: str,
    error: BaseException | None,
) -> None:
    """Emit the one INFO record that sums up a call."""
    if not logger.isEnabledFor(logging.INFO):
        return
    summary = error_summary(error) if error is not None else None
    fields: dict[str, Any] = {
        "service": service,
        "operation": operation,
        "environment": environment,
        "customer_ticket": mask_national_numbers(customer_ticket or "") or None,
        "cbss_ticket": mask_national_numbers(cbss_ticket or "") or None,
        "duration_ms": round(duration_ms, 1),
        "attempts": attempts,
        "outcome": mask_national_numbers(outcome),
        "error": summary,
    }
    if isinstance(error, CbssError) and error.tickets:
        fields["tickets"] = [mask_national_numbers(t) for t in error.tickets]
    logger.info(
        "CBSS %s.%s @ %s: %s in %.0f ms (customer ticket %s, CBSS ticket %s)",
        service,
        operation,
        environment,
        summary if summary is not None else fields["outcome"],
        duration_ms,
        fields["customer_ticket"] or "-",
        fields["cbss_ticket"] or "-",
        extra={"cbss": fields},
    )


def log_body(direction: str, service: str, operation: str, body: bytes) -> None:
    """Emit a DEBUG record with a message body, national numbers masked."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    # Mask before cutting: a cut could leave a shortened number the mask misses.
    text = mask_national_numbers(body.decode("utf-8", errors="replace"))
    cut = len(text) > BODY_LOG_LIMIT
    text = text[:BODY_LOG_LIMIT]
    logger.debug(
        "CBSS %s.%s %s body%s:\n%s",
        service,
        operation,
        direction,
        " (cut)" if cut else "",
        text,
        extra={"cbss": {"service": service, "operation": operation, "direction": direction}},
    )
