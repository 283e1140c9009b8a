"""Signing: the shape of the WS-Security header, the profile options, and equality with signxml."""

from __future__ import annotations

import base64
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from lxml import etree
from signxml.algorithms import SignatureConstructionMethod
from signxml.signer import XMLSigner

from cbss_sdk._credentials import Credentials
from cbss_sdk.errors import ConfigurationError, ProtocolError
from cbss_sdk.testing import make_test_credentials
from cbss_sdk.wsse import (
    DEFAULT_SIGNING_PROFILE,
    SigningProfile,
    VerificationConfig,
    sign_envelope,
    verify_envelope,
)

EnvelopeFactory = Callable[..., etree._Element]
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
