"""Round trips of every generated request model: instance → XML → instance, and schema validity.

Hypothesis strategies are derived generically from the generated dataclasses: xsdata's binding
metadata (``XmlContext``) gives each field's XML kind, type, requiredness and repetition; the
field metadata carries the restrictions (pattern, lengths, bounds, digits, white space); enums
become ``sampled_from``.  Two things xsdata does not keep, because with compound fields off it
flattens them, are read back from our own schema files: ``xs:choice`` groups (every alternative
becomes an optional field, yet exactly one must be present) and the occurrence of an ``xs:any``
wildcard.  Every generated instance must serialize, validate against our entry schema with
lxml, and parse back (unknown elements and attributes are errors) into an equal instance.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import importlib
import re
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.models.elements import XmlVar
from xsdata.formats.dataclass.models.generics import AnyElement
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.models.datatype import XmlDate, XmlDateTime, XmlTime

REPO_ROOT = Path(__file__).resolve().parent.parent
XSD_ROOT = REPO_ROOT / "xsd"

XS = "{http://www.w3.org/2001/XMLSchema}"
MODELS = "cbss_sdk.models"


class Root(NamedTuple):
    """A request root element class and the entry schema that declares it."""

    module: str
    name: str
    schema: str


ROOTS = [
    Root(
        "test_connection_v1.be.fgov.kszbcss.intf.test_connection_service_service.v1",
        "SendTestMessageRequest",
        "soa/TestConnectionService/v1/TestConnectionService.xsd",
    ),
    Root(
        "retrieve_ti_groups_v2.be.fgov.kszbcss.intf.retrieve_tigroups_service.v2",
        "RetrieveTIGroupsRequest",
        "soa/RetrieveTIGroups/v2/RetrieveTIGroupsService.xsd",
    ),
    Root("ssdn.be.fgov.ksz_bcss.xsd.ssdn.service", "SSDNRequest", "ssdn/service/SSDNRequest.xsd"),
    Root(
        "identify_person_20050930.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.identify_person",
        "IdentifyPersonRequest",
        "ssdn/OCMW_CPAS/IdentifyPerson/20050930/IdentifyPerson.xsd",
    ),
    Root(
        "manage_access_20050930.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.manage_access",
        "ManageAccessRequest",
        "ssdn/OCMW_CPAS/ManageAccess/20050930/ManageAccess.xsd",
    ),
    Root(
        "perform_investigation_20080604.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.perform_investigation",
        "PerformInvestigationRequest",
        "ssdn/OCMW_CPAS/PerformInvestigation/20080604/PerformInvestigation.xsd",
    ),
]

CONTEXT = XmlContext()
PARSER = XmlParser(
    context=CONTEXT,
    config=ParserConfig(fail_on_unknown_properties=True, fail_on_unknown_attributes=True),
)
SERIALIZER = XmlSerializer(context=CONTEXT)

# Text that XML 1.0 can carry: no control characters, surrogates or non-characters.
XML_CHARS = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Cn", "Co"), include_characters="\t\n"
)
# Patterns draw from printable ASCII so that "\d" means 0-9 for Python, libxml2 and XSD alike.
PATTERN_CHARS = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
DEFAULT_MAX_TEXT = 12
DEFAULT_MAX_INT = 10**6
MAX_EXTRA_ITEMS = 2


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


# --- what xsdata does not keep: xs:choice groups and xs:any occurrence ----------------------


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


class SchemaIndex:
    """The complex types and global elements of one unit's schema files, by qualified name."""

    def __init__(self, entry: Path) -> None:
        self.types: dict[str, etree._Element] = {}
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
        qname = CONTEXT.build(cls).qname
        if not qname.startswith("{"):  # unqualified forms: the module holds the namespace
            namespace = getattr(sys.modules[cls.__module__], "__NAMESPACE__", "")
            qname = f"{{{namespace}}}{qname}"
        outer_names = cls.__qualname__.split(".")[:-1]
        if outer_names:  # an anonymous type nested in its owner's class
            outer: Any = sys.modules[cls.__module__]
            for name in outer_names:
                outer = getattr(outer, name)
            owner = self.complex_type(outer)
            if owner is None:
                return None
            local = qname.rsplit("}", 1)[-1]
            for particle in _particles(owner, owner):
                if particle.get("name") == local:
                    return particle.find(f"{XS}complexType")
            return None
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


def _owner_choice(choice: etree._Element) -> etree._Element | None:
    parent = choice.getparent()
    while parent is not None and parent.tag != f"{XS}complexType":
        if parent.tag == f"{XS}choice":
            return parent
        parent = parent.getparent()
    return None


# --- strategies from the dataclasses -----------------------------------------------------


def _xml_collapsed(text: str) -> bool:
    return not re.search(r"[\t\n\r]|  |^ | $", text)


def _xml_replaced(text: str) -> bool:
    return not re.search(r"[\t\n\r]", text)


def text_strategy(meta: dict[str, Any]) -> st.SearchStrategy[str]:
    exact = meta.get("length")
    min_size = exact if exact is not None else meta.get("min_length", 0)
    max_size = (
        exact if exact is not None else meta.get("max_length", max(min_size, DEFAULT_MAX_TEXT))
    )
    pattern = meta.get("pattern")
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


def _bounds(meta: dict[str, Any], step: Any) -> tuple[Any, Any]:
    low = meta.get("min_inclusive")
    if meta.get("min_exclusive") is not None:
        low = meta["min_exclusive"] + step
    high = meta.get("max_inclusive")
    if meta.get("max_exclusive") is not None:
        high = meta["max_exclusive"] - step
    digits = meta.get("total_digits")
    if digits is not None:
        limit = 10**digits - 1
        high = limit if high is None else min(high, limit)
        low = -limit if low is None else max(low, -limit)
    return low, high


def int_strategy(meta: dict[str, Any]) -> st.SearchStrategy[int]:
    low, high = _bounds(meta, 1)
    # xsdata keeps no trace of the built-in integer type (integer, long, unsignedShort,
    # unsignedLong in our schemas): an unbounded side stays in the range all of them accept.
    low = 0 if low is None else low
    high = low + DEFAULT_MAX_INT if high is None else high
    return st.integers(min_value=int(low), max_value=int(high))


def decimal_strategy(meta: dict[str, Any]) -> st.SearchStrategy[Decimal]:
    places = meta.get("fraction_digits", 2)
    low, high = _bounds(meta, Decimal(1).scaleb(-places))
    return st.decimals(
        min_value=Decimal(low) if low is not None else Decimal(-(10**6)),
        max_value=Decimal(high) if high is not None else Decimal(10**6),
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


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


SCALARS: dict[type, Callable[[dict[str, Any]], st.SearchStrategy[Any]]] = {
    str: text_strategy,
    int: int_strategy,
    Decimal: decimal_strategy,
    bool: lambda meta: st.booleans(),
    float: lambda meta: st.floats(-1e6, 1e6, allow_nan=False, width=32),
    XmlDate: lambda meta: st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(
        XmlDate.from_date
    ),
    XmlDateTime: lambda meta: st.builds(
        _datetime, st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31)), OFFSETS
    ),
    XmlTime: lambda meta: st.times().map(XmlTime.from_time),
}

WILDCARD = st.builds(
    AnyElement,
    qname=st.just("{urn:cbss-sdk:test}Payload"),
    text=st.text(PATTERN_CHARS.filter(str.isalnum), min_size=1, max_size=8),
)


def field_metadata(cls: type) -> dict[str, dict[str, Any]]:
    return {f.name: dict(f.metadata) for f in dataclasses.fields(cls)}


def required_fields(cls: type) -> set[str]:
    """Fields without a default: the generator's way of saying minOccurs >= 1 (or use=required)."""
    return {
        f.name
        for f in dataclasses.fields(cls)
        if f.metadata.get("required")
        or (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        or f.metadata.get("min_occurs", 0) >= 1
    }


class Strategies:
    """Builds (and caches) one strategy per generated class of one unit."""

    def __init__(self, index: SchemaIndex) -> None:
        self.index = index
        self.cache: dict[type, st.SearchStrategy[Any]] = {}
        self.building: set[type] = set()

    def value(self, var: XmlVar, meta: dict[str, Any]) -> st.SearchStrategy[Any]:
        if var.clazz is not None:
            return self.for_class(var.clazz)
        options = []
        for tp in var.types:
            if isinstance(tp, type) and issubclass(tp, enum.Enum):
                options.append(st.sampled_from(list(tp)))
            elif tp in SCALARS:
                options.append(SCALARS[tp](meta))
            else:
                raise NotImplementedError(f"no strategy for {tp!r} ({var.name})")
        return st.one_of(options)

    def field(
        self, owner: type, var: XmlVar, meta: dict[str, Any], required: bool
    ) -> st.SearchStrategy[Any]:
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
        item = self.value(var, meta)
        if var.list_element:
            low = meta.get("min_occurs", 1 if required else 0)
            low = max(low, 1) if required else low
            high = min(meta.get("max_occurs", low + MAX_EXTRA_ITEMS), low + MAX_EXTRA_ITEMS)
            return st.lists(item, min_size=low, max_size=high)
        if required:
            return item
        return st.none() | item

    def for_class(self, cls: type) -> st.SearchStrategy[Any]:
        if cls in self.cache:
            return self.cache[cls]
        self.building.add(cls)
        try:
            strategy = self._build(cls)
        finally:
            self.building.discard(cls)
        self.cache[cls] = strategy
        return strategy

    def _build(self, cls: type) -> st.SearchStrategy[Any]:
        metas = field_metadata(cls)
        required = required_fields(cls)
        variables = [v for v in CONTEXT.build(cls).get_all_vars() if v.init]
        by_local = {v.local_name: v for v in variables if v.is_element}
        wildcard = next((v for v in variables if v.is_wildcard), None)
        if wildcard is not None:
            by_local["##any"] = wildcard
        choices = self.index.choices(cls)
        in_choice = {by_local[name].name for c in choices for a in c.alternatives for name in a}
        fixed = {
            v.name: self.field(cls, v, metas[v.name], v.name in required)
            for v in variables
            if v.name not in in_choice
        }
        parts: list[st.SearchStrategy[dict[str, Any]]] = [st.fixed_dictionaries(fixed)]
        for choice in choices:
            parts.append(self._choice(cls, choice, by_local, metas))

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
    ) -> st.SearchStrategy[dict[str, Any]]:
        """Values for the fields of one xs:choice: one alternative filled, the others empty."""
        names = {name for alternative in choice.alternatives for name in alternative}

        def empty(name: str) -> Any:
            return [] if by_local[name].list_element else None

        def fill(indexes: list[int]) -> st.SearchStrategy[dict[str, Any]]:
            chosen: dict[str, bool] = {}
            for i in indexes:
                chosen.update(choice.alternatives[i])
            strategies = {
                by_local[n].name: (
                    self.field(owner, by_local[n], metas[by_local[n].name], chosen[n])
                    if n in chosen
                    else st.just(empty(n))
                )
                for n in names
            }
            return st.fixed_dictionaries(strategies)

        count = len(choice.alternatives)
        if choice.repeated:
            picks = st.lists(
                st.integers(0, count - 1), min_size=0 if choice.optional else 1, unique=True
            )
        else:
            single = st.integers(0, count - 1).map(lambda i: [i])
            picks = st.just([]) | single if choice.optional else single
        return picks.flatmap(fill)


# --- the tests -------------------------------------------------------------------------------


@cache
def root_class(root: Root) -> type:
    return getattr(importlib.import_module(f"{MODELS}.{root.module}"), root.name)  # type: ignore[no-any-return]


@cache
def schema(root: Root) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_ROOT / root.schema)))


@cache
def strategy(root: Root) -> st.SearchStrategy[Any]:
    return Strategies(SchemaIndex(XSD_ROOT / root.schema)).for_class(root_class(root))


def test_every_unit_has_a_request_root() -> None:
    units = {r.module.split(".", 1)[0] for r in ROOTS}
    init = (REPO_ROOT / "src" / "cbss_sdk" / "models" / "__init__.py").read_text(encoding="utf-8")
    listed = set(re.findall(r"``cbss_sdk\.models\.(\w+)``", init))
    assert listed == units


def test_xsd_patterns_translate() -> None:
    assert python_pattern(r"\p{N}{11}") == "[0-9]{11}"
    assert python_pattern(r"[\p{L} ]+") == "[A-Za-z ]+"
    assert python_pattern(r"a$b") == r"a\$b"
    with pytest.raises(NotImplementedError):
        python_pattern(r"\p{IsBasicLatin}")


@pytest.mark.parametrize("root", ROOTS, ids=[r.name for r in ROOTS])
def test_request_round_trip(root: Root) -> None:
    cls = root_class(root)
    xml_schema = schema(root)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        derandomize=True,
    )
    @given(strategy(root))
    def round_trip(instance: Any) -> None:
        assert type(instance) is cls
        xml = SERIALIZER.render(instance)
        document = etree.fromstring(xml.encode("utf-8"))
        if not xml_schema.validate(document):
            errors = "; ".join(str(e.message) for e in xml_schema.error_log)
            pytest.fail(f"{root.name} instance is not valid against {root.schema}: {errors}")
        assert PARSER.from_string(xml, cls) == instance

    round_trip()
