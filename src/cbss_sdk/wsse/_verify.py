"""Verify the WS-Security signature of a received SOAP envelope, and what it covers.

A cryptographically valid signature is not enough: xmlsec1 and zeep accept a
signature over the Timestamp alone while the Body was rewritten, and an
attacker can move the signed Body aside (into a header) and put another Body
in its place.  :func:`verify_envelope` therefore checks, on the tree exactly
as received (never re-serialised by us beforehand):

1. structure: one ``wsse:Security`` header holding one ``ds:Signature``, of
   the XML-DSig shape (element order, attributes, no character data between
   elements, strict base64 values);
2. algorithms: only those the SDK supports, SHA-1 only when allowed, one
   canonicalisation transform (or none) per reference;
3. coverage: every reference is a local ``#id`` resolving to exactly one
   element of the whole envelope; the real ``soapenv:Body`` (child of the
   Envelope) and the ``wsu:Timestamp`` of the same Security header are each
   referenced exactly once; no other ``soapenv:Body`` exists anywhere;
4. key: the KeyInfo references a BinarySecurityToken of the same header;
5. trust: the token's certificate is pinned, trusted, or chains to a trusted
   certificate (see :mod:`cbss_sdk.wsse._trust`), and is valid now;
6. cryptography, on the tree in place (see :mod:`cbss_sdk.wsse._dsig`; no
   signature library, nothing serialised and parsed again): the
   ``ds:SignedInfo`` is canonicalised where it sits with its declared method
   (comments count only under a ``#WithComments`` method) and the signature
   value checked with the token's public key (RSA PKCS#1 v1.5 or ECDSA).
   Only then is what SignedInfo says relied on: each element the coverage
   check resolved is canonicalised with its reference's transform
   (inclusive C14N 1.0 when none is declared), without comments since an
   ``#id`` reference never covers them (XML-DSig 4.3.3.3), digested, and
   compared in constant time with the DigestValue;
7. freshness: the signed Timestamp is neither in the future nor expired,
   allowing ``clock_skew`` seconds either way.

Every failure is a :class:`~cbss_sdk.errors.SignatureError` whose ``reason``
is one of ``missing``, ``malformed``, ``algorithm``, ``coverage``,
``missing-timestamp``, ``untrusted``, ``invalid``, ``timestamp-future``,
``timestamp-expired``, and whose message says which element, reference or
time was wrong.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
from base64 import b64decode
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from lxml import etree

from ..errors import ConfigurationError, SignatureError
from ._config import VerificationConfig, VerificationPolicy, VerifiedSignature
from ._coverage import Coverage, SignedReference, check_coverage, element_path, id_index
from ._dsig import KeyMismatch, canonicalize, verify_signature_value
from ._ns import (
    BASE64_ENCODING_TYPE,
    DS_KEY_INFO,
    DS_SIGNATURE,
    SOAP_BODY,
    SOAP_ENVELOPE,
    SOAP_HEADER,
    WSSE_BST,
    WSSE_REFERENCE,
    WSSE_SECURITY,
    WSSE_STR,
    WSU_CREATED,
    WSU_EXPIRES,
    WSU_ID,
    X509V3_VALUE_TYPE,
)
from ._signed_info import LOCAL_ID_URI, SignedInfo, read_signed_info, single
from ._time import parse_timestamp, resolve_now

__all__ = [
    "VerificationConfig",
    "VerificationPolicy",
    "VerifiedSignature",
    "signature_present",
    "verify_envelope",
]


def verify_envelope(
    envelope: etree._Element,
    config: VerificationConfig,
    *,
    now: datetime | None = None,
) -> VerifiedSignature | None:
    """Verify the WS-Security signature of a received SOAP 1.1 *envelope*.

    Returns ``None`` when ``config.policy`` is ``OFF``, or when it is
    ``IF_PRESENT`` and the message carries no signature; otherwise a
    :class:`VerifiedSignature`, or raises
    :class:`~cbss_sdk.errors.SignatureError` saying why.  *now* (aware)
    replaces the current time for timestamp and certificate checks.

    Pass the tree as parsed from the bytes received: serialising and
    re-parsing it first can change what was signed.  The tree is not
    modified.
    """
    if not isinstance(config, VerificationConfig):
        raise ConfigurationError(
            f"config must be a VerificationConfig, not {type(config).__name__}"
        )
    if config.policy is VerificationPolicy.OFF:
        return None
    instant = resolve_now(now)
    if not isinstance(envelope, etree._Element) or envelope.tag != SOAP_ENVELOPE:
        tag = getattr(envelope, "tag", type(envelope).__name__)
        raise SignatureError(
            f"expected a SOAP 1.1 soapenv:Envelope element, got {tag!r}", reason="malformed"
        )

    security, signature = _find_signature(envelope)
    if signature is None:
        if config.policy is VerificationPolicy.IF_PRESENT:
            return None
        raise SignatureError(
            "the message is not signed: no ds:Signature in a wsse:Security header",
            reason="missing",
        )
    assert security is not None

    signed_info = read_signed_info(signature, config)
    references = signed_info.references
    signed = check_coverage(
        envelope, security, references, require_timestamp=config.require_timestamp
    )
    certificate = _token_certificate(envelope, security, signature)
    trusted_by = config._anchors.check(certificate, instant)
    _check_cryptography(
        signed_info, certificate, _signed_elements(envelope, references, signed), signed
    )

    created = expires = None
    if signed.timestamp is not None:
        created, expires = _check_freshness(signed.timestamp, config, instant)

    return VerifiedSignature(
        certificate=certificate,
        signed_ids=tuple(r.element_id for r in references),
        signed_parts=signed.parts,
        timestamp_created=created,
        timestamp_expires=expires,
        algorithm=signed_info.algorithm.name,
        digest_algorithm=references[0].digest.name,
        trusted_by=trusted_by,
    )


# -- 1. structure --------------------------------------------------------------------------


def signature_present(envelope: etree._Element) -> bool:
    """Whether :func:`verify_envelope` under ``IF_PRESENT`` would do more than return ``None``.

    ``True`` when the Security header holds a signature, or when the header
    layout is one the verifier refuses (several Header or Security elements).
    """
    try:
        _security, signature = _find_signature(envelope)
    except SignatureError:
        return True
    return signature is not None


def _find_signature(
    envelope: etree._Element,
) -> tuple[etree._Element | None, etree._Element | None]:
    headers = envelope.findall(SOAP_HEADER)
    if len(headers) > 1:
        raise SignatureError(
            f"the envelope has {len(headers)} soapenv:Header elements", reason="malformed"
        )
    if not headers:
        return None, None
    securities = headers[0].findall(WSSE_SECURITY)
    if len(securities) > 1:
        raise SignatureError(
            f"the Header holds {len(securities)} wsse:Security headers; exactly one is accepted",
            reason="malformed",
        )
    if not securities:
        return None, None
    signatures = securities[0].findall(DS_SIGNATURE)
    if len(signatures) > 1:
        raise SignatureError(
            f"the wsse:Security header holds {len(signatures)} ds:Signature elements; "
            "exactly one is accepted",
            reason="malformed",
        )
    return securities[0], (signatures[0] if signatures else None)


# -- 2. algorithms, and the shape of the ds:Signature: see _signed_info.py -------------


# -- 4. key --------------------------------------------------------------------------------


def _token_certificate(
    envelope: etree._Element, security: etree._Element, signature: etree._Element
) -> x509.Certificate:
    key_info = single(signature, DS_KEY_INFO, "ds:Signature")
    token_reference = single(key_info, WSSE_STR, "ds:KeyInfo")
    reference = token_reference.find(WSSE_REFERENCE)
    if reference is None:
        raise SignatureError(
            "the SecurityTokenReference does not hold a wsse:Reference to a "
            "BinarySecurityToken (key identifiers and issuer/serial are not supported)",
            reason="malformed",
        )
    uri = reference.get("URI") or ""
    match = LOCAL_ID_URI.match(uri)
    if match is None:
        raise SignatureError(
            f"the token reference URI {uri!r} is not a local '#id'", reason="malformed"
        )
    token_id = match.group(1)
    holders = id_index(envelope, {token_id}).get(token_id, [])
    if len(holders) != 1:
        raise SignatureError(
            f"the token reference {uri} resolves to {len(holders)} elements; exactly one "
            "BinarySecurityToken is expected",
            reason="malformed",
        )
    token = holders[0]
    if token.tag != WSSE_BST or token.getparent() is not security:
        raise SignatureError(
            f"the token reference {uri} points to {element_path(token)}, not to a "
            "wsse:BinarySecurityToken of the same wsse:Security header",
            reason="malformed",
        )
    if token.get(WSU_ID) != token_id:
        raise SignatureError(
            f"the BinarySecurityToken {uri} must be identified by wsu:Id", reason="malformed"
        )
    value_type = token.get("ValueType")
    if value_type not in (None, X509V3_VALUE_TYPE):
        raise SignatureError(
            f"the BinarySecurityToken has ValueType {value_type!r}; an X.509 v3 certificate "
            "is expected",
            reason="malformed",
        )
    encoding = token.get("EncodingType")
    if encoding not in (None, BASE64_ENCODING_TYPE):
        raise SignatureError(
            f"the BinarySecurityToken has EncodingType {encoding!r}; Base64Binary is expected",
            reason="malformed",
        )
    try:
        der = b64decode("".join((token.text or "").split()), validate=True)
        return x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError):
        raise SignatureError(
            "the BinarySecurityToken does not hold a readable X.509 certificate",
            reason="malformed",
        ) from None


# -- 6. cryptography -----------------------------------------------------------------------


def _signed_elements(
    envelope: etree._Element, references: list[SignedReference], signed: Coverage
) -> list[etree._Element]:
    """The element each reference resolved to in the coverage check, in reference order.

    The coverage check named each one: ``"Body"`` is the Envelope's one Body
    child, ``"Timestamp"`` the Security header's Timestamp; any other part is
    looked up with the same :func:`id_index` the check used, which found
    exactly one element carrying its id.
    """
    elements: list[etree._Element] = []
    index: dict[str, list[etree._Element]] | None = None
    for reference, part in zip(references, signed.parts, strict=True):
        element: etree._Element | None = None
        if part == "Body":
            element = envelope.find(SOAP_BODY)
        elif part == "Timestamp":
            element = signed.timestamp
        if element is None:
            if index is None:
                index = id_index(envelope, {r.element_id for r in references})
            (element,) = index[reference.element_id]
        elements.append(element)
    return elements


def _check_cryptography(
    signed_info: SignedInfo,
    certificate: x509.Certificate,
    elements: list[etree._Element],
    signed: Coverage,
) -> None:
    """Check the signature value over SignedInfo, then each reference's digest.

    Nothing SignedInfo declares about the references is acted upon before
    its signature value verified.
    """
    algorithm = signed_info.algorithm
    data = canonicalize(signed_info.element, signed_info.c14n, "the ds:SignedInfo")
    try:
        verify_signature_value(
            certificate.public_key(), algorithm, data, signed_info.signature_value
        )
    except InvalidSignature:
        raise SignatureError(
            "the signature value does not verify with the certificate's public key: the "
            "SignedInfo was altered or another key signed it",
            reason="invalid",
        ) from None
    except (KeyMismatch, UnsupportedAlgorithm, ValueError):
        raise SignatureError(
            f"the signature method {algorithm.name} needs an {algorithm.key_kind.upper()} key; "
            "the certificate's key is of another kind",
            reason="malformed",
        ) from None
    for index, reference in enumerate(signed_info.references):
        part = signed.parts[index]
        what = f"the {part} (reference {reference.uri})"
        canonical = canonicalize(elements[index], signed_info.transforms[index], what)
        digest = hashlib.new(reference.digest.hashlib_name, canonical).digest()
        if not hmac.compare_digest(digest, signed_info.digest_values[index]):
            raise SignatureError(
                f"{what} does not match its signed digest: it was changed after signing",
                reason="invalid",
            )


# -- 7. freshness --------------------------------------------------------------------------


def _check_freshness(
    timestamp: etree._Element, config: VerificationConfig, instant: datetime
) -> tuple[datetime, datetime | None]:
    created_nodes = timestamp.findall(WSU_CREATED)
    expires_nodes = timestamp.findall(WSU_EXPIRES)
    if len(created_nodes) != 1 or len(expires_nodes) > 1:
        raise SignatureError(
            "the wsu:Timestamp must hold one wsu:Created and at most one wsu:Expires",
            reason="malformed",
        )
    created = parse_timestamp(created_nodes[0].text)
    if created is None:
        raise SignatureError(
            f"wsu:Created {created_nodes[0].text!r} is not a date-time with a time zone",
            reason="malformed",
        )
    expires = None
    if expires_nodes:
        expires = parse_timestamp(expires_nodes[0].text)
        if expires is None:
            raise SignatureError(
                f"wsu:Expires {expires_nodes[0].text!r} is not a date-time with a time zone",
                reason="malformed",
            )
        if expires < created:
            raise SignatureError(
                f"wsu:Expires {expires.isoformat()} is before wsu:Created {created.isoformat()}",
                reason="malformed",
            )
    elif config.max_timestamp_age is None:
        raise SignatureError(
            "the wsu:Timestamp has no wsu:Expires (set VerificationConfig.max_timestamp_age "
            "to accept timestamps without one)",
            reason="malformed",
        )
    skew = timedelta(seconds=config.clock_skew)
    if created > instant + skew:
        ahead = (created - instant).total_seconds()
        raise SignatureError(
            f"the Timestamp was created at {created.isoformat()}, {ahead:.3f} s after the "
            f"verification time {instant.isoformat()} (clock skew allowed: "
            f"{config.clock_skew:g} s)",
            reason="timestamp-future",
        )
    if expires is not None and expires + skew < instant:
        raise SignatureError(
            f"the Timestamp expired at {expires.isoformat()}; verification time is "
            f"{instant.isoformat()} (clock skew allowed: {config.clock_skew:g} s)",
            reason="timestamp-expired",
        )
    if config.max_timestamp_age is not None:
        oldest = instant - skew - timedelta(seconds=config.max_timestamp_age)
        if created < oldest:
            raise SignatureError(
                f"the Timestamp was created at {created.isoformat()}, more than "
                f"{config.max_timestamp_age:g} s (+ {config.clock_skew:g} s skew) before "
                f"{instant.isoformat()}",
                reason="timestamp-expired",
            )
    return created, expires
