"""Throw-away keys and certificates for tests, the simulator and benchmarks.

Signing needs a key and a certificate; tests must not need real ones.  This
module makes an RSA-2048 test CA, leaf certificates signed by it and
self-signed certificates, with a configurable subject and validity, and hands
them out as objects, PEM, PKCS#12 or ready :class:`~cbss_sdk.Credentials`.

Generating an RSA key takes 50-100 ms, so keys are cached per process by a
*key label*: every certificate made with ``key_label="leaf"`` shares one key
pair, ``key_label="other"`` gives another.  Certificates are cached by their
arguments, so asking twice for the same certificate returns the same object.
Nothing here is meant for production: keys are unprotected and live in memory.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Literal

import attrs
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID

from .._credentials import Credentials, PrivateKey
from .._redact import mask_national_numbers

__all__ = [
    "DEFAULT_CA_SUBJECT",
    "DEFAULT_LEAF_SUBJECT",
    "DEFAULT_TEST_PASSWORD",
    "GeneratedCertificate",
    "cached_private_key",
    "make_self_signed_certificate",
    "make_test_ca",
    "make_test_certificate",
    "make_test_credentials",
]

#: Password of the PKCS#12 files and encrypted PEM keys made here (test data only).
DEFAULT_TEST_PASSWORD = "cbss-sdk-test"  # noqa: S105 - a published test password
#: Subject of the default test CA.
DEFAULT_CA_SUBJECT = "CN=cbss-sdk Test Root CA,O=cbss-sdk test PKI,C=BE"
#: Subject of the default leaf (an imaginary CPAS).
DEFAULT_LEAF_SUBJECT = "CN=cbss-sdk test client,O=CPAS Testville,C=BE"

KeyType = Literal["rsa", "ec"]


@functools.cache
def cached_private_key(
    label: str = "leaf", *, key_type: KeyType = "rsa", key_size: int = 2048
) -> PrivateKey:
    """A private key generated once per process for *label* (RSA of *key_size* bits, or EC P-256)."""
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    raise ValueError(f"unknown key_type {key_type!r} (use 'rsa' or 'ec')")


@attrs.frozen(eq=False)
class GeneratedCertificate:
    """A generated certificate with its private key and the certificate that issued it.

    ``issuer`` is ``None`` for a self-signed certificate (a CA root or a
    standalone leaf).
    """

    private_key: PrivateKey = attrs.field(repr=False)
    certificate: x509.Certificate
    issuer: GeneratedCertificate | None = None

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """The issuing certificates, nearest first, up to the root (empty when self-signed)."""
        result: list[x509.Certificate] = []
        current = self.issuer
        while current is not None:
            result.append(current.certificate)
            current = current.issuer
        return tuple(result)

    @property
    def certificate_pem(self) -> bytes:
        """This certificate alone, PEM."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def chain_pem(self) -> bytes:
        """This certificate followed by its issuers, PEM (the usual ``fullchain.pem`` layout)."""
        return self.certificate_pem + b"".join(
            c.public_bytes(serialization.Encoding.PEM) for c in self.chain
        )

    @property
    def private_key_pem(self) -> bytes:
        """The private key, unencrypted PKCS#8 PEM."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def encrypted_private_key_pem(self, password: str | bytes = DEFAULT_TEST_PASSWORD) -> bytes:
        """The private key, PKCS#8 PEM encrypted with *password*."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(_as_bytes(password)),
        )

    def pkcs12(
        self,
        password: str | bytes | None = DEFAULT_TEST_PASSWORD,
        *,
        include_chain: bool = True,
    ) -> bytes:
        """A PKCS#12 file (key, certificate and, by default, the chain), as bytes.

        ``password=None`` makes an unencrypted file.  Encryption is AES-256 with
        few KDF rounds, so loading stays fast in tests.
        """
        return _pkcs12_bytes(self, None if password is None else _as_bytes(password), include_chain)

    def credentials(
        self, *, check_validity: bool = True, now: datetime | None = None
    ) -> Credentials:
        """Ready-to-sign :class:`~cbss_sdk.Credentials` (built directly, without a file)."""
        creds = Credentials(
            private_key=self.private_key,
            certificate=self.certificate,
            chain=self.chain,
            source=f"<test certificate {mask_national_numbers(self.subject)}>",
        )
        if check_validity:
            creds.ensure_valid(now)
        return creds


def make_test_ca(
    subject: str = DEFAULT_CA_SUBJECT,
    *,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    key_label: str = "ca",
    issuer: GeneratedCertificate | None = None,
) -> GeneratedCertificate:
    """A test certification authority (self-signed root unless *issuer* is given).

    Default validity: from yesterday (UTC midnight) for ten years.
    """
    start, end = _validity(not_before, not_after, days=3650)
    return _make_ca(subject, start, end, key_label, issuer)


def make_test_certificate(
    subject: str = DEFAULT_LEAF_SUBJECT,
    *,
    issuer: GeneratedCertificate | None = None,
    self_signed: bool = False,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    key_label: str = "leaf",
    key_type: KeyType = "rsa",
    key_size: int = 2048,
) -> GeneratedCertificate:
    """A leaf (end-entity) certificate for signing, issued by *issuer*.

    *issuer* defaults to :func:`make_test_ca`'s default CA; ``self_signed=True``
    makes a standalone self-signed certificate instead.  *subject* is an RFC
    4514 string.  Default validity: from yesterday (UTC midnight) for two years.
    """
    if self_signed and issuer is not None:
        raise ValueError("give either issuer= or self_signed=True, not both")
    start, end = _validity(not_before, not_after, days=730)
    if not self_signed and issuer is None:
        issuer = make_test_ca()
    return _make_leaf(subject, start, end, key_label, key_type, key_size, issuer)


def make_self_signed_certificate(
    subject: str = "CN=cbss-sdk self-signed,O=Somebody else,C=BE",
    *,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    key_label: str = "self-signed",
    key_type: KeyType = "rsa",
    key_size: int = 2048,
) -> GeneratedCertificate:
    """A self-signed leaf certificate with its own key (label ``"self-signed"`` by default)."""
    return make_test_certificate(
        subject,
        self_signed=True,
        not_before=not_before,
        not_after=not_after,
        key_label=key_label,
        key_type=key_type,
        key_size=key_size,
    )


def make_test_credentials(
    subject: str = DEFAULT_LEAF_SUBJECT,
    *,
    issuer: GeneratedCertificate | None = None,
    self_signed: bool = False,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    key_label: str = "leaf",
    key_type: KeyType = "rsa",
    check_validity: bool = True,
    now: datetime | None = None,
) -> Credentials:
    """:class:`~cbss_sdk.Credentials` for a test certificate (see :func:`make_test_certificate`).

    ``check_validity=False`` returns credentials even for a certificate made
    expired or not yet valid on purpose.
    """
    generated = make_test_certificate(
        subject,
        issuer=issuer,
        self_signed=self_signed,
        not_before=not_before,
        not_after=not_after,
        key_label=key_label,
        key_type=key_type,
    )
    return generated.credentials(check_validity=check_validity, now=now)


# -- internals ------------------------------------------------------------------------------


def _as_bytes(password: str | bytes) -> bytes:
    return password.encode("utf-8") if isinstance(password, str) else password


def _validity(
    not_before: datetime | None, not_after: datetime | None, *, days: int
) -> tuple[datetime, datetime]:
    if not_before is None:
        today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        not_before = today - timedelta(days=1)
    if not_after is None:
        not_after = not_before + timedelta(days=days)
    for name, value in (("not_before", not_before), ("not_after", not_after)):
        if value.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware")
    if not_after <= not_before:
        raise ValueError("not_after must be later than not_before")
    return not_before.astimezone(timezone.utc), not_after.astimezone(timezone.utc)


def _builder(
    subject: x509.Name,
    issuer_name: x509.Name,
    key: PrivateKey,
    start: datetime,
    end: datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def _authority_key_id(issuer: GeneratedCertificate) -> x509.AuthorityKeyIdentifier:
    ski = issuer.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski.value)


@functools.lru_cache(maxsize=64)
def _make_ca(
    subject: str,
    start: datetime,
    end: datetime,
    key_label: str,
    issuer: GeneratedCertificate | None,
) -> GeneratedCertificate:
    key = cached_private_key(key_label)
    name = x509.Name.from_rfc4514_string(subject)
    signer_key = issuer.private_key if issuer is not None else key
    builder = _builder(
        name, issuer.certificate.subject if issuer else name, key, start, end
    ).add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=True,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=True,
            crl_sign=True,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    if issuer is not None:
        builder = builder.add_extension(_authority_key_id(issuer), critical=False)
    return GeneratedCertificate(
        private_key=key, certificate=builder.sign(signer_key, hashes.SHA256()), issuer=issuer
    )


@functools.lru_cache(maxsize=128)
def _make_leaf(
    subject: str,
    start: datetime,
    end: datetime,
    key_label: str,
    key_type: KeyType,
    key_size: int,
    issuer: GeneratedCertificate | None,
) -> GeneratedCertificate:
    key = cached_private_key(key_label, key_type=key_type, key_size=key_size)
    name = x509.Name.from_rfc4514_string(subject)
    signer_key = issuer.private_key if issuer is not None else key
    builder = (
        _builder(name, issuer.certificate.subject if issuer else name, key, start, end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=key_type == "rsa",
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
    )
    if issuer is not None:
        builder = builder.add_extension(_authority_key_id(issuer), critical=False)
    return GeneratedCertificate(
        private_key=key, certificate=builder.sign(signer_key, hashes.SHA256()), issuer=issuer
    )


@functools.lru_cache(maxsize=64)
def _pkcs12_bytes(
    generated: GeneratedCertificate, password: bytes | None, include_chain: bool
) -> bytes:
    encryption: serialization.KeySerializationEncryption
    if password is None:
        encryption = serialization.NoEncryption()
    else:
        encryption = (
            serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(2048)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
            .build(password)
        )
    cas: Sequence[x509.Certificate] | None = generated.chain if include_chain else None
    return pkcs12.serialize_key_and_certificates(
        b"cbss-sdk test", generated.private_key, generated.certificate, cas, encryption
    )
