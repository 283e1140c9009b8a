"""Binding a large reply while it is parsed, so that its lxml tree never exists whole.

Why it exists: the lxml tree of a reply costs about thirteen times the reply's
size in memory (a 10 MB TX25 reply with a long history: 134 MB), and the
ordinary path (:func:`~cbss_sdk.soap.read_soap_response`, then
:func:`~cbss_sdk._binding.bind`) holds the whole tree, because a signature is
verified on the tree as received.  A reply that is not going to be verified
does not need its tree: this module binds it from the bytes.

How.  The bytes go through a feed parser with exactly the settings of
:func:`~cbss_sdk.soap.parse_xml`, fed 64 KiB at a time, which reports (in C,
by tag) only the start of the elements that may be *items*: entries of a list
of generated objects (the history entries that make a reply big) that are not
inside another item.  When one begins, its place in the model is found from
its ancestors with the plans of :mod:`cbss_sdk._fastbind` and the rules of
its walk (a known element, the first occurrence of a single element, no
delegation to xsdata).  As soon as anything after it begins, the item is
complete: it is bound by the fast binder's own walk, its object is put aside
for the list it belongs to, and the element is removed from the tree with
its trailing whitespace.  When the document is complete, what remains — the
envelope, the Header, the payload without its items — is checked as
:func:`~cbss_sdk.soap.read_soap_response` checks a reply (SOAP 1.1 Envelope,
one Body, no Fault) and bound by the same walk, which takes the lists put
aside where the items were.  The result is the object the tree path builds.
The parts a protocol layer reads from the tree (the Header; the payload's
``informationCBSS`` and ``status``, named in *keep*) stay whole in that
skeleton.  Whitespace between elements goes with the items it follows: it
only matters to a signature, which a streamed reply never has checked.

Anything unusual makes the run give up (:meth:`StreamBinder.bind_reply`
returns ``None``) and nothing of it is used: the caller then takes the tree
path, which gives the reference result or the typed error.  That covers a
malformed or hostile document (the parser's own errors, any DOCTYPE, a
declared encoding other than UTF-8, a depth cap stricter than libxml2's), a
reply that is not a SOAP 1.1 envelope with the expected payload, a Fault, a
signature when the caller would verify it, and whatever the fast binder does
not bind itself (``xsi:type``, a value that does not convert, a missing
required field...).

The hand-over to the client (:class:`StreamingInterpreter`,
:class:`StreamInput`, :class:`StreamedReply`, :data:`STREAM_MIN_BYTES`) lives
here too; the module imports the binding machinery only on first use.
"""

from __future__ import annotations

import abc
import logging
import threading
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

import attrs
import httpx
from lxml import etree

from .soap import SoapMessage, find_fault, read_envelope
from .soap._ns import DS_NS, SOAP_BODY, SOAP_ENVELOPE, SOAP_HEADER, WSSE_NS
from .soap._xml import XmlLimits, hardened_pull_parser, parser_enforces_depth, sniff_prolog
from .transport._call import Outcome, SoapReply
from .wsse._verify import signature_present

if TYPE_CHECKING:
    from ._fastbind import FastBinder, Plan, Prebound

__all__ = [
    "STREAM_MIN_BYTES",
    "StreamBinder",
    "StreamInput",
    "Streamed",
    "StreamedReply",
    "StreamingInterpreter",
    "stream_bind",
]

T_co = TypeVar("T_co", covariant=True)

logger = logging.getLogger("cbss_sdk.binding")

#: Replies at least this large (bytes) are bound while parsed when nothing is verified on
#: them; smaller ones take the tree path, which is faster on small documents (a tree of
#: 512 KiB is about 7 MB, which no one needs to save).
STREAM_MIN_BYTES: Final = 512 * 1024

#: Bytes handed to the parser at a time: the events of one chunk are handled before the
#: next is read, so at most one chunk of the document is unprocessed tree.
CHUNK_BYTES: Final = 64 * 1024

_WSSE_SECURITY: Final = f"{{{WSSE_NS}}}Security"
_DS_SIGNATURE: Final = f"{{{DS_NS}}}Signature"
_UTF8_BOM: Final = b"\xef\xbb\xbf"


class _GiveUp(Exception):
    """The run cannot bind this document exactly as the tree path would."""


# --------------------------------------------------------------------------- hand-over


@attrs.frozen
class StreamInput:
    """What the client hands a streaming interpreter: the HTTP answer and the reading rules.

    ``check_signature`` is true when the client would verify a signature that
    is present (``IF_PRESENT``): the interpreter then gives up on a signed
    reply, so that the tree path verifies it.
    """

    status_code: int
    headers: httpx.Headers
    body: bytes = attrs.field(repr=False)
    elapsed: float
    limits: XmlLimits
    check_signature: bool


@attrs.frozen
class StreamedReply(SoapReply):
    """A :class:`~cbss_sdk.transport.SoapReply` whose payload was bound while parsed.

    ``message`` is the skeleton the run leaves: the envelope, the Header and
    the payload element whole, except the list items, which were bound and
    released; ``value`` is the bound payload (what :func:`bind` would return
    for ``message.payload`` of the whole tree); ``signature`` is ``None``.
    """

    value: Any = attrs.field(repr=False, kw_only=True)


class StreamingInterpreter(abc.ABC, Generic[T_co]):
    """An interpret function that can also read a large reply from its bytes.

    Called like any interpret function (``interpret(reply)``, the tree path);
    :meth:`interpret_stream` is offered the reply first when the client does
    not verify it and it is large (:data:`STREAM_MIN_BYTES`).
    """

    @abc.abstractmethod
    def __call__(self, reply: SoapReply) -> Outcome[T_co]:
        """Interpret a reply read as a tree."""

    @abc.abstractmethod
    def interpret_stream(self, received: StreamInput) -> Outcome[T_co] | None:
        """Interpret the reply from its bytes, or ``None``: the client takes the tree path.

        Returns ``None`` only before anything is decided (nothing was raised,
        nothing is half done); a business error of a reply that did bind is
        raised as the tree path raises it.
        """


# --------------------------------------------------------------------------- the binder


@attrs.frozen
class Streamed:
    """A reply bound while parsed: the skeleton ``message``, the bound ``value``.

    ``items`` counts the list items bound and released during the parse.
    """

    message: SoapMessage
    value: Any = attrs.field(repr=False)
    items: int


def _plain_utf8(data: bytes, limits: XmlLimits) -> bool:
    """Whether :func:`parse_xml` would read *data* as the run does (else: the tree path)."""
    if len(data) > limits.max_bytes or not parser_enforces_depth(limits):
        return False
    head = data[:256].removeprefix(_UTF8_BOM).lstrip(b" \t\r\n")
    if not head.startswith(b"<") or b"\x00" in head:  # UTF-16/32 and the like: tree path
        return False
    prolog = sniff_prolog(data[:4096])
    if prolog.kind != "element":
        return False
    return prolog.encoding is None or prolog.encoding.strip().lower() in ("utf-8", "utf8")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class StreamBinder:
    """Streams replies through the plans of one :class:`~cbss_sdk._fastbind.FastBinder`."""

    def __init__(self, binder: FastBinder) -> None:
        self._binder = binder
        self._tags: dict[tuple[type, frozenset[str]], frozenset[str] | None] = {}
        self._lock = threading.Lock()

    def item_tags(self, cls: type, keep: Collection[str] = ()) -> frozenset[str] | None:
        """Tags of the list items of *cls*'s model not inside another item; ``None``: none.

        Those are the elements a run binds and releases one by one (an item
        inside another is bound with it); the root's children named in *keep*
        (local names) are left whole, so their lists do not count.  Compiles
        every plan reachable from *cls* on first use, as the walks of a large
        reply would anyway.
        """
        key = (cls, frozenset(keep))
        try:
            return self._tags[key]
        except KeyError:
            pass
        from ._fastbind import CLASS

        with self._lock:
            if key in self._tags:
                return self._tags[key]
            tags: set[str] = set()
            plans = self._binder.graph(cls)
            if plans is not None and not plans[0].delegate:
                root = plans[0]
                seen = {cls}
                pending = [root]
                while pending:
                    plan = pending.pop()
                    if plan.delegate:
                        continue
                    for tag, (_name, kind, sub, many, _ns) in plan.children.items():
                        if kind != CLASS or (plan is root and _local(tag) in key[1]):
                            continue
                        if many:
                            tags.add(tag)
                        elif sub.cls not in seen:
                            seen.add(sub.cls)
                            pending.append(sub)
            found = frozenset(tags) or None
            self._tags[key] = found
            return found

    def bind_reply(
        self,
        data: bytes,
        cls: type,
        *,
        expected: str,
        limits: XmlLimits,
        check_signature: bool,
        keep: Collection[str] = (),
        strict: bool = False,
    ) -> Streamed | None:
        """Bind the payload of the SOAP reply *data* to *cls* while parsing it.

        *expected* is the payload's tag; *keep* local names of payload
        children left whole in the skeleton (with everything inside them).
        ``None`` whenever the run gives up (see the module docstring): the
        caller takes the tree path.  Never raises for what the document holds.
        """
        if not isinstance(data, bytes) or not _plain_utf8(data, limits):
            return None
        try:
            tags = self.item_tags(cls, keep)
            if tags is None:
                return None  # no lists: nothing would be released, the tree path is faster
            run = _Run(self._binder, cls, tags, expected, frozenset(keep), check_signature, strict)
            for start in range(0, len(data), CHUNK_BYTES):
                run.feed(data[start : start + CHUNK_BYTES])
            return run.finish()
        except Exception as exc:  # any doubt: the tree path decides, result or typed error
            why = exc.args[0] if isinstance(exc, _GiveUp) else type(exc).__name__
            logger.debug("streaming bind of %s gave up (%s): read as a tree", cls.__name__, why)
            return None


# Path states above the payload (a plan below it).
_ENVELOPE: Final = "envelope"
_BODY: Final = "body"
_INSIDE: Final = "inside"  # in a list item: bound by the walk of that item
_State = Any  # Plan | _ENVELOPE | _BODY | _INSIDE | None (where the walk does not bind)


class _Run:
    """One document streamed: the parser and what is known of the current position."""

    __slots__ = (
        "_binder",
        "_check_signature",
        "_class_kind",
        "_expected",
        "_item",
        "_item_entry",
        "_keep",
        "_parser",
        "_path",
        "_plan",
        "_strict",
        "items",
        "payload",
        "prebound",
        "root",
    )

    def __init__(
        self,
        binder: FastBinder,
        cls: type,
        tags: frozenset[str],
        expected: str,
        keep: frozenset[str],
        check_signature: bool,
        strict: bool,
    ) -> None:
        from ._fastbind import CLASS

        self._binder = binder
        self._class_kind = CLASS
        self._plan: Plan = binder.plan(cls)
        self._expected = expected
        self._keep = keep
        self._check_signature = check_signature
        self._strict = strict
        watched = tags | {_DS_SIGNATURE} if check_signature else tags
        self._parser = hardened_pull_parser(events=("start",), tag=sorted(watched))
        #: Ancestors of the last item's parent, document root first, with their states.
        self._path: list[tuple[etree._Element, _State]] = []
        #: The last item begun, not bound yet, and where its object goes.
        self._item: etree._Element | None = None
        self._item_entry: tuple[etree._Element, str, Plan, str | None] | None = None
        self.prebound: Prebound = {}
        self.payload: etree._Element | None = None
        self.root: etree._Element | None = None
        self.items = 0

    # -- parsing ------------------------------------------------------------------------

    def feed(self, chunk: bytes) -> None:
        """Parse *chunk* and bind the items it completes."""
        self._parser.feed(chunk)
        for _event, element in self._parser.read_events():
            item = self._item
            if item is not None:
                if self._within(element, item):
                    continue  # the item's own walk binds everything in it
                self._bind(item)  # an element after the item began: the item is complete
            self._started(element)

    def finish(self) -> Streamed:
        """Close the parse, check the skeleton as a reply, bind it; raise when giving up."""
        root: etree._Element = self._parser.close()
        if self._item is not None:
            self._bind(self._item)
        if root.getroottree().docinfo.internalDTD is not None:
            raise _GiveUp("DOCTYPE")
        message = read_envelope(root)
        if find_fault(message) is not None:
            raise _GiveUp("fault")
        if self._check_signature and signature_present(message.envelope):
            raise _GiveUp("signed")
        payload = message.payload
        if payload is None or payload.tag != self._expected:
            raise _GiveUp("payload")
        if self.payload is not None and self.payload is not payload:
            raise _GiveUp("items bound outside the payload")
        binder = self._binder
        value = binder.walk(
            payload, binder.ensure(self._plan, None), self._strict, None, self.prebound
        )
        if self.prebound:  # a list bound ahead that the walk did not reach: not the tree's result
            raise _GiveUp("unclaimed items")
        return Streamed(message, value, self.items)

    # -- items --------------------------------------------------------------------------

    def _started(self, element: etree._Element) -> None:
        """An element with a watched tag begins: note it if it is an item."""
        tag: str = element.tag  # type: ignore[assignment]  # the parser reports elements only
        if tag == _DS_SIGNATURE and self._check_signature and _in_security_header(element):
            raise _GiveUp("signed")
        parent = element.getparent()
        if parent is None:
            return
        path = self._path
        state = path[-1][1] if path and path[-1][0] is parent else self._state(parent)
        if state is None or state.__class__ is str:
            return  # not where the walk binds with a plan
        entry = state.children.get(tag)
        if entry is None:
            return
        name, kind, sub, many, namespace = entry
        if not many or kind != self._class_kind:
            return  # a single element, or a list of simple values: bound by the last walk
        if parent is self.payload and _local(tag) in self._keep:
            return
        self._item = element
        self._item_entry = (parent, name, sub, namespace)

    def _within(self, element: etree._Element, item: etree._Element) -> bool:
        """Whether *element* (begun after *item*) is inside it."""
        assert self._item_entry is not None
        outside = self._item_entry[0]  # the item's parent
        node = element.getparent()
        while node is not None and node is not outside:
            if node is item:
                return True
            node = node.getparent()
        return False

    def _bind(self, element: etree._Element) -> None:
        """The item begun last is complete: bind it, put its object aside, release it.

        Complete and followed by something, so its trailing whitespace is
        complete too: it goes with the element.
        """
        assert self._item_entry is not None
        parent, name, sub, namespace = self._item_entry
        self._item = self._item_entry = None
        binder = self._binder
        value = binder.walk(element, binder.ensure(sub, namespace), self._strict, namespace, None)
        lists = self.prebound.get(parent)
        if lists is None:
            self.prebound[parent] = {name: [value]}
        else:
            found = lists.get(name)
            if found is None:
                lists[name] = [value]
            else:
                found.append(value)
        parent.remove(element)
        self.items += 1

    # -- where an element sits ----------------------------------------------------------

    def _state(self, parent: etree._Element) -> _State:
        """How the walk binds *parent*: its plan, a marker, ``None`` (not with a plan).

        The path keeps the ancestors last looked up whose state is a plan or an
        envelope marker, document root first; an element inside an item, or
        where the walk does not go, is answered without being added to it.
        """
        path = self._path
        chain: list[etree._Element] = []
        node: etree._Element | None = parent
        depth = -1
        while node is not None:
            depth = _position(path, node)
            if depth >= 0:
                break
            chain.append(node)
            node = node.getparent()
        del path[depth + 1 :]
        state: _State = path[depth][1] if depth >= 0 else None
        for node in reversed(chain):
            state = self._descend(node, state, len(path))
            if state is None or state is _INSIDE:
                return state
            path.append((node, state))
        return state

    def _descend(self, node: etree._Element, state: _State, depth: int) -> _State:
        """The state of *node*, child of an element in *state* (*depth*: node's, root = 0)."""
        tag: str = node.tag  # type: ignore[assignment]
        if depth == 0:
            if tag != SOAP_ENVELOPE:
                raise _GiveUp("not a SOAP 1.1 envelope")
            self.root = node
            return _ENVELOPE
        if state is _ENVELOPE:
            return _BODY if tag == SOAP_BODY else None
        if state is _BODY:
            if next(node.itersiblings(etree.Element, preceding=True), None) is not None:
                return None  # not the payload (the first element of the Body)
            if tag != self._expected:
                raise _GiveUp("unexpected payload")  # a Fault, another reply: the tree path
            self.payload = node
            plan = self._binder.ensure(self._plan, None)
            if plan.delegate:
                raise _GiveUp("payload bound by xsdata")
            return plan
        entry = state.children.get(tag)
        if entry is None:
            return None  # unknown: the walk skips it
        _name, kind, sub, many, namespace = entry
        if kind != self._class_kind:
            return None  # a simple value holding elements: the walk gives up on it
        if depth == 3 and _local(tag) in self._keep:
            return None  # left whole for the protocol layer
        if many:
            return _INSIDE
        if next(node.itersiblings(tag, preceding=True), None) is not None:
            return None  # a second occurrence of a single element: the walk skips it
        plan = self._binder.ensure(sub, namespace)
        return None if plan.delegate else plan


def _position(path: list[tuple[etree._Element, _State]], node: etree._Element) -> int:
    for index in range(len(path) - 1, -1, -1):
        if path[index][0] is node:
            return index
    return -1


def _in_security_header(signature: etree._Element) -> bool:
    security = signature.getparent()
    header = security.getparent() if security is not None else None
    return (
        security is not None
        and security.tag == _WSSE_SECURITY
        and header is not None
        and header.tag == SOAP_HEADER
    )


# --------------------------------------------------------------------------- shared instance

_shared: StreamBinder | None = None


def stream_bind(
    data: bytes,
    cls: type,
    *,
    expected: str,
    limits: XmlLimits,
    check_signature: bool,
    keep: Collection[str] = (),
) -> Streamed | None:
    """:meth:`StreamBinder.bind_reply` on the plans :func:`~cbss_sdk._binding.bind` uses."""
    global _shared
    if _shared is None:
        from ._binding import shared_fast_binder

        _shared = StreamBinder(shared_fast_binder())
    return _shared.bind_reply(
        data, cls, expected=expected, limits=limits, check_signature=check_signature, keep=keep
    )
