"""Verification: round trips, trust, freshness, policies, and the attacks a bare XML-DSig check lets through."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from signxml.algorithms import DigestAlgorithm as SxDigest
from signxml.algorithms import SignatureConstructionMethod
from signxml.algorithms import SignatureMethod as SxSignature
from signxml.signer import XMLSigner
from signxml.verifier import SignatureConfiguration, XMLVerifier

from cbss_sdk._credentials import Credentials
from cbss_sdk.errors import ConfigurationError, SignatureError
from cbss_sdk.soap import parse_xml
from cbss_sdk.testing import make_test_ca, make_test_certificate
from cbss_sdk.wsse import (
    SigningProfile,
    VerificationConfig,
    VerificationPolicy,
    VerifiedSignature,
    sign_envelope,
    verify_envelope,
)

EnvelopeFactory = Callable[..., etree._Element]
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"soapenv": SOAP_NS, "wsse": WSSE, "wsu": WSU, "ds": DS, "t": "urn:cbss-sdk:test:payload"}
WSU_ID = f"{{{WSU}}}Id"
BODY = f"{{{SOAP_NS}}}Body"
REASONS = {
    "missing",
    "malformed",
    "algorithm",
    "coverage",
    "missing-timestamp",
    "untrusted",
    "invalid",
    "timestamp-future",
    "timestamp-expired",
}


@pytest.fixture(scope="module")
def now(test_credentials: Credentials) -> datetime:
    """A fixed instant inside the validity of every test certificate."""
    return test_credentials.not_valid_before + timedelta(hours=30, milliseconds=250)


@pytest.fixture(scope="module")
def config(test_ca_certificate: x509.Certificate) -> VerificationConfig:
    return VerificationConfig(trusted_certificates=(test_ca_certificate,))


def received(envelope: etree._Element) -> etree._Element:
    """What the peer parses: the envelope serialised, then parsed again."""
    return etree.fromstring(etree.tostring(envelope))


def one(node: etree._Element, path: str) -> etree._Element:
    found = node.xpath(path, namespaces=NS)
    assert isinstance(found, list) and len(found) == 1, f"{path}: {found!r}"
    element = found[0]
    assert isinstance(element, etree._Element)
    return element


@pytest.fixture
def signed(
    make_envelope: EnvelopeFactory, test_credentials: Credentials, now: datetime
) -> Callable[..., etree._Element]:
    """Sign an envelope (test credentials, *now*) and return it as received."""

    def _signed(
        profile: SigningProfile | None = None,
        *,
        credentials: Credentials | None = None,
        at: datetime | None = None,
        text: str = "hello",
    ) -> etree._Element:
        envelope = make_envelope(text)
        sign_envelope(
            envelope,
            credentials or test_credentials,
            profile or SigningProfile(),
            now=at or now,
        )
        return received(envelope)

    return _signed


def refused(
    envelope: etree._Element, config: VerificationConfig, now: datetime, reason: str
) -> SignatureError:
    with pytest.raises(SignatureError) as caught:
        verify_envelope(envelope, config, now=now)
    error = caught.value
    assert error.reason == reason, f"{error.reason}: {error}"
    assert error.reason in REASONS
    assert len(str(error)) > 20
    return error


# -- round trip -----------------------------------------------------------------------------


def test_round_trip(
    signed: Callable[..., etree._Element],
    config: VerificationConfig,
    now: datetime,
    test_credentials: Credentials,
) -> None:
    envelope = signed()
    before = etree.tostring(envelope)
    result = verify_envelope(envelope, config, now=now)
    assert isinstance(result, VerifiedSignature)
    assert result.certificate == test_credentials.certificate
    assert result.signed_parts == ("Body", "Timestamp")
    assert result.signed_ids == (
        one(envelope, "//soapenv:Body").get(WSU_ID),
        one(envelope, "//wsu:Timestamp").get(WSU_ID),
    )
    assert result.timestamp_created == now.replace(microsecond=250_000)
    assert result.timestamp_expires == result.timestamp_created + timedelta(seconds=300)
    assert result.algorithm == "rsa-sha256"
    assert result.digest_algorithm == "sha256"
    assert result.trusted_by == "chain"
    assert etree.tostring(envelope) == before  # the received tree is left alone


def test_round_trip_with_signed_token_and_sha512(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    profile = SigningProfile(
        signature_algorithm="rsa-sha512", digest_algorithm="sha512", sign_binary_security_token=True
    )
    result = verify_envelope(signed(profile), config, now=now)
    assert result is not None
    assert result.signed_parts == ("Body", "Timestamp", "BinarySecurityToken")
    assert (result.algorithm, result.digest_algorithm) == ("rsa-sha512", "sha512")


def test_pretty_printed_input_verifies(
    test_credentials: Credentials, config: VerificationConfig, now: datetime
) -> None:
    text = f"""<soapenv:Envelope xmlns:soapenv="{SOAP_NS}">
  <soapenv:Header/>
  <soapenv:Body>
    <t:payload xmlns:t="urn:x">
      <t:line>  spaced  </t:line>
    </t:payload>
  </soapenv:Body>
</soapenv:Envelope>"""
    envelope = etree.fromstring(text)
    sign_envelope(envelope, test_credentials, now=now)
    assert verify_envelope(received(envelope), config, now=now) is not None


# -- policies -------------------------------------------------------------------------------


def test_unsigned_message_per_policy(
    make_envelope: EnvelopeFactory, config: VerificationConfig, now: datetime
) -> None:
    unsigned = make_envelope()
    refused(unsigned, config, now, "missing")
    if_present = VerificationConfig(
        policy="if_present", trusted_certificates=config.trusted_certificates
    )
    assert verify_envelope(unsigned, if_present, now=now) is None
    assert verify_envelope(unsigned, VerificationConfig(policy=VerificationPolicy.OFF)) is None


def test_security_header_without_signature_is_missing(
    make_envelope: EnvelopeFactory, config: VerificationConfig, now: datetime
) -> None:
    envelope = make_envelope()
    header = etree.Element(f"{{{SOAP_NS}}}Header")
    etree.SubElement(header, f"{{{WSSE}}}Security")
    envelope.insert(0, header)
    refused(envelope, config, now, "missing")


def test_signature_outside_the_security_header_does_not_count(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    signature = one(envelope, "//ds:Signature")
    one(envelope, "//soapenv:Header").append(signature)
    refused(envelope, config, now, "missing")


def test_off_looks_at_nothing(signed: Callable[..., etree._Element]) -> None:
    envelope = signed()
    one(envelope, "//t:payload").text = "changed"
    assert verify_envelope(envelope, VerificationConfig(policy="off")) is None
    assert verify_envelope(etree.Element("junk"), VerificationConfig(policy="off")) is None


def test_if_present_still_refuses_a_bad_signature(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    one(envelope, "//t:payload").text = "changed"
    if_present = VerificationConfig(
        policy=VerificationPolicy.IF_PRESENT, trusted_certificates=config.trusted_certificates
    )
    refused(envelope, if_present, now, "invalid")


# -- tampering ------------------------------------------------------------------------------


def test_tampered_body_is_invalid_and_named(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    one(envelope, "//t:payload").text = "hellO"
    error = refused(envelope, config, now, "invalid")
    assert "Body" in str(error)


def test_tampered_timestamp_is_invalid_and_named(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    expires = one(envelope, "//wsu:Expires")
    expires.text = (expires.text or "").replace(".250Z", ".999Z")
    error = refused(envelope, config, now, "invalid")
    assert "Timestamp" in str(error)


def test_tampered_signature_value_is_invalid(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    value = one(envelope, "//ds:SignatureValue")
    text = value.text or ""
    value.text = ("B" if text[0] == "A" else "A") + text[1:]
    refused(envelope, config, now, "invalid")


def test_swapped_certificate_is_invalid(
    signed: Callable[..., etree._Element], other_credentials: Credentials, now: datetime
) -> None:
    envelope = signed()
    one(envelope, "//wsse:BinarySecurityToken").text = other_credentials.certificate_base64
    trust_other = VerificationConfig(trusted_certificates=(other_credentials.certificate,))
    refused(envelope, trust_other, now, "invalid")


# -- trust ----------------------------------------------------------------------------------


def test_untrusted_signer(
    signed: Callable[..., etree._Element],
    other_credentials: Credentials,
    config: VerificationConfig,
    now: datetime,
) -> None:
    error = refused(signed(credentials=other_credentials), config, now, "untrusted")
    assert "somebody else" in str(error)


def test_no_trust_anchor_configured(signed: Callable[..., etree._Element], now: datetime) -> None:
    bare = VerificationConfig()
    assert not bare.has_trust_anchor
    error = refused(signed(), bare, now, "untrusted")
    assert "no trust anchor" in str(error)


def test_trust_any_certificate(
    signed: Callable[..., etree._Element], other_credentials: Credentials, now: datetime
) -> None:
    result = verify_envelope(
        signed(credentials=other_credentials),
        VerificationConfig(trust_any_certificate=True),
        now=now,
    )
    assert result is not None and result.trusted_by == "any"


def test_leaf_itself_trusted(
    signed: Callable[..., etree._Element], test_credentials: Credentials, now: datetime
) -> None:
    cfg = VerificationConfig(trusted_certificates=[test_credentials.certificate])
    result = verify_envelope(signed(), cfg, now=now)
    assert result is not None and result.trusted_by == "anchor"


def test_ca_bundle_file(
    tmp_path: Path,
    signed: Callable[..., etree._Element],
    test_ca_certificate: x509.Certificate,
    now: datetime,
) -> None:
    bundle = tmp_path / "ca.pem"
    other_ca = make_test_ca("CN=another CA", key_label="another-ca")
    bundle.write_bytes(
        other_ca.certificate_pem + test_ca_certificate.public_bytes(serialization.Encoding.PEM)
    )
    result = verify_envelope(signed(), VerificationConfig(ca_bundle=bundle), now=now)
    assert result is not None and result.trusted_by == "chain"
    only_other = tmp_path / "other.pem"
    only_other.write_bytes(other_ca.certificate_pem)
    error = refused(signed(), VerificationConfig(ca_bundle=str(only_other)), now, "untrusted")
    assert "not issued by any trusted certificate" in str(error)


def test_chain_through_a_trusted_intermediate(
    make_envelope: EnvelopeFactory, test_ca_certificate: x509.Certificate, now: datetime
) -> None:
    intermediate = make_test_ca(
        "CN=cbss-sdk Test Issuing CA", key_label="intermediate", issuer=make_test_ca()
    )
    leaf = make_test_certificate("CN=issued by intermediate", issuer=intermediate)
    envelope = make_envelope()
    sign_envelope(envelope, leaf.credentials(), now=now)
    trusting_intermediate = VerificationConfig(trusted_certificates=(intermediate.certificate,))
    assert verify_envelope(received(envelope), trusting_intermediate, now=now) is not None
    trusting_root_only = VerificationConfig(trusted_certificates=(test_ca_certificate,))
    refused(received(envelope), trusting_root_only, now, "untrusted")


def test_certificate_issued_by_a_non_ca_is_untrusted(
    make_envelope: EnvelopeFactory, test_credentials: Credentials, test_leaf: object, now: datetime
) -> None:
    from cbss_sdk.testing import GeneratedCertificate

    assert isinstance(test_leaf, GeneratedCertificate)
    fake = make_test_certificate("CN=issued by a leaf", issuer=test_leaf, key_label="fake")
    envelope = make_envelope()
    sign_envelope(envelope, fake.credentials(), now=now)
    cfg = VerificationConfig(trusted_certificates=(test_credentials.certificate,))
    error = refused(received(envelope), cfg, now, "untrusted")
    assert "basicConstraints" in str(error)


def test_pinned_certificate(
    signed: Callable[..., etree._Element],
    test_credentials: Credentials,
    other_credentials: Credentials,
    now: datetime,
) -> None:
    pinned = VerificationConfig(pinned_certificate=test_credentials.certificate)
    result = verify_envelope(signed(), pinned, now=now)
    assert result is not None and result.trusted_by == "pinned"
    error = refused(signed(credentials=other_credentials), pinned, now, "untrusted")
    assert "pinned" in str(error)


def test_pin_wins_over_trust_list(
    signed: Callable[..., etree._Element],
    test_ca_certificate: x509.Certificate,
    other_credentials: Credentials,
    now: datetime,
) -> None:
    cfg = VerificationConfig(
        trusted_certificates=(test_ca_certificate,),
        pinned_certificate=other_credentials.certificate,
    )
    refused(signed(), cfg, now, "untrusted")


def test_expired_signer_certificate(
    signed: Callable[..., etree._Element],
    config: VerificationConfig,
    test_credentials: Credentials,
) -> None:
    later = test_credentials.not_valid_after + timedelta(days=1)
    error = refused(signed(at=later), config, later, "untrusted")
    assert "expired" in str(error)


def test_signer_certificate_not_yet_valid(
    signed: Callable[..., etree._Element],
    config: VerificationConfig,
    test_credentials: Credentials,
) -> None:
    earlier = test_credentials.not_valid_before - timedelta(days=1)
    error = refused(signed(at=earlier), config, earlier, "untrusted")
    assert "not valid before" in str(error)


# -- freshness ------------------------------------------------------------------------------


def test_timestamp_window_with_clock_skew(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    created = now.replace(microsecond=250_000)
    expires = created + timedelta(seconds=300)
    skew = timedelta(seconds=60)
    assert verify_envelope(envelope, config, now=expires + skew) is not None
    assert verify_envelope(envelope, config, now=created - skew) is not None
    error = refused(
        envelope, config, expires + skew + timedelta(milliseconds=1), "timestamp-expired"
    )
    assert expires.isoformat() in str(error)
    error = refused(
        envelope, config, created - skew - timedelta(milliseconds=1), "timestamp-future"
    )
    assert created.isoformat() in str(error)


def test_zero_clock_skew(
    signed: Callable[..., etree._Element], test_ca_certificate: x509.Certificate, now: datetime
) -> None:
    strict = VerificationConfig(trusted_certificates=(test_ca_certificate,), clock_skew=0)
    envelope = signed()
    created = now.replace(microsecond=250_000)
    refused(envelope, strict, created - timedelta(milliseconds=1), "timestamp-future")
    refused(envelope, strict, created + timedelta(seconds=300, milliseconds=1), "timestamp-expired")


def test_max_timestamp_age(
    signed: Callable[..., etree._Element], test_ca_certificate: x509.Certificate, now: datetime
) -> None:
    cfg = VerificationConfig(trusted_certificates=(test_ca_certificate,), max_timestamp_age=30)
    envelope = signed()
    created = now.replace(microsecond=250_000)
    assert verify_envelope(envelope, cfg, now=created + timedelta(seconds=90)) is not None
    error = refused(envelope, cfg, created + timedelta(seconds=91), "timestamp-expired")
    assert "max" in str(error) or "more than" in str(error)


def test_timestamp_not_signed(
    signed: Callable[..., etree._Element], test_ca_certificate: x509.Certificate, now: datetime
) -> None:
    envelope = signed(SigningProfile(sign_timestamp=False))
    cfg = VerificationConfig(trusted_certificates=(test_ca_certificate,))
    error = refused(envelope, cfg, now, "coverage")
    assert "Timestamp" in str(error)
    lenient = VerificationConfig(
        trusted_certificates=(test_ca_certificate,), require_timestamp=False
    )
    result = verify_envelope(envelope, lenient, now=now + timedelta(days=1))
    assert result is not None and result.timestamp_created is None


def test_timestamp_missing(
    signed: Callable[..., etree._Element], test_ca_certificate: x509.Certificate, now: datetime
) -> None:
    envelope = signed(SigningProfile(sign_timestamp=False))
    timestamp = one(envelope, "//wsu:Timestamp")
    timestamp.getparent().remove(timestamp)  # type: ignore[union-attr]
    cfg = VerificationConfig(trusted_certificates=(test_ca_certificate,))
    refused(envelope, cfg, now, "missing-timestamp")


def test_signed_timestamp_is_checked_even_when_not_required(
    signed: Callable[..., etree._Element], test_ca_certificate: x509.Certificate, now: datetime
) -> None:
    lenient = VerificationConfig(
        trusted_certificates=(test_ca_certificate,), require_timestamp=False
    )
    refused(signed(), lenient, now + timedelta(hours=1), "timestamp-expired")


# -- coverage and signature wrapping --------------------------------------------------------


def signxml_alone_accepts(envelope: etree._Element, cert: x509.Certificate, now: datetime) -> None:
    """A plain XML-DSig check (what xmlsec1/zeep do) passes: the attack is real."""
    refs = envelope.xpath("//ds:SignedInfo/ds:Reference", namespaces=NS)
    assert isinstance(refs, list)
    XMLVerifier().verify(
        envelope,
        x509_cert=cert,
        expect_config=SignatureConfiguration(
            location=f"./{{{SOAP_NS}}}Header/{{{WSSE}}}Security/",
            expect_references=len(refs),
            signature_methods=frozenset({SxSignature.RSA_SHA256}),
            digest_algorithms=frozenset({SxDigest.SHA256}),
            verification_time=now,
        ),
    )


def evil_body() -> etree._Element:
    body = etree.Element(BODY)
    etree.SubElement(body, "{urn:cbss-sdk:test:payload}payload").text = "transfer everything"
    return body


def test_signature_over_the_timestamp_only(
    signed: Callable[..., etree._Element],
    config: VerificationConfig,
    now: datetime,
    test_credentials: Credentials,
) -> None:
    envelope = signed(SigningProfile(sign_body=False))
    one(envelope, "//t:payload").text = "transfer everything"
    signxml_alone_accepts(envelope, test_credentials.certificate, now)
    error = refused(envelope, config, now, "coverage")
    assert "does not cover the SOAP Body" in str(error)


def test_signed_body_moved_into_the_header(
    signed: Callable[..., etree._Element],
    config: VerificationConfig,
    now: datetime,
    test_credentials: Credentials,
) -> None:
    envelope = signed()
    original = one(envelope, "/soapenv:Envelope/soapenv:Body")
    wrapper = etree.SubElement(one(envelope, "//soapenv:Header"), "{urn:evil}Wrapper")
    wrapper.append(original)
    envelope.append(evil_body())
    envelope = received(envelope)
    signxml_alone_accepts(envelope, test_credentials.certificate, now)
    refused(envelope, config, now, "coverage")


def test_signed_body_moved_and_its_id_reused(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    original = one(envelope, "/soapenv:Envelope/soapenv:Body")
    wrapper = etree.SubElement(one(envelope, "//soapenv:Header"), "{urn:evil}Wrapper")
    wrapper.append(original)
    fake = evil_body()
    fake.set(WSU_ID, original.get(WSU_ID) or "")
    envelope.append(fake)
    error = refused(received(envelope), config, now, "coverage")
    assert "Body" in str(error)


def test_signed_body_content_moved_to_an_element_carrying_the_body_id(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    original = one(envelope, "/soapenv:Envelope/soapenv:Body")
    wrapper = etree.SubElement(one(envelope, "//soapenv:Header"), "{urn:evil}Wrapper")
    wrapper.set(WSU_ID, original.get(WSU_ID) or "")
    del original.attrib[WSU_ID]
    for child in list(original):
        wrapper.append(child)
    etree.SubElement(original, "{urn:cbss-sdk:test:payload}payload").text = "transfer everything"
    error = refused(received(envelope), config, now, "coverage")
    assert "does not cover the SOAP Body" in str(error)


def test_second_body_hidden_in_the_header(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    etree.SubElement(one(envelope, "//soapenv:Header"), "{urn:evil}Wrapper").append(evil_body())
    error = refused(received(envelope), config, now, "coverage")
    assert "second soapenv:Body" in str(error)


def test_copy_of_signed_body_hidden_in_the_header(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    copy_of_body = copy.deepcopy(one(envelope, "/soapenv:Envelope/soapenv:Body"))
    etree.SubElement(one(envelope, "//soapenv:Header"), "{urn:evil}Wrapper").append(copy_of_body)
    refused(received(envelope), config, now, "coverage")


def test_second_body_in_the_envelope(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    envelope.append(evil_body())
    refused(received(envelope), config, now, "coverage")


def test_duplicate_id_inside_the_body(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    timestamp_id = one(envelope, "//wsu:Timestamp").get(WSU_ID) or ""
    one(envelope, "//t:payload").set("Id", timestamp_id)
    error = refused(received(envelope), config, now, "coverage")
    assert "ambiguous" in str(error)


def test_signed_timestamp_moved_away_and_replaced(
    signed: Callable[..., etree._Element],
    config: VerificationConfig,
    now: datetime,
    test_credentials: Credentials,
) -> None:
    envelope = signed()
    old = one(envelope, "//wsse:Security/wsu:Timestamp")
    security = old.getparent()
    assert security is not None
    fresh = copy.deepcopy(old)
    del fresh.attrib[WSU_ID]
    one(fresh, "wsu:Expires").text = "2999-01-01T00:00:00.000Z"
    security.replace(old, fresh)
    etree.SubElement(one(envelope, "//soapenv:Header"), "{urn:evil}Wrapper").append(old)
    envelope = received(envelope)
    signxml_alone_accepts(envelope, test_credentials.certificate, now)
    error = refused(envelope, config, now, "coverage")
    assert "Timestamp" in str(error)


@pytest.mark.parametrize("uri", ["", "#xpointer(/)", "http://evil.example/body", "#a #b"])
def test_non_local_reference_uris(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime, uri: str
) -> None:
    envelope = signed()
    one(envelope, "//ds:SignedInfo/ds:Reference[1]").set("URI", uri)
    refused(envelope, config, now, "coverage")


def test_reference_to_nothing(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    one(envelope, "//ds:SignedInfo/ds:Reference[2]").set("URI", "#nowhere")
    error = refused(envelope, config, now, "coverage")
    assert "#nowhere" in str(error)


def test_same_reference_twice(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    first = one(envelope, "//ds:SignedInfo/ds:Reference[1]")
    first.addnext(copy.deepcopy(first))
    refused(envelope, config, now, "coverage")


# -- algorithms and structure ---------------------------------------------------------------


def test_sha1_signature_refused_unless_allowed(
    signed: Callable[..., etree._Element], test_ca_certificate: x509.Certificate, now: datetime
) -> None:
    envelope = signed(
        SigningProfile(signature_algorithm="rsa-sha1", digest_algorithm="sha1", allow_sha1=True)
    )
    default = VerificationConfig(trusted_certificates=(test_ca_certificate,))
    error = refused(envelope, default, now, "algorithm")
    assert "SHA-1" in str(error)
    legacy = VerificationConfig(trusted_certificates=(test_ca_certificate,), allow_sha1=True)
    result = verify_envelope(envelope, legacy, now=now)
    assert result is not None and result.algorithm == "rsa-sha1"


def test_sha1_digest_alone_is_refused(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed(SigningProfile(digest_algorithm="sha1", allow_sha1=True))
    refused(envelope, config, now, "algorithm")


@pytest.mark.parametrize(
    "algorithm",
    [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/TR/1999/REC-xslt-19991116",
        "http://www.w3.org/2000/09/xmldsig#base64",
    ],
)
def test_non_canonicalisation_transform_is_refused(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime, algorithm: str
) -> None:
    envelope = signed()
    one(envelope, "//ds:Reference[1]/ds:Transforms/ds:Transform").set("Algorithm", algorithm)
    refused(envelope, config, now, "algorithm")


def test_unknown_signature_method(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    one(envelope, "//ds:SignatureMethod").set(
        "Algorithm", "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"
    )
    refused(envelope, config, now, "algorithm")


def test_two_security_headers(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    header = one(envelope, "//soapenv:Header")
    header.append(copy.deepcopy(header[0]))
    refused(envelope, config, now, "malformed")


def test_two_signatures(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    security = one(envelope, "//wsse:Security")
    security.append(copy.deepcopy(one(security, "ds:Signature")))
    refused(envelope, config, now, "malformed")


def test_key_info_without_token_reference(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    key_info = one(envelope, "//ds:KeyInfo")
    for child in list(key_info):
        key_info.remove(child)
    etree.SubElement(key_info, f"{{{DS}}}KeyName").text = "cbss"
    refused(envelope, config, now, "malformed")


def test_token_reference_to_a_missing_token(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    token = one(envelope, "//wsse:BinarySecurityToken")
    token.getparent().remove(token)  # type: ignore[union-attr]
    refused(envelope, config, now, "malformed")


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        (None, "bm90IGEgY2VydGlmaWNhdGU="),
        (None, "***"),
        ("ValueType", "urn:other-token"),
        ("EncodingType", "urn:hex"),
    ],
)
def test_unusable_token(
    signed: Callable[..., etree._Element],
    config: VerificationConfig,
    now: datetime,
    attribute: str | None,
    value: str,
) -> None:
    envelope = signed()
    token = one(envelope, "//wsse:BinarySecurityToken")
    if attribute is None:
        token.text = value
    else:
        token.set(attribute, value)
    refused(envelope, config, now, "malformed")


def test_token_reference_pointing_elsewhere(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    body_id = one(envelope, "//soapenv:Body").get(WSU_ID)
    one(envelope, "//wsse:SecurityTokenReference/wsse:Reference").set("URI", f"#{body_id}")
    refused(envelope, config, now, "malformed")


def test_not_an_envelope(config: VerificationConfig, now: datetime) -> None:
    refused(etree.Element("{urn:x}Other"), config, now, "malformed")


def test_changed_timestamp_text_breaks_the_digest_first(
    signed: Callable[..., etree._Element], config: VerificationConfig, now: datetime
) -> None:
    envelope = signed()
    one(envelope, "//wsu:Created").text = "yesterday"
    refused(envelope, config, now, "invalid")


# -- messages signed by another implementation ----------------------------------------------


def foreign_signed(
    credentials: Credentials, created: str, expires: str | None, *, prefix: str = "s"
) -> etree._Element:
    """A message whose Security header is written by hand and signed by signxml's XMLSigner.

    It stands for a peer (CBSS) using other prefixes and timestamp forms.
    """
    envelope = etree.fromstring(
        f"""<{prefix}:Envelope xmlns:{prefix}="{SOAP_NS}"><{prefix}:Header>
<o:Security xmlns:o="{WSSE}" xmlns:u="{WSU}" {prefix}:mustUnderstand="1">
<o:BinarySecurityToken u:Id="uuid-tok" ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3" EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">
{credentials.certificate_base64}
</o:BinarySecurityToken>
<u:Timestamp u:Id="_0"><u:Created>{created}</u:Created>"""
        + (f"<u:Expires>{expires}</u:Expires>" if expires is not None else "")
        + f"""</u:Timestamp>
</o:Security></{prefix}:Header>
<{prefix}:Body u:Id="_1" xmlns:u="{WSU}"><r:reply xmlns:r="urn:r">ok</r:reply></{prefix}:Body>
</{prefix}:Envelope>"""
    )
    key_info = etree.fromstring(
        f'<ds:KeyInfo xmlns:ds="{DS}"><o:SecurityTokenReference xmlns:o="{WSSE}">'
        '<o:Reference URI="#uuid-tok"/></o:SecurityTokenReference></ds:KeyInfo>'
    )
    signature = XMLSigner(
        method=SignatureConstructionMethod.detached,
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    ).sign(envelope, key=credentials.private_key, reference_uri=["#_0", "#_1"], key_info=key_info)
    one(envelope, "//wsse:Security").append(signature)
    return received(envelope)


def test_foreign_signer_with_other_prefixes_and_zone_offsets(
    test_credentials: Credentials, config: VerificationConfig, now: datetime
) -> None:
    brussels = timezone(timedelta(hours=2))
    created = now.astimezone(brussels)
    envelope = foreign_signed(
        test_credentials,
        created.isoformat(),
        (created + timedelta(minutes=5)).isoformat(),
        prefix="env",
    )
    result = verify_envelope(envelope, config, now=now)
    assert result is not None
    assert result.signed_ids == ("_0", "_1")
    assert result.timestamp_created == now


@pytest.mark.parametrize(
    ("created", "expires"),
    [
        ("yesterday", "2999-01-01T00:00:00Z"),
        ("{now}", "soon"),
        ("{now_naive}", "2999-01-01T00:00:00Z"),
        ("{now}", "2000-01-01T00:00:00Z"),
        ("{now}", None),
    ],
)
def test_unusable_signed_timestamps_are_malformed(
    test_credentials: Credentials,
    config: VerificationConfig,
    now: datetime,
    created: str,
    expires: str | None,
) -> None:
    values = {"now": now.isoformat(), "now_naive": now.replace(tzinfo=None).isoformat()}
    envelope = foreign_signed(
        test_credentials,
        created.format(**values),
        expires.format(**values) if expires is not None else None,
    )
    refused(envelope, config, now, "malformed")


def test_timestamp_without_expires_accepted_with_max_age(
    test_credentials: Credentials, test_ca_certificate: x509.Certificate, now: datetime
) -> None:
    envelope = foreign_signed(test_credentials, now.isoformat(), None)
    cfg = VerificationConfig(trusted_certificates=(test_ca_certificate,), max_timestamp_age=120)
    result = verify_envelope(envelope, cfg, now=now)
    assert result is not None and result.timestamp_expires is None
    refused(envelope, cfg, now + timedelta(seconds=181), "timestamp-expired")


# -- configuration --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"policy": "sometimes"},
        {"clock_skew": -1},
        {"clock_skew": float("inf")},
        {"clock_skew": "60"},
        {"max_timestamp_age": 0},
        {"trusted_certificates": ["not a certificate"]},
        {"trusted_certificates": "cert.pem"},
        {"pinned_certificate": b"der"},
        {"require_timestamp": "yes"},
        {"trust_any_certificate": 1},
    ],
)
def test_invalid_configs(options: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        VerificationConfig(**options)  # type: ignore[arg-type]


def test_trust_any_cannot_be_combined(test_ca_certificate: x509.Certificate) -> None:
    with pytest.raises(ConfigurationError, match="trust_any_certificate"):
        VerificationConfig(trust_any_certificate=True, trusted_certificates=(test_ca_certificate,))
    with pytest.raises(ConfigurationError):
        VerificationConfig(trust_any_certificate=True, pinned_certificate=test_ca_certificate)


def test_ca_bundle_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"missing\.pem"):
        VerificationConfig(ca_bundle=tmp_path / "missing.pem")
    empty = tmp_path / "empty.pem"
    empty.write_text("no certificates here")
    with pytest.raises(ConfigurationError, match=r"empty\.pem"):
        VerificationConfig(ca_bundle=empty)


def test_naive_now_and_wrong_config_type(
    signed: Callable[..., etree._Element], config: VerificationConfig
) -> None:
    with pytest.raises(ConfigurationError):
        verify_envelope(signed(), config, now=datetime(2030, 1, 1))
    with pytest.raises(ConfigurationError):
        verify_envelope(signed(), "required")  # type: ignore[arg-type]


# -- property -------------------------------------------------------------------------------

XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\t\n\r"),
    max_size=80,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=XML_TEXT, data=st.data())
def test_any_payload_round_trips_and_any_one_character_change_breaks_it(
    signed: Callable[..., etree._Element],
    config: VerificationConfig,
    now: datetime,
    text: str,
    data: st.DataObject,
) -> None:
    envelope = signed(text=text)
    assert verify_envelope(envelope, config, now=now) is not None
    payload = one(envelope, "//t:payload")
    assert (payload.text or "") == text
    if text:
        index = data.draw(st.integers(0, len(text) - 1), label="index")
        replacement = data.draw(
            st.characters(blacklist_categories=("Cs", "Cc", "Cn")).filter(
                lambda c: c != text[index]
            ),
            label="replacement",
        )
        payload.text = text[:index] + replacement + text[index + 1 :]
    else:
        payload.text = data.draw(st.characters(blacklist_categories=("Cs", "Cc", "Cn")))
    with pytest.raises(SignatureError) as caught:
        verify_envelope(envelope, config, now=now)
    assert caught.value.reason == "invalid"


# -- the documentation's examples run -------------------------------------------------------


def _run_python_blocks(markdown: Path) -> None:
    """Execute the ```python blocks of *markdown* in order, in one namespace."""
    if not markdown.exists():
        pytest.skip(f"{markdown} is not present")
    blocks = re.findall(r"```python\n(.*?)```", markdown.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks
    namespace: dict[str, object] = {}
    for block in blocks:
        if block.startswith("# production sketch"):
            continue
        exec(compile(block, str(markdown), "exec"), namespace)


def test_signing_doc_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    _run_python_blocks(Path(__file__).resolve().parent.parent / "docs" / "signing.md")
    printed = capsys.readouterr().out
    assert "('Body', 'Timestamp')" in printed
    assert "timestamp-expired" in printed


def test_a_comment_slipped_into_a_signed_value_cannot_shorten_what_is_read(
    make_envelope: EnvelopeFactory,
    test_credentials: Credentials,
    config: VerificationConfig,
    now: datetime,
) -> None:
    # XML-DSig does not digest comments inside referenced elements, so the comment below
    # leaves the signature valid; the parser must then not let ``.text`` stop at it.
    envelope = make_envelope("68030700174")
    sign_envelope(envelope, test_credentials, SigningProfile(), now=now)
    data = etree.tostring(envelope).replace(b">68030700174<", b">680<!--x-->30700174<")
    assert b"<!--x-->" in data
    received_envelope = parse_xml(data)
    assert verify_envelope(received_envelope, config, now=now) is not None
    payload = received_envelope.find(".//t:payload", NS)
    assert payload is not None
    assert payload.text == "68030700174"
