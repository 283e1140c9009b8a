"""When a call may be sent again, and how long to wait before it.

CBSS answers a SOAP fault with HTTP 500, and several CBSS operations change
state (registrations in the CBSS directory, attestations).  So the SDK
retries only what is safe to repeat: an operation the catalog marks
idempotent, after a failure that happened before CBSS could answer — a
connection or timeout error, or a 502/503/504 from a gateway that did not
carry a SOAP message.  A SOAP fault or any SOAP reply is never retried.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import attrs
import httpx

from ..errors import ConfigurationError

__all__ = [
    "DEFAULT_RETRY",
    "RETRYABLE_STATUS_CODES",
    "RetryPolicy",
    "is_retryable_error",
    "is_retryable_status",
]

#: Gateway statuses that mean "CBSS did not get or did not answer the request".
RETRYABLE_STATUS_CODES = frozenset({502, 503, 504})

# Transport failures after which an idempotent call may be repeated:
# connection refused/reset/DNS/TLS handshake (ConnectError), any timeout
# (connect, read, write, pool), a connection dropped while reading or writing
# (ReadError, WriteError) and a server that closed without answering
# (RemoteProtocolError).  Not retried: configuration problems such as
# UnsupportedProtocol, ProxyError or LocalProtocolError.
_RETRYABLE_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.TimeoutException,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


def _positive(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ConfigurationError(f"RetryPolicy.{attribute.name} must not be negative")


def _at_least_one(_instance: object, _attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ConfigurationError("RetryPolicy.max_attempts must be at least 1")


def _multiplier(_instance: object, _attribute: attrs.Attribute[float], value: float) -> None:
    if value < 1:
        raise ConfigurationError("RetryPolicy.multiplier must be at least 1")


@attrs.frozen
class RetryPolicy:
    """How often and how patiently an idempotent call is retried.

    ``max_attempts`` counts every sending, the first included (``1`` = no
    retry).  Before retry *n* (1-based) the client waits
    ``min(max_backoff, initial_backoff * multiplier ** (n - 1))`` seconds, or,
    with ``jitter`` ("full jitter"), a uniformly random time between zero and
    that value, so that many clients do not hammer CBSS in step.
    """

    max_attempts: int = attrs.field(default=3, validator=_at_least_one)
    initial_backoff: float = attrs.field(default=0.5, validator=_positive)
    max_backoff: float = attrs.field(default=8.0, validator=_positive)
    multiplier: float = attrs.field(default=2.0, validator=_multiplier)
    jitter: bool = True

    @classmethod
    def none(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_attempts=1)

    def backoff(self, retry: int, *, rand: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first retry).

        ``rand`` returns a float in ``[0, 1)``; it is only used with ``jitter``.
        """
        ceiling = min(self.max_backoff, self.initial_backoff * self.multiplier ** (retry - 1))
        if self.jitter:
            return ceiling * rand()
        return ceiling


#: The default policy: three sendings at most, 0.5 s then 1 s (before jitter).
DEFAULT_RETRY = RetryPolicy()


def is_retryable_error(error: httpx.TransportError) -> bool:
    """Whether a transport failure may be followed by a new sending of an idempotent call."""
    return isinstance(error, _RETRYABLE_ERRORS)


def is_retryable_status(status_code: int, carries_soap: bool) -> bool:
    """Whether an HTTP answer may be followed by a new sending of an idempotent call.

    Only a gateway status (502, 503, 504) without a SOAP message qualifies: a
    SOAP body means CBSS itself answered, and its answer stands.
    """
    return status_code in RETRYABLE_STATUS_CODES and not carries_soap
