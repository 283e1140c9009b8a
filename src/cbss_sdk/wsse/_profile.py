"""What a WS-Security signature covers and with which algorithms: the signing profile.

One immutable value object holds every choice (algorithms, canonicalisation,
timestamp lifetime, signed parts) so the signer has no loose options, a
profile can be shared by threads and compared, and a bad choice fails when
the profile is built rather than at the first request.  SHA-1 is refused
unless ``allow_sha1=True`` says, in the code, that a legacy peer needs it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final

import attrs

from ..errors import ConfigurationError
from ._algorithms import (
    C14N_ALGORITHMS,
    DIGEST_ALGORITHMS,
    SIGNATURE_ALGORITHMS,
    DigestAlgorithm,
    SignatureAlgorithm,
)

__all__ = ["DEFAULT_SIGNING_PROFILE", "SigningProfile"]

#: Longest accepted timestamp lifetime (one day): longer makes replay easy.
MAX_TIMESTAMP_TTL: Final = 86_400.0


@attrs.frozen
class SigningProfile:
    """How :func:`~cbss_sdk.wsse.sign_envelope` signs a SOAP envelope.

    Attributes:
        signature_algorithm: ``"rsa-sha256"`` (default), ``"rsa-sha384"``,
            ``"rsa-sha512"``, ``"ecdsa-sha256"``, ``"ecdsa-sha384"``,
            ``"ecdsa-sha512"``; ``"rsa-sha1"`` only with ``allow_sha1``.
            The key of the credentials must fit (RSA key for ``rsa-*``).
        digest_algorithm: ``"sha256"`` (default), ``"sha384"``, ``"sha512"``;
            ``"sha1"`` only with ``allow_sha1``.
        c14n: canonicalisation, ``"exclusive"`` (Exclusive XML Canonicalization
            1.0 without comments, the WS-Security norm) is the only value.
        timestamp_ttl: seconds between ``wsu:Created`` and ``wsu:Expires``
            (default 300, at most one day).
        sign_body: sign the ``soapenv:Body`` (default ``True``).
        sign_timestamp: sign the ``wsu:Timestamp`` (default ``True``).
        sign_binary_security_token: also sign the certificate token
            (default ``False``).
        allow_sha1: permit the SHA-1 algorithms above (default ``False``).

    Turning ``sign_body`` or ``sign_timestamp`` off produces messages that
    this SDK's own verifier rejects; it exists to test peers and verifiers.
    """

    signature_algorithm: str = "rsa-sha256"
    digest_algorithm: str = "sha256"
    c14n: str = "exclusive"
    timestamp_ttl: float = 300.0
    sign_body: bool = True
    sign_timestamp: bool = True
    sign_binary_security_token: bool = False
    allow_sha1: bool = False

    def __attrs_post_init__(self) -> None:
        signature = SIGNATURE_ALGORITHMS.get(self.signature_algorithm)
        if signature is None:
            raise ConfigurationError(
                f"unknown signature_algorithm {self.signature_algorithm!r}; "
                f"choose one of {_names(SIGNATURE_ALGORITHMS)}"
            )
        digest = DIGEST_ALGORITHMS.get(self.digest_algorithm)
        if digest is None:
            raise ConfigurationError(
                f"unknown digest_algorithm {self.digest_algorithm!r}; "
                f"choose one of {_names(DIGEST_ALGORITHMS)}"
            )
        if not self.allow_sha1:
            for field, algorithm in (
                ("signature_algorithm", signature),
                ("digest_algorithm", digest),
            ):
                if algorithm.is_sha1:
                    raise ConfigurationError(
                        f"{field}={algorithm.name!r} uses SHA-1, which is broken for signatures; "
                        "set allow_sha1=True only if a legacy peer cannot do SHA-256"
                    )
        if self.c14n not in C14N_ALGORITHMS:
            raise ConfigurationError(
                f"unknown c14n {self.c14n!r}; choose one of {_names(C14N_ALGORITHMS)}"
            )
        if isinstance(self.timestamp_ttl, bool) or not isinstance(self.timestamp_ttl, (int, float)):
            raise ConfigurationError("timestamp_ttl must be a number of seconds")
        if not math.isfinite(self.timestamp_ttl) or not 0 < self.timestamp_ttl <= MAX_TIMESTAMP_TTL:
            raise ConfigurationError(
                f"timestamp_ttl must be more than 0 and at most {MAX_TIMESTAMP_TTL:g} seconds, "
                f"got {self.timestamp_ttl!r}"
            )
        for flag in ("sign_body", "sign_timestamp", "sign_binary_security_token", "allow_sha1"):
            if not isinstance(getattr(self, flag), bool):
                raise ConfigurationError(f"{flag} must be True or False")
        if not (self.sign_body or self.sign_timestamp or self.sign_binary_security_token):
            raise ConfigurationError(
                "the profile signs nothing: enable sign_body, sign_timestamp "
                "or sign_binary_security_token"
            )

    @property
    def signature(self) -> SignatureAlgorithm:
        """The resolved signature algorithm (name, URI, hash, key type)."""
        return SIGNATURE_ALGORITHMS[self.signature_algorithm]

    @property
    def digest(self) -> DigestAlgorithm:
        """The resolved digest algorithm (name, URI, hashlib name)."""
        return DIGEST_ALGORITHMS[self.digest_algorithm]

    @property
    def c14n_uri(self) -> str:
        """URI of the canonicalisation method."""
        return C14N_ALGORITHMS[self.c14n]


def _names(table: Mapping[str, object]) -> str:
    return ", ".join(repr(n) for n in table if "sha1" not in n)


#: The profile used when none is given: RSA-SHA256, SHA-256 digests, exclusive
#: c14n, a 5-minute timestamp, Body and Timestamp signed.
DEFAULT_SIGNING_PROFILE: Final = SigningProfile()
