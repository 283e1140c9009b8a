"""SOAP 1.1 for cbss-sdk: hardened XML parsing, the envelope, faults, and reading HTTP replies.

Everything here works on lxml trees.  Inbound documents go through
:func:`parse_xml` (one hardened parser configuration, no DTDs, size and depth
caps); :func:`read_soap_response` classifies an HTTP reply into a message, a
:class:`~cbss_sdk.errors.SoapFault` or an HTTP error.
"""

from __future__ import annotations

from ._envelope import SoapMessage, build_envelope, read_envelope, serialize_envelope
from ._fault import find_fault, parse_fault
from ._ns import (
    COMMON_V3_NS,
    DS_NS,
    SOAP12_ENV_NS,
    SOAP_BODY,
    SOAP_ENV_NS,
    SOAP_ENVELOPE,
    SOAP_FAULT,
    SOAP_HEADER,
    WSSE_NS,
    WSU_ID,
    WSU_NS,
)
from ._response import looks_like_soap, read_soap_response
from ._xml import DEFAULT_XML_LIMITS, XmlLimits, parse_xml

__all__ = [
    "COMMON_V3_NS",
    "DEFAULT_XML_LIMITS",
    "DS_NS",
    "SOAP12_ENV_NS",
    "SOAP_BODY",
    "SOAP_ENVELOPE",
    "SOAP_ENV_NS",
    "SOAP_FAULT",
    "SOAP_HEADER",
    "WSSE_NS",
    "WSU_ID",
    "WSU_NS",
    "SoapMessage",
    "XmlLimits",
    "build_envelope",
    "find_fault",
    "looks_like_soap",
    "parse_fault",
    "parse_xml",
    "read_envelope",
    "read_soap_response",
    "serialize_envelope",
]
