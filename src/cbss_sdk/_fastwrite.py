"""Fast serialization of generated models to lxml elements.

Why it exists: xsdata's tree serializer turns a model into a stream of events
that a namespace-tracking writer replays into lxml's SAX builder; for a TX25
reply (what the simulator sends) that costs several milliseconds, and it is
also a third of building a signed request.  This module derives, once per
generated class, a plan from xsdata's own metadata (the same ``XmlContext``)
and builds the lxml tree directly with ``etree.SubElement``.

The contract is *identity*: the element built serializes to exactly the bytes
xsdata's ``TreeSerializer`` gives (same namespace prefixes ``ns0``, ``ns1``…
declared on the same elements, same attribute order), or :class:`Unsupported`
is raised and the caller uses xsdata.  Covered: elements (single or
repeated, complex or simple), attributes and simple content holding the
declared types.  Given up: wildcards, compound fields, sequences, wrappers,
mixed content, nillable fields, ``xsi:type`` (a value whose class is not the
declared one), tokens, QName values, a ``None`` inside a list, a list in a
single field, and anything lxml refuses (xsdata then reports it).
"""

from __future__ import annotations

import threading
from enum import Enum
from typing import Any

from lxml import etree
from xsdata.formats.converter import BoolConverter, ProxyConverter, converter
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.models.elements import XmlMeta, XmlVar
from xsdata.models.datatype import XmlDateTime
from xsdata.utils.collections import is_array
from xsdata.utils.dates import format_offset
from xsdata.utils.namespaces import generate_prefix, split_qname

from ._fastbind import Unsupported

__all__ = ["FastWriter"]

_SIMPLE = 0  # a simple value in an element of its own
_CLASS = 1  # a generated class
_TEXT = 2  # the simple content of the element itself

NsMap = tuple[tuple[str | None, str], ...]

# xsdata's converters by type (a user may register others: they are looked up at each call)
_REGISTRY = converter.registry


class _Plan:
    __slots__ = ("attributes", "children", "cls", "qname", "ready", "supported")

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.ready = False
        self.supported = False
        self.qname = ""
        self.attributes: list[tuple[str, str, str, XmlVar]] = []
        self.children: list[tuple[str, int, str, bool, Any, XmlVar, str | None]] = []


def _encode(value: Any, var: XmlVar) -> str:
    """xsdata's ``encode_primitive`` + ``encode_data`` for the values handled here."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return str(value)
    if isinstance(value, Enum):
        value = value._value_
        if type(value) is str:
            return value
        kind = type(value)
    if value is None or isinstance(value, str) or is_array(value):
        raise Unsupported("value kind")
    # What xsdata's converter does with the converter registered for exactly this type (its
    # first look-up), without its dispatch: booleans, and the types it proxies to ``str``
    # (XmlDateTime, XmlDate, XmlTime, XmlDuration, XmlPeriod).
    registered = _REGISTRY.get(kind)
    if registered is not None:
        registered_kind = type(registered)
        if registered_kind is BoolConverter:
            return "true" if value else "false"
        if registered_kind is ProxyConverter:
            return _datetime_text(value) if kind is XmlDateTime else str(value)
    text = converter.serialize(value, format=var.format)
    if type(text) is not str:
        raise Unsupported("value encoding")
    return text


def _datetime_text(value: XmlDateTime) -> str:
    """``str(value)``, xsdata's text of an ``xs:dateTime``, with one C-level format.

    xsdata formats each field with its own f-string, several microseconds per
    value; the CommonV3 header of every SOA request holds one.  A negative
    year keeps xsdata's own formatting (its sign goes before the padding).
    """
    if value[0] < 0:
        return str(value)
    # one printf-style call formats the six fields (f-strings would format them one by one)
    text = "%04d-%02d-%02dT%02d:%02d:%02d" % value[:6]  # noqa: UP031
    fraction = value[6]
    if fraction:  # nanoseconds, else microseconds, else milliseconds: the shortest exact form
        micro, nano = divmod(fraction, 1000)
        if nano:
            text += f".{fraction:09d}"
        elif micro % 1000:
            text += f".{micro:06d}"
        else:
            text += f".{micro // 1000:03d}"
    offset = value[7]
    if offset is None:
        return text
    return text + ("Z" if offset == 0 else format_offset(offset))


def _supported(meta: XmlMeta) -> bool:
    if meta.wildcards or meta.choices or meta.any_attributes or meta.wrappers:
        return False
    if meta.nillable or meta.mixed_content:
        return False
    for var in meta.get_all_vars():
        if var.sequence is not None or var.nillable or var.tokens or var.mixed:
            return False
        if var.any_type or var.is_clazz_union or var.wrapper_qname or not var.init:
            return False
        if not (var.is_element or var.is_attribute or var.is_text):
            return False
    return not (meta.text is not None and meta.elements)


class FastWriter:
    """Plans for one ``XmlContext``, and the tree building that uses them."""

    def __init__(self, context: XmlContext) -> None:
        self._context = context
        self._plans: dict[type, _Plan] = {}
        # xsdata's prefix maps, interned: an element's map depends only on its parent's map,
        # its namespace and its attributes' namespaces, so each transition is computed once.
        self._map_items: list[NsMap] = [()]
        self._map_ids: dict[NsMap, int] = {(): 0}
        self._transitions: dict[tuple[int, str, tuple[str, ...]], tuple[int, dict[Any, str]]] = {}
        self._lock = threading.Lock()

    def _plan(self, cls: type, namespace: str | None) -> _Plan:
        plan = self._plans.get(cls)
        if plan is None:
            plan = self._plans.setdefault(cls, _Plan(cls))
        if not plan.ready:
            self._compile(plan, namespace)
        return plan

    def _compile(self, plan: _Plan, namespace: str | None) -> None:
        with self._lock:
            if plan.ready:
                return
            # xsdata builds the metadata with the parent element's namespace (cached per class)
            meta = self._context.build(plan.cls, namespace)
            if _supported(meta):
                plan.qname = meta.qname
                plan.attributes = [
                    (var.name, var.qname, split_qname(var.qname)[0] or "", var)
                    for var in meta.get_attribute_vars()
                ]
                children: list[tuple[str, int, str, bool, Any, XmlVar, str | None]] = []
                for var in meta.get_element_vars():
                    if var.is_text:
                        children.append((var.name, _TEXT, "", False, None, var, None))
                        continue
                    kind = _CLASS if var.clazz is not None else _SIMPLE
                    child_ns = split_qname(var.qname)[0]
                    children.append(
                        (var.name, kind, var.qname, var.list_element, var.clazz, var, child_ns)
                    )
                plan.children = children
                plan.supported = True
            plan.ready = True

    def _namespaces(
        self, parent: int, namespace: str | None, attribute_namespaces: tuple[str, ...]
    ) -> tuple[int, dict[Any, str]]:
        """The element's prefix map (interned) and the declarations it carries (xsdata's rules).

        Without a namespace (element and attributes), nothing is added: the
        result is the parent's map and no declaration, which ``_write`` uses
        without asking.
        """
        key = (parent, namespace or "", attribute_namespaces)
        found = self._transitions.get(key)
        if found is None:
            with self._lock:
                inherited = dict(self._map_items[parent])
                current: dict[Any, str] = dict(inherited)
                for uri in (namespace, *attribute_namespaces):
                    if uri and uri not in current.values():
                        generate_prefix(uri, current)
                declared = {p: u for p, u in current.items() if inherited.get(p) != u}
                items = tuple(current.items())
                map_id = self._map_ids.get(items)
                if map_id is None:
                    map_id = self._map_ids[items] = len(self._map_items)
                    self._map_items.append(items)
                found = (map_id, declared)
                self._transitions[key] = found
        return found

    def to_element(self, obj: Any) -> etree._Element:
        """*obj* as a new lxml element, or :class:`Unsupported`."""
        plan = self._plans.get(type(obj))
        if plan is None or not plan.ready:
            plan = self._plan(type(obj), None)  # the root: built without a parent namespace
        try:
            return self._write(obj, plan, plan.qname, split_qname(plan.qname)[0], None, 0)
        except (ValueError, TypeError) as exc:  # e.g. text lxml refuses: xsdata's verdict
            raise Unsupported(type(exc).__name__) from exc

    def _write(
        self,
        obj: Any,
        plan: _Plan,
        qname: str,
        namespace: str | None,
        parent: etree._Element | None,
        parent_map: int,
    ) -> etree._Element:
        if not plan.supported:
            raise Unsupported(plan.cls.__qualname__)
        attrs: dict[str, str] | None = None
        attr_namespaces: tuple[str, ...] = ()
        for name, attr_qname, attr_ns, var in plan.attributes:
            value = getattr(obj, name)
            if value is None:
                continue
            text = _encode(value, var)
            if text.startswith("{"):
                raise Unsupported("attribute value that may read as a type name")
            if attrs is None:
                attrs = {}
            attrs[attr_qname] = text
            if attr_ns:
                attr_namespaces += (attr_ns,)
        transitions = self._transitions
        plans = self._plans
        sub_element = etree.SubElement
        if parent is not None and not namespace and not attr_namespaces:
            # no namespace to declare: the parent's prefix map, unchanged (see _namespaces)
            ns_map = parent_map
            element = sub_element(parent, qname, attrs)
        else:
            found = transitions.get((parent_map, namespace or "", attr_namespaces))
            if found is None:
                found = self._namespaces(parent_map, namespace, attr_namespaces)
            ns_map, declared = found
            if parent is None:
                element = etree.Element(qname, attrs, nsmap=declared)
            else:
                element = sub_element(parent, qname, attrs, nsmap=declared)
        for name, kind, child_qname, many, clazz, var, child_ns in plan.children:
            value = getattr(obj, name)
            if value is None:
                continue
            if kind == _TEXT:
                text = value if type(value) is str else _encode(value, var)
                if text:
                    element.text = text
                continue
            items: list[Any]
            if many:
                if type(value) is not list:
                    raise Unsupported("a list field holding something else")
                items = value
            elif type(value) is list:
                raise Unsupported("a list in a single field")
            elif kind == _CLASS:  # one object: the common case, without a list around it
                if type(value) is not clazz:
                    raise Unsupported("xsi:type or a value of another type")
                sub = plans.get(clazz)
                if sub is None or not sub.ready:
                    sub = self._plan(clazz, namespace)
                self._write(value, sub, child_qname, child_ns, element, ns_map)
                continue
            else:  # one simple value
                if child_ns:
                    found = transitions.get((ns_map, child_ns, ()))
                    if found is None:
                        found = self._namespaces(ns_map, child_ns, ())
                    child = sub_element(element, child_qname, None, nsmap=found[1])
                else:  # unqualified: nothing to declare
                    child = sub_element(element, child_qname)
                text = value if type(value) is str else _encode(value, var)
                if text:
                    child.text = text
                continue
            if kind == _CLASS:
                for item in items:
                    if type(item) is not clazz:
                        raise Unsupported("xsi:type or a value of another type")
                    sub = plans.get(clazz)
                    if sub is None or not sub.ready:
                        # xsdata passes the namespace of the element being written
                        sub = self._plan(clazz, namespace)
                    self._write(item, sub, child_qname, child_ns, element, ns_map)
                continue
            found = transitions.get((ns_map, child_ns or "", ()))
            if found is None:
                found = self._namespaces(ns_map, child_ns, ())
            child_declared = found[1]
            for item in items:
                if item is None:
                    raise Unsupported("None in a list")
                child = sub_element(element, child_qname, None, nsmap=child_declared)
                text = item if type(item) is str else _encode(item, var)
                if text:
                    child.text = text
        return element
