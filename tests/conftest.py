"""Shared fixtures: throw-away certificates from ``cbss_sdk.testing`` and SOAP envelopes to sign.

Keys are generated once per test session (``cbss_sdk.testing`` caches them),
so any test may ask for credentials without slowing the suite down.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cryptography import x509
from lxml import etree

from cbss_sdk._credentials import Credentials
from cbss_sdk.testing import (
    GeneratedCertificate,
    make_self_signed_certificate,
    make_test_ca,
    make_test_certificate,
)

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
PAYLOAD_NS = "urn:cbss-sdk:test:payload"

#: Builds ``<soapenv:Envelope><soapenv:Body><t:payload>text</t:payload></soapenv:Body>``.
EnvelopeFactory = Callable[..., etree._Element]


@pytest.fixture(scope="session")
def test_ca() -> GeneratedCertificate:
    """The throw-away test certification authority."""
    return make_test_ca()


@pytest.fixture(scope="session")
def test_ca_certificate(test_ca: GeneratedCertificate) -> x509.Certificate:
    """The certificate of the test CA (a trust anchor for ``test_credentials``)."""
    return test_ca.certificate


@pytest.fixture(scope="session")
def test_leaf(test_ca: GeneratedCertificate) -> GeneratedCertificate:
    """The leaf certificate of ``test_credentials`` with its key, PEM and PKCS#12 forms."""
    return make_test_certificate(issuer=test_ca)


@pytest.fixture(scope="session")
def test_credentials(test_leaf: GeneratedCertificate) -> Credentials:
    """Credentials of a leaf certificate issued by the test CA."""
    return test_leaf.credentials()


@pytest.fixture(scope="session")
def other_generated() -> GeneratedCertificate:
    """An unrelated self-signed certificate with its own key."""
    return make_self_signed_certificate("CN=somebody else,O=Not CBSS,C=BE", key_label="other")


@pytest.fixture(scope="session")
def other_credentials(other_generated: GeneratedCertificate) -> Credentials:
    """Credentials nobody trusts: self-signed, with a key of their own."""
    return other_generated.credentials()


def _make_envelope(text: str = "hello", *, body_id: str | None = None) -> etree._Element:
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"soapenv": SOAP_NS})
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    if body_id is not None:
        body.set(
            "{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd}Id",
            body_id,
        )
    payload = etree.SubElement(body, f"{{{PAYLOAD_NS}}}payload", nsmap={"t": PAYLOAD_NS})
    payload.text = text
    return envelope


@pytest.fixture
def make_envelope() -> EnvelopeFactory:
    """Factory of minimal unsigned SOAP 1.1 envelopes (``text``, optional Body ``wsu:Id``)."""
    return _make_envelope
