"""Binding between generated models and lxml trees.

Why one module: the xsdata context (class metadata) is expensive to build and
is shared by every call; payloads go out as lxml elements (so the envelope
and the signature stay in lxml) and come back from a tree that was parsed
once by the hardened parser and already had its signature verified.  Binding
walks that tree with ``iterwalk``: it never re-parses bytes.
"""

from __future__ import annotations

from typing import Any, TypeVar

from lxml import etree
from xsdata.exceptions import ParserError
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.parsers.handlers import LxmlEventHandler
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig
from xsdata.formats.dataclass.serializers.tree import TreeSerializer

from .errors import ProtocolError

__all__ = ["bind", "model_to_bytes", "model_to_element"]

T = TypeVar("T")

_CONTEXT = XmlContext()
_TREE_SERIALIZER = TreeSerializer(context=_CONTEXT, config=SerializerConfig(xml_declaration=False))
_BYTES_SERIALIZER = XmlSerializer(
    context=_CONTEXT, config=SerializerConfig(xml_declaration=False, encoding="UTF-8")
)
_STRICT = XmlParser(
    context=_CONTEXT,
    handler=LxmlEventHandler,
    config=ParserConfig(fail_on_unknown_properties=True, fail_on_unknown_attributes=True),
)
_LENIENT = XmlParser(
    context=_CONTEXT,
    handler=LxmlEventHandler,
    config=ParserConfig(fail_on_unknown_properties=False, fail_on_unknown_attributes=False),
)


def model_to_element(obj: object) -> etree._Element:
    """Serialize a generated model instance to a detached lxml element."""
    tree: Any = _TREE_SERIALIZER.render(obj)
    if isinstance(tree, etree._ElementTree):
        root: etree._Element = tree.getroot()
        return root
    assert isinstance(tree, etree._Element)
    return tree


def model_to_bytes(obj: object) -> bytes:
    """Serialize a generated model instance to UTF-8 bytes (no XML declaration)."""
    return _BYTES_SERIALIZER.render(obj).encode("utf-8")


def bind(element: etree._Element, cls: type[T], *, strict: bool = False) -> T:
    """Bind a received element to a generated model class.

    ``strict`` refuses unknown elements and attributes (used by conformance
    tests); the default tolerates them so that a field CBSS adds later does
    not break a production integration.  The element's subtree is consumed
    by the walk: verify signatures and read anything else first.
    """
    parser = _STRICT if strict else _LENIENT
    try:
        result: Any = parser.parse(element, cls)
    except (ParserError, ValueError, TypeError) as exc:
        raise ProtocolError(
            f"reply does not match the {cls.__name__} model: {type(exc).__name__}"
        ) from exc
    return result  # type: ignore[no-any-return]
