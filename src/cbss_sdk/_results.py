"""What every result carries besides its data: tickets, timestamps, status, warnings.

CBSS support asks for the ticket of a call; a CPAS journal keeps it; a
caller deciding what to show needs the status (data found or not) and any
warnings CBSS attached.  These small records are shared by both protocol
generations so every facade result looks the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import attrs

from .errors import StatusInformation

__all__ = ["CallMeta", "Status", "StatusValue"]

StatusValue = Literal["DATA_FOUND", "NO_DATA_FOUND", "NO_RESULT"]


@attrs.frozen
class CallMeta:
    """Identification of one exchange with CBSS.

    ``customer_ticket`` is the ticket the SDK generated and sent (SOA
    ``informationCustomer/ticket``, SSDN ``Message/Reference``);
    ``cbss_ticket`` the one CBSS assigned (``informationCBSS/ticketCBSS``,
    SSDN ``Message/Ticket``) — quote it to CBSS support.
    """

    service: str
    operation: str
    environment: str
    customer_ticket: str | None = None
    cbss_ticket: str | None = None
    timestamp_sent: datetime | None = None
    timestamp_received: datetime | None = None
    timestamp_reply: datetime | None = None
    legal_context: str | None = None


@attrs.frozen
class Status:
    """The CommonV3 ``status`` of a new-generation reply.

    ``information`` holds CBSS's fieldName/fieldValue pairs as sent (they may
    name the person: they are data, not log text).
    """

    value: StatusValue
    code: str | None = None
    description: str | None = None
    information: tuple[StatusInformation, ...] = ()

    @property
    def data_found(self) -> bool:
        return self.value == "DATA_FOUND"
