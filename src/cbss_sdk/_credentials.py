"""The organisation's signing key and certificate, loaded once, with errors that say what is wrong.

Every signed CBSS request needs the private key and the X.509 certificate of
the organisation (usually a PKCS#12 file delivered by Smals/CBSS).  Loading a
key is slow compared with using it, so :class:`Credentials` parses the file
once and keeps the key *object*; the signer never sees PEM bytes again.

Loading problems are the first thing a new user hits, so each one is a
:class:`~cbss_sdk.errors.CredentialsError` that names the file and a short
``cause`` (``"unreadable"``, ``"wrong-password"``, ``"format"``,
``"no-private-key"``, ``"no-certificate"``, ``"key-mismatch"``,
``"unsupported-key"``, ``"expired"``, ``"not-yet-valid"``).  The password never
appears in a message, a ``repr`` or a traceback produced here.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import warnings
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeAlias

import attrs
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from ._redact import mask_national_numbers
from .errors import ConfigurationError, CredentialsError

__all__ = ["Credentials", "PrivateKey"]

#: The key types the signer supports (RSA is what CBSS issues; EC works with ``ecdsa-*`` profiles).
PrivateKey: TypeAlias = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
_PathOrBytes: TypeAlias = str | os.PathLike[str] | bytes

#: Keys below this size are refused: CBSS certificates have been 2048-bit or more for years.
MIN_RSA_KEY_BITS = 2048
_SUPPORTED_CURVES = ("secp256r1", "secp384r1", "secp521r1")

_PEM_PRIVATE_KEY = re.compile(
    rb"-----BEGIN (?P<kind>(?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----.*?-----END (?P=kind)-----",
    re.DOTALL,
)
_PEM_CERTIFICATE = re.compile(
    rb"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", re.DOTALL
)
_PEM_ANY_LABEL = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----")


def _to_certificates(value: Iterable[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    return tuple(value)


@attrs.frozen(eq=False, repr=False)
class Credentials:
    """A private key and its X.509 certificate (plus any chain), ready to sign.

    Build it with :meth:`from_pkcs12` or :meth:`from_pem`; the constructor is
    for keys obtained elsewhere (an HSM wrapper, a secrets manager) and still
    checks that the key is supported and matches the certificate.

    Equality is identity: two loads of the same file are two objects.
    """

    private_key: PrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = attrs.field(default=(), converter=_to_certificates)
    source: str = "<bytes>"
    _certificate_der: bytes = attrs.field(init=False)
    _certificate_base64: str = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        _check_key(self.private_key, self.source)
        if not isinstance(self.certificate, x509.Certificate):
            raise CredentialsError(
                f"{self.source}: certificate must be a cryptography x509.Certificate",
                source=self.source,
                cause="no-certificate",
            )
        if not _key_matches(self.private_key, self.certificate):
            raise CredentialsError(
                f"{self.source}: the private key does not belong to the certificate "
                f"{_describe(self.certificate)}",
                source=self.source,
                cause="key-mismatch",
            )
        der = self.certificate.public_bytes(serialization.Encoding.DER)
        object.__setattr__(self, "_certificate_der", der)
        object.__setattr__(self, "_certificate_base64", base64.b64encode(der).decode("ascii"))

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def from_pkcs12(
        cls,
        path_or_bytes: _PathOrBytes,
        password: str | bytes | None,
        *,
        check_validity: bool = True,
        now: datetime | None = None,
    ) -> Credentials:
        """Load a PKCS#12 (``.p12`` / ``.pfx``) file: key, certificate and CA chain.

        *path_or_bytes* is a path or the file content.  With
        ``check_validity=False`` an expired or not-yet-valid certificate is
        accepted with a :class:`UserWarning` (useful against test
        environments); *now* (aware) replaces the current time for that check.
        """
        data, source = _read(path_or_bytes)
        pw = _password_bytes(password)
        try:
            key, cert, extra = _load_pkcs12(data, pw)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise _pkcs12_error(data, pw, source) from None
        if key is None:
            raise CredentialsError(
                f"{source}: the PKCS#12 file holds no private key (only certificates?)",
                source=source,
                cause="no-private-key",
            )
        private_key = _check_key(key, source)
        candidates = ([cert] if cert is not None else []) + list(extra)
        if not candidates:
            raise CredentialsError(
                f"{source}: the PKCS#12 file holds no certificate",
                source=source,
                cause="no-certificate",
            )
        leaf = next((c for c in candidates if _key_matches(private_key, c)), None)
        if leaf is None:
            raise CredentialsError(
                f"{source}: none of the {len(candidates)} certificate(s) in the PKCS#12 file "
                f"belongs to its private key (first: {_describe(candidates[0])})",
                source=source,
                cause="key-mismatch",
            )
        chain = _dedupe(c for c in candidates if c is not leaf)
        credentials = cls(private_key=private_key, certificate=leaf, chain=chain, source=source)
        credentials._check_validity_on_load(check_validity, now)
        return credentials

    @classmethod
    def from_pem(
        cls,
        key: _PathOrBytes,
        cert: _PathOrBytes | None = None,
        password: str | bytes | None = None,
        *,
        chain: _PathOrBytes | None = None,
        check_validity: bool = True,
        now: datetime | None = None,
    ) -> Credentials:
        """Load a PEM (or DER) private key and its certificate.

        *cert* may hold the certificate followed by its chain; when it is
        ``None`` the certificates are read from the *key* file (one PEM file
        holding both).  *chain* adds CA certificates from another file.  The
        leaf is the certificate whose public key matches the private key,
        wherever it sits in the file.
        """
        key_data, key_source = _read(key)
        loaded = _load_private_key(key_data, _password_bytes(password), key_source)
        private_key = _check_key(loaded, key_source)

        if cert is None:
            cert_data, cert_source = key_data, key_source
        else:
            cert_data, cert_source = _read(cert)
        certs = _load_certificates(cert_data, cert_source, allow_none=False)
        leaf = next((c for c in certs if _key_matches(private_key, c)), None)
        if leaf is None:
            raise CredentialsError(
                f"{cert_source}: no certificate in the file belongs to the private key "
                f"from {key_source} (first: {_describe(certs[0])})",
                source=cert_source,
                cause="key-mismatch",
            )
        extra = [c for c in certs if c is not leaf]
        if chain is not None:
            chain_data, chain_source = _read(chain)
            extra += _load_certificates(chain_data, chain_source, allow_none=False)
        leaf_der = leaf.public_bytes(serialization.Encoding.DER)
        chain_certs = tuple(
            c for c in _dedupe(extra) if c.public_bytes(serialization.Encoding.DER) != leaf_der
        )
        credentials = cls(
            private_key=private_key, certificate=leaf, chain=chain_certs, source=key_source
        )
        credentials._check_validity_on_load(check_validity, now)
        return credentials

    # -- information -----------------------------------------------------------------------

    @property
    def certificate_der(self) -> bytes:
        """The certificate in DER form (computed once)."""
        return self._certificate_der

    @property
    def certificate_base64(self) -> str:
        """The DER certificate in base64, as it goes into a ``wsse:BinarySecurityToken``."""
        return self._certificate_base64

    @property
    def subject(self) -> str:
        """The certificate subject as an RFC 4514 string (``CN=...,O=...,C=BE``)."""
        return self.certificate.subject.rfc4514_string()

    @property
    def issuer(self) -> str:
        """The certificate issuer as an RFC 4514 string."""
        return self.certificate.issuer.rfc4514_string()

    @property
    def not_valid_before(self) -> datetime:
        """Start of validity, aware UTC."""
        return self.certificate.not_valid_before_utc

    @property
    def not_valid_after(self) -> datetime:
        """End of validity, aware UTC."""
        return self.certificate.not_valid_after_utc

    @property
    def fingerprint_sha256(self) -> str:
        """SHA-256 of the DER certificate, lowercase hex (64 characters)."""
        return hashlib.sha256(self._certificate_der).hexdigest()

    @property
    def key_type(self) -> str:
        """``"rsa"`` or ``"ec"``: which family of signature algorithms this key can use."""
        return "rsa" if isinstance(self.private_key, rsa.RSAPrivateKey) else "ec"

    def ensure_valid(self, now: datetime | None = None) -> None:
        """Raise :class:`CredentialsError` (``"expired"`` / ``"not-yet-valid"``) unless valid at *now*."""
        problem = self._validity_problem(now)
        if problem is not None:
            message, cause = problem
            raise CredentialsError(message, source=self.source, cause=cause)

    def __repr__(self) -> str:
        return mask_national_numbers(
            f"Credentials(subject={self.subject!r}, "
            f"not_valid_after={self.not_valid_after.isoformat()!r}, "
            f"fingerprint_sha256={self.fingerprint_sha256[:16]!r}..., source={self.source!r})"
        )

    # -- internals -------------------------------------------------------------------------

    def _validity_problem(self, now: datetime | None) -> tuple[str, str] | None:
        instant = _resolve_now(now)
        if instant < self.not_valid_before:
            return (
                f"{self.source}: certificate {_describe(self.certificate)} is not valid before "
                f"{self.not_valid_before.isoformat()} (checked at {instant.isoformat()})",
                "not-yet-valid",
            )
        if instant > self.not_valid_after:
            return (
                f"{self.source}: certificate {_describe(self.certificate)} expired on "
                f"{self.not_valid_after.isoformat()} (checked at {instant.isoformat()})",
                "expired",
            )
        return None

    def _check_validity_on_load(self, check_validity: bool, now: datetime | None) -> None:
        problem = self._validity_problem(now)
        if problem is None:
            return
        message, cause = problem
        if check_validity:
            raise CredentialsError(message, source=self.source, cause=cause)
        warnings.warn(
            mask_national_numbers(message) + " (accepted: check_validity=False)",
            UserWarning,
            stacklevel=3,
        )


# -- helpers -------------------------------------------------------------------------------


def _resolve_now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(timezone.utc)
    if now.tzinfo is None or now.tzinfo.utcoffset(now) is None:
        raise ConfigurationError("now must be a timezone-aware datetime, not a naive one")
    return now.astimezone(timezone.utc)


def _describe(cert: x509.Certificate) -> str:
    try:
        subject = cert.subject.rfc4514_string()
    except ValueError:  # pragma: no cover - malformed names are refused earlier by cryptography
        subject = "<unreadable subject>"
    return f"'{mask_national_numbers(subject)}'"


def _read(value: _PathOrBytes) -> tuple[bytes, str]:
    """Content and display name of a path or of raw bytes."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value), "<bytes>"
    if isinstance(value, str) and "-----BEGIN" in value:
        raise CredentialsError(
            "got PEM text where a file path was expected: pass the content as bytes "
            "(text.encode()) or give the path of the file",
            source="<str>",
            cause="unreadable",
        )
    try:
        path = os.fspath(value)
    except TypeError:
        raise CredentialsError(
            f"expected a file path or bytes, got {type(value).__name__}",
            source=None,
            cause="unreadable",
        ) from None
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CredentialsError(
            f"{source}: file not found", source=source, cause="unreadable"
        ) from None
    except IsADirectoryError:
        raise CredentialsError(
            f"{source}: is a directory, not a file", source=source, cause="unreadable"
        ) from None
    except PermissionError:
        raise CredentialsError(
            f"{source}: permission denied", source=source, cause="unreadable"
        ) from None
    except OSError as exc:
        raise CredentialsError(
            f"{source}: cannot be read ({exc.strerror or type(exc).__name__})",
            source=source,
            cause="unreadable",
        ) from None
    if not data.strip():
        raise CredentialsError(f"{source}: the file is empty", source=source, cause="format")
    return data, source


def _password_bytes(password: str | bytes | None) -> bytes | None:
    if password is None:
        return None
    if isinstance(password, str):
        return password.encode("utf-8")
    if isinstance(password, (bytes, bytearray)):
        return bytes(password)
    raise CredentialsError(
        f"the password must be str, bytes or None, not {type(password).__name__}",
        cause="wrong-password",
    )


def _load_pkcs12(
    data: bytes, password: bytes | None
) -> tuple[PrivateKeyTypes | None, x509.Certificate | None, list[x509.Certificate]]:
    try:
        return pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        if password:
            raise
        # A file exported "without password" may use no password or an empty one, and
        # OpenSSL tells them apart: try the other.
        return pkcs12.load_key_and_certificates(data, b"" if password is None else None)


def _looks_like_pkcs12(data: bytes) -> bool:
    """True when *data* starts like a DER PFX: SEQUENCE { INTEGER 3, ... }."""
    if len(data) < 8 or data[0] != 0x30:
        return False
    first = data[1]
    if first < 0x80:
        index = 2
    else:
        count = first & 0x7F
        if count == 0 or count > 4:
            return False
        index = 2 + count
    return data[index : index + 3] == b"\x02\x01\x03"


def _pkcs12_error(data: bytes, password: bytes | None, source: str) -> CredentialsError:
    if data.lstrip().startswith(b"-----BEGIN"):
        return CredentialsError(
            f"{source}: is a PEM file, not PKCS#12; load it with Credentials.from_pem",
            source=source,
            cause="format",
        )
    if _looks_like_pkcs12(data):
        if not password:
            message = f"{source}: the PKCS#12 file is password-protected; give its password"
        else:
            message = f"{source}: wrong password for the PKCS#12 file (or the file is damaged)"
        return CredentialsError(message, source=source, cause="wrong-password")
    return CredentialsError(
        f"{source}: is not a PKCS#12 (.p12/.pfx) file", source=source, cause="format"
    )


def _load_private_key(data: bytes, password: bytes | None, source: str) -> object:
    if b"-----BEGIN" not in data:
        return _load_der_private_key(data, password, source)
    match = _PEM_PRIVATE_KEY.search(data)
    if match is None:
        found = sorted({m.decode("ascii") for m in _PEM_ANY_LABEL.findall(data)})
        raise CredentialsError(
            f"{source}: holds no private key (PEM blocks found: {', '.join(found) or 'none'})",
            source=source,
            cause="no-private-key",
        )
    block = match.group(0)
    encrypted = match["kind"] == b"ENCRYPTED PRIVATE KEY" or b"Proc-Type: 4,ENCRYPTED" in block
    if not encrypted:
        password = None  # a password given for a clear key is harmless: ignore it
    elif not password:
        raise CredentialsError(
            f"{source}: the private key is encrypted; give its password",
            source=source,
            cause="wrong-password",
        )
    try:
        return serialization.load_pem_private_key(block, password)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        if encrypted:
            raise CredentialsError(
                f"{source}: wrong password for the private key (or the key is damaged)",
                source=source,
                cause="wrong-password",
            ) from None
        raise CredentialsError(
            f"{source}: the private key PEM block cannot be decoded (damaged or unsupported)",
            source=source,
            cause="format",
        ) from None


def _load_der_private_key(data: bytes, password: bytes | None, source: str) -> object:
    try:
        return serialization.load_der_private_key(data, password)
    except TypeError:
        # Encrypted DER without password, or a password for a clear key.
        if password:
            try:
                return serialization.load_der_private_key(data, None)
            except (ValueError, TypeError, UnsupportedAlgorithm):
                pass
        raise CredentialsError(
            f"{source}: the private key is encrypted; give its password",
            source=source,
            cause="wrong-password",
        ) from None
    except (ValueError, UnsupportedAlgorithm):
        if password and _looks_like_pkcs12(data):
            hint = "; it looks like PKCS#12: use Credentials.from_pkcs12"
        else:
            hint = ""
        raise CredentialsError(
            f"{source}: is neither a PEM nor a DER private key{hint}",
            source=source,
            cause="format",
        ) from None


def _load_certificates(data: bytes, source: str, *, allow_none: bool) -> list[x509.Certificate]:
    if b"-----BEGIN" not in data:
        try:
            return [x509.load_der_x509_certificate(data)]
        except ValueError:
            raise CredentialsError(
                f"{source}: is neither a PEM nor a DER certificate",
                source=source,
                cause="format",
            ) from None
    certs: list[x509.Certificate] = []
    for block in _PEM_CERTIFICATE.findall(data):
        try:
            certs.append(x509.load_pem_x509_certificate(block))
        except ValueError:
            raise CredentialsError(
                f"{source}: certificate number {len(certs) + 1} in the file cannot be decoded",
                source=source,
                cause="format",
            ) from None
    if not certs and not allow_none:
        raise CredentialsError(
            f"{source}: holds no certificate (no '-----BEGIN CERTIFICATE-----' block)",
            source=source,
            cause="no-certificate",
        )
    return certs


def _check_key(key: object, source: str) -> PrivateKey:
    """Return *key* when it is a supported signing key; raise ``unsupported-key`` otherwise."""
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_KEY_BITS:
            raise CredentialsError(
                f"{source}: RSA key of {key.key_size} bits is too weak "
                f"(at least {MIN_RSA_KEY_BITS} required)",
                source=source,
                cause="unsupported-key",
            )
        return key
    if isinstance(key, ec.EllipticCurvePrivateKey):
        if key.curve.name not in _SUPPORTED_CURVES:
            raise CredentialsError(
                f"{source}: elliptic curve {key.curve.name} is not supported "
                f"(use one of {', '.join(_SUPPORTED_CURVES)})",
                source=source,
                cause="unsupported-key",
            )
        return key
    raise CredentialsError(
        f"{source}: unsupported private key type {type(key).__name__} (RSA or EC expected)",
        source=source,
        cause="unsupported-key",
    )


def _key_matches(key: object, cert: x509.Certificate) -> bool:
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        return False
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    enc = serialization.Encoding.DER
    try:
        cert_public = cert.public_key().public_bytes(enc, fmt)
    except (ValueError, UnsupportedAlgorithm):
        return False
    return key.public_key().public_bytes(enc, fmt) == cert_public


def _dedupe(certs: Iterable[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    seen: set[bytes] = set()
    result: list[x509.Certificate] = []
    for cert in certs:
        der = cert.public_bytes(serialization.Encoding.DER)
        if der not in seen:
            seen.add(der)
            result.append(cert)
    return tuple(result)
