"""Large SOA replies read while parsed: the SOA side of :mod:`cbss_sdk._streambind`.

Why it exists: a SOA reply of megabytes (a TX25 with a long history) costs
about thirteen times its size as an lxml tree.  When the client verifies
nothing on the reply, :class:`SoaInterpreter` binds its payload while it is
parsed, then hands the SOA interpret function (the one
:func:`~cbss_sdk.soa.prepare_soa_call` writes) a
:class:`~cbss_sdk._streambind.StreamedReply`: its payload element is the
skeleton the run left, with ``informationCBSS`` and ``status`` whole, so the
tickets, the status and the business errors are read by the very code that
reads them from a whole tree; :func:`bound_payload` hands it the bound model
instead of binding the skeleton.  Every reply the streaming run gives up on
takes the tree path unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from lxml import etree

from .._binding import bind
from .._streambind import StreamedReply, StreamingInterpreter, StreamInput, stream_bind
from ..transport import Outcome, SoapReply
from ._reply import REPLY_PARTS

__all__ = ["SoaInterpreter", "bound_payload", "streaming"]

R = TypeVar("R")
T = TypeVar("T")


class SoaInterpreter(StreamingInterpreter[T]):
    """The interpret function of a SOA call, which also reads large replies from their bytes."""

    __slots__ = ("_expected", "_interpret", "_response_type")

    def __init__(
        self,
        interpret: Callable[[SoapReply], Outcome[T]],
        *,
        expected: str,
        response_type: type[Any],
    ) -> None:
        self._interpret = interpret
        self._expected = expected
        self._response_type = response_type

    def __call__(self, reply: SoapReply) -> Outcome[T]:
        return self._interpret(reply)

    def interpret_stream(self, received: StreamInput) -> Outcome[T] | None:
        streamed = stream_bind(
            received.body,
            self._response_type,
            expected=self._expected,
            limits=received.limits,
            check_signature=received.check_signature,
            keep=REPLY_PARTS,
        )
        if streamed is None:
            return None
        reply = StreamedReply(
            message=streamed.message,
            status_code=received.status_code,
            headers=received.headers,
            signature=None,
            elapsed=received.elapsed,
            raw=received.body,
            value=streamed.value,
        )
        return self._interpret(reply)


def streaming(
    interpret: Callable[[SoapReply], Outcome[T]], *, expected: str, response_type: type[Any]
) -> SoaInterpreter[T]:
    """*interpret* (which binds with :func:`bound_payload`), able to read large replies too."""
    return SoaInterpreter(interpret, expected=expected, response_type=response_type)


def bound_payload(reply: SoapReply, element: etree._Element, response_type: type[R]) -> R:
    """The payload *element* of *reply* bound to *response_type*.

    A streamed reply already holds it (its *element* is only the skeleton
    left by the run); any other reply is bound now.
    """
    if isinstance(reply, StreamedReply) and element is reply.message.payload:
        value: R = reply.value
        return value
    return bind(element, response_type)
