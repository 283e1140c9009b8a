"""WS-Security for CBSS messages: sign outgoing envelopes, verify received ones.

:func:`sign_envelope` adds a BinarySecurityToken, a Timestamp and an XML-DSig
signature over the Body and the Timestamp; :func:`verify_envelope` checks a
received signature, its coverage, its certificate and its freshness.  See
``docs/signing.md``.
"""

from __future__ import annotations

from ._config import VerificationConfig, VerificationPolicy, VerifiedSignature
from ._profile import DEFAULT_SIGNING_PROFILE, SigningProfile
from ._sign import sign_envelope
from ._verify import verify_envelope

__all__ = [
    "DEFAULT_SIGNING_PROFILE",
    "SigningProfile",
    "VerificationConfig",
    "VerificationPolicy",
    "VerifiedSignature",
    "sign_envelope",
    "verify_envelope",
]
