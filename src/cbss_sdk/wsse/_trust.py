"""Decide whether the certificate that signed a message is one we trust.

A valid signature only proves that *some* key signed the message; trust comes
from the certificate.  Accepted, in this order:

1. a *pinned* certificate: the signer's certificate must be exactly that one
   (byte-for-byte DER), nothing else is consulted;
2. ``trust_any_certificate``: any certificate (test environments only);
3. the certificate *is* one of the trusted certificates;
4. the certificate chains to one of the trusted certificates.

Validity dates of the signer's certificate are checked at the verification
time in every case.  Chain building (4) uses ``cryptography.x509.verification``
(the Rust path builder of pyca/cryptography, also used by signxml) rather than
a hand-written issuer/signature check: it checks every signature on the path,
the validity of every certificate at the given time, name chaining and
``basicConstraints``, and it finds paths through several trusted certificates.
Its default Web-PKI profile is made for TLS servers (it demands a
subjectAltName and particular extension criticality), which a CBSS signing
certificate need not meet, so the policies here keep the RFC 5280 core:

* issuers must assert ``basicConstraints cA=TRUE`` and, when they carry a
  ``keyUsage``, ``keyCertSign``;
* the signer's ``keyUsage``, when present, must allow ``digitalSignature``
  or ``nonRepudiation``;
* no other extension is required.

Trusted certificates are anchors: an intermediate CA put in the trust list is
trusted as such.  The BinarySecurityToken carries only the signer's
certificate, so a chain through an intermediate needs that intermediate in the
trust list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509 import verification

from .._redact import mask_national_numbers
from ..errors import SignatureError


def _ee_key_usage(
    policy: verification.Policy, cert: x509.Certificate, key_usage: x509.KeyUsage | None
) -> None:
    if key_usage is not None and not (key_usage.digital_signature or key_usage.content_commitment):
        raise ValueError("the signer's keyUsage allows neither digitalSignature nor nonRepudiation")


def _ca_basic_constraints(
    policy: verification.Policy, cert: x509.Certificate, constraints: x509.BasicConstraints
) -> None:
    if not constraints.ca:
        raise ValueError("an issuing certificate does not assert basicConstraints cA=TRUE")


def _ca_key_usage(
    policy: verification.Policy, cert: x509.Certificate, key_usage: x509.KeyUsage | None
) -> None:
    if key_usage is not None and not key_usage.key_cert_sign:
        raise ValueError("an issuing certificate's keyUsage does not allow keyCertSign")


_EE_POLICY = verification.ExtensionPolicy.permit_all().may_be_present(
    x509.KeyUsage, verification.Criticality.AGNOSTIC, _ee_key_usage
)
_CA_POLICY = (
    verification.ExtensionPolicy.permit_all()
    .require_present(
        x509.BasicConstraints, verification.Criticality.AGNOSTIC, _ca_basic_constraints
    )
    .may_be_present(x509.KeyUsage, verification.Criticality.AGNOSTIC, _ca_key_usage)
)


def describe_certificate(cert: x509.Certificate) -> str:
    """``'CN=...' issued by 'CN=...'`` (national numbers masked) for error messages."""
    return (
        f"'{mask_national_numbers(cert.subject.rfc4514_string())}' issued by "
        f"'{mask_national_numbers(cert.issuer.rfc4514_string())}'"
    )


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


class TrustAnchors:
    """The trust configuration, prepared once (DER set, chain-building store)."""

    __slots__ = ("_anchor_ders", "_pinned_der", "_store", "trust_any")

    def __init__(
        self,
        anchors: Sequence[x509.Certificate],
        pinned: x509.Certificate | None,
        trust_any: bool,
    ) -> None:
        self._anchor_ders = frozenset(_der(c) for c in anchors)
        self._store = verification.Store(list(anchors)) if anchors else None
        self._pinned_der = _der(pinned) if pinned is not None else None
        self.trust_any = trust_any

    @property
    def configured(self) -> bool:
        return self.trust_any or self._pinned_der is not None or self._store is not None

    def check(self, cert: x509.Certificate, now: datetime) -> str:
        """Return how *cert* is trusted (``"pinned"``, ``"any"``, ``"anchor"``, ``"chain"``).

        Raises :class:`~cbss_sdk.errors.SignatureError` ``reason="untrusted"``.
        """
        who = describe_certificate(cert)
        if now < cert.not_valid_before_utc:
            raise SignatureError(
                f"the signing certificate {who} is not valid before "
                f"{cert.not_valid_before_utc.isoformat()} (checked at {now.isoformat()})",
                reason="untrusted",
            )
        if now > cert.not_valid_after_utc:
            raise SignatureError(
                f"the signing certificate {who} expired on "
                f"{cert.not_valid_after_utc.isoformat()} (checked at {now.isoformat()})",
                reason="untrusted",
            )
        if self._pinned_der is not None:
            if _der(cert) == self._pinned_der:
                return "pinned"
            raise SignatureError(
                f"the message was signed with {who}, not with the pinned certificate",
                reason="untrusted",
            )
        if self.trust_any:
            return "any"
        if self._store is None:
            raise SignatureError(
                f"cannot trust the signing certificate {who}: no trust anchor is configured "
                "(give VerificationConfig trusted_certificates=, ca_bundle= or "
                "pinned_certificate=, or trust_any_certificate=True in a test environment)",
                reason="untrusted",
            )
        if _der(cert) in self._anchor_ders:
            return "anchor"
        builder = (
            verification.PolicyBuilder()
            .store(self._store)
            .time(now)
            .extension_policies(ee_policy=_EE_POLICY, ca_policy=_CA_POLICY)
        )
        try:
            builder.build_client_verifier().verify(cert, [])
        except verification.VerificationError as exc:
            detail = str(exc)
            if "candidates exhausted" in detail and "no interior errors" in detail:
                detail = "it is not issued by any trusted certificate"
            raise SignatureError(
                f"the signing certificate {who} is not trusted: {detail}",
                reason="untrusted",
            ) from None
        return "chain"
