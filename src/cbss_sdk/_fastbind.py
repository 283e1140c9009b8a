"""Fast binding of received lxml trees to the generated models.

Why it exists: xsdata's generic parser binds a tree through an event walk and
a stack of node objects, re-deciding at every element what kind of node to
build; on a TX25 reply that costs about thirty times the XML parse itself.
This module derives, once per generated class, a *plan* from the very binding
metadata xsdata uses (``XmlContext``/``XmlMeta``: element and attribute
qualified names, field names, types, defaults) and binds with one direct
recursive walk over the tree.  No code is written per type: the plans come
from the generated classes at run time, lazily (only the classes a reply
actually contains are compiled), and are cached.

The contract is *equality*: for every document, :func:`fast_bind` returns an
object equal to what ``XmlParser`` (lxml handler, same context and strictness)
returns, or raises :class:`Unsupported` so that the caller falls back to
xsdata.  It covers what the CBSS models use — elements (single or repeated,
primitive or complex), attributes, simple content, ``str``/``int``/enum/date
and every other type through xsdata's own converters — and gives up on the
rest: wildcards, compound fields, mixed content and wrappers are bound by
xsdata for that subtree; ``xsi:type``/``xsi:nil``, a value that does not
convert, anything strict mode refuses, or a missing required field make the
whole document go to xsdata, which then produces the reference result or
error.  The fast path never modifies the tree.

The plans and the walk are shared with the streaming binder
(:mod:`cbss_sdk._streambind`), which binds the repeated parts of a large
reply with this same walk as each one is parsed, then releases them: the walk
takes those already-bound lists (*prebound*) in place of the elements they
came from.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from lxml import etree
from xsdata.exceptions import ConverterError
from xsdata.formats.converter import converter
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.models.elements import XmlMeta, XmlVar

__all__ = ["CLASS", "FastBinder", "Plan", "Prebound", "Unsupported"]

_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_ENUM_CACHE_LIMIT = 256

# Entry kinds of a child element (small ints: compared in the hot loop).
_STR = 0  # primitive str: the element text as is
_CLASS = 1  # a generated class: recurse with its plan
_CONVERT = 2  # any other primitive: a conversion function
CLASS = _CLASS

Convert = Callable[[str], Any]
#: Child entry of a plan: field name, kind, argument (sub-plan, default or converter), list
#: field?, namespace the child's class is built with (the parent's).
Entry = tuple[str, int, Any, bool, "str | None"]
#: Lists bound ahead of the walk, by the element they belong to: {element: {field: [values]}}.
Prebound = dict[Any, dict[str, list[Any]]]


class Unsupported(Exception):
    """The fast path cannot bind this document exactly as xsdata would: use xsdata."""


@functools.cache
def _keep_tree_parser(context: XmlContext, strict: bool) -> Any:
    """xsdata's parser with an lxml handler that leaves the tree intact (no ``clear()``).

    Used for the subtrees the fast path delegates to xsdata; the tree must
    stay whole in case the document as a whole later falls back to xsdata.
    Built on first use: xsdata's parser is not needed until then.
    """
    from xsdata.formats.dataclass.parsers import XmlParser
    from xsdata.formats.dataclass.parsers.config import ParserConfig
    from xsdata.formats.dataclass.parsers.handlers import LxmlEventHandler
    from xsdata.models.enums import EventType

    class KeepTreeHandler(LxmlEventHandler):
        def process_context(
            self, context: Iterable[tuple[str, Any]], ns_map: dict[Any, str]
        ) -> Any:
            parser: Any = self.parser
            for event, element in context:
                if event == EventType.START:
                    parser.start(
                        self.clazz,
                        self.queue,
                        self.objects,
                        element.tag,
                        element.attrib,
                        element.nsmap,
                    )
                elif event == EventType.END:
                    parser.end(self.queue, self.objects, element.tag, element.text, element.tail)
                else:  # start-ns
                    prefix, uri = element
                    parser.register_namespace(ns_map, prefix or None, uri)
            return self.objects[-1][1] if self.objects else None

    return XmlParser(
        context=context,
        handler=KeepTreeHandler,
        config=ParserConfig(fail_on_unknown_properties=strict, fail_on_unknown_attributes=strict),
    )


class Plan:
    """How to bind one generated class (filled on first use)."""

    __slots__ = ("attributes", "children", "cls", "delegate", "ready", "text")

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.ready = False
        self.delegate = False  # bound by xsdata (a feature the fast path does not implement)
        self.children: dict[Any, Entry] = {}
        self.attributes: dict[str, tuple[str, Convert | None]] = {}
        self.text: tuple[str, Convert | None] | None = None


def _int(text: str) -> int:
    try:
        return int(text)
    except (ValueError, TypeError):
        raise Unsupported("int conversion") from None


def _generic(var: XmlVar) -> Convert:
    types = var.types
    fmt = var.format

    def convert(text: str) -> Any:
        try:
            return converter.deserialize(text, types, ns_map=None, format=fmt)
        except ConverterError:
            raise Unsupported("conversion") from None

    return convert


def _enum(tp: type[Enum]) -> Convert:
    """Enum conversion memoized by raw text (xsdata's result depends on the text only)."""
    cache: dict[str, Any] = {}

    def convert(text: str) -> Any:
        member = cache.get(text)
        if member is None:
            try:
                member = converter.deserialize(text, [tp], ns_map=None)
            except ConverterError:
                raise Unsupported("enum conversion") from None
            if len(cache) < _ENUM_CACHE_LIMIT:
                cache[text] = member
        return member

    return convert


def _converter_for(var: XmlVar) -> Convert | None:
    """``None`` for str (the text is the value); raises Unsupported for types not handled."""
    types = var.types
    if len(types) == 1:
        tp = types[0]
        if tp is str:
            return None
        if tp is int:
            return _int
        if isinstance(tp, type) and issubclass(tp, Enum):
            if not all(isinstance(m.value, str) for m in tp):
                raise Unsupported("enum with non-text values")
            return _enum(tp)
    for tp in types:
        if tp.__name__ == "QName" or (isinstance(tp, type) and issubclass(tp, Enum)):
            raise Unsupported("namespace-dependent or union value")
    if bytes in types:
        raise Unsupported("binary value")
    return _generic(var)


def _empty(var: XmlVar) -> Any:
    """xsdata's value for an element without text (PrimitiveNode.bind)."""
    default = var.default
    value = None if callable(default) else default
    if value is None and not var.nillable:
        value = b"" if bytes in var.types else ""
    return value


def _inherits_namespace(cls: type) -> bool:
    """Whether xsdata gives *cls* the namespace of its parent (no ``Meta.namespace`` of its own)."""
    meta = cls.__dict__.get("Meta")
    return meta is None or not hasattr(meta, "namespace")


def _supported(meta: XmlMeta) -> bool:
    if meta.wildcards or meta.choices or meta.any_attributes or meta.wrappers:
        return False
    if meta.mixed_content:
        return False
    for var in meta.get_all_vars():
        if not var.init or var.tokens or var.is_clazz_union or var.any_type:
            return False
        if not (var.is_element or var.is_attribute or var.is_text):
            return False
    return all(len(v) == 1 for v in meta.elements.values())


class FastBinder:
    """Plans for one ``XmlContext``, and the walk that uses them.

    ``strict`` follows xsdata's ``fail_on_unknown_properties`` and
    ``fail_on_unknown_attributes``: an unknown element or attribute makes the
    fast path give up, so that xsdata raises its own error.
    """

    def __init__(self, context: XmlContext) -> None:
        self._context = context
        self._plans: dict[type, Plan] = {}
        self._lock = threading.Lock()

    # -- plans --------------------------------------------------------------------------

    def plan(self, cls: type) -> Plan:
        """The plan of *cls* (not compiled yet if the class was never reached)."""
        plan = self._plans.get(cls)
        if plan is None:
            plan = self._plans.setdefault(cls, Plan(cls))
        return plan

    def ensure(self, plan: Plan, parent_namespace: str | None) -> Plan:
        """*plan*, compiled as a walk reaching it below a parent of *parent_namespace* would."""
        if not plan.ready:
            self._compile(plan, parent_namespace)
        return plan

    def graph(self, cls: type) -> list[Plan] | None:
        """Compile every plan reachable from the root class *cls*; return them, root first.

        A walk compiles a plan when it first reaches the class, below a parent
        whose namespace xsdata hands down to a class without one of its own;
        this compiles them all ahead, in another order.  The order can only
        matter for a class reached below parents of different namespaces whose
        elements take that namespace (no ``namespace`` of their own), directly or
        through such classes below it: then ``None`` is returned, and the walks
        keep compiling in document order.  The shipped models have none (their
        fields all carry their namespace).
        """
        root = self.ensure(self.plan(cls), None)
        reached: dict[type, set[str | None]] = {cls: {None}}
        order = [root]
        pending = [root]
        while pending:
            plan = pending.pop()
            if plan.delegate:
                continue
            for _name, kind, sub, _many, namespace in plan.children.values():
                if kind != _CLASS:
                    continue
                seen = reached.get(sub.cls)
                if seen is not None:
                    seen.add(namespace)
                    continue
                reached[sub.cls] = {namespace}
                order.append(self.ensure(sub, namespace))
                pending.append(sub)
        for found, namespaces in reached.items():
            if len(namespaces) > 1 and self._takes_parent_namespace(found):
                return None
        return order

    def _takes_parent_namespace(self, cls: type) -> bool:
        """Whether an element of *cls*, or of a class below inheriting its namespace, may."""
        if not _inherits_namespace(cls):
            return False
        pending = [cls]
        seen = {cls}
        while pending:
            current = pending.pop()
            meta = self._context.cache.get(current)
            if meta is None:  # never built: building it here would fix its namespace
                return True
            fields = {f.name: f.metadata for f in dataclasses.fields(current)}
            for var in meta.get_all_vars():
                if (var.is_element or var.is_elements or var.is_wildcard) and (
                    "namespace" not in fields.get(var.name, {})
                ):
                    return True
                clazz = var.clazz
                if clazz is not None and clazz not in seen and _inherits_namespace(clazz):
                    seen.add(clazz)
                    pending.append(clazz)
        return False

    def _compile(self, plan: Plan, parent_namespace: str | None) -> None:
        with self._lock:
            if plan.ready:
                return
            # The call xsdata makes when it first reaches the class (``context.fetch`` →
            # ``build(cls, parent_ns)``, cached per class), on the shared context: both see one
            # and the same metadata, whoever builds it first.
            meta = self._context.build(plan.cls, parent_namespace)
            try:
                if not _supported(meta):
                    raise Unsupported(plan.cls.__qualname__)
                children: dict[Any, Entry] = {}
                namespace = meta.namespace
                for qname, (var,) in meta.elements.items():
                    if var.clazz is not None:
                        sub = self.plan(var.clazz)
                        children[qname] = (var.name, _CLASS, sub, var.list_element, namespace)
                        continue
                    convert = _converter_for(var)
                    if convert is None:
                        entry = (var.name, _STR, _empty(var), var.list_element, namespace)
                    else:
                        arg = (convert, _empty(var))
                        entry = (var.name, _CONVERT, arg, var.list_element, namespace)
                    children[qname] = entry
                attributes = {
                    qname: (var.name, _converter_for(var)) for qname, var in meta.attributes.items()
                }
                text = (meta.text.name, _converter_for(meta.text)) if meta.text else None
            except Unsupported:
                plan.delegate = True
            else:
                plan.children = children
                plan.attributes = attributes
                plan.text = text
            plan.ready = True

    # -- binding ------------------------------------------------------------------------

    def bind(self, element: etree._Element, cls: type, *, strict: bool = False) -> Any:
        """Bind *element* to *cls*, or raise :class:`Unsupported`."""
        plan = self._plans.get(cls)
        if plan is None:
            plan = self.plan(cls)
        try:  # the root: xsdata builds its metadata without a parent namespace
            return self._walk(element, plan, strict, None, None)
        except (TypeError, ValueError) as exc:  # e.g. a required field missing: xsdata's verdict
            raise Unsupported(type(exc).__name__) from exc

    def walk(
        self,
        element: etree._Element,
        plan: Plan,
        strict: bool,
        parent_namespace: str | None,
        prebound: Prebound | None,
    ) -> Any:
        """Bind *element* with *plan* (reached below a parent of *parent_namespace*).

        *prebound* holds lists bound ahead of the walk, by the element they
        belong to; each one is taken (and removed from *prebound*) when the
        walk reaches that element.  Raises :class:`Unsupported`, or the
        ``TypeError``/``ValueError`` of a constructor (a required field missing).
        """
        return self._walk(element, plan, strict, parent_namespace, prebound)

    def _delegate(self, element: etree._Element, plan: Plan, strict: bool) -> Any:
        if element.get(f"{_XSI}type") is not None or element.get(f"{_XSI}nil") is not None:
            raise Unsupported("xsi attribute")
        try:
            return _keep_tree_parser(self._context, strict).parse(element, plan.cls)
        except Exception as exc:  # xsdata's verdict is taken on the whole document
            raise Unsupported("delegated subtree failed") from exc

    def _walk(
        self,
        element: etree._Element,
        plan: Plan,
        strict: bool,
        parent_namespace: str | None,
        prebound: Prebound | None,
    ) -> Any:
        if not plan.ready:
            self._compile(plan, parent_namespace)
        if plan.delegate:
            return self._delegate(element, plan, strict)
        kw: dict[str, Any] = {}
        items = element.items()
        if items:
            attributes = plan.attributes
            for key, raw in items:
                found = attributes.get(key)
                if found is None:
                    if strict or key.startswith(_XSI):
                        raise Unsupported("unknown or xsi attribute")
                    continue
                name, convert = found
                kw[name] = raw if convert is None else convert(raw)
        text_var = plan.text
        if text_var is not None:
            text = element.text
            if text is not None:
                name, convert = text_var
                kw[name] = text if convert is None else convert(text)
        if prebound is not None:
            streamed = prebound.pop(element, None)
            if streamed is not None:
                kw.update(streamed)
        children = plan.children
        walk = self._walk
        for child in element:
            entry = children.get(child.tag)
            if entry is None:
                if strict and isinstance(child.tag, str):
                    raise Unsupported("unknown element")
                continue  # unknown element, comment or processing instruction
            name, kind, arg, many, namespace = entry
            if not many and name in kw:
                if strict:
                    raise Unsupported("repeated element")
                continue  # xsdata skips a second occurrence of a single element
            if kind == _CLASS:
                value = walk(child, arg, strict, namespace, prebound)
            else:
                if len(child) and _has_element(child):
                    raise Unsupported("element inside a simple value")
                value = child.text
                if kind == _STR:
                    if value is None:
                        value = arg
                elif value is None:
                    value = arg[1]
                else:
                    value = arg[0](value)
            if many:
                items_list = kw.get(name)
                if items_list is None:
                    kw[name] = [value]
                else:
                    items_list.append(value)
            else:
                kw[name] = value
        return plan.cls(**kw)


def _has_element(element: etree._Element) -> bool:
    return any(isinstance(child.tag, str) for child in element)
