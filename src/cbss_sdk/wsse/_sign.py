"""Sign a SOAP 1.1 envelope in place with a WS-Security X.509 signature.

The header written is the one CBSS and common WS-Security stacks expect::

    <wsse:Security soapenv:mustUnderstand="1">
      <wsse:BinarySecurityToken wsu:Id=..>certificate</wsse:BinarySecurityToken>
      <wsu:Timestamp wsu:Id=..><wsu:Created/><wsu:Expires/></wsu:Timestamp>
      <ds:Signature> references to #Body, #Timestamp (and #token) ,
        KeyInfo = SecurityTokenReference to the token </ds:Signature>
    </wsse:Security>

The XML-DSig structure is the one signxml's ``XMLSigner`` produces with
``method=detached``, exclusive c14n and ``key_info=`` a SecurityTokenReference
(the configuration measured in design.md; a test proves both give the same
bytes).  It is built here directly on the live tree, from a per-profile
template copied in one step, because signxml serialises and re-parses the
whole envelope, then each referenced element, before canonicalising them.

The Body, whose content is the caller's, is canonicalised by lxml (libxml2's
exclusive C14N).  The Timestamp, the token and the SignedInfo are ours: their
exclusive canonical form is fixed text around the ids, instants and digests
(see :class:`_Plan`), so it is written as text instead of being computed from
the tree, once the tree is known to carry the prefixes that text assumes
(the usual case; otherwise, e.g. when the envelope binds the WS-Security
namespaces to other prefixes, lxml canonicalises them from the tree).  Tests
prove both give the same bytes for every profile.

Nothing is pretty-printed afterwards: whitespace is part of what is signed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import weakref
from binascii import b2a_base64
from collections.abc import Callable
from datetime import datetime, timedelta

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa, utils
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from lxml import etree

from .._credentials import Credentials
from ..errors import ConfigurationError, ProtocolError
from ._ns import (
    BASE64_ENCODING_TYPE,
    DS_C14N_METHOD,
    DS_DIGEST_METHOD,
    DS_DIGEST_VALUE,
    DS_KEY_INFO,
    DS_NS,
    DS_REFERENCE,
    DS_SIGNATURE,
    DS_SIGNATURE_METHOD,
    DS_SIGNATURE_VALUE,
    DS_SIGNED_INFO,
    DS_TRANSFORM,
    DS_TRANSFORMS,
    SECURITY_NSMAP,
    SIGNATURE_NSMAP,
    SOAP_BODY,
    SOAP_ENV_NS,
    SOAP_ENVELOPE,
    SOAP_HEADER,
    SOAP_MUST_UNDERSTAND,
    WSSE_BST,
    WSSE_NS,
    WSSE_REFERENCE,
    WSSE_SECURITY,
    WSSE_STR,
    WSU_CREATED,
    WSU_EXPIRES,
    WSU_ID,
    WSU_NS,
    WSU_TIMESTAMP,
    X509V3_VALUE_TYPE,
)
from ._profile import DEFAULT_SIGNING_PROFILE, SigningProfile
from ._time import epoch_micros, format_epoch_micros

__all__ = ["sign_envelope"]

# A Body that has no ``wsu`` prefix in scope gets ``xmlns:wsu`` rather than ``xmlns:ns0``.
etree.register_namespace("wsu", WSU_NS)

# Text that exclusive C14N writes unchanged inside an attribute value or an element:
# what our ids, instants, URIs and base64 values are made of.
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_.:/#+=\-]*\Z")

_BODY, _TIMESTAMP, _TOKEN = 0, 1, 2

# lxml's ``_Element.__copy__`` copies the whole subtree in one C call (``copy.deepcopy`` adds a
# memo and a dispatch around it); the type stubs do not declare it.
_deep_copy: Callable[[etree._Element], etree._Element] = etree._Element.__copy__  # type: ignore[attr-defined]


class _Plan:
    """What a profile fixes for every message: the header template and the canonical text.

    ``template`` is the ``wsse:Security`` header with empty ids, texts and
    digests (creating an lxml element costs a few microseconds and the header
    has some twenty-five: one C-level deep copy per message is cheaper).
    Never modify it.

    The exclusive canonical form of the elements we write, with the prefixes
    of the template (``wsse``, ``wsu``, ``ds``): namespace declarations only
    where first used, attributes sorted (unqualified first), empty elements
    as start and end tags.
    """

    __slots__ = (
        "digest",
        "hash_algorithm",
        "key_kind",
        "reference_middle",
        "reference_open",
        "signed_info_head",
        "targets",
        "template",
        "ttl_micros",
    )

    def __init__(self, profile: SigningProfile) -> None:
        c14n_uri = profile.c14n_uri
        signature = profile.signature
        digest = profile.digest
        for uri in (c14n_uri, signature.uri, digest.uri):
            if not _PLAIN_TEXT.match(uri):  # pragma: no cover - the algorithm tables are fixed
                raise ConfigurationError(f"algorithm URI {uri!r} needs escaping")
        self.template = _security_template(profile)
        self.key_kind = signature.key_kind
        self.hash_algorithm: hashes.HashAlgorithm = signature.hash_factory()
        self.digest: Callable[[bytes], hashlib._Hash] = getattr(
            hashlib, digest.hashlib_name, functools.partial(hashlib.new, digest.hashlib_name)
        )
        targets: list[int] = []
        if profile.sign_body:
            targets.append(_BODY)
        if profile.sign_timestamp:
            targets.append(_TIMESTAMP)
        if profile.sign_binary_security_token:
            targets.append(_TOKEN)
        self.targets = tuple(targets)
        self.ttl_micros = timedelta(seconds=profile.timestamp_ttl) // timedelta(microseconds=1)
        self.signed_info_head = (
            f'<ds:SignedInfo xmlns:ds="{DS_NS}">'
            f'<ds:CanonicalizationMethod Algorithm="{c14n_uri}"></ds:CanonicalizationMethod>'
            f'<ds:SignatureMethod Algorithm="{signature.uri}"></ds:SignatureMethod>'
        )
        self.reference_open = '<ds:Reference URI="#'
        self.reference_middle = (
            f'"><ds:Transforms><ds:Transform Algorithm="{c14n_uri}"></ds:Transform>'
            f'</ds:Transforms><ds:DigestMethod Algorithm="{digest.uri}"></ds:DigestMethod>'
            "<ds:DigestValue>"
        )


_REFERENCE_CLOSE = "</ds:DigestValue></ds:Reference>"
_SIGNED_INFO_CLOSE = "</ds:SignedInfo>"
_TIMESTAMP_OPEN = f'<wsu:Timestamp xmlns:wsu="{WSU_NS}" wsu:Id="'
_TOKEN_OPEN = (
    f'<wsse:BinarySecurityToken xmlns:wsse="{WSSE_NS}" xmlns:wsu="{WSU_NS}" '
    f'EncodingType="{BASE64_ENCODING_TYPE}" ValueType="{X509V3_VALUE_TYPE}" wsu:Id="'
)


def _timestamp_c14n(timestamp_id: str, created: str, expires: str) -> bytes:
    return (
        f'{_TIMESTAMP_OPEN}{timestamp_id}"><wsu:Created>{created}</wsu:Created>'
        f"<wsu:Expires>{expires}</wsu:Expires></wsu:Timestamp>"
    ).encode("ascii")


def _token_c14n(token_id: str, certificate: str) -> bytes:
    return f'{_TOKEN_OPEN}{token_id}">{certificate}</wsse:BinarySecurityToken>'.encode("ascii")


@functools.lru_cache(maxsize=32)
def _plan(profile: SigningProfile) -> _Plan:
    return _Plan(profile)


# The plan of the profile used last: most programs sign with one profile, and an identity
# test is cheaper than hashing the profile for the cache above.
_last_plan: tuple[SigningProfile, _Plan] | None = None


def _remember_plan(profile: SigningProfile) -> _Plan:
    global _last_plan
    plan = _plan(profile)
    _last_plan = (profile, plan)
    return plan


# Per credentials, per plan: the plan's template with the certificate already written in the
# BinarySecurityToken (lxml checks every character of a text it is given: 1-2 KB of base64
# each time).  Weak keys: an entry never keeps credentials (a private key) alive, and
# credentials never find another's entry (Credentials compare by identity).
_TOKEN_TEMPLATES: weakref.WeakKeyDictionary[Credentials, dict[_Plan, etree._Element]] = (
    weakref.WeakKeyDictionary()
)
_TOKEN_TEMPLATES_PER_CREDENTIALS = 8


def _token_template(
    credentials: Credentials, plan: _Plan, profile: SigningProfile
) -> etree._Element:
    """The header template of *plan* holding the certificate of *credentials*.

    Raises :class:`~cbss_sdk.errors.ConfigurationError` when the profile's
    algorithm does not fit the key (checked once per credentials and plan:
    both are immutable).
    """
    templates = _TOKEN_TEMPLATES.get(credentials)
    if templates is None:
        templates = _TOKEN_TEMPLATES.setdefault(credentials, {})
    template = templates.get(plan)
    if template is None:
        if plan.key_kind != credentials.key_type:
            raise ConfigurationError(
                f"signature_algorithm {profile.signature_algorithm!r} needs an "
                f"{plan.key_kind.upper()} key but the credentials hold an "
                f"{credentials.key_type.upper()} key; choose a matching SigningProfile"
            )
        template = _deep_copy(plan.template)
        template[0].text = credentials.certificate_base64
        if len(templates) >= _TOKEN_TEMPLATES_PER_CREDENTIALS:
            templates.clear()
        templates[plan] = template
    return template


def _b64(data: bytes) -> str:
    return b2a_base64(data, newline=False).decode("ascii")


def sign_envelope(
    envelope: etree._Element,
    credentials: Credentials,
    profile: SigningProfile = DEFAULT_SIGNING_PROFILE,
    *,
    now: datetime | None = None,
) -> None:
    """Add a signed ``wsse:Security`` header to a SOAP 1.1 *envelope*, in place.

    Creates ``soapenv:Header`` when missing, gives ``soapenv:Body`` a
    ``wsu:Id`` unless it has one, writes a fresh BinarySecurityToken,
    Timestamp (``Created`` = *now* in UTC to the millisecond, ``Expires`` =
    ``Created + profile.timestamp_ttl``) and the ``ds:Signature``.  Every id
    is new on each call.

    Raises :class:`~cbss_sdk.errors.ConfigurationError` when the profile's
    algorithm does not fit the key, and :class:`~cbss_sdk.errors.ProtocolError`
    when *envelope* is not a SOAP 1.1 Envelope with one Body or already holds
    a ``wsse:Security`` header.
    """
    if not isinstance(credentials, Credentials):
        raise ConfigurationError(
            f"credentials must be cbss_sdk.Credentials, not {type(credentials).__name__}"
        )
    if not isinstance(profile, SigningProfile):
        raise ConfigurationError(f"profile must be a SigningProfile, not {type(profile).__name__}")
    last = _last_plan
    plan = last[1] if last is not None and last[0] is profile else _remember_plan(profile)
    template = _token_template(credentials, plan, profile)
    created_micros = epoch_micros(now)
    created_micros -= created_micros % 1000
    created = format_epoch_micros(created_micros)
    expires = format_epoch_micros(created_micros + plan.ttl_micros)

    header, body = _envelope_parts(envelope)
    body_id = body.get(WSU_ID)
    if body_id is not None and _count_ids(envelope, body_id) != 1:
        raise ProtocolError(
            f"the Body's wsu:Id {body_id!r} is also used by another element; ids must be unique"
        )
    if header is None:
        header = etree.SubElement(envelope, SOAP_HEADER)
        envelope.insert(0, header)

    # Three fresh ids of 128 random bits each, from one read of the system's CSPRNG.
    random_hex = os.urandom(48).hex()
    token_id = "X509-" + random_hex[:32]
    timestamp_id = "TS-" + random_hex[32:64]
    if body_id is None:
        body_id = "id-" + random_hex[64:]
        body.set(WSU_ID, body_id)

    # Ids and texts are written while the header is detached, so that lxml, when the
    # header joins the envelope, maps every use of one namespace to one declaration.
    security = _deep_copy(template)  # a deep copy, in one C call
    token, timestamp, signature = security[0], security[1], security[2]
    certificate = credentials.certificate_base64
    token.set(WSU_ID, token_id)
    timestamp.set(WSU_ID, timestamp_id)
    timestamp[0].text = created
    timestamp[1].text = expires
    signature[2][0][0].set("URI", "#" + token_id)
    header.append(security)

    signed_info = signature[0]
    references = signed_info[2:]
    as_text = (
        timestamp.prefix == "wsu"
        and signature.prefix == "ds"
        and token.prefix == "wsse"
        and _PLAIN_TEXT.match(body_id) is not None
        and (_TOKEN not in plan.targets or _PLAIN_TEXT.match(certificate) is not None)
    )
    digest = plan.digest
    parts = [plan.signed_info_head]
    for reference, target in zip(references, plan.targets, strict=True):
        if target == _BODY:
            element_id, data = body_id, _c14n(body)
        elif target == _TIMESTAMP:
            element_id = timestamp_id
            data = _timestamp_c14n(timestamp_id, created, expires) if as_text else _c14n(timestamp)
        else:
            element_id = token_id
            data = _token_c14n(token_id, certificate) if as_text else _c14n(token)
        digest_text = _b64(digest(data).digest())
        reference.set("URI", "#" + element_id)
        reference[2].text = digest_text
        parts += (plan.reference_open, element_id, plan.reference_middle, digest_text)
        parts.append(_REFERENCE_CLOSE)
    if as_text:
        parts.append(_SIGNED_INFO_CLOSE)
        signed_bytes = "".join(parts).encode("ascii")
    else:
        signed_bytes = _c14n(signed_info)
    value = _sign_bytes(credentials, plan.hash_algorithm, signed_bytes)
    signature[1].text = _b64(value)


def _security_template(profile: SigningProfile) -> etree._Element:
    """The ``wsse:Security`` header of *profile* with empty ids, texts and digests."""
    security = etree.Element(WSSE_SECURITY, nsmap={"soapenv": SOAP_ENV_NS, **SECURITY_NSMAP})
    security.set(SOAP_MUST_UNDERSTAND, "1")
    etree.SubElement(
        security,
        WSSE_BST,
        {"EncodingType": BASE64_ENCODING_TYPE, "ValueType": X509V3_VALUE_TYPE},
    )
    timestamp = etree.SubElement(security, WSU_TIMESTAMP)
    etree.SubElement(timestamp, WSU_CREATED)
    etree.SubElement(timestamp, WSU_EXPIRES)

    signature = etree.SubElement(security, DS_SIGNATURE, nsmap=SIGNATURE_NSMAP)
    signed_info = etree.SubElement(signature, DS_SIGNED_INFO)
    etree.SubElement(signed_info, DS_C14N_METHOD, Algorithm=profile.c14n_uri)
    etree.SubElement(signed_info, DS_SIGNATURE_METHOD, Algorithm=profile.signature.uri)
    count = profile.sign_body + profile.sign_timestamp + profile.sign_binary_security_token
    for _ in range(count):
        reference = etree.SubElement(signed_info, DS_REFERENCE, URI="")
        transforms = etree.SubElement(reference, DS_TRANSFORMS)
        etree.SubElement(transforms, DS_TRANSFORM, Algorithm=profile.c14n_uri)
        etree.SubElement(reference, DS_DIGEST_METHOD, Algorithm=profile.digest.uri)
        etree.SubElement(reference, DS_DIGEST_VALUE)
    etree.SubElement(signature, DS_SIGNATURE_VALUE)
    key_info = etree.SubElement(signature, DS_KEY_INFO)
    token_reference = etree.SubElement(key_info, WSSE_STR)
    etree.SubElement(token_reference, WSSE_REFERENCE, URI="", ValueType=X509V3_VALUE_TYPE)
    return security


def _envelope_parts(envelope: etree._Element) -> tuple[etree._Element | None, etree._Element]:
    header: etree._Element | None
    body: etree._Element | None
    if not isinstance(envelope, etree._Element) or envelope.tag != SOAP_ENVELOPE:
        tag = getattr(envelope, "tag", type(envelope).__name__)
        raise ProtocolError(f"can only sign a SOAP 1.1 soapenv:Envelope element, got {tag!r}")
    if len(envelope) == 2:  # the usual shape, as build_envelope makes it: Header, Body
        header, body = envelope[0], envelope[1]
        if header.tag == SOAP_HEADER and body.tag == SOAP_BODY:
            if len(header) and next(header.iterchildren(WSSE_SECURITY), None) is not None:
                raise ProtocolError(_SIGNED_ALREADY)
            return header, body
    header = None
    body = None
    headers = bodies = 0
    for child in envelope.iterchildren(SOAP_HEADER, SOAP_BODY):
        if child.tag == SOAP_BODY:
            body = child
            bodies += 1
        else:
            header = child
            headers += 1
    if bodies != 1 or body is None:
        raise ProtocolError(f"the envelope must have exactly one soapenv:Body, found {bodies}")
    if headers > 1:
        raise ProtocolError(f"the envelope has {headers} soapenv:Header elements")
    if header is not None and next(header.iterchildren(WSSE_SECURITY), None) is not None:
        raise ProtocolError(_SIGNED_ALREADY)
    return header, body


_SIGNED_ALREADY = (
    "the envelope already has a wsse:Security header; sign a fresh envelope "
    "(a signature and its timestamp are made for one sending)"
)


def _count_ids(envelope: etree._Element, value: str) -> int:
    found = envelope.xpath(
        "count(descendant-or-self::*[@*[local-name()='Id' or local-name()='ID' "
        "or local-name()='id'] = $v])",
        v=value,
    )
    return int(found) if isinstance(found, float) else 0


def _c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True, with_comments=False)


_PKCS1V15 = PKCS1v15()


def _sign_bytes(
    credentials: Credentials, hash_algorithm: hashes.HashAlgorithm, data: bytes
) -> bytes:
    key = credentials.private_key
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, _PKCS1V15, hash_algorithm)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        # XML-DSig wants r || s, each padded to the curve size, not the DER sequence.
        r, s = utils.decode_dss_signature(key.sign(data, ec.ECDSA(hash_algorithm)))
        size = (key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    raise ConfigurationError(  # pragma: no cover - Credentials refuses other key types
        f"unsupported key type {type(key).__name__}"
    )
