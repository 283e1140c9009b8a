"""Verify the WS-Security signature of a received SOAP envelope, and what it covers.

A cryptographically valid signature is not enough: xmlsec1 and zeep accept a
signature over the Timestamp alone while the Body was rewritten, and an
attacker can move the signed Body aside (into a header) and put another Body
in its place.  :func:`verify_envelope` therefore checks, on the tree exactly
as received (never re-serialised by us beforehand):

1. structure: one ``wsse:Security`` header holding one ``ds:Signature``;
2. algorithms: only those the SDK supports, SHA-1 only when allowed;
3. coverage: every reference is a local ``#id`` resolving to exactly one
   element of the whole envelope; the real ``soapenv:Body`` (child of the
   Envelope) and the ``wsu:Timestamp`` of the same Security header are each
   referenced exactly once; no other ``soapenv:Body`` exists anywhere;
4. key: the KeyInfo references a BinarySecurityToken of the same header;
5. trust: the token's certificate is pinned, trusted, or chains to a trusted
   certificate (see :mod:`cbss_sdk.wsse._trust`), and is valid now;
6. cryptography: digests and signature value, by signxml's ``XMLVerifier``
   with the token's certificate;
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
import re
from base64 import b64decode
from datetime import datetime, timedelta
from typing import Final

from cryptography import x509
from lxml import etree
from signxml.algorithms import DigestAlgorithm as SxDigest
from signxml.algorithms import SignatureMethod as SxSignature
from signxml.exceptions import (
    InvalidCertificate,
    InvalidDigest,
    InvalidInput,
    InvalidSignature,
    SignXMLException,
)
from signxml.verifier import SignatureConfiguration, XMLVerifier

from ..errors import ConfigurationError, SignatureError
from ._algorithms import (
    ACCEPTED_C14N_URIS,
    DIGEST_ALGORITHMS_BY_URI,
    SIGNATURE_ALGORITHMS_BY_URI,
    SignatureAlgorithm,
)
from ._config import VerificationConfig, VerificationPolicy, VerifiedSignature
from ._coverage import Coverage, SignedReference, check_coverage, element_path, id_index
from ._ns import (
    BASE64_ENCODING_TYPE,
    DS_C14N_METHOD,
    DS_DIGEST_METHOD,
    DS_KEY_INFO,
    DS_REFERENCE,
    DS_SIGNATURE,
    DS_SIGNATURE_METHOD,
    DS_SIGNED_INFO,
    DS_TRANSFORM,
    DS_TRANSFORMS,
    SOAP_ENV_NS,
    SOAP_ENVELOPE,
    SOAP_HEADER,
    WSSE_BST,
    WSSE_NS,
    WSSE_REFERENCE,
    WSSE_SECURITY,
    WSSE_STR,
    WSU_CREATED,
    WSU_EXPIRES,
    WSU_ID,
    X509V3_VALUE_TYPE,
)
from ._time import parse_timestamp, resolve_now

__all__ = [
    "VerificationConfig",
    "VerificationPolicy",
    "VerifiedSignature",
    "verify_envelope",
]

_LOCAL_ID_URI: Final = re.compile(r"^#([^\s#]+)$")
#: Where signxml must look for the signature: exactly our Security header.
_SIGNATURE_LOCATION: Final = f"./{{{SOAP_ENV_NS}}}Header/{{{WSSE_NS}}}Security/"


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

    signature_algorithm, references = _read_signed_info(signature, config)
    signed = check_coverage(
        envelope, security, references, require_timestamp=config.require_timestamp
    )
    certificate = _token_certificate(envelope, security, signature)
    trusted_by = config._anchors.check(certificate, instant)
    _check_cryptography(envelope, certificate, signature_algorithm, references, signed, instant)

    created = expires = None
    if signed.timestamp is not None:
        created, expires = _check_freshness(signed.timestamp, config, instant)

    return VerifiedSignature(
        certificate=certificate,
        signed_ids=tuple(r.element_id for r in references),
        signed_parts=signed.parts,
        timestamp_created=created,
        timestamp_expires=expires,
        algorithm=signature_algorithm.name,
        digest_algorithm=references[0].digest.name,
        trusted_by=trusted_by,
    )


# -- 1. structure --------------------------------------------------------------------------


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


# -- 2. algorithms -------------------------------------------------------------------------


def _read_signed_info(
    signature: etree._Element, config: VerificationConfig
) -> tuple[SignatureAlgorithm, list[SignedReference]]:
    signed_info = _single(signature, DS_SIGNED_INFO, "ds:Signature")
    c14n = _single(signed_info, DS_C14N_METHOD, "ds:SignedInfo").get("Algorithm")
    if c14n not in ACCEPTED_C14N_URIS:
        raise SignatureError(
            f"SignedInfo canonicalisation {c14n!r} is not accepted", reason="algorithm"
        )
    method_uri = _single(signed_info, DS_SIGNATURE_METHOD, "ds:SignedInfo").get("Algorithm")
    algorithm = SIGNATURE_ALGORITHMS_BY_URI.get(method_uri or "")
    if algorithm is None:
        raise SignatureError(
            f"signature algorithm {method_uri!r} is not accepted", reason="algorithm"
        )
    if algorithm.is_sha1 and not config.allow_sha1:
        raise SignatureError(
            f"signature algorithm {algorithm.name} uses SHA-1, refused "
            "(VerificationConfig(allow_sha1=True) accepts it)",
            reason="algorithm",
        )
    references: list[SignedReference] = []
    for node in signed_info.findall(DS_REFERENCE):
        uri = node.get("URI")
        match = _LOCAL_ID_URI.match(uri or "")
        if match is None:
            raise SignatureError(
                f"reference URI {uri!r} is not a same-document '#id' reference; "
                "only signatures over identified elements are accepted",
                reason="coverage",
            )
        transforms = node.find(DS_TRANSFORMS)
        if transforms is not None:
            for transform in transforms:
                if not isinstance(transform.tag, str):
                    continue  # comments and processing instructions
                if transform.tag != DS_TRANSFORM:
                    raise SignatureError(
                        f"reference {uri}: unexpected element in ds:Transforms", reason="malformed"
                    )
                name = transform.get("Algorithm")
                if name not in ACCEPTED_C14N_URIS:
                    raise SignatureError(
                        f"reference {uri}: transform {name!r} is not accepted "
                        "(only canonicalisation transforms are)",
                        reason="algorithm",
                    )
        digest_uri = _single(node, DS_DIGEST_METHOD, f"reference {uri}").get("Algorithm")
        digest = DIGEST_ALGORITHMS_BY_URI.get(digest_uri or "")
        if digest is None:
            raise SignatureError(
                f"reference {uri}: digest algorithm {digest_uri!r} is not accepted",
                reason="algorithm",
            )
        if digest.is_sha1 and not config.allow_sha1:
            raise SignatureError(
                f"reference {uri}: digest algorithm SHA-1 is refused "
                "(VerificationConfig(allow_sha1=True) accepts it)",
                reason="algorithm",
            )
        references.append(SignedReference(uri=uri or "", element_id=match.group(1), digest=digest))
    if not references:
        raise SignatureError("the signature has no ds:Reference", reason="malformed")
    return algorithm, references


def _single(parent: etree._Element, tag: str, where: str) -> etree._Element:
    found = parent.findall(tag)
    if len(found) != 1:
        local = etree.QName(tag).localname
        raise SignatureError(
            f"{where} must hold exactly one {local}, found {len(found)}", reason="malformed"
        )
    return found[0]


# -- 4. key --------------------------------------------------------------------------------


def _token_certificate(
    envelope: etree._Element, security: etree._Element, signature: etree._Element
) -> x509.Certificate:
    key_info = _single(signature, DS_KEY_INFO, "ds:Signature")
    token_reference = _single(key_info, WSSE_STR, "ds:KeyInfo")
    reference = token_reference.find(WSSE_REFERENCE)
    if reference is None:
        raise SignatureError(
            "the SecurityTokenReference does not hold a wsse:Reference to a "
            "BinarySecurityToken (key identifiers and issuer/serial are not supported)",
            reason="malformed",
        )
    uri = reference.get("URI") or ""
    match = _LOCAL_ID_URI.match(uri)
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


def _check_cryptography(
    envelope: etree._Element,
    certificate: x509.Certificate,
    algorithm: SignatureAlgorithm,
    references: list[SignedReference],
    signed: Coverage,
    instant: datetime,
) -> None:
    expect = SignatureConfiguration(
        require_x509=True,
        location=_SIGNATURE_LOCATION,
        expect_references=len(references),
        signature_methods=frozenset({SxSignature(algorithm.uri)}),
        digest_algorithms=frozenset(SxDigest(r.digest.uri) for r in references),
        verification_time=instant,
    )
    try:
        XMLVerifier().verify(envelope, x509_cert=certificate, expect_config=expect)
    except InvalidDigest as exc:
        raise SignatureError(
            _digest_message(str(exc), references, signed), reason="invalid"
        ) from None
    except InvalidCertificate as exc:  # validity is checked before; kept as a safety net
        raise SignatureError(f"certificate refused: {exc}", reason="untrusted") from None
    except InvalidSignature:
        raise SignatureError(
            "the signature value does not verify with the certificate's public key: the "
            "SignedInfo was altered or another key signed it",
            reason="invalid",
        ) from None
    except etree.DocumentInvalid as exc:
        raise SignatureError(
            f"the ds:Signature does not follow the XML-DSig schema: {exc}", reason="malformed"
        ) from None
    except (InvalidInput, SignXMLException, ValueError, etree.LxmlError) as exc:
        raise SignatureError(
            f"the signature cannot be checked: {exc}", reason="malformed"
        ) from None


def _digest_message(detail: str, references: list[SignedReference], signed: Coverage) -> str:
    for index, reference in enumerate(references):
        if f"({reference.uri})" in detail:
            part = signed.parts[index]
            return (
                f"the {part} (reference {reference.uri}) does not match its signed digest: "
                "it was changed after signing"
            )
    return f"a signed part does not match its digest: it was changed after signing ({detail})"


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
