"""Reading a new-generation (SOA) reply: CBSS ticket, timestamps, status, business errors.

The CommonV3 reply parts are read straight from the verified lxml tree
(children are unqualified), before the payload is bound to its model, so
that a business error is raised with its tickets even when the rest of the
reply would not bind.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from lxml import etree

from .._results import Status, StatusValue
from .._xmlpath import child as _child
from .._xmlpath import child_text as _text
from .._xmlpath import local_name as _local
from .._xmltime import parse_xml_datetime
from ..errors import (
    CbssBusinessError,
    ProtocolError,
    StatusInformation,
    business_error_for_code,
)

__all__ = [
    "REPLY_PARTS",
    "CbssInformation",
    "raise_for_status",
    "read_information_cbss",
    "read_status",
]

#: Local names of the payload children read here (first of each, by local name): a reply
#: bound while parsed keeps them whole for these readers (see :mod:`cbss_sdk.soa._stream`).
REPLY_PARTS: tuple[str, ...] = ("informationCBSS", "status")

_STATUS_VALUES: tuple[StatusValue, ...] = ("DATA_FOUND", "NO_DATA_FOUND", "NO_RESULT")


class CbssInformation:
    """``informationCBSS`` of a reply: CBSS ticket and timestamps."""

    __slots__ = ("ticket", "timestamp_receive", "timestamp_reply")

    def __init__(
        self,
        ticket: str | None,
        timestamp_receive: datetime | None,
        timestamp_reply: datetime | None,
    ) -> None:
        self.ticket = ticket
        self.timestamp_receive = timestamp_receive
        self.timestamp_reply = timestamp_reply


def read_information_cbss(payload: etree._Element) -> CbssInformation:
    block = _child(payload, "informationCBSS")
    return CbssInformation(
        _text(block, "ticketCBSS"),
        parse_xml_datetime(_text(block, "timestampReceive")),
        parse_xml_datetime(_text(block, "timestampReply")),
    )


def _information(parent: etree._Element) -> tuple[StatusInformation, ...]:
    items = []
    for child in parent:
        if _local(child) == "information":
            name = _text(child, "fieldName") or ""
            items.append(StatusInformation(name, _text(child, "fieldValue")))
    return tuple(items)


def read_status(payload: etree._Element) -> Status | None:
    """The ``status`` block, or ``None`` for services whose reply has none (TestConnection)."""
    block = _child(payload, "status")
    if block is None:
        return None
    value = _text(block, "value")
    if value not in _STATUS_VALUES:
        raise ProtocolError("reply status value is not DATA_FOUND, NO_DATA_FOUND or NO_RESULT")
    return Status(
        value=value,
        code=_text(block, "code"),
        description=_text(block, "description"),
        information=_information(block),
    )


def raise_for_status(
    status: Status,
    *,
    error_table: Mapping[str, type[CbssBusinessError]],
    tickets: list[str],
) -> None:
    """Raise the typed business error of a ``NO_RESULT`` status (nothing otherwise).

    A code listed in the service's own table as an error is raised whatever
    the status value says, since some services report refusals that way.
    """
    code = status.code
    if status.value != "NO_RESULT" and not (code and code in error_table):
        return
    cls = business_error_for_code(code, dict(error_table))
    raise cls(
        code=code,
        description=status.description,
        information=status.information,
        status_value=status.value,
        tickets=tickets,
    )
