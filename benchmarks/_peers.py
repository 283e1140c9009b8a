"""The other side of each comparison: zeep (with WS-Security), python-xmlsec, xsdata, keys.

zeep loads the official RetrieveTIGroups v2 WSDL from the reference folder.
Its signature plugin normally re-reads the PEM key at every call; here the
``xmlsec.Key`` is loaded once and zeep's own signing function is called with
it, so that both sides pay for signing only (design.md: passing PEM bytes
costs ~30 ms per signature).  A Timestamp is added to the Security header
first, so that zeep signs Body and Timestamp like the SDK.
"""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any

from lxml import etree

from ._reference import reference_dir

__all__ = [
    "CERT_SUBJECT",
    "SSIN",
    "PreloadedBinarySignature",
    "TimestampPlugin",
    "cert_pem",
    "key_pem",
    "peer",
    "sdk_credentials",
    "test_certificate",
    "wsdl_path",
    "xmlsec_key",
    "zeep_client",
    "zeep_request_args",
]

SSIN = "85073003328"
CERT_SUBJECT = "benchmark"
WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"


def peer(module: str) -> Any:
    """A module of a peer library (zeep, xmlsec: untyped), typed as ``Any``."""
    return importlib.import_module(module)


@cache
def test_certificate() -> Any:
    """A throw-away RSA-2048 certificate and key (the SDK's test helper), cached."""
    from cbss_sdk.testing import make_test_certificate

    return make_test_certificate()


def sdk_credentials() -> Any:
    """The SDK credentials of :func:`test_certificate`."""
    return _credentials()


@cache
def _credentials() -> Any:
    return test_certificate().credentials()


def key_pem() -> bytes:
    from cryptography.hazmat.primitives import serialization

    key = sdk_credentials().private_key
    return bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def cert_pem() -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(sdk_credentials().certificate.public_bytes(serialization.Encoding.PEM))


@cache
def xmlsec_key() -> Any:
    """The private key and certificate as one ``xmlsec.Key``, loaded once."""
    xmlsec = peer("xmlsec")
    key = xmlsec.Key.from_memory(key_pem(), xmlsec.constants.KeyDataFormatPem, None)
    key.load_cert_from_memory(cert_pem(), xmlsec.constants.KeyDataFormatPem)
    return key


class TimestampPlugin:
    """A zeep WS-Security plugin adding ``wsu:Timestamp`` (5 minutes) to the Security header."""

    def apply(self, envelope: Any, headers: Any) -> tuple[Any, Any]:
        utils = peer("zeep.wsse.utils")
        security = utils.get_security_header(envelope)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        stamp = etree.SubElement(security, f"{{{WSU_NS}}}Timestamp")
        created = etree.SubElement(stamp, f"{{{WSU_NS}}}Created")
        created.text = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        expires = etree.SubElement(stamp, f"{{{WSU_NS}}}Expires")
        expires.text = (now + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        utils.ensure_id(stamp)
        return envelope, headers

    def verify(self, envelope: Any) -> Any:
        return envelope


class PreloadedBinarySignature:
    """zeep's BinarySignature (RSA-SHA256, SHA-256 digests) with the key loaded once."""

    def __init__(self, key: Any) -> None:
        self.key = key

    def apply(self, envelope: Any, headers: Any) -> tuple[Any, Any]:
        xmlsec = peer("xmlsec")
        peer("zeep.wsse.signature")._sign_envelope_with_key_binary(
            envelope, self.key, xmlsec.Transform.RSA_SHA256, xmlsec.Transform.SHA256
        )
        return envelope, headers

    def verify(self, envelope: Any) -> Any:
        return envelope


def wsdl_path() -> str:
    return str(
        reference_dir() / "XSD/be/fgov/kszbcss/intf/RetrieveTIGroupsService/RetrieveTIGroupsV2.wsdl"
    )


@cache
def zeep_client(signed: bool = True, strict: bool = True) -> Any:
    """A zeep client on the official v2 WSDL, signing like the SDK when *signed*.

    ``strict=False`` is zeep's lenient mode: the official samples list some
    National Register elements out of the schema's order, which strict zeep
    refuses (xsdata and the SDK bind by name, in any order).
    """
    zeep = peer("zeep")
    wsse: Any = (
        peer("zeep.wsse.compose").Compose(
            [TimestampPlugin(), PreloadedBinarySignature(xmlsec_key())]
        )
        if signed
        else None
    )
    return zeep.Client(wsdl_path(), wsse=wsse, settings=zeep.Settings(strict=strict))


def zeep_request_args(ssin: str = SSIN) -> dict[str, Any]:
    """The RetrieveTIGroups v2 request the SDK facade sends, as zeep keyword arguments."""
    import uuid

    return {
        "informationCustomer": {
            "ticket": str(uuid.uuid4()),
            "timestampSent": datetime.now(timezone.utc),
            "customerIdentification": {"cbeNumber": "0212344876"},
        },
        "legalContext": "PCSA:SOCIAL_INQUIRY",
        "searchInformation": {"ssin": ssin, "language": "fr", "history": False},
    }
