"""Legacy SSDN CBSS services: SSDNRequest/SSDNReply wrapping through ``sendXML``."""

from ._envelope import (
    ResultSummary,
    ServiceReply,
    SsdnReply,
    build_ssdn_request,
    read_ssdn_reply,
    wrap_xml_string,
)
from ._protocol import SsdnResultParts, prepare_ssdn_call

__all__ = [
    "ResultSummary",
    "ServiceReply",
    "SsdnReply",
    "SsdnResultParts",
    "build_ssdn_request",
    "prepare_ssdn_call",
    "read_ssdn_reply",
    "wrap_xml_string",
]
