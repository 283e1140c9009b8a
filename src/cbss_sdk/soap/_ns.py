"""Namespace URIs and qualified names shared by the SOAP and WS-Security layers.

One place spells each URI, so a typo cannot make a lookup silently miss an
element.  Tags are given in lxml's Clark notation (``{uri}local``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "COMMON_V3_NS",
    "DS_NS",
    "ENVELOPE_NSMAP",
    "SOAP12_ENV_NS",
    "SOAP_BODY",
    "SOAP_ENVELOPE",
    "SOAP_ENV_NS",
    "SOAP_FAULT",
    "SOAP_HEADER",
    "WSSE_NS",
    "WSU_ID",
    "WSU_NS",
]

#: SOAP 1.1 envelope namespace (the protocol every CBSS service speaks).
SOAP_ENV_NS: Final = "http://schemas.xmlsoap.org/soap/envelope/"
#: SOAP 1.2 envelope namespace, recognised only to refuse it clearly.
SOAP12_ENV_NS: Final = "http://www.w3.org/2003/05/soap-envelope"
#: WS-Security 1.0 extension (``wsse:Security``, ``wsse:BinarySecurityToken``).
WSSE_NS: Final = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
#: WS-Security utility (``wsu:Id``, ``wsu:Timestamp``).
WSU_NS: Final = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
#: XML-DSig (``ds:Signature``, ``ds:KeyInfo``).
DS_NS: Final = "http://www.w3.org/2000/09/xmldsig#"
#: CBSS CommonV3 types (its child elements are unqualified: elementFormDefault="unqualified").
COMMON_V3_NS: Final = "http://kszbcss.fgov.be/types/common/v3"

SOAP_ENVELOPE: Final = f"{{{SOAP_ENV_NS}}}Envelope"
SOAP_HEADER: Final = f"{{{SOAP_ENV_NS}}}Header"
SOAP_BODY: Final = f"{{{SOAP_ENV_NS}}}Body"
SOAP_FAULT: Final = f"{{{SOAP_ENV_NS}}}Fault"
WSU_ID: Final = f"{{{WSU_NS}}}Id"

#: Prefixes declared on every Envelope we build; signing later reuses them.
ENVELOPE_NSMAP: Final[Mapping[str, str]] = MappingProxyType({"soapenv": SOAP_ENV_NS, "wsu": WSU_NS})
