"""New-generation (SOA) CBSS services: CommonV3 header, status and business errors."""

from ._header import check_legal_context, common_header_fields, new_ticket
from ._protocol import SoaReply, prepare_soa_call
from ._reply import raise_for_status, read_information_cbss, read_status

__all__ = [
    "SoaReply",
    "check_legal_context",
    "common_header_fields",
    "new_ticket",
    "prepare_soa_call",
    "raise_for_status",
    "read_information_cbss",
    "read_status",
]
