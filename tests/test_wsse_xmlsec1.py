"""Interoperability with a real peer: every envelope we sign verifies with ``xmlsec1 --verify``.

xmlsec1 (libxmlsec1, the engine behind python-xmlsec and many WS-Security
stacks) is an independent implementation of XML-DSig.  It does not check
*what* a signature covers, which the last test uses to show why our verifier
adds a coverage check.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from cbss_sdk._credentials import Credentials
from cbss_sdk.errors import SignatureError
from cbss_sdk.testing import GeneratedCertificate
from cbss_sdk.wsse import SigningProfile, VerificationConfig, sign_envelope, verify_envelope

XMLSEC1 = shutil.which("xmlsec1")
pytestmark = pytest.mark.skipif(
    XMLSEC1 is None, reason="the xmlsec1 command line (libxmlsec1) is not installed on PATH"
)

EnvelopeFactory = Callable[..., etree._Element]
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
NS = {"soapenv": SOAP_NS, "wsse": WSSE, "wsu": WSU, "t": "urn:cbss-sdk:test:payload"}


class Xmlsec1:
    """Runs ``xmlsec1 --verify`` with the signer's certificate as the verification key."""

    def __init__(self, directory: Path, leaf: GeneratedCertificate) -> None:
        self.directory = directory
        self.cert = directory / "signer.pem"
        self.cert.write_bytes(leaf.certificate_pem)
        self.ca = directory / "ca.pem"
        self.ca.write_bytes(b"".join(c.public_bytes(Encoding.PEM) for c in leaf.chain))
        self.count = 0

    def verify(self, document: bytes, *, cert: Path | None = None) -> tuple[bool, str]:
        self.count += 1
        path = self.directory / f"message-{self.count}.xml"
        path.write_bytes(document)
        assert XMLSEC1 is not None
        command = [
            XMLSEC1,
            "--verify",
            # The KeyInfo holds a SecurityTokenReference, which xmlsec1 does not
            # resolve: the key comes from the signer's certificate given here,
            # checked against the test CA.
            "--pubkey-cert-pem",
            str(cert or self.cert),
            "--trusted-pem",
            str(self.ca),
            # Which attributes are XML ids (wsu:Id), on which elements.
            "--id-attr:Id",
            f"{SOAP_NS}:Body",
            "--id-attr:Id",
            f"{WSU}:Timestamp",
            "--id-attr:Id",
            f"{WSSE}:BinarySecurityToken",
            str(path),
        ]
        run = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
        return run.returncode == 0, run.stdout + run.stderr


@pytest.fixture
def xmlsec1(tmp_path: Path, test_leaf: GeneratedCertificate) -> Xmlsec1:
    return Xmlsec1(tmp_path, test_leaf)


@pytest.fixture(scope="module")
def config(test_ca_certificate: x509.Certificate) -> VerificationConfig:
    return VerificationConfig(trusted_certificates=(test_ca_certificate,))


def sign(
    envelope: etree._Element, credentials: Credentials, profile: SigningProfile | None = None
) -> bytes:
    sign_envelope(envelope, credentials, profile or SigningProfile())
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def ours(document: bytes, config: VerificationConfig) -> str:
    """``"ok"`` or the SignatureError reason of our verifier on the received bytes."""
    try:
        verify_envelope(etree.fromstring(document), config)
    except SignatureError as error:
        return error.reason
    return "ok"


PROFILES = {
    "default": SigningProfile(),
    "sha384": SigningProfile(signature_algorithm="rsa-sha384", digest_algorithm="sha384"),
    "sha512": SigningProfile(signature_algorithm="rsa-sha512", digest_algorithm="sha512"),
    "token-signed": SigningProfile(sign_binary_security_token=True),
    "short-ttl": SigningProfile(timestamp_ttl=30),
}


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_profile_verifies_with_xmlsec1(
    name: str,
    xmlsec1: Xmlsec1,
    make_envelope: EnvelopeFactory,
    test_credentials: Credentials,
    config: VerificationConfig,
) -> None:
    document = sign(make_envelope(), test_credentials, PROFILES[name])
    ok, output = xmlsec1.verify(document)
    assert ok, output
    assert ours(document, config) == "ok"


PAYLOADS = {
    "plain": "hello",
    "accents-and-markup": "Élise & Zoë <3 \"quotes\" 'apostrophes'",
    "whitespace": "  line one\n\tline two\r\n  ",
    "astral": "emoji \U0001f600 and CJK \u4e2d\u6587",
    "empty": "",
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payload_text_variants_verify_with_xmlsec1(
    name: str,
    xmlsec1: Xmlsec1,
    make_envelope: EnvelopeFactory,
    test_credentials: Credentials,
    config: VerificationConfig,
) -> None:
    document = sign(make_envelope(PAYLOADS[name]), test_credentials)
    ok, output = xmlsec1.verify(document)
    assert ok, output
    assert ours(document, config) == "ok"


def test_prebuilt_envelope_with_header_namespaces_and_body_id(
    xmlsec1: Xmlsec1, test_credentials: Credentials, config: VerificationConfig
) -> None:
    envelope = etree.fromstring(
        f"""<soapenv:Envelope xmlns:soapenv="{SOAP_NS}" xmlns:wsu="{WSU}"
    xmlns:v2="http://kszbcss.fgov.be/types/RetrieveTIGroups/v2">
  <soapenv:Header>
    <v2:Note>kept</v2:Note>
  </soapenv:Header>
  <soapenv:Body wsu:Id="body-1">
    <v2:retrieveTIRequest>
      <informationCustomer><ticket>abc</ticket></informationCustomer>
    </v2:retrieveTIRequest>
  </soapenv:Body>
</soapenv:Envelope>"""
    )
    document = sign(envelope, test_credentials)
    ok, output = xmlsec1.verify(document)
    assert ok, output
    assert ours(document, config) == "ok"


def test_xmlsec1_refuses_the_wrong_key(
    xmlsec1: Xmlsec1,
    tmp_path: Path,
    make_envelope: EnvelopeFactory,
    other_credentials: Credentials,
    test_credentials: Credentials,
) -> None:
    """The harness is not vacuous: xmlsec1 fails when the key is not the signer's."""
    document = sign(make_envelope(), other_credentials)
    ok, output = xmlsec1.verify(document)
    assert not ok, output


def _tamper_body(document: bytes) -> bytes:
    changed = document.replace(b">hello<", b">hellO<", 1)
    assert changed != document
    return changed


def _tamper_timestamp(document: bytes) -> bytes:
    tree = etree.fromstring(document)
    expires = tree.xpath("//wsu:Expires", namespaces=NS)[0]
    when = datetime.fromisoformat(expires.text[:-1] + "+00:00")
    expires.text = (when + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize(
    ("tamper", "part"), [(_tamper_body, "Body"), (_tamper_timestamp, "Timestamp")]
)
def test_tampering_fails_with_both_verifiers(
    tamper: Callable[[bytes], bytes],
    part: str,
    xmlsec1: Xmlsec1,
    make_envelope: EnvelopeFactory,
    test_credentials: Credentials,
    config: VerificationConfig,
) -> None:
    document = sign(make_envelope(), test_credentials)
    assert xmlsec1.verify(document)[0]
    tampered = tamper(document)
    ok, output = xmlsec1.verify(tampered)
    assert not ok, output
    with pytest.raises(SignatureError) as caught:
        verify_envelope(etree.fromstring(tampered), config)
    assert caught.value.reason == "invalid"
    assert part in str(caught.value)


def test_timestamp_only_signature_passes_xmlsec1_but_not_our_coverage_check(
    xmlsec1: Xmlsec1,
    make_envelope: EnvelopeFactory,
    test_credentials: Credentials,
    config: VerificationConfig,
) -> None:
    document = sign(make_envelope(), test_credentials, SigningProfile(sign_body=False))
    forged = _tamper_body(document)
    ok, output = xmlsec1.verify(forged)
    assert ok, f"xmlsec1 was expected to accept it (it checks no coverage): {output}"
    assert ours(forged, config) == "coverage"
