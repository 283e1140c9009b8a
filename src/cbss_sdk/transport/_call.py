"""The contract between a protocol layer and the client: what to call, what came back.

A protocol layer (SOA, SSDN) describes a call with :class:`CallInfo`, hands
the client a payload element and an *interpret* function; the client does
the SOAP, security and HTTP work and gives the function a :class:`SoapReply`;
the function returns an :class:`Outcome` (typed value, outcome label, CBSS
ticket) or raises a typed business error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Literal, TypeVar

import attrs

from ..errors import ConfigurationError

if TYPE_CHECKING:
    import httpx

    from ..soap import SoapMessage
    from ..wsse import VerifiedSignature

__all__ = ["CallInfo", "Outcome", "ProtocolName", "SoapReply"]

T_co = TypeVar("T_co", covariant=True)

#: The two CBSS protocol families.
ProtocolName = Literal["soa", "ssdn"]


def _known_protocol(_instance: object, _attribute: attrs.Attribute[str], value: str) -> None:
    if value not in ("soa", "ssdn"):
        raise ConfigurationError(f"CallInfo.protocol must be 'soa' or 'ssdn', not {value!r}")


@attrs.frozen
class CallInfo:
    """What a protocol layer tells the client about one call.

    ``service``/``operation`` name the call in logs, errors and the audit
    journal; ``path`` is the SOA endpoint path below the environment's base
    URL (ignored for SSDN, which has one connector URL); ``soap_action`` goes
    in the ``SOAPAction`` header.  ``idempotent`` allows retries on
    connection failures.  ``sign`` forces signing on or off (``None``: SOA
    calls are signed, SSDN calls are not).  ``legal_context``, ``subject`` (the
    national number the call is about) and ``customer_ticket`` feed the audit
    journal; ``subject`` is never logged.
    """

    service: str
    operation: str
    path: str
    soap_action: str
    protocol: ProtocolName = attrs.field(default="soa", validator=_known_protocol)
    idempotent: bool = False
    sign: bool | None = None
    legal_context: str | None = None
    subject: str | None = attrs.field(default=None, repr=False)
    customer_ticket: str | None = None

    @property
    def signed(self) -> bool:
        """Whether the request is signed: ``sign`` if given, else the protocol default."""
        if self.sign is not None:
            return self.sign
        return self.protocol == "soa"


@attrs.frozen
class Outcome(Generic[T_co]):
    """What an interpret function returns: the typed ``value``, a ``label``, the CBSS ticket.

    ``label`` is the outcome as the journal and the logs show it
    (``DATA_FOUND``, ``NO_DATA_FOUND``, ``WARNING``, ``ok``…); it must not
    carry personal data.
    """

    value: T_co
    label: str = "ok"
    cbss_ticket: str | None = None


@attrs.frozen
class SoapReply:
    """A received SOAP message, already checked: not a fault, signature verified per policy.

    ``signature`` is ``None`` when the reply was not signed (and the policy
    allowed it) or verification is off.  ``elapsed`` is the duration of the
    HTTP exchange in seconds (the last attempt).  ``raw`` is the body as
    received: the bytes a signature was checked on.
    """

    message: SoapMessage
    status_code: int
    headers: httpx.Headers
    signature: VerifiedSignature | None
    elapsed: float
    raw: bytes = attrs.field(repr=False)
