"""Finding children by local name in received trees.

CBSS children are often unqualified (CommonV3 ``elementFormDefault`` is
unqualified) while some senders qualify them; reading by local name is the
tolerant way both the client's protocol layers and the simulator use.  One
helper here instead of one copy per reader.
"""

from __future__ import annotations

from lxml import etree

__all__ = ["child", "child_text", "local_name"]


def local_name(element: etree._Element) -> str:
    """The local name of an element; ``""`` for comments and processing instructions."""
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def child(parent: etree._Element | None, name: str) -> etree._Element | None:
    """The first child element of *parent* whose local name is *name*."""
    if parent is None:
        return None
    for element in parent.iterchildren(etree.Element):
        if local_name(element) == name:
            return element
    return None


def child_text(parent: etree._Element | None, name: str) -> str | None:
    """The stripped text of that child; ``None`` when absent or empty."""
    element = child(parent, name)
    if element is None or element.text is None:
        return None
    return element.text.strip() or None
