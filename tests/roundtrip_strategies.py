"""Hypothesis strategies that build valid instances of the generated models, for any unit.

The strategies are derived generically from the generated dataclasses: xsdata's binding metadata
(``XmlContext``) gives each field's XML kind, type, requiredness and repetition; the field
metadata carries the restrictions (pattern, lengths, bounds, digits, white space); enums become
``sampled_from``.  What xsdata does not keep is read back from our own schema files: the
``xs:choice`` groups (with compound fields off, every alternative becomes an optional field, yet
exactly one must be present), the occurrence of an ``xs:any`` wildcard, the ``fixed`` value of
an element inside a choice, and the built-in type an integer or ``XmlPeriod`` field derives from
(``positiveInteger`` or ``unsignedShort`` leave no trace in the metadata; ``gYearMonth`` and
``gYear`` are both ``XmlPeriod``).  A metadata key, Python type or built-in type this module does
not know raises ``NotImplementedError``: a new facet is never silently ignored.

Namespaces of nested classes.  xsdata caches one ``XmlMeta`` per class in its ``XmlContext``.
A class nested in another (an anonymous complex type) has no namespace of its own: it takes the
namespace of the element it is written in, which xsdata passes as ``parent_ns`` when it reaches
the class from its parent (``XmlContext.build(cls, parent_ns)``).  Building such a class alone
caches metadata without namespace, and every later serialization through that context writes
its children unqualified.  :class:`Strategies` therefore builds metadata only the way the
serializer does, from the root down, on a context of its own; the round-trip tests serialize
and parse on yet another, fresh context per test, so nothing built here can leak into them.

Used as a plain helper module (``from roundtrip_strategies import ...``): pytest's default import
mode puts ``tests/`` on ``sys.path``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from hypothesis import strategies as st
from lxml import etree
from xsdata.formats.converter import converter
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.models.elements import XmlMeta, XmlVar
from xsdata.formats.dataclass.models.generics import AnyElement
from xsdata.models.datatype import XmlDate, XmlDateTime, XmlDuration, XmlPeriod, XmlTime
from xsdata.utils.namespaces import split_qname

XS_NS = "http://www.w3.org/2001/XMLSchema"
XS = f"{{{XS_NS}}}"

# Text that XML 1.0 can carry: no control characters, surrogates or non-characters.
XML_CHARS = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Cn", "Co"), include_characters="\t\n"
)
# Patterns draw from printable ASCII so that "\d" means 0-9 for Python, libxml2 and XSD alike.
PATTERN_CHARS = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
DEFAULT_MAX_TEXT = 12
#: Upper bound for a patterned text without a length facet (the pattern decides below it).
PATTERN_MAX_TEXT = 1024
DEFAULT_INT_SPAN = 10**6
MAX_EXTRA_ITEMS = 2

# Every key the generator may put in a field's metadata that this module understands.  Any other
# key (a facet added by a new schema) fails loudly instead of being ignored.
KNOWN_METADATA = frozenset(
    {
        "name",
        "type",
        "namespace",
        "required",
        "min_occurs",
        "max_occurs",
        "pattern",
        "length",
        "min_length",
        "max_length",
        "white_space",
        "min_inclusive",
        "max_inclusive",
        "min_exclusive",
        "max_exclusive",
        "total_digits",
        "fraction_digits",
    }
)

# Value space of the built-in integer types (None: unbounded on that side).
INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-(2**7), 2**7 - 1),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 2**8 - 1),
}


# --- XSD regular expressions → Python ----------------------------------------------------

_XSD_ESCAPES = {
    r"\p{N}": "[0-9]",
    r"\p{Nd}": "[0-9]",
    r"\p{L}": "[A-Za-z]",
    r"\p{Lu}": "[A-Z]",
    r"\p{Ll}": "[a-z]",
    r"\i": "[A-Za-z_:]",
    r"\c": r"[A-Za-z0-9._:\-]",
}


def python_pattern(xsd_pattern: str) -> str:
    """Translate the XSD regex features our schemas use; fail on anything unknown."""
    out: list[str] = []
    i = 0
    in_class = False
    while i < len(xsd_pattern):
        char = xsd_pattern[i]
        if char == "\\":
            for escape, replacement in _XSD_ESCAPES.items():
                if xsd_pattern.startswith(escape, i):
                    out.append(replacement[1:-1] if in_class else replacement)
                    i += len(escape)
                    break
            else:
                if xsd_pattern[i + 1 : i + 2] in ("p", "P", "I", "C"):
                    raise NotImplementedError(f"XSD escape in pattern {xsd_pattern!r}")
                out.append(xsd_pattern[i : i + 2])
                i += 2
            continue
        if char == "[":
            if in_class and xsd_pattern.startswith("-[", i - 1):
                raise NotImplementedError(f"class subtraction in {xsd_pattern!r}")
            in_class = True
        elif char == "]":
            in_class = False
        elif char in "^$" and not in_class:
            char = "\\" + char  # anchors do not exist in XSD: literal characters
        out.append(char)
        i += 1
    return "".join(out)


# --- what xsdata does not keep: xs:choice groups, xs:any occurrence, built-in types ---------


class Choice(NamedTuple):
    """One xs:choice: its alternatives map element local names to "required in it"."""

    optional: bool
    repeated: bool
    alternatives: tuple[dict[str, bool], ...]


def _owner(node: etree._Element) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None and parent.tag != f"{XS}complexType":
        parent = parent.getparent()
    return parent


def _particles(node: etree._Element, owner: etree._Element) -> Iterator[etree._Element]:
    """xs:element and xs:any particles below ``node`` that belong to ``owner``."""
    for child in node.iter(f"{XS}element", f"{XS}any"):
        if child is not node and _owner(child) is owner:
            yield child


def _local(particle: etree._Element) -> str:
    if particle.tag == f"{XS}any":
        return "##any"
    name = particle.get("name") or particle.get("ref") or ""
    return name.rsplit(":", 1)[-1]


def _required(particle: etree._Element, within: etree._Element) -> bool:
    """Whether ``particle`` must appear once the alternative ``within`` is chosen."""
    node: etree._Element | None = particle
    while node is not None and node is not within.getparent():
        if node.get("minOccurs") == "0":
            return False
        if node.tag == f"{XS}choice" and node is not within:
            return False
        node = node.getparent()
    return True


def _owner_choice(choice: etree._Element) -> etree._Element | None:
    parent = choice.getparent()
    while parent is not None and parent.tag != f"{XS}complexType":
        if parent.tag == f"{XS}choice":
            return parent
        parent = parent.getparent()
    return None


def schema_files(entry: Path) -> list[Path]:
    """The entry schema and every file it imports or includes, transitively."""
    found: list[Path] = []
    pending = [entry.resolve()]
    while pending:
        path = pending.pop()
        if path in found:
            continue
        found.append(path)
        for reference in etree.parse(str(path)).getroot().iter(f"{XS}import", f"{XS}include"):
            location = reference.get("schemaLocation")
            if location:
                pending.append((path.parent / location).resolve())
    return found


def xml_name(cls: type) -> str:
    """The local name xsdata gives a generated class (``Meta.name`` or the class name)."""
    meta = cls.__dict__.get("Meta")
    return getattr(meta, "name", None) or cls.__name__


def target_namespace(cls: type) -> str:
    """The namespace of the schema a top-level generated class comes from.

    The same rule as xsdata's ``target_namespace``, without building (and caching) metadata.
    """
    meta = cls.__dict__.get("Meta")
    for candidate in (
        getattr(meta, "target_namespace", None),
        getattr(sys.modules[cls.__module__], "__NAMESPACE__", None),
        getattr(meta, "namespace", None),
    ):
        if candidate is not None:
            return str(candidate)
    return ""


class SchemaIndex:
    """The global components of one unit's schema files, by qualified name."""

    def __init__(self, entry: Path) -> None:
        self.types: dict[str, etree._Element] = {}
        self.simple_types: dict[str, etree._Element] = {}
        self.elements: dict[str, etree._Element] = {}
        for path in schema_files(entry):
            root = etree.parse(str(path)).getroot()
            namespace = root.get("targetNamespace", "")
            for child in root:
                if child.get("name") is None:
                    continue
                qname = f"{{{namespace}}}{child.get('name')}"
                if child.tag == f"{XS}complexType":
                    self.types[qname] = child
                elif child.tag == f"{XS}simpleType":
                    self.simple_types[qname] = child
                elif child.tag == f"{XS}element":
                    self.elements[qname] = child

    def _resolve(self, node: etree._Element, prefixed: str) -> str:
        prefix, _, local = prefixed.rpartition(":")
        return f"{{{node.nsmap.get(prefix or None, '')}}}{local}"

    def _type_of(self, element: etree._Element) -> etree._Element | None:
        inline = element.find(f"{XS}complexType")
        if inline is not None:
            return inline
        type_name = element.get("type")
        return self.types.get(self._resolve(element, type_name)) if type_name else None

    def complex_type(self, cls: type) -> etree._Element | None:
        """The xs:complexType a generated class was made from."""
        outer_names = cls.__qualname__.split(".")[:-1]
        if outer_names:  # an anonymous type nested in its owner's class
            outer: Any = sys.modules[cls.__module__]
            for name in outer_names:
                outer = getattr(outer, name)
            owner = self.complex_type(outer)
            if owner is None:
                return None
            local = xml_name(cls)
            for base in self._with_bases(owner):
                for particle in _particles(base, base):
                    if particle.get("name") == local:
                        return particle.find(f"{XS}complexType")
            return None
        qname = f"{{{target_namespace(cls)}}}{xml_name(cls)}"
        if qname in self.types:
            return self.types[qname]
        element = self.elements.get(qname)
        return self._type_of(element) if element is not None else None

    def _with_bases(self, complex_type: etree._Element) -> Iterator[etree._Element]:
        yield complex_type
        for extension in complex_type.iter(f"{XS}extension"):
            base = self.types.get(self._resolve(extension, extension.get("base", "")))
            if base is not None and _owner(extension) is complex_type:
                yield from self._with_bases(base)

    def choices(self, cls: type) -> list[Choice]:
        complex_type = self.complex_type(cls)
        assert complex_type is not None, f"no xs:complexType found for {cls.__qualname__}"
        found: list[Choice] = []
        for owner in self._with_bases(complex_type):
            for choice in owner.iter(f"{XS}choice"):
                if _owner(choice) is not owner or _owner_choice(choice) is not None:
                    continue  # nested choices are handled as part of their outer choice
                alternatives = []
                for alternative in choice:
                    if not isinstance(alternative.tag, str) or alternative.tag == f"{XS}annotation":
                        continue
                    members = (
                        [alternative] if alternative.tag in (f"{XS}element", f"{XS}any") else []
                    )
                    members += list(_particles(alternative, owner))
                    alternatives.append({_local(p): _required(p, alternative) for p in members})
                found.append(
                    Choice(
                        optional=choice.get("minOccurs") == "0",
                        repeated=choice.get("maxOccurs", "1") != "1",
                        alternatives=tuple(alternatives),
                    )
                )
        return found

    def wildcard_required(self, cls: type) -> bool:
        complex_type = self.complex_type(cls)
        assert complex_type is not None, f"no xs:complexType found for {cls.__qualname__}"
        return all(
            any_.get("minOccurs") != "0"
            for owner in self._with_bases(complex_type)
            for any_ in _particles(owner, owner)
            if any_.tag == f"{XS}any"
        )

    # built-in simple types

    def declaration(self, cls: type, var: XmlVar) -> etree._Element | None:
        """The xs:element or xs:attribute declaring ``var`` in the complex type of ``cls``."""
        complex_type = self.complex_type(cls)
        assert complex_type is not None, f"no xs:complexType found for {cls.__qualname__}"
        tag = f"{XS}attribute" if var.is_attribute else f"{XS}element"
        for owner in self._with_bases(complex_type):
            for node in owner.iter(tag):
                if _owner(node) is owner and _local(node) == var.local_name:
                    return node
        return None

    def fixed(self, cls: type, var: XmlVar) -> str | None:
        """The ``fixed`` value of the field's declaration: xsdata drops it in an xs:choice."""
        if var.is_text:
            return None
        node = self.declaration(cls, var)
        if node is not None and node.get("fixed") is None and node.get("ref") is not None:
            node = self.elements.get(self._resolve(node, node.get("ref", "")))
        return None if node is None else node.get("fixed")

    def builtin_type(self, cls: type, var: XmlVar) -> str:
        """The local name of the XSD built-in type the value of ``var`` derives from."""
        found: str | None = None
        if var.is_text:
            complex_type = self.complex_type(cls)
            assert complex_type is not None, f"no xs:complexType found for {cls.__qualname__}"
            for owner in self._with_bases(complex_type):
                content = owner.find(f"{XS}simpleContent")
                derivation = None if content is None else content[-1]
                if derivation is not None and derivation.get("base"):
                    found = self._builtin_of_name(derivation, derivation.get("base", ""))
                    break
        else:
            node = self.declaration(cls, var)
            found = None if node is None else self._builtin_of_declaration(node)
        if found is None:
            raise NotImplementedError(
                f"no built-in type found for {cls.__qualname__}.{var.name} in the schema"
            )
        return found

    def _builtin_of_declaration(self, node: etree._Element) -> str | None:
        reference = node.get("ref")
        if reference is not None:
            element = self.elements.get(self._resolve(node, reference))
            return None if element is None else self._builtin_of_declaration(element)
        type_name = node.get("type")
        if type_name is not None:
            return self._builtin_of_name(node, type_name)
        inline = node.find(f"{XS}simpleType")
        return None if inline is None else self._builtin_of_simple(inline)

    def _builtin_of_name(self, node: etree._Element, prefixed: str) -> str | None:
        namespace, local = split_qname(self._resolve(node, prefixed))
        if namespace == XS_NS:
            return str(local)
        simple = self.simple_types.get(f"{{{namespace}}}{local}")
        return None if simple is None else self._builtin_of_simple(simple)

    def _builtin_of_simple(self, simple: etree._Element) -> str | None:
        restriction = simple.find(f"{XS}restriction")
        if restriction is None:  # xs:list or xs:union: no single built-in type
            return None
        base = restriction.get("base")
        if base is not None:
            return self._builtin_of_name(restriction, base)
        inline = restriction.find(f"{XS}simpleType")
        return None if inline is None else self._builtin_of_simple(inline)


# --- scalar strategies from the field metadata -------------------------------------------


def _xml_collapsed(text: str) -> bool:
    return not re.search(r"[\t\n\r]|  |^ | $", text)


def _xml_replaced(text: str) -> bool:
    return not re.search(r"[\t\n\r]", text)


def text_strategy(meta: dict[str, Any]) -> st.SearchStrategy[str]:
    exact = meta.get("length")
    min_size = exact if exact is not None else meta.get("min_length", 0)
    pattern = meta.get("pattern")
    # without a length facet a free text is kept short; a pattern gives its own length (the
    # CommonV3 ticketCBSS UUID is 36 characters)
    unbounded = PATTERN_MAX_TEXT if pattern else max(min_size, DEFAULT_MAX_TEXT)
    max_size = exact if exact is not None else meta.get("max_length", unbounded)
    if pattern:
        # several xs:pattern facets on one type are ORed by xsdata into one pattern
        strategy = st.from_regex(python_pattern(pattern), fullmatch=True, alphabet=PATTERN_CHARS)
        strategy = strategy.filter(lambda s: min_size <= len(s) <= max_size)
    else:
        strategy = st.text(XML_CHARS, min_size=min_size, max_size=max_size)
    white_space = meta.get("white_space")
    if white_space == "collapse":
        strategy = strategy.filter(_xml_collapsed)
    elif white_space == "replace":
        strategy = strategy.filter(_xml_replaced)
    return strategy


def _bounds(
    meta: dict[str, Any], step: Any, convert: Callable[[Any], Any] = lambda v: v
) -> tuple[Any, Any]:
    """Inclusive (low, high) from the range facets and totalDigits; None when unbounded."""
    low = None if meta.get("min_inclusive") is None else convert(meta["min_inclusive"])
    if meta.get("min_exclusive") is not None:
        low = convert(meta["min_exclusive"]) + step
    high = None if meta.get("max_inclusive") is None else convert(meta["max_inclusive"])
    if meta.get("max_exclusive") is not None:
        high = convert(meta["max_exclusive"]) - step
    digits = meta.get("total_digits")
    if digits is not None:
        limit = 10**digits - 1
        high = limit if high is None else min(high, limit)
        low = -limit if low is None else max(low, -limit)
    return low, high


def _window(low: Any, high: Any, span: Any, centre: Any) -> tuple[Any, Any]:
    """Close the open sides of a range with a window of ``span`` (around ``centre`` if both)."""
    if low is None and high is None:
        return centre - span, centre + span
    if low is None:
        return high - span, high
    if high is None:
        return low, low + span
    return low, high


def _tightest(a: Any, b: Any, pick: Callable[[Any, Any], Any]) -> Any:
    return b if a is None else a if b is None else pick(a, b)


def int_strategy(meta: dict[str, Any], builtin: str) -> st.SearchStrategy[int]:
    if builtin not in INTEGER_RANGES:
        raise NotImplementedError(f"an int field of built-in type xs:{builtin}")
    low, high = _bounds(meta, 1)
    type_low, type_high = INTEGER_RANGES[builtin]
    low, high = _tightest(low, type_low, max), _tightest(high, type_high, min)
    low, high = _window(low, high, DEFAULT_INT_SPAN, 0)
    return st.integers(min_value=int(low), max_value=int(high))


def decimal_strategy(meta: dict[str, Any]) -> st.SearchStrategy[Decimal]:
    places = meta.get("fraction_digits", 2)
    low, high = _bounds(meta, Decimal(1).scaleb(-places))
    if meta.get("total_digits") is not None and places:
        # totalDigits counts the fraction digits too: keep room for them
        limit = Decimal(10) ** (meta["total_digits"] - places) - Decimal(1).scaleb(-places)
        low, high = _tightest(low, -limit, max), _tightest(high, limit, min)
    low, high = _window(low, high, Decimal(10**6), Decimal(0))
    return st.decimals(
        min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False
    )


def _no_bounds(meta: dict[str, Any], what: str) -> None:
    bounded = ("min_inclusive", "max_inclusive", "min_exclusive", "max_exclusive")
    present = [k for k in bounded if meta.get(k) is not None]
    if present:
        raise NotImplementedError(f"range facets {present} on a {what} field")


def _as_date(value: Any) -> dt.date:
    return value.to_date() if isinstance(value, XmlDate) else dt.date.fromisoformat(str(value))


def date_strategy(meta: dict[str, Any]) -> st.SearchStrategy[XmlDate]:
    low, high = _bounds(meta, dt.timedelta(days=1), _as_date)
    low = _tightest(low, dt.date(1900, 1, 1), max)
    high = _tightest(high, dt.date(2100, 12, 31), min)
    # no time zone: an offset makes a date only partially ordered against a bound without one
    return st.dates(low, high).map(XmlDate.from_date)


def _month_index(value: Any) -> int:
    period = value if isinstance(value, XmlPeriod) else XmlPeriod(str(value))
    if period.year is None or period.month is None:
        raise NotImplementedError(f"{value!r} as an xs:gYearMonth bound")
    return period.year * 12 + period.month - 1


def period_strategy(meta: dict[str, Any], builtin: str) -> st.SearchStrategy[XmlPeriod]:
    if builtin == "gYearMonth":
        low, high = _bounds(meta, 1, _month_index)
        low = _tightest(low, 1900 * 12, max)
        high = _tightest(high, 2100 * 12 + 11, min)
        return st.integers(low, high).map(lambda i: XmlPeriod(f"{i // 12:04d}-{i % 12 + 1:02d}"))
    if builtin == "gYear":
        low, high = _bounds(meta, 1, lambda v: XmlPeriod(str(v)).year)
        low, high = _tightest(low, 1900, max), _tightest(high, 2100, min)
        return st.integers(low, high).map(lambda y: XmlPeriod(f"{y:04d}"))
    raise NotImplementedError(f"an XmlPeriod field of built-in type xs:{builtin}")


OFFSETS = st.sampled_from([None, 0, 60, 120, -300])


def _datetime(value: dt.datetime, offset: int | None) -> XmlDateTime:
    return XmlDateTime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond * 1000,
        offset,
    )


def datetime_strategy(meta: dict[str, Any]) -> st.SearchStrategy[XmlDateTime]:
    _no_bounds(meta, "dateTime")
    return st.builds(
        _datetime, st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31)), OFFSETS
    )


def time_strategy(meta: dict[str, Any]) -> st.SearchStrategy[XmlTime]:
    _no_bounds(meta, "time")
    return st.times().map(XmlTime.from_time)


def duration_strategy(meta: dict[str, Any]) -> st.SearchStrategy[XmlDuration]:
    _no_bounds(meta, "duration")
    parts = st.tuples(st.integers(0, 99), st.integers(0, 11), st.integers(0, 30), st.booleans())
    return parts.map(lambda p: XmlDuration(f"{'-' if p[3] else ''}P{p[0]}Y{p[1]}M{p[2]}D"))


def float_strategy(meta: dict[str, Any]) -> st.SearchStrategy[float]:
    _no_bounds(meta, "float")
    return st.floats(-1e6, 1e6, allow_nan=False, width=32)


WILDCARD = st.builds(
    AnyElement,
    qname=st.just("{urn:cbss-sdk:test}Payload"),
    text=st.text(PATTERN_CHARS.filter(str.isalnum), min_size=1, max_size=8),
)


def field_metadata(cls: type) -> dict[str, dict[str, Any]]:
    found = {f.name: dict(f.metadata) for f in dataclasses.fields(cls)}
    for name, meta in found.items():
        unknown = set(meta) - KNOWN_METADATA
        if unknown:
            raise NotImplementedError(f"{cls.__qualname__}.{name}: metadata {sorted(unknown)}")
    return found


def required_fields(cls: type) -> set[str]:
    """Fields without a default: the generator's way of saying minOccurs >= 1 (or use=required)."""
    return {
        f.name
        for f in dataclasses.fields(cls)
        if f.metadata.get("required")
        or (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        or f.metadata.get("min_occurs", 0) >= 1
    }


# --- strategies for the generated classes -------------------------------------------------


class Strategies:
    """Builds (and caches) one strategy per generated class of one unit.

    ``context`` holds the metadata built on the way; by default a context of its own.  Give it
    one that serializes nothing else, see the module docstring.
    """

    def __init__(self, index: SchemaIndex, context: XmlContext | None = None) -> None:
        self.index = index
        self.context = context if context is not None else XmlContext()
        self.cache: dict[type, st.SearchStrategy[Any]] = {}
        self.parent_namespaces: dict[type, str | None] = {}  # of the first use of a class
        self.visited: set[tuple[type, str | None]] = set()  # (class, its element's namespace)
        self.building: set[type] = set()

    def value(self, owner: type, var: XmlVar, meta: dict[str, Any]) -> st.SearchStrategy[Any]:
        fixed = self.index.fixed(owner, var)
        if fixed is not None:
            return st.just(converter.deserialize(fixed, var.types))
        options: list[st.SearchStrategy[Any]] = []
        for tp in var.types:
            if isinstance(tp, type) and issubclass(tp, enum.Enum):
                options.append(st.sampled_from(list(tp)))
            elif tp is str:
                options.append(text_strategy(meta))
            elif tp is bool:
                options.append(st.booleans())
            elif tp is int:
                options.append(int_strategy(meta, self.index.builtin_type(owner, var)))
            elif tp is Decimal:
                options.append(decimal_strategy(meta))
            elif tp is float:
                options.append(float_strategy(meta))
            elif tp is XmlDate:
                options.append(date_strategy(meta))
            elif tp is XmlDateTime:
                options.append(datetime_strategy(meta))
            elif tp is XmlTime:
                options.append(time_strategy(meta))
            elif tp is XmlDuration:
                options.append(duration_strategy(meta))
            elif tp is XmlPeriod:
                options.append(period_strategy(meta, self.index.builtin_type(owner, var)))
            else:
                raise NotImplementedError(f"no strategy for {tp!r} ({var.name})")
        return st.one_of(options)

    def field(
        self,
        owner: type,
        var: XmlVar,
        meta: dict[str, Any],
        required: bool,
        namespace: str | None,
    ) -> st.SearchStrategy[Any]:
        """Values of one field of ``owner``, an element written in ``namespace``."""
        if var.is_wildcard:
            needed = required or self.index.wildcard_required(owner)
            item = WILDCARD
            if var.list_element:
                return st.lists(item, min_size=1 if needed else 0, max_size=MAX_EXTRA_ITEMS)
            return item if needed else st.none() | item
        if var.clazz is not None and var.clazz in self.building:
            if required:
                raise NotImplementedError(f"required recursion through {var.clazz.__name__}")
            return st.just([]) if var.list_element else st.none()
        if var.clazz is not None:
            # the serializer builds a child's metadata with the namespace of the element
            # it is writing (its parent): so do we
            item = self.for_class(var.clazz, namespace, var.qname)
        else:
            item = self.value(owner, var, meta)
        if var.list_element:
            low = meta.get("min_occurs", 1 if required else 0)
            low = max(low, 1) if required else low
            high = min(meta.get("max_occurs", low + MAX_EXTRA_ITEMS), low + MAX_EXTRA_ITEMS)
            return st.lists(item, min_size=low, max_size=high)
        if required:
            return item
        return st.none() | item

    def for_class(
        self, cls: type, parent_ns: str | None = None, qname: str | None = None
    ) -> st.SearchStrategy[Any]:
        """Instances of ``cls`` written as the element ``qname``, child of one in ``parent_ns``.

        Both None for a root element (written under its own name), as in xsdata's serializer.
        """
        xml_meta = self.context.build(cls, parent_ns)
        first = self.parent_namespaces.setdefault(cls, parent_ns)
        if parent_ns != first and _depends_on_parent(xml_meta):
            # xsdata caches one XmlMeta per class: one of the two uses would be written with
            # the other one's namespace
            raise NotImplementedError(
                f"{cls.__qualname__} is reached from namespaces {first!r} and {parent_ns!r}"
            )
        # the serializer builds the children's metadata with this element's namespace
        namespace = split_qname(qname or xml_meta.qname)[0]
        seen = (cls, namespace) in self.visited
        self.visited.add((cls, namespace))
        if cls not in self.cache:
            self.building.add(cls)
            try:
                self.cache[cls] = self._build(cls, xml_meta, namespace)
            finally:
                self.building.discard(cls)
        elif not seen and cls not in self.building:
            # a known class written in another namespace: its children are reached from
            # there too, check them (the strategy itself does not depend on namespaces)
            self.building.add(cls)
            try:
                for var in xml_meta.get_element_vars():
                    if var.clazz is not None and var.clazz not in self.building:
                        self.for_class(var.clazz, namespace, var.qname)
            finally:
                self.building.discard(cls)
        return self.cache[cls]

    def _build(self, cls: type, xml_meta: XmlMeta, namespace: str | None) -> st.SearchStrategy[Any]:
        """Instances of ``cls``, written as an element in ``namespace``."""
        metas = field_metadata(cls)
        required = required_fields(cls)
        variables = [v for v in xml_meta.get_all_vars() if v.init]
        by_local = {v.local_name: v for v in variables if v.is_element}
        wildcard = next((v for v in variables if v.is_wildcard), None)
        if wildcard is not None:
            by_local["##any"] = wildcard
        choices = self.index.choices(cls)
        in_choice = {by_local[name].name for c in choices for a in c.alternatives for name in a}
        fixed = {
            # the text of a simple content is there whenever its element is
            v.name: self.field(cls, v, metas[v.name], v.is_text or v.name in required, namespace)
            for v in variables
            if v.name not in in_choice
        }
        parts: list[st.SearchStrategy[dict[str, Any]]] = [st.fixed_dictionaries(fixed)]
        for choice in choices:
            parts.append(self._choice(cls, choice, by_local, metas, namespace))

        def assemble(pieces: tuple[dict[str, Any], ...]) -> Any:
            kwargs: dict[str, Any] = {}
            for piece in pieces:
                kwargs.update(piece)
            return cls(**kwargs)

        return st.tuples(*parts).map(assemble)

    def _choice(
        self,
        owner: type,
        choice: Choice,
        by_local: dict[str, XmlVar],
        metas: dict[str, dict[str, Any]],
        namespace: str | None,
    ) -> st.SearchStrategy[dict[str, Any]]:
        """Values for the fields of one xs:choice: one alternative filled, the others empty."""
        names = {name for alternative in choice.alternatives for name in alternative}

        def empty(name: str) -> Any:
            return [] if by_local[name].list_element else None

        def strategies(chosen: dict[str, bool]) -> dict[str, st.SearchStrategy[Any]]:
            return {
                by_local[n].name: (
                    self.field(owner, by_local[n], metas[by_local[n].name], chosen[n], namespace)
                    if n in chosen
                    else st.just(empty(n))
                )
                for n in names
            }

        # build every alternative now, not while drawing: all metadata is built from the root
        # down before anything is serialized
        count = len(choice.alternatives)
        if choice.repeated:
            picks = st.lists(
                st.integers(0, count - 1), min_size=0 if choice.optional else 1, unique=True
            )
        else:
            single = st.integers(0, count - 1).map(lambda i: [i])
            picks = st.just([]) | single if choice.optional else single
        built: dict[tuple[int, ...], st.SearchStrategy[dict[str, Any]]] = {}

        def fill(indexes: list[int]) -> st.SearchStrategy[dict[str, Any]]:
            key = tuple(sorted(indexes))
            if key not in built:
                chosen: dict[str, bool] = {}
                for i in key:
                    chosen.update(choice.alternatives[i])
                built[key] = st.fixed_dictionaries(strategies(chosen))
            return built[key]

        for i in range(count):
            fill([i])
        return picks.flatmap(fill)


def _depends_on_parent(xml_meta: XmlMeta) -> bool:
    """Whether a class's metadata changes with the namespace it is reached from.

    A class that does not name its namespace takes its parent's, and so do its element and
    wildcard fields that do not name theirs.
    """
    cls = xml_meta.clazz
    if getattr(cls.__dict__.get("Meta"), "namespace", None) is not None:
        return False
    declared = {f.name: f.metadata for f in dataclasses.fields(cls)}
    return any(
        "namespace" not in declared[var.name]
        for var in xml_meta.get_element_vars()
        if var.is_element or var.is_wildcard  # the list holds the text field too
    )
