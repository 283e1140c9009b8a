"""Signing: the shape of the WS-Security header, the profile options, and equality with signxml."""

from __future__ import annotations

import base64
import gc
import hashlib
import re
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from signxml.algorithms import SignatureConstructionMethod
from signxml.signer import XMLSigner

from cbss_sdk._credentials import Credentials
from cbss_sdk.errors import ConfigurationError, ProtocolError
from cbss_sdk.soap import build_envelope
from cbss_sdk.testing import GeneratedCertificate, make_test_credentials
from cbss_sdk.wsse import (
    DEFAULT_SIGNING_PROFILE,
    SigningProfile,
    VerificationConfig,
    _sign,
    sign_envelope,
    verify_envelope,
)
from cbss_sdk.wsse._time import (
    epoch_micros,
    format_epoch_micros,
    format_timestamp,
    resolve_now,
)

EnvelopeFactory = Callable[..., etree._Element]


def truncate_to_millis(instant: datetime) -> datetime:
    """The same instant without its sub-millisecond part (what the signer writes)."""
    return instant.replace(microsecond=instant.microsecond - instant.microsecond % 1000)


SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64 = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
NS = {"soapenv": SOAP_NS, "wsse": WSSE, "wsu": WSU, "ds": DS}
WSU_ID = f"{{{WSU}}}Id"
NOW = datetime(2030, 5, 17, 9, 30, 15, 123456, tzinfo=timezone.utc)


def one(node: etree._Element, path: str) -> etree._Element:
    found = node.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    assert len(found) == 1, f"{path}: {len(found)} matches"
    element = found[0]
    assert isinstance(element, etree._Element)
    return element


def signed(
    make_envelope: EnvelopeFactory,
    credentials: Credentials,
    profile: SigningProfile = DEFAULT_SIGNING_PROFILE,
    **kwargs: object,
) -> etree._Element:
    envelope = make_envelope(**kwargs)
    sign_envelope(envelope, credentials, profile, now=NOW)
    return envelope


def reference_uris(envelope: etree._Element) -> list[str]:
    refs = envelope.xpath("//ds:SignedInfo/ds:Reference/@URI", namespaces=NS)
    assert isinstance(refs, list)
    return [str(r) for r in refs]


# -- the header -----------------------------------------------------------------------------


def test_header_is_created_first_and_holds_security_in_order(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    envelope = signed(make_envelope, test_credentials)
    assert [etree.QName(c).localname for c in envelope] == ["Header", "Body"]
    security = one(envelope, "/soapenv:Envelope/soapenv:Header/wsse:Security")
    assert security.get(f"{{{SOAP_NS}}}mustUnderstand") == "1"
    assert [etree.QName(c).localname for c in security] == [
        "BinarySecurityToken",
        "Timestamp",
        "Signature",
    ]


def test_binary_security_token_holds_the_certificate(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    token = one(signed(make_envelope, test_credentials), "//wsse:BinarySecurityToken")
    assert token.get("ValueType") == X509V3
    assert token.get("EncodingType") == BASE64
    assert token.get(WSU_ID)
    cert = x509.load_der_x509_certificate(base64.b64decode(token.text or ""))
    assert cert == test_credentials.certificate


def test_timestamp_is_now_in_utc_with_millis_and_the_ttl(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    envelope = signed(make_envelope, test_credentials)
    assert one(envelope, "//wsu:Timestamp/wsu:Created").text == "2030-05-17T09:30:15.123Z"
    assert one(envelope, "//wsu:Timestamp/wsu:Expires").text == "2030-05-17T09:35:15.123Z"
    assert one(envelope, "//wsu:Timestamp").get(WSU_ID)


def test_timestamp_ttl_and_non_utc_now(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    brussels = timezone(timedelta(hours=2))
    envelope = make_envelope()
    sign_envelope(
        envelope,
        test_credentials,
        SigningProfile(timestamp_ttl=60),
        now=datetime(2030, 5, 17, 11, 0, 0, tzinfo=brussels),
    )
    assert one(envelope, "//wsu:Created").text == "2030-05-17T09:00:00.000Z"
    assert one(envelope, "//wsu:Expires").text == "2030-05-17T09:01:00.000Z"


def test_default_now_is_the_current_time(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    envelope = make_envelope()
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    sign_envelope(envelope, test_credentials)
    created = datetime.fromisoformat((one(envelope, "//wsu:Created").text or "")[:-1] + "+00:00")
    assert before <= created <= datetime.now(timezone.utc)


def test_naive_now_is_refused(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    with pytest.raises(ConfigurationError):
        sign_envelope(make_envelope(), test_credentials, now=datetime(2030, 1, 1))


def test_body_gets_a_wsu_id_and_the_signature_references_body_then_timestamp(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    envelope = signed(make_envelope, test_credentials)
    body_id = one(envelope, "/soapenv:Envelope/soapenv:Body").get(WSU_ID)
    ts_id = one(envelope, "//wsu:Timestamp").get(WSU_ID)
    assert body_id and ts_id
    assert reference_uris(envelope) == [f"#{body_id}", f"#{ts_id}"]
    assert one(envelope, "//ds:SignedInfo/ds:CanonicalizationMethod").get("Algorithm") == EXC_C14N
    assert (
        one(envelope, "//ds:SignedInfo/ds:SignatureMethod").get("Algorithm")
        == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    )
    for transform in envelope.xpath("//ds:Reference/ds:Transforms/ds:Transform", namespaces=NS):
        assert transform.get("Algorithm") == EXC_C14N
    for method in envelope.xpath("//ds:Reference/ds:DigestMethod", namespaces=NS):
        assert method.get("Algorithm") == "http://www.w3.org/2001/04/xmlenc#sha256"


def test_existing_body_id_and_header_are_kept(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    envelope = make_envelope(body_id="my-body")
    header = etree.Element(f"{{{SOAP_NS}}}Header")
    etree.SubElement(header, "{urn:other}Thing").text = "x"
    envelope.insert(0, header)
    sign_envelope(envelope, test_credentials, now=NOW)
    assert len(envelope.findall(f"{{{SOAP_NS}}}Header")) == 1
    assert [etree.QName(c).localname for c in envelope[0]] == ["Thing", "Security"]
    assert reference_uris(envelope)[0] == "#my-body"


def test_body_id_shared_with_another_element_is_refused(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    envelope = make_envelope(body_id="dup")
    envelope[0][0].set("Id", "dup")
    with pytest.raises(ProtocolError, match="dup"):
        sign_envelope(envelope, test_credentials)


def test_key_info_references_the_token(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    envelope = signed(make_envelope, test_credentials)
    token_id = one(envelope, "//wsse:BinarySecurityToken").get(WSU_ID)
    reference = one(
        envelope, "//ds:Signature/ds:KeyInfo/wsse:SecurityTokenReference/wsse:Reference"
    )
    assert reference.get("URI") == f"#{token_id}"
    assert reference.get("ValueType") == X509V3
    assert not envelope.xpath("//ds:X509Data | //ds:KeyValue", namespaces=NS)


def test_two_signatures_have_fresh_ids_and_timestamps(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    first, second = make_envelope(), make_envelope()
    sign_envelope(first, test_credentials, now=NOW)
    sign_envelope(second, test_credentials, now=NOW + timedelta(seconds=2))

    def ids(envelope: etree._Element) -> set[str]:
        return {str(v) for v in envelope.xpath("//@wsu:Id", namespaces=NS)}

    assert len(ids(first)) == 3
    assert not ids(first) & ids(second)
    assert one(first, "//wsu:Created").text != one(second, "//wsu:Created").text


def test_output_is_not_pretty_printed(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    data = etree.tostring(signed(make_envelope, test_credentials))
    assert b"\n" not in data


# -- profile options ------------------------------------------------------------------------


def test_binary_security_token_can_be_signed(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    envelope = signed(
        make_envelope, test_credentials, SigningProfile(sign_binary_security_token=True)
    )
    token_id = one(envelope, "//wsse:BinarySecurityToken").get(WSU_ID)
    assert reference_uris(envelope)[-1] == f"#{token_id}"
    assert len(reference_uris(envelope)) == 3


def test_sha512_profile(make_envelope: EnvelopeFactory, test_credentials: Credentials) -> None:
    profile = SigningProfile(signature_algorithm="rsa-sha512", digest_algorithm="sha512")
    envelope = signed(make_envelope, test_credentials, profile)
    assert (
        one(envelope, "//ds:SignatureMethod").get("Algorithm")
        == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
    )
    digests = {m.get("Algorithm") for m in envelope.xpath("//ds:DigestMethod", namespaces=NS)}
    assert digests == {"http://www.w3.org/2001/04/xmlenc#sha512"}
    digest_values = envelope.xpath("//ds:DigestValue/text()", namespaces=NS)
    assert all(len(base64.b64decode(str(v))) == 64 for v in digest_values)


@pytest.mark.parametrize(
    "options",
    [
        {"signature_algorithm": "rsa-sha1"},
        {"digest_algorithm": "sha1"},
        {"signature_algorithm": "rsa-sha1", "digest_algorithm": "sha1"},
    ],
)
def test_sha1_is_refused_unless_allowed(options: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError, match="SHA-1"):
        SigningProfile(**options)  # type: ignore[arg-type]
    assert SigningProfile(**options, allow_sha1=True)  # type: ignore[arg-type]


def test_sha1_profile_signs_with_sha1_uris(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    profile = SigningProfile(
        signature_algorithm="rsa-sha1", digest_algorithm="sha1", allow_sha1=True
    )
    envelope = signed(make_envelope, test_credentials, profile)
    assert (
        one(envelope, "//ds:SignatureMethod").get("Algorithm")
        == "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
    )


@pytest.mark.parametrize(
    "options",
    [
        {"signature_algorithm": "rsa-md5"},
        {"signature_algorithm": "hmac-sha256"},
        {"digest_algorithm": "md5"},
        {"c14n": "inclusive"},
        {"timestamp_ttl": 0},
        {"timestamp_ttl": -5},
        {"timestamp_ttl": float("nan")},
        {"timestamp_ttl": 86_401},
        {"timestamp_ttl": True},
        {"timestamp_ttl": "300"},
        {"sign_body": "yes"},
        {"sign_body": False, "sign_timestamp": False},
    ],
)
def test_invalid_profiles_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        SigningProfile(**options)  # type: ignore[arg-type]


def test_default_profile() -> None:
    profile = DEFAULT_SIGNING_PROFILE
    assert (profile.signature_algorithm, profile.digest_algorithm, profile.c14n) == (
        "rsa-sha256",
        "sha256",
        "exclusive",
    )
    assert profile.timestamp_ttl == 300
    assert profile.sign_body and profile.sign_timestamp
    assert not profile.sign_binary_security_token and not profile.allow_sha1


def test_rsa_profile_with_ec_key_is_refused(make_envelope: EnvelopeFactory) -> None:
    ec_creds = make_test_credentials("CN=ec signer", key_type="ec", key_label="ec")
    with pytest.raises(ConfigurationError, match=r"ecdsa|RSA"):
        sign_envelope(make_envelope(), ec_creds)


@pytest.mark.parametrize("algorithm", ["ecdsa-sha256", "ecdsa-sha384", "ecdsa-sha512"])
def test_ec_key_signs_and_verifies(
    make_envelope: EnvelopeFactory, test_ca_certificate: x509.Certificate, algorithm: str
) -> None:
    ec_creds = make_test_credentials("CN=ec signer", key_type="ec", key_label="ec")
    envelope = make_envelope()
    sign_envelope(envelope, ec_creds, SigningProfile(signature_algorithm=algorithm))
    received = etree.fromstring(etree.tostring(envelope))
    result = verify_envelope(
        received, VerificationConfig(trusted_certificates=(test_ca_certificate,))
    )
    assert result is not None
    assert result.algorithm == algorithm


# -- bad input ------------------------------------------------------------------------------


def test_non_envelope_is_refused(test_credentials: Credentials) -> None:
    with pytest.raises(ProtocolError, match="Envelope"):
        sign_envelope(etree.Element("{urn:x}NotAnEnvelope"), test_credentials)


def test_envelope_with_two_bodies_is_refused(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    envelope = make_envelope()
    etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    with pytest.raises(ProtocolError, match="Body"):
        sign_envelope(envelope, test_credentials)


def test_signing_twice_is_refused(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    envelope = signed(make_envelope, test_credentials)
    with pytest.raises(ProtocolError, match="already"):
        sign_envelope(envelope, test_credentials)


def test_wrong_argument_types(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    with pytest.raises(ConfigurationError):
        sign_envelope(make_envelope(), "cert.p12")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        sign_envelope(make_envelope(), test_credentials, "rsa-sha256")  # type: ignore[arg-type]


# -- equal to signxml's detached signature --------------------------------------------------


def test_same_bytes_as_signxml_detached_signature(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    """signxml's XMLSigner, configured as design.md measured, signs the very same SignedInfo.

    RSA PKCS#1 v1.5 is deterministic, so equal SignedInfo bytes give equal
    SignatureValues: our direct construction is the signxml construction.
    """
    envelope = signed(make_envelope, test_credentials)
    ours = one(envelope, "//ds:Signature")
    body_id = one(envelope, "//soapenv:Body").get(WSU_ID)
    ts_id = one(envelope, "//wsu:Timestamp").get(WSU_ID)
    key_info = etree.fromstring(etree.tostring(one(ours, "ds:KeyInfo")))
    ours.getparent().remove(ours)  # type: ignore[union-attr]

    signer = XMLSigner(
        method=SignatureConstructionMethod.detached,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm=EXC_C14N,
    )
    theirs = signer.sign(
        envelope,
        key=test_credentials.private_key,
        reference_uri=[f"#{body_id}", f"#{ts_id}"],
        key_info=key_info,
    )
    ours_info = etree.tostring(one(ours, "ds:SignedInfo"), method="c14n", exclusive=True)
    theirs_info = etree.tostring(one(theirs, "ds:SignedInfo"), method="c14n", exclusive=True)
    assert ours_info == theirs_info
    assert one(ours, "ds:SignatureValue").text == one(theirs, "ds:SignatureValue").text


def test_signing_from_many_threads(
    make_envelope: EnvelopeFactory,
    test_credentials: Credentials,
    test_ca_certificate: x509.Certificate,
) -> None:
    """One profile template and one key serve concurrent signers."""
    config = VerificationConfig(trusted_certificates=(test_ca_certificate,))

    def work(index: int) -> bytes:
        envelope = make_envelope(f"message {index}")
        sign_envelope(envelope, test_credentials)
        return etree.tostring(envelope)

    with ThreadPoolExecutor(max_workers=8) as pool:
        documents = list(pool.map(work, range(64)))
    for index, document in enumerate(documents):
        envelope = etree.fromstring(document)
        assert verify_envelope(envelope, config) is not None
        assert one(envelope, "//soapenv:Body").xpath("string()") == f"message {index}"


# -- what is signed is what the tree holds --------------------------------------------------
#
# The signer writes the canonical form of the Timestamp, the token and the SignedInfo as text
# instead of asking lxml; these tests recompute every digest and the signature value from the
# tree with lxml's own exclusive C14N (and the public key), for every profile and for
# envelopes whose namespace prefixes make the signer fall back to lxml.

DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha1": hashes.SHA1(),
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


def c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True, with_comments=False)


def assert_signature_matches_tree(envelope: etree._Element, credentials: Credentials) -> None:
    """Every digest and the signature value, recomputed from *envelope* by lxml."""
    ds = f"{{{DS}}}"
    signatures = list(envelope.iter(f"{ds}Signature"))
    assert len(signatures) == 1
    signature = signatures[0]
    signed_info = signature.find(f"{ds}SignedInfo")
    assert signed_info is not None
    by_id = {
        element_id: element
        for element in envelope.iter(etree.Element)
        if (element_id := element.get(WSU_ID)) is not None
    }
    references = signed_info.findall(f"{ds}Reference")
    assert references
    for reference in references:
        uri = reference.get("URI") or ""
        assert uri.startswith("#")
        target = by_id[uri[1:]]
        method = reference.find(f"{ds}DigestMethod")
        assert method is not None
        name = DIGESTS[method.get("Algorithm") or ""]
        expected = base64.b64encode(hashlib.new(name, c14n(target)).digest()).decode()
        assert reference.findtext(f"{ds}DigestValue") == expected, uri
    signature_method = signed_info.find(f"{ds}SignatureMethod")
    assert signature_method is not None
    hash_name = (signature_method.get("Algorithm") or "").rsplit("-", 1)[1]
    hash_algorithm = HASHES[hash_name]
    value = base64.b64decode(signature.findtext(f"{ds}SignatureValue") or "")
    public_key = credentials.certificate.public_key()
    if isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(value, c14n(signed_info), padding.PKCS1v15(), hash_algorithm)
    else:
        assert isinstance(public_key, ec.EllipticCurvePublicKey)
        half = len(value) // 2
        der = utils.encode_dss_signature(
            int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big")
        )
        public_key.verify(der, c14n(signed_info), ec.ECDSA(hash_algorithm))


def all_profiles() -> list[SigningProfile]:
    profiles = []
    for signature_algorithm in ("rsa-sha256", "rsa-sha384", "rsa-sha512", "rsa-sha1"):
        for digest_algorithm in ("sha256", "sha384", "sha512", "sha1"):
            for body, timestamp, token in (
                (True, True, False),
                (True, True, True),
                (True, False, False),
                (False, True, False),
                (False, False, True),
            ):
                profiles.append(
                    SigningProfile(
                        signature_algorithm=signature_algorithm,
                        digest_algorithm=digest_algorithm,
                        sign_body=body,
                        sign_timestamp=timestamp,
                        sign_binary_security_token=token,
                        allow_sha1=True,
                    )
                )
    return profiles


@pytest.mark.parametrize("profile", all_profiles(), ids=repr)
def test_every_profile_signs_what_the_tree_holds(
    make_envelope: EnvelopeFactory, test_credentials: Credentials, profile: SigningProfile
) -> None:
    envelope = signed(make_envelope, test_credentials, profile)
    assert_signature_matches_tree(envelope, test_credentials)
    # and what a receiver parses from the bytes
    assert_signature_matches_tree(etree.fromstring(etree.tostring(envelope)), test_credentials)


@pytest.fixture
def c14n_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The local names of the elements the signer asks lxml to canonicalise."""
    calls: list[str] = []
    original = _sign._c14n

    def spy(element: etree._Element) -> bytes:
        calls.append(etree.QName(element).localname)
        return original(element)

    monkeypatch.setattr(_sign, "_c14n", spy)
    return calls


def test_usual_envelope_has_only_the_body_canonicalised_by_lxml(
    test_credentials: Credentials, c14n_calls: list[str]
) -> None:
    payload = etree.Element("{urn:cbss-sdk:test:payload}payload")
    payload.text = "x"
    envelope = build_envelope(payload)
    sign_envelope(envelope, test_credentials, SigningProfile(sign_binary_security_token=True))
    assert c14n_calls == ["Body"]
    assert_signature_matches_tree(envelope, test_credentials)


def _envelope_with(
    nsmap: dict[str | None, str], header_nsmap: dict[str | None, str] | None = None
) -> etree._Element:
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap=nsmap)
    if header_nsmap is not None:
        etree.SubElement(envelope, f"{{{SOAP_NS}}}Header", nsmap=header_nsmap)
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    etree.SubElement(body, "{urn:cbss-sdk:test:payload}payload").text = "odd prefixes"
    return envelope


# name -> (envelope factory, whether the signer must fall back to lxml for more than the Body)
ODD_ENVELOPES: dict[str, tuple[Callable[[], etree._Element], bool]] = {
    "wsu-under-another-prefix": (lambda: _envelope_with({"soapenv": SOAP_NS, "u": WSU}), True),
    # which of the two prefixes lxml picks is its business: the signature must match either way
    "wsu-under-two-prefixes": (
        lambda: _envelope_with({"soapenv": SOAP_NS, "a": WSU, "wsu": WSU}),
        False,
    ),
    "ds-as-default-namespace": (lambda: _envelope_with({"soapenv": SOAP_NS, None: DS}), True),
    "wsse-and-ds-renamed-on-the-header": (
        lambda: _envelope_with({"soapenv": SOAP_NS}, {"sec": WSSE, "dsig": DS}),
        True,
    ),
    "wsu-as-default-namespace": (lambda: _envelope_with({"soapenv": SOAP_NS, None: WSU}), True),
}


@pytest.mark.parametrize("name", sorted(ODD_ENVELOPES))
@pytest.mark.parametrize("token", [False, True], ids=["token-unsigned", "token-signed"])
def test_odd_namespace_prefixes_fall_back_to_lxml(
    name: str,
    token: bool,
    test_credentials: Credentials,
    test_ca_certificate: x509.Certificate,
    c14n_calls: list[str],
) -> None:
    factory, falls_back = ODD_ENVELOPES[name]
    envelope = factory()
    sign_envelope(envelope, test_credentials, SigningProfile(sign_binary_security_token=token))
    if falls_back:
        assert len(c14n_calls) > 1  # more than the Body: the prefixes are not the usual ones
    assert_signature_matches_tree(envelope, test_credentials)
    received = etree.fromstring(etree.tostring(envelope))
    assert_signature_matches_tree(received, test_credentials)
    config = VerificationConfig(trusted_certificates=(test_ca_certificate,))
    assert verify_envelope(received, config) is not None


@pytest.mark.parametrize("body_id", ["body-\u00e9t\u00e9", "b\u4e2d1", "Body_1.2-x"])
def test_existing_body_ids_are_signed_as_the_tree_holds_them(
    make_envelope: EnvelopeFactory, test_credentials: Credentials, body_id: str
) -> None:
    envelope = signed(make_envelope, test_credentials, body_id=body_id)
    assert reference_uris(envelope)[0] == f"#{body_id}"
    assert_signature_matches_tree(envelope, test_credentials)
    assert_signature_matches_tree(etree.fromstring(etree.tostring(envelope)), test_credentials)


def test_ec_signature_matches_the_tree(make_envelope: EnvelopeFactory) -> None:
    ec_creds = make_test_credentials("CN=ec signer", key_type="ec", key_label="ec")
    envelope = make_envelope()
    sign_envelope(envelope, ec_creds, SigningProfile(signature_algorithm="ecdsa-sha384"))
    assert_signature_matches_tree(envelope, ec_creds)


def test_ids_are_fresh_128_bit_values_distinct_within_and_across_messages(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    seen: set[str] = set()
    for _ in range(50):
        envelope = signed(make_envelope, test_credentials)
        ids = [str(v) for v in envelope.xpath("//@wsu:Id", namespaces=NS)]
        assert len(ids) == 3
        for value in ids:
            prefix, _, digits = value.partition("-")
            assert prefix in {"X509", "TS", "id"}
            assert re.fullmatch(r"[0-9a-f]{32}", digits)
        assert not seen & set(ids)
        seen.update(ids)
    assert len(seen) == 150


# -- the per-credentials header template ----------------------------------------------------


def test_each_credentials_signs_with_its_own_certificate(
    make_envelope: EnvelopeFactory,
    test_credentials: Credentials,
    other_credentials: Credentials,
) -> None:
    """The cached header templates (one per credentials) never mix certificates up."""
    for round_ in range(3):
        for credentials in (test_credentials, other_credentials):
            envelope = make_envelope(f"round {round_}")
            sign_envelope(envelope, credentials)
            token = one(envelope, "//wsse:BinarySecurityToken")
            assert token.text == credentials.certificate_base64
            assert_signature_matches_tree(envelope, credentials)


def test_two_loads_of_the_same_key_are_two_cache_entries(
    make_envelope: EnvelopeFactory, test_leaf: GeneratedCertificate
) -> None:
    first, second = test_leaf.credentials(), test_leaf.credentials()
    sign_envelope(make_envelope(), first)
    sign_envelope(make_envelope(), second)
    assert first in _sign._TOKEN_TEMPLATES and second in _sign._TOKEN_TEMPLATES
    first_templates = _sign._TOKEN_TEMPLATES[first]
    second_templates = _sign._TOKEN_TEMPLATES[second]
    assert first_templates is not second_templates


def test_the_cache_does_not_keep_credentials_alive(
    make_envelope: EnvelopeFactory, test_leaf: GeneratedCertificate
) -> None:
    credentials = test_leaf.credentials()
    sign_envelope(make_envelope(), credentials)
    assert credentials in _sign._TOKEN_TEMPLATES
    alive = weakref.ref(credentials)
    size = len(_sign._TOKEN_TEMPLATES)
    del credentials
    gc.collect()
    assert alive() is None
    assert len(_sign._TOKEN_TEMPLATES) <= size - 1  # its entry went with it (maybe others)


def test_templates_are_not_modified_by_signing(
    make_envelope: EnvelopeFactory, test_credentials: Credentials
) -> None:
    sign_envelope(make_envelope(), test_credentials)
    template = _sign._plan(DEFAULT_SIGNING_PROFILE).template
    cached = _sign._TOKEN_TEMPLATES[test_credentials][_sign._plan(DEFAULT_SIGNING_PROFILE)]
    before = (etree.tostring(template), etree.tostring(cached))
    for _ in range(3):
        sign_envelope(make_envelope(), test_credentials)
    assert (etree.tostring(template), etree.tostring(cached)) == before
    assert cached[0].text == test_credentials.certificate_base64
    assert template[0].text is None
    assert cached[1].get(WSU_ID) is None and cached[2][1].text is None


# -- timestamps -----------------------------------------------------------------------------


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(9000, 1, 1),
        timezones=st.sampled_from(
            [
                timezone.utc,
                timezone(timedelta(hours=2)),
                timezone(timedelta(hours=-11, minutes=-30)),
            ]
        ),
    )
)
def test_epoch_micros_formats_like_format_timestamp(instant: datetime) -> None:
    micros = epoch_micros(instant)
    assert format_epoch_micros(micros) == format_timestamp(resolve_now(instant))
    truncated = micros - micros % 1000
    assert format_epoch_micros(truncated) == format_timestamp(
        truncate_to_millis(resolve_now(instant))
    )


def test_epoch_micros_of_now_and_naive() -> None:
    before = datetime.now(timezone.utc)
    micros = epoch_micros(None)
    after = datetime.now(timezone.utc)
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    assert before - timedelta(milliseconds=1) <= epoch + timedelta(microseconds=micros)
    assert epoch + timedelta(microseconds=micros) <= after + timedelta(milliseconds=1)
    with pytest.raises(ConfigurationError):
        epoch_micros(datetime(2030, 1, 1))


@pytest.mark.parametrize("ttl", [0.0005, 0.25, 1, 59.9999, 300, 86_400])
def test_expires_is_created_plus_the_ttl_as_datetimes_compute_it(
    make_envelope: EnvelopeFactory, test_credentials: Credentials, ttl: float
) -> None:
    envelope = make_envelope()
    sign_envelope(envelope, test_credentials, SigningProfile(timestamp_ttl=ttl), now=NOW)
    created = truncate_to_millis(NOW)
    assert one(envelope, "//wsu:Created").text == format_timestamp(created)
    assert one(envelope, "//wsu:Expires").text == format_timestamp(created + timedelta(seconds=ttl))
