"""Binding between generated models and lxml trees.

Why one module: the xsdata context (class metadata) is expensive to build and
is shared by every call; payloads go out as lxml elements (so the envelope
and the signature stay in lxml) and come back from a tree that was parsed
once by the hardened parser and already had its signature verified.  Binding
walks that tree: it never re-parses bytes.

``bind`` goes through the fast path of :mod:`cbss_sdk._fastbind` (plans
derived from the same xsdata metadata, equal results, several times
faster) and falls back to xsdata's ``XmlParser`` for any document the fast
path does not cover; ``model_to_element``/``model_to_bytes`` likewise go
through :mod:`cbss_sdk._fastwrite` (byte-identical output) before xsdata's
serializers.  xsdata stays the reference for results and errors.  Large
replies that are not verified are bound from their bytes by
:mod:`cbss_sdk._streambind`, on the same plans (:func:`shared_fast_binder`).
"""

from __future__ import annotations

import functools
import logging
from typing import Any, TypeVar

from lxml import etree
from xsdata.exceptions import ParserError
from xsdata.formats.dataclass.context import XmlContext

from ._fastbind import FastBinder, Unsupported
from ._fastwrite import FastWriter
from .errors import ProtocolError

__all__ = ["bind", "model_to_bytes", "model_to_element", "shared_fast_binder"]

logger = logging.getLogger("cbss_sdk.binding")

T = TypeVar("T")

_CONTEXT = XmlContext()
_FAST = FastBinder(_CONTEXT)
_WRITER = FastWriter(_CONTEXT)


# xsdata's parsers and serializers are only the fallback of the fast paths: imported on first
# use, they stay out of the start-up of a process that never needs them.
@functools.cache
def _xsdata_parser(strict: bool) -> Any:
    from xsdata.formats.dataclass.parsers import XmlParser
    from xsdata.formats.dataclass.parsers.config import ParserConfig
    from xsdata.formats.dataclass.parsers.handlers import LxmlEventHandler

    return XmlParser(
        context=_CONTEXT,
        handler=LxmlEventHandler,
        config=ParserConfig(fail_on_unknown_properties=strict, fail_on_unknown_attributes=strict),
    )


@functools.cache
def _tree_serializer() -> Any:
    from xsdata.formats.dataclass.serializers.config import SerializerConfig
    from xsdata.formats.dataclass.serializers.tree import TreeSerializer

    return TreeSerializer(context=_CONTEXT, config=SerializerConfig(xml_declaration=False))


@functools.cache
def _bytes_serializer() -> Any:
    from xsdata.formats.dataclass.serializers import XmlSerializer
    from xsdata.formats.dataclass.serializers.config import SerializerConfig

    return XmlSerializer(
        context=_CONTEXT, config=SerializerConfig(xml_declaration=False, encoding="UTF-8")
    )


def model_to_element(obj: object) -> etree._Element:
    """Serialize a generated model instance to a detached lxml element."""
    try:
        return _WRITER.to_element(obj)
    except Unsupported:
        pass
    tree: Any = _tree_serializer().render(obj)
    if isinstance(tree, etree._ElementTree):
        root: etree._Element = tree.getroot()
        return root
    assert isinstance(tree, etree._Element)
    return tree


def model_to_bytes(obj: object) -> bytes:
    """Serialize a generated model instance to UTF-8 bytes (no XML declaration)."""
    try:
        element = _WRITER.to_element(obj)
    except Unsupported:
        return _bytes_serializer().render(obj).encode("utf-8")  # type: ignore[no-any-return]
    return etree.tostring(element, encoding="UTF-8", xml_declaration=False)


def bind(element: etree._Element, cls: type[T], *, strict: bool = False) -> T:
    """Bind a received element to a generated model class.

    ``strict`` refuses unknown elements and attributes (used by conformance
    tests); the default tolerates them so that a field CBSS adds later does
    not break a production integration.  The element's subtree may be
    consumed (xsdata's fallback clears what it has read): verify signatures
    and read anything else first.
    """
    try:
        return _FAST.bind(element, cls, strict=strict)  # type: ignore[no-any-return]
    except Exception:  # the fast path gave up (or failed): xsdata decides, result or error
        logger.debug("fast binding gave up on %s: xsdata binds it", cls.__name__)
    parser = _xsdata_parser(strict)
    try:
        result: Any = parser.parse(element, cls)
    except (ParserError, ValueError, TypeError) as exc:
        raise ProtocolError(
            f"reply does not match the {cls.__name__} model: {type(exc).__name__}"
        ) from exc
    return result  # type: ignore[no-any-return]


def shared_fast_binder() -> FastBinder:
    """The fast binder (its plans) :func:`bind` uses; the streaming binder shares it."""
    return _FAST
