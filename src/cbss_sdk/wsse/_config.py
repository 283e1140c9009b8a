"""Configuration and result of signature verification.

:class:`VerificationConfig` is built once (the CA bundle is read and the trust
anchors prepared at construction) and shared by every verification;
:class:`VerifiedSignature` reports what a successful verification established.
"""

from __future__ import annotations

import enum
import math
import os
from datetime import datetime
from pathlib import Path

import attrs
from cryptography import x509

from ..errors import ConfigurationError
from ._trust import TrustAnchors

__all__ = ["VerificationConfig", "VerificationPolicy", "VerifiedSignature"]


class VerificationPolicy(str, enum.Enum):
    """Whether a received message must be signed.

    ``REQUIRED``: an unsigned message is an error (``reason="missing"``).
    ``IF_PRESENT``: an unsigned message is accepted; a signed one must verify.
    ``OFF``: nothing is looked at.
    """

    REQUIRED = "required"
    IF_PRESENT = "if_present"
    OFF = "off"


def _to_policy(value: VerificationPolicy | str) -> VerificationPolicy:
    try:
        return VerificationPolicy(value)
    except ValueError:
        allowed = ", ".join(repr(p.value) for p in VerificationPolicy)
        raise ConfigurationError(
            f"unknown verification policy {value!r}; use one of {allowed}"
        ) from None


def _to_certificates(value: object) -> tuple[x509.Certificate, ...]:
    if isinstance(value, x509.Certificate):
        return (value,)
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise ConfigurationError(
            "trusted_certificates must be a sequence of cryptography x509.Certificate"
        )
    certs = tuple(value)
    for cert in certs:
        if not isinstance(cert, x509.Certificate):
            raise ConfigurationError(
                "trusted_certificates must hold cryptography x509.Certificate objects, "
                f"not {type(cert).__name__}"
            )
    return certs


def _load_ca_bundle(path: str | os.PathLike[str]) -> tuple[x509.Certificate, ...]:
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise ConfigurationError(
            f"ca_bundle {name}: cannot be read ({exc.strerror or type(exc).__name__})"
        ) from None
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise ConfigurationError(f"ca_bundle {name}: holds no readable PEM certificate") from None
    return tuple(certs)


@attrs.frozen
class VerificationConfig:
    """How received signatures are checked.

    Attributes:
        policy: :class:`VerificationPolicy` (or its string value).
        trusted_certificates: certificates trusted as anchors: the signer's
            certificate must be one of them or be issued (directly or via
            other trusted certificates) by one of them.
        ca_bundle: path of a PEM file of more trusted certificates, read
            when the config is built.
        pinned_certificate: when set, the signer's certificate must be exactly
            this one; the trust lists are then not consulted.
        clock_skew: seconds of clock difference tolerated on Timestamp checks.
        require_timestamp: a signed ``wsu:Timestamp`` must be present.
        max_timestamp_age: when set, a Timestamp created longer ago than this
            (seconds, plus ``clock_skew``) is refused even if not expired.
        allow_sha1: accept SHA-1 signature and digest algorithms.
        trust_any_certificate: accept any signer certificate (still checked
            for validity dates) — for test environments only; cannot be
            combined with a trust list or a pin.

    Without any trust anchor (no trusted certificates, bundle, pin, nor
    ``trust_any_certificate``) a signed message fails with
    ``reason="untrusted"`` and a message saying that nothing is trusted:
    verifying a signature against nothing proves nothing.
    """

    policy: VerificationPolicy = attrs.field(
        default=VerificationPolicy.REQUIRED, converter=_to_policy
    )
    trusted_certificates: tuple[x509.Certificate, ...] = attrs.field(
        default=(), converter=_to_certificates
    )
    ca_bundle: str | os.PathLike[str] | None = None
    pinned_certificate: x509.Certificate | None = None
    clock_skew: float = 60.0
    require_timestamp: bool = True
    max_timestamp_age: float | None = None
    allow_sha1: bool = False
    trust_any_certificate: bool = False
    _anchors: TrustAnchors = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.pinned_certificate is not None and not isinstance(
            self.pinned_certificate, x509.Certificate
        ):
            raise ConfigurationError("pinned_certificate must be a cryptography x509.Certificate")
        _check_seconds("clock_skew", self.clock_skew, allow_zero=True)
        if self.max_timestamp_age is not None:
            _check_seconds("max_timestamp_age", self.max_timestamp_age, allow_zero=False)
        for flag in ("require_timestamp", "allow_sha1", "trust_any_certificate"):
            if not isinstance(getattr(self, flag), bool):
                raise ConfigurationError(f"{flag} must be True or False")
        bundle = _load_ca_bundle(self.ca_bundle) if self.ca_bundle is not None else ()
        anchors = self.trusted_certificates + bundle
        if self.trust_any_certificate and (anchors or self.pinned_certificate is not None):
            raise ConfigurationError(
                "trust_any_certificate=True cannot be combined with trusted certificates, "
                "a CA bundle or a pinned certificate: choose one"
            )
        object.__setattr__(
            self,
            "_anchors",
            TrustAnchors(anchors, self.pinned_certificate, self.trust_any_certificate),
        )

    @property
    def has_trust_anchor(self) -> bool:
        """True when something is trusted (a list, a bundle, a pin, or ``trust_any_certificate``)."""
        return self._anchors.configured


def _check_seconds(name: str, value: object, *, allow_zero: bool) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigurationError(f"{name} must be a finite number of seconds")
    if value < 0 or (value == 0 and not allow_zero):
        raise ConfigurationError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, got {value}")


@attrs.frozen
class VerifiedSignature:
    """What a successful verification established.

    ``signed_ids`` are the referenced ids in signature order and
    ``signed_parts`` names each referenced element (``"Body"``,
    ``"Timestamp"``, ``"BinarySecurityToken"`` or the element's Clark tag).
    ``trusted_by`` says how the certificate was trusted: ``"pinned"``,
    ``"anchor"`` (it is a trusted certificate), ``"chain"`` or ``"any"``.
    The timestamps are ``None`` only when no signed Timestamp was required
    nor present.
    """

    certificate: x509.Certificate
    signed_ids: tuple[str, ...]
    signed_parts: tuple[str, ...]
    timestamp_created: datetime | None
    timestamp_expires: datetime | None
    algorithm: str
    digest_algorithm: str
    trusted_by: str
