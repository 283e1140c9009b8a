"""A call ready to send: what the protocol layers hand to a client.

Protocol layers (SOA, SSDN) turn a facade's arguments into a payload and an
interpret function without knowing whether the client is sync or async; the
facade machinery then runs the same prepared call on either client.  This
is what lets one facade class serve ``CbssClient`` and ``AsyncCbssClient``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import attrs
from lxml import etree

from .transport import CallInfo, Outcome, SoapReply

__all__ = ["PreparedCall"]

T_co = TypeVar("T_co", covariant=True)


@attrs.frozen
class PreparedCall(Generic[T_co]):
    """Everything a client needs for one call: target, payload, and how to read the reply."""

    info: CallInfo
    payload: etree._Element = attrs.field(repr=False)
    interpret: Callable[[SoapReply], Outcome[T_co]] = attrs.field(repr=False)
