"""Replies of deterministic SOA handlers, built once and served again with a fresh header.

A TX25 reply for the same person, request and day is the same document every
time but for its CommonV3 header (the echoed ``informationCustomer``, a new
``informationCBSS`` ticket and times, the echoed ``legalContext``).  Building
and serializing the National Register file is most of what the simulator
spends on such a call, so a handler that is a pure function of the population,
of the request and of the day declares a *reply key* (:func:`reply_key`); the
SOA engine then keeps, per simulator and in a bounded LRU:

* the handler's reply model (reused for signed replies, which are signed
  whole every time);
* for unsigned replies, the serialized bytes of everything after the header:
  the reply of a later call is its own freshly serialized header, with those
  bytes spliced in before the payload's end tag.

The splice is only kept when it holds on the call that fills the entry: the
full serialization must equal the header-only serialization with the content
inserted, which shows that the header fields come first and that the content
is written the same with or without them (the writer declares namespaces on
the elements that use them, so a later header with other values does not
change how the content is written; ``tests/test_simulator_replycache.py``
checks cached answers against uncached ones byte for byte).  Only the handler
and the serialization of the content are skipped: every check the simulator
makes (signature, schema, legal context, persona behaviour, integration,
stubs) still runs on every call, and the request log records every call.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

if TYPE_CHECKING:
    from ._registry import SimContext, SimRequest

__all__ = [
    "DEFAULT_REPLY_CACHE_SIZE",
    "CachedReply",
    "ReplyCache",
    "ReplyKey",
    "Same",
    "content_between",
    "handler_reply_key",
    "header_only",
    "reply_key",
    "splice_point",
]

#: Entries a simulator keeps (about 20 KB each for a TX25 reply with history).
DEFAULT_REPLY_CACHE_SIZE = 256

#: ``(context, request) -> key``: what the handler's reply depends on besides the population,
#: or ``None`` when this call's reply must not be cached.
ReplyKey = Callable[["SimContext", "SimRequest"], Hashable | None]

_KEY_ATTRIBUTE = "__cbss_sim_reply_key__"
_BODY_END = b"</soapenv:Body>"
_END_TAG = re.compile(rb"</[^<>/\s]+>")

F = TypeVar("F", bound=Callable[..., object])


def reply_key(key: ReplyKey) -> Callable[[F], F]:
    """Declare a handler deterministic: its reply depends on the population and ``key(ctx, request)``.

    Put it *under* ``@handler``.  The key must cover every part of the request,
    of the context (such as ``ctx.now.date()``) and of the registrations the
    reply depends on; the engine adds the handler and the population itself.
    The handler must build its reply with ``ctx.soa_response`` (the engine
    fills the CommonV3 header of each call) and must not change it afterwards.
    """

    def mark(function: F) -> F:
        setattr(function, _KEY_ATTRIBUTE, key)
        return function

    return mark


def handler_reply_key(function: object) -> ReplyKey | None:
    """The reply key a handler declared with :func:`reply_key`, or ``None``."""
    key = getattr(function, _KEY_ATTRIBUTE, None)
    return key if callable(key) else None


class Same:
    """A key part that is its object's identity (a population need be neither hashable nor
    comparable); it keeps the object alive, so the identity is not reused while cached."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.obj is self.obj


@attrs.frozen
class CachedReply:
    """One deterministic reply: the handler's model, and the content bytes when the splice holds.

    ``base`` is the reply model with every field empty: the per-call header
    is filled into it.  ``content`` is ``None`` when the splice was not proven
    (or replies are signed); the reply is then rebuilt from ``reply``.
    ``outcome`` and ``code`` are what the request log records.
    """

    reply: object = attrs.field(repr=False)
    base: object = attrs.field(repr=False)
    content: bytes | None = attrs.field(repr=False)
    outcome: str
    code: str | None


class ReplyCache:
    """A bounded, thread-safe LRU of :class:`CachedReply` by key."""

    def __init__(self, maxsize: int = DEFAULT_REPLY_CACHE_SIZE) -> None:
        if maxsize < 0:
            raise ValueError("maxsize must be >= 0")
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, CachedReply] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> CachedReply | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, entry: CachedReply) -> None:
        if self.maxsize == 0:
            return
        with self._lock:
            self._items[key] = entry
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


def header_only(reply: Any) -> Any:
    """A copy of the dataclass *reply* with every field ``None`` (the header is filled in later)."""
    empty = {f.name: None for f in dataclasses.fields(reply) if f.init}
    return dataclasses.replace(reply, **empty)


def splice_point(document: bytes) -> int | None:
    """Where the payload's end tag starts in a serialized reply envelope (``None``: no end tag).

    The payload is the only child of ``soapenv:Body``: its end tag is what
    immediately precedes ``</soapenv:Body>``.  A payload written as an empty
    element (``<ns0:x/>``) has none.
    """
    body_end = document.rfind(_BODY_END)
    start = document.rfind(b"</", 0, body_end) if body_end > 0 else -1
    if start < 0 or _END_TAG.fullmatch(document, start, body_end) is None:
        return None
    return start


def content_between(full: bytes, header: bytes) -> bytes | None:
    """The bytes *full* holds beyond *header* before the payload's end tag, when that is all."""
    point = splice_point(header)
    if point is None or len(full) <= len(header):
        return None
    tail = len(header) - point
    if full[:point] != header[:point] or full[len(full) - tail :] != header[point:]:
        return None
    return full[point : len(full) - tail]
