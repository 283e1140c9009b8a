"""Namespaces, qualified names and URIs of WS-Security and XML-DSig.

Signing and verification must agree on every URI to the character; spelling
each one once here keeps a typo from making a lookup silently miss an element.
Tags use lxml's Clark notation (``{uri}local``).
"""

from __future__ import annotations

from typing import Final

# The SOAP, WS-Security and XML-DSig namespace URIs are spelled once, in the SOAP layer.
from ..soap._ns import DS_NS as DS_NS
from ..soap._ns import SOAP_BODY as SOAP_BODY
from ..soap._ns import SOAP_ENV_NS as SOAP_ENV_NS
from ..soap._ns import SOAP_ENVELOPE as SOAP_ENVELOPE
from ..soap._ns import SOAP_HEADER as SOAP_HEADER
from ..soap._ns import WSSE_NS as WSSE_NS
from ..soap._ns import WSU_ID as WSU_ID
from ..soap._ns import WSU_NS as WSU_NS

#: SOAP 1.1 envelope namespace (the protocol every CBSS service speaks).
EXC_C14N_NS: Final = "http://www.w3.org/2001/10/xml-exc-c14n#"

SOAP_MUST_UNDERSTAND: Final = f"{{{SOAP_ENV_NS}}}mustUnderstand"

WSSE_SECURITY: Final = f"{{{WSSE_NS}}}Security"
WSSE_BST: Final = f"{{{WSSE_NS}}}BinarySecurityToken"
WSSE_STR: Final = f"{{{WSSE_NS}}}SecurityTokenReference"
WSSE_REFERENCE: Final = f"{{{WSSE_NS}}}Reference"

WSU_TIMESTAMP: Final = f"{{{WSU_NS}}}Timestamp"
WSU_CREATED: Final = f"{{{WSU_NS}}}Created"
WSU_EXPIRES: Final = f"{{{WSU_NS}}}Expires"

DS_SIGNATURE: Final = f"{{{DS_NS}}}Signature"
DS_SIGNED_INFO: Final = f"{{{DS_NS}}}SignedInfo"
DS_C14N_METHOD: Final = f"{{{DS_NS}}}CanonicalizationMethod"
DS_SIGNATURE_METHOD: Final = f"{{{DS_NS}}}SignatureMethod"
DS_REFERENCE: Final = f"{{{DS_NS}}}Reference"
DS_TRANSFORMS: Final = f"{{{DS_NS}}}Transforms"
DS_TRANSFORM: Final = f"{{{DS_NS}}}Transform"
DS_DIGEST_METHOD: Final = f"{{{DS_NS}}}DigestMethod"
DS_DIGEST_VALUE: Final = f"{{{DS_NS}}}DigestValue"
DS_SIGNATURE_VALUE: Final = f"{{{DS_NS}}}SignatureValue"
DS_KEY_INFO: Final = f"{{{DS_NS}}}KeyInfo"

#: ``ValueType`` of an X.509 v3 BinarySecurityToken (X.509 Token Profile 1.0).
X509V3_VALUE_TYPE: Final = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
)
#: ``EncodingType`` of a base64 BinarySecurityToken (SOAP Message Security 1.0).
BASE64_ENCODING_TYPE: Final = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

#: Prefixes of the ``wsse:Security`` header we write.
SECURITY_NSMAP: Final[dict[str | None, str]] = {"wsse": WSSE_NS, "wsu": WSU_NS}
#: Prefix of the ``ds:Signature`` we write.
SIGNATURE_NSMAP: Final[dict[str | None, str]] = {"ds": DS_NS}
