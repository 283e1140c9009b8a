"""Our National Register rn25 schema (release 25.2019.1.0) against the official xm25.xsd.

The project writes its own ``xsd/rn/rn25/25.2019.1.0/rn25.xsd`` (plus the included
``rn25-common.xsd``) instead of shipping the official file.  These tests are the proof that
the two are interchangeable:

* a small extractor turns each schema into a normalised *shape*: for every global type and
  global element, the content model (sequence/choice/all nesting, element names, occurrence
  bounds, types), the attributes (type, use, default, fixed), the derivations and the
  simple-type facets; documentation and layout are ignored.  Both schemas must give identical
  shapes, and mutation tests show that one changed fact is enough to fail;
* the RN payloads of the official TX25 sample replies (``rrn_it_implicit``) validate with
  lxml against our schema exactly as they do against the official one, and every element
  and attribute they use is declared where it appears.

The official files are test data kept beside the repository (``../shared/reference/cbss``);
the tests that need them are skipped when that folder is absent.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from cbss_sdk._redact import mask_national_numbers

XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
RN = "http://www.ibz.rrn.fgov.be/XSD/xm25/rn25Schema"

REPO = Path(__file__).resolve().parents[1]
OURS = REPO / "xsd" / "rn" / "rn25" / "25.2019.1.0" / "rn25.xsd"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cbss"
OFFICIAL = REFERENCE / "head" / "XSD" / "be" / "fgov" / "rrn" / "ibz" / "xsd" / "xm25" / "xm25.xsd"
FIXTURES = REFERENCE / "head" / "fixtures"

# The TX25 samples whose RN payload is pattern-valid; the others carry garbled values
# (printed national numbers, one-digit months) that both schemas reject alike.
CLEAN_SAMPLES = ("demo_tx25_1.xml", "demo_tx25_2.xml")
ALL_SAMPLES = (*CLEAN_SAMPLES, "demo_tx25_3.xml", "tx25_1107.xml", "tx25_1358.xml", "tx25_1373.xml")

needs_reference = pytest.mark.skipif(
    not OFFICIAL.is_file(),
    reason=f"official CBSS reference schemas not found at {REFERENCE} (test data kept outside the repo)",
)

Shape = tuple[Any, ...]
Parser = Callable[[Path], etree._ElementTree]


# --------------------------------------------------------------------------- extractor


class SchemaShapeError(Exception):
    """The extractor met something it cannot normalise (unresolved name, unknown construct)."""


def _default_parse(path: Path) -> etree._ElementTree:
    return etree.parse(str(path))


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _children(el: etree._Element) -> Iterator[etree._Element]:
    """XSD child elements, without comments, processing instructions and annotations."""
    for child in el:
        if isinstance(child.tag, str) and child.tag != f"{{{XS}}}annotation":
            if etree.QName(child).namespace != XS:
                raise SchemaShapeError(f"foreign element {child.tag} in schema")
            yield child


def _occurs(el: etree._Element) -> tuple[int, int | str]:
    low = int(el.get("minOccurs", "1"))
    high_raw = el.get("maxOccurs", "1")
    high: int | str = high_raw if high_raw == "unbounded" else int(high_raw)
    return low, high


class SchemaShapes:
    """Global components of one schema (its ``xs:include`` closure) and their shapes."""

    def __init__(self, entry: Path, parse: Parser = _default_parse) -> None:
        self._parse = parse
        self.settings: set[tuple[str | None, ...]] = set()
        self.components: dict[tuple[str, str], etree._Element] = {}
        self._seen: set[Path] = set()
        self._load(entry.resolve())

    # ----- loading

    def _load(self, path: Path) -> None:
        if path in self._seen:
            return
        self._seen.add(path)
        root = self._parse(path).getroot()
        if root.tag != f"{{{XS}}}schema":
            raise SchemaShapeError(f"{path.name} is not an XML schema")
        tns = root.get("targetNamespace")
        self.settings.add(
            (
                tns,
                root.get("elementFormDefault", "unqualified"),
                root.get("attributeFormDefault", "unqualified"),
                root.get("version"),
                root.get("blockDefault"),
                root.get("finalDefault"),
            )
        )
        for child in _children(root):
            kind = _local(child)
            if kind == "include":
                self._load((path.parent / child.get("schemaLocation", "")).resolve())
            elif kind in ("complexType", "simpleType", "element", "attribute", "group"):
                key = (kind, f"{{{tns or ''}}}{child.get('name')}")
                twin = {"complexType": "simpleType", "simpleType": "complexType"}.get(kind, kind)
                if key in self.components or (twin, key[1]) in self.components:
                    raise SchemaShapeError(f"duplicate global {kind} {key[1]}")
                self.components[key] = child
            elif kind == "attributeGroup":
                self.components[(kind, f"{{{tns or ''}}}{child.get('name')}")] = child
            else:  # import, redefine, notation: absent from rn25, refuse rather than ignore
                raise SchemaShapeError(f"unsupported top-level xs:{kind} in {path.name}")

    # ----- name resolution

    @staticmethod
    def _qname(el: etree._Element, attr: str) -> str:
        value = el.get(attr)
        if value is None:
            raise SchemaShapeError(f"missing {attr} on xs:{_local(el)}")
        prefix, _, local = value.rpartition(":")
        uri = el.nsmap.get(prefix or None)
        if prefix and uri is None:
            raise SchemaShapeError(f"undeclared prefix in {value!r}")
        return f"{{{uri or ''}}}{local}"

    def _component(self, kind: str, qname: str) -> etree._Element:
        try:
            return self.components[(kind, qname)]
        except KeyError:
            raise SchemaShapeError(f"unresolved {kind} reference {qname}") from None

    def _type_ref(self, qname: str) -> Shape:
        if qname.startswith(f"{{{XS}}}"):
            return ("xs", qname[len(XS) + 2 :])
        if ("complexType", qname) in self.components or ("simpleType", qname) in self.components:
            # Named types are compared by name here; their structure is compared once, as a
            # global type (see ``shapes``).  Names matter: generated classes carry them.
            return ("type", qname)
        raise SchemaShapeError(f"unresolved type reference {qname}")

    @staticmethod
    def _tns(el: etree._Element) -> str:
        return el.getroottree().getroot().get("targetNamespace") or ""

    def _local_name(self, el: etree._Element, kind: str) -> str:
        root = el.getroottree().getroot()
        default = root.get(f"{kind}FormDefault", "unqualified")
        qualified = el.get("form", default) == "qualified"
        return f"{{{self._tns(el) if qualified else ''}}}{el.get('name')}"

    # ----- shapes

    def shapes(self) -> dict[str, Shape]:
        out: dict[str, Shape] = {}
        for (kind, qname), el in sorted(self.components.items()):
            if kind == "complexType":
                out[f"type {qname}"] = self._complex(el)
            elif kind == "simpleType":
                out[f"type {qname}"] = self._simple(el)
            elif kind == "element":
                out[f"element {qname}"] = self._element(el, global_=True)
            elif kind == "attribute":
                out[f"attribute {qname}"] = self._attribute(el, global_=True)
            # groups and attribute groups are expanded where they are used
        return out

    def _element_type(self, el: etree._Element) -> Shape:
        inline = [c for c in _children(el) if _local(c) in ("complexType", "simpleType")]
        if el.get("type") is not None:
            if inline:
                raise SchemaShapeError(f"element {el.get('name')} has a type and an inline type")
            return self._type_ref(self._qname(el, "type"))
        if inline:
            node = inline[0]
            return self._complex(node) if _local(node) == "complexType" else self._simple(node)
        if el.get("substitutionGroup") is not None:
            raise SchemaShapeError("substitution groups without a type are not supported")
        return ("xs", "anyType")

    def _element(self, el: etree._Element, *, global_: bool = False) -> Shape:
        for child in _children(el):
            if _local(child) not in ("complexType", "simpleType"):
                raise SchemaShapeError(
                    f"unsupported xs:{_local(child)} in element {el.get('name')}"
                )
        if global_:
            name = f"{{{self._tns(el)}}}{el.get('name')}"
            occurs: tuple[Any, ...] = ()
            extra: tuple[Any, ...] = (
                el.get("abstract", "false"),
                el.get("substitutionGroup"),
                el.get("final"),
            )
        else:
            if el.get("ref") is not None:
                target = self._qname(el, "ref")
                self._component("element", target)
                return ("element-ref", target, *_occurs(el))
            name = self._local_name(el, "element")
            occurs = _occurs(el)
            extra = ()
        return (
            "global-element" if global_ else "element",
            name,
            *occurs,
            self._element_type(el),
            el.get("nillable", "false"),
            el.get("default"),
            el.get("fixed"),
            el.get("block"),
            *extra,
        )

    def _particle(self, el: etree._Element) -> Shape:
        kind = _local(el)
        if kind in ("sequence", "choice", "all"):
            return (kind, *_occurs(el), tuple(self._particle(c) for c in _children(el)))
        if kind == "element":
            return self._element(el)
        if kind == "group":
            group = self._component("group", self._qname(el, "ref"))
            inner = [self._particle(c) for c in _children(group)]
            return ("group", *_occurs(el), tuple(inner))
        if kind == "any":
            return (
                "any",
                el.get("namespace", "##any"),
                el.get("processContents", "strict"),
                *_occurs(el),
            )
        raise SchemaShapeError(f"unsupported particle xs:{kind}")

    def _attribute(self, el: etree._Element, *, global_: bool = False) -> Shape:
        if el.get("ref") is not None:
            target = self._qname(el, "ref")
            self._component("attribute", target)
            return (
                "attribute-ref",
                target,
                el.get("use", "optional"),
                el.get("default"),
                el.get("fixed"),
            )
        inline = [c for c in _children(el) if _local(c) == "simpleType"]
        if el.get("type") is not None:
            type_shape = self._type_ref(self._qname(el, "type"))
        elif inline:
            type_shape = self._simple(inline[0])
        else:
            type_shape = ("xs", "anySimpleType")
        name = (
            f"{{{self._tns(el)}}}{el.get('name')}" if global_ else self._local_name(el, "attribute")
        )
        return (
            "attribute",
            name,
            type_shape,
            el.get("use", "optional"),
            el.get("default"),
            el.get("fixed"),
        )

    def _attributes(self, nodes: list[etree._Element]) -> Shape:
        found: list[Shape] = []
        for node in nodes:
            kind = _local(node)
            if kind == "attribute":
                found.append(self._attribute(node))
            elif kind == "attributeGroup":
                group = self._component("attributeGroup", self._qname(node, "ref"))
                found.extend(self._attributes(list(_children(group))))
            elif kind == "anyAttribute":
                found.append(
                    (
                        "anyAttribute",
                        node.get("namespace", "##any"),
                        node.get("processContents", "strict"),
                    )
                )
            else:
                raise SchemaShapeError(f"unsupported xs:{kind} among attributes")
        # attribute order carries no meaning in XSD
        return tuple(sorted(found, key=repr))

    def _content(self, nodes: list[etree._Element]) -> Shape:
        particles = [n for n in nodes if _local(n) in ("sequence", "choice", "all", "group")]
        attrs = [n for n in nodes if _local(n) in ("attribute", "attributeGroup", "anyAttribute")]
        if len(particles) + len(attrs) != len(nodes) or len(particles) > 1:
            raise SchemaShapeError("unexpected content in a complex type")
        particle = self._particle(particles[0]) if particles else None
        return (particle, self._attributes(attrs))

    def _complex(self, el: etree._Element) -> Shape:
        nodes = list(_children(el))
        flags = (
            el.get("mixed", "false"),
            el.get("abstract", "false"),
            el.get("block"),
            el.get("final"),
        )
        if len(nodes) == 1 and _local(nodes[0]) in ("complexContent", "simpleContent"):
            holder = nodes[0]
            derivations = list(_children(holder))
            if len(derivations) != 1 or _local(derivations[0]) not in ("extension", "restriction"):
                raise SchemaShapeError(f"malformed xs:{_local(holder)}")
            derivation = derivations[0]
            base = self._type_ref(self._qname(derivation, "base"))
            inner = list(_children(derivation))
            if _local(holder) == "simpleContent":
                facet_nodes = [
                    n
                    for n in inner
                    if _local(n) not in ("attribute", "attributeGroup", "anyAttribute")
                ]
                attr_nodes = [n for n in inner if n not in facet_nodes]
                content: Shape = (self._facets(facet_nodes), self._attributes(attr_nodes))
            else:
                content = self._content(inner)
            mixed = holder.get("mixed", flags[0])
            return ("complex", mixed, *flags[1:], _local(holder), _local(derivation), base, content)
        return ("complex", *flags, "plain", self._content(nodes))

    def _facets(self, nodes: list[etree._Element]) -> Shape:
        facets: dict[str, list[str]] = {}
        for node in nodes:
            kind = _local(node)
            if kind == "simpleType":
                raise SchemaShapeError("inline base types in restrictions are not supported")
            facets.setdefault(kind, []).append(node.get("value", ""))
        # values keep their document order (it is the order of generated enum members)
        return tuple(sorted((kind, tuple(values)) for kind, values in facets.items()))

    def _simple(self, el: etree._Element) -> Shape:
        nodes = list(_children(el))
        if len(nodes) != 1:
            raise SchemaShapeError("a simple type needs exactly one restriction, list or union")
        node = nodes[0]
        kind = _local(node)
        if kind == "restriction":
            return (
                "simple",
                "restriction",
                self._type_ref(self._qname(node, "base")),
                self._facets(list(_children(node))),
            )
        if kind == "list":
            return ("simple", "list", self._type_ref(self._qname(node, "itemType")))
        if kind == "union":
            members = tuple(
                self._type_ref(f"{{{node.nsmap.get(p or None) or ''}}}{loc}")
                for p, _, loc in (m.rpartition(":") for m in node.get("memberTypes", "").split())
            )
            return ("simple", "union", members, tuple(self._simple(c) for c in _children(node)))
        raise SchemaShapeError(f"unsupported simple type derivation xs:{kind}")


# Field names of the shape tuples, used to say *what* differs.
_FIELDS: dict[str, tuple[str, ...]] = {
    "element": (
        "kind",
        "name",
        "minOccurs",
        "maxOccurs",
        "type",
        "nillable",
        "default",
        "fixed",
        "block",
    ),
    "global-element": (
        "kind",
        "name",
        "type",
        "nillable",
        "default",
        "fixed",
        "block",
        "abstract",
        "substitutionGroup",
        "final",
    ),
    "element-ref": ("kind", "ref", "minOccurs", "maxOccurs"),
    "sequence": ("kind", "minOccurs", "maxOccurs", "particles"),
    "choice": ("kind", "minOccurs", "maxOccurs", "particles"),
    "all": ("kind", "minOccurs", "maxOccurs", "particles"),
    "group": ("kind", "minOccurs", "maxOccurs", "particles"),
    "any": ("kind", "namespace", "processContents", "minOccurs", "maxOccurs"),
    "attribute": ("kind", "name", "type", "use", "default", "fixed"),
    "attribute-ref": ("kind", "ref", "use", "default", "fixed"),
    "simple": ("kind", "variety", "base", "facets"),
    "complex": (
        "kind",
        "mixed",
        "abstract",
        "block",
        "final",
        "content",
        "derivation",
        "base",
        "model",
    ),
}


def _step(shape: tuple[Any, ...], index: int) -> str:
    tag = shape[0] if shape and isinstance(shape[0], str) else None
    fields = _FIELDS.get(tag or "", ())
    if tag == "complex" and shape[5] == "plain" and index == 6:
        return "model"
    if index < len(fields):
        return fields[index]
    return f"[{index}]"


def _first_difference(official: Any, ours: Any, path: str) -> str | None:
    if official == ours:
        return None
    if isinstance(official, tuple) and isinstance(ours, tuple):
        tag = official[0] if official and isinstance(official[0], str) else None
        here = path
        if tag in ("element", "global-element", "attribute"):
            here = f"{path} {official[1]}"
        for index, (left, right) in enumerate(zip(official, ours, strict=False)):
            found = _first_difference(left, right, f"{here} > {_step(official, index)}")
            if found:
                return found
        return f"{here}: {len(official)} items in the official schema, {len(ours)} in ours"
    return f"{path}: official {official!r} != ours {ours!r}"


def diff_shapes(official: dict[str, Shape], ours: dict[str, Shape]) -> list[str]:
    """Human-readable differences between two extracted schemas (empty when equivalent)."""
    problems = [f"missing in ours: {key}" for key in sorted(official.keys() - ours.keys())]
    problems += [
        f"not in the official schema: {key}" for key in sorted(ours.keys() - official.keys())
    ]
    for key in sorted(official.keys() & ours.keys()):
        found = _first_difference(official[key], ours[key], key)
        if found:
            problems.append(found)
    return [problem.replace("{" + RN + "}", "rn:").replace("{}", "") for problem in problems]


@cache
def _ours() -> SchemaShapes:
    return SchemaShapes(OURS)


@cache
def _official() -> SchemaShapes:
    return SchemaShapes(OFFICIAL)


# --------------------------------------------------------------------------- equivalence


@needs_reference
def test_same_schema_settings() -> None:
    assert _ours().settings == _official().settings
    assert _ours().settings == {(RN, "qualified", "unqualified", "25.2019.1.0", None, None)}


@needs_reference
def test_same_global_components() -> None:
    assert set(_ours().shapes()) == set(_official().shapes())


@needs_reference
def test_every_global_type_and_element_has_the_official_shape() -> None:
    official = _official().shapes()
    problems = diff_shapes(official, _ours().shapes())
    assert not problems, "\n".join(problems[:40])
    # the comparison covered the whole contract, not an empty extraction
    assert sum(key.startswith("type ") for key in official) == 209
    assert "element {" + RN + "}Document" in official


# --------------------------------------------------------------------------- the comparison can fail


def _mutated(mutate: Callable[[etree._ElementTree], None]) -> dict[str, Shape]:
    def parse(path: Path) -> etree._ElementTree:
        tree = etree.parse(str(path))
        mutate(tree)
        return tree

    return SchemaShapes(OURS, parse).shapes()


def _one(tree: etree._ElementTree, xpath: str) -> etree._Element | None:
    found = tree.xpath(xpath, namespaces={"xs": XS})
    assert isinstance(found, list)
    if not found:
        return None  # this xpath targets the other schema document
    assert len(found) == 1, xpath
    node = found[0]
    assert isinstance(node, etree._Element)
    return node


def _remove(xpath: str) -> Callable[[etree._ElementTree], None]:
    def mutate(tree: etree._ElementTree) -> None:
        node = _one(tree, xpath)
        if node is not None:
            parent = node.getparent()
            assert parent is not None
            parent.remove(node)

    return mutate


def _set(xpath: str, attr: str, value: str) -> Callable[[etree._ElementTree], None]:
    def mutate(tree: etree._ElementTree) -> None:
        node = _one(tree, xpath)
        if node is not None:
            node.set(attr, value)

    return mutate


def _retag(xpath: str, kind: str) -> Callable[[etree._ElementTree], None]:
    def mutate(tree: etree._ElementTree) -> None:
        node = _one(tree, xpath)
        if node is not None:
            node.tag = f"{{{XS}}}{kind}"

    return mutate


def _duplicate(xpath: str, new_name: str) -> Callable[[etree._ElementTree], None]:
    def mutate(tree: etree._ElementTree) -> None:
        node = _one(tree, xpath)
        if node is not None:
            twin = copy.deepcopy(node)
            twin.set("name", new_name)
            node.addnext(twin)

    return mutate


MUTATIONS = {
    "element removed": (
        _remove(
            "/xs:schema/xs:complexType[@name='FileInfoType']/xs:all/xs:element[@name='Passports']"
        ),
        "FileInfoType",
    ),
    "cardinality changed": (
        _set(
            "/xs:schema/xs:complexType[@name='NameType']//xs:element[@name='LastName']",
            "maxOccurs",
            "14",
        ),
        "NameType",
    ),
    "made optional": (
        _set(
            "/xs:schema/xs:complexType[@name='IT020']/xs:sequence/xs:element[@name='Date']",
            "minOccurs",
            "0",
        ),
        "IT020",
    ),
    "enumeration value dropped": (
        _remove("/xs:schema/xs:complexType[@name='DateType']//xs:enumeration[@value='20']"),
        "DateType",
    ),
    "pattern changed": (
        _set(
            "/xs:schema/xs:simpleType[@name='NationalNumberRestriction']//xs:pattern",
            "value",
            r"\d{13}",
        ),
        "NationalNumberRestriction",
    ),
    "attribute default changed": (
        _set(
            "/xs:schema/xs:complexType[@name='IT199']/xs:attribute[@name='Type']", "default", "198"
        ),
        "IT199",
    ),
    "element type changed": (
        _set(
            "/xs:schema/xs:complexType[@name='IT008']/xs:sequence/xs:element[@name='ExpiryDate']",
            "type",
            "rn:ExpiryDateType",
        ),
        "IT008",
    ),
    "extension base changed": (
        _set("/xs:schema/xs:complexType[@name='IT010']//xs:extension", "base", "rn:PartnerType"),
        "IT010",
    ),
    "choice turned into sequence": (
        _retag("/xs:schema/xs:complexType[@name='IT005']/xs:sequence/xs:choice", "sequence"),
        "IT005",
    ),
    "global type added": (
        _duplicate("/xs:schema/xs:complexType[@name='WarTitleType']", "WarTitleType2"),
        "WarTitleType2",
    ),
}


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_one_changed_fact_is_detected(case: str) -> None:
    mutate, culprit = MUTATIONS[case]
    problems = diff_shapes(_ours().shapes(), _mutated(mutate))
    assert problems, f"mutation {case!r} went unnoticed"
    # the difference is reported against the type that was changed, not somewhere else
    assert any(f"rn:{culprit}" in problem.split() for problem in problems), problems


def test_a_shape_mutated_in_memory_is_detected() -> None:
    baseline = _ours().shapes()
    changed = copy.deepcopy(baseline)
    key = "type {" + RN + "}CountryType"
    kind, *rest, (particle, attributes) = changed[key]
    sequence, low, high, elements = particle
    changed[key] = (kind, *rest, ((sequence, low, high, elements[:-1]), attributes))
    assert diff_shapes(baseline, baseline) == []
    assert diff_shapes(baseline, changed) != []
    del changed[key]
    assert diff_shapes(baseline, changed) == ["missing in ours: type rn:CountryType"]


def test_unresolved_type_reference_is_an_error() -> None:
    mutate = _set(
        "/xs:schema/xs:complexType[@name='IT006']/xs:sequence/xs:element[@name='Country']",
        "type",
        "rn:NoSuchType",
    )
    with pytest.raises(SchemaShapeError, match="NoSuchType"):
        _mutated(mutate)


def test_our_schema_loads_in_lxml() -> None:
    schema = etree.XMLSchema(etree.parse(str(OURS)))
    document = etree.fromstring(
        f'<rn:Document xmlns:rn="{RN}"><rn:FileInfo><rn:NationalNumber Type="000">'
        "<rn:NationalNumber><rn:NationalNumber>00000000000</rn:NationalNumber>"
        "<rn:Date><rn:Century>20</rn:Century></rn:Date><rn:Sex>2</rn:Sex></rn:NationalNumber>"
        "</rn:NationalNumber></rn:FileInfo></rn:Document>"
    )
    assert schema.validate(document), schema.error_log


# --------------------------------------------------------------------------- official samples


@cache
def _payload_schema(entry: Path) -> etree.XMLSchema:
    """A throw-away wrapper declaring ``rrn_it_implicit`` as RetrieveTIGroups does."""
    wrapper = (
        f'<xs:schema xmlns:xs="{XS}" xmlns:rn="{RN}">'
        f'<xs:import namespace="{RN}" schemaLocation="{entry.resolve().as_uri()}"/>'
        '<xs:element name="rrn_it_implicit" type="rn:FileInfoType"/>'
        "</xs:schema>"
    )
    return etree.XMLSchema(etree.fromstring(wrapper))


def _payload(sample: str) -> etree._ElementTree:
    reply = etree.parse(str(FIXTURES / sample))
    found = reply.find(".//rrn_it_implicit")
    assert found is not None, f"{sample} carries no rrn_it_implicit"
    # re-rooted so line numbers and errors depend on the payload alone
    return etree.ElementTree(etree.fromstring(etree.tostring(found)))


def _verdict(entry: Path, payload: etree._ElementTree) -> list[tuple[int, str]]:
    schema = _payload_schema(entry)
    schema.validate(payload)
    return [(error.line, error.message) for error in schema.error_log]


@needs_reference
@pytest.mark.parametrize("sample", CLEAN_SAMPLES)
def test_clean_sample_payload_is_valid(sample: str) -> None:
    errors = _verdict(OURS, _payload(sample))
    assert not errors, mask_national_numbers(repr(errors[:5]))


@needs_reference
@pytest.mark.parametrize("sample", ALL_SAMPLES)
def test_sample_payload_gets_the_official_verdict(sample: str) -> None:
    payload = _payload(sample)
    ours, official = _verdict(OURS, payload), _verdict(OFFICIAL, payload)
    if ours != official:
        pytest.fail(mask_national_numbers(f"ours {ours[:5]!r} != official {official[:5]!r}"))


def _children_by_name(
    shapes: dict[str, Shape], type_shape: Shape
) -> tuple[dict[str, Shape], set[str]]:
    """Element and attribute declarations a type allows, by qualified name."""
    if type_shape[0] == "type":
        type_shape = shapes[f"type {type_shape[1]}"]
    elements: dict[str, Shape] = {}
    attributes: set[str] = set()
    if type_shape[0] != "complex":
        return elements, attributes
    if type_shape[5] == "plain":
        particle, attrs = type_shape[6]
    elif type_shape[5] == "simpleContent":
        particle, attrs = None, type_shape[8][1]
    else:
        base_elements, base_attributes = _children_by_name(shapes, type_shape[7])
        elements.update(base_elements)
        attributes |= base_attributes
        particle, attrs = type_shape[8]
    attributes |= {attr[1] for attr in attrs if attr[0] == "attribute"}

    def walk(node: Shape | None) -> None:
        if node is None:
            return
        if node[0] == "element":
            elements[node[1]] = node[4]
        elif node[0] in ("sequence", "choice", "all", "group"):
            for child in node[3]:
                walk(child)

    walk(particle)
    return elements, attributes


def _undeclared(
    shapes: dict[str, Shape], node: etree._Element, type_shape: Shape, path: str
) -> Iterator[str]:
    elements, attributes = _children_by_name(shapes, type_shape)
    for name in node.attrib:
        if (
            not name.startswith(f"{{{XSI}}}")
            and name not in attributes
            and f"{{}}{name}" not in attributes
        ):
            yield f"{path}/@{name}"
    for child in node:
        if not isinstance(child.tag, str):
            continue
        name = child.tag if child.tag.startswith("{") else f"{{}}{child.tag}"
        child_path = f"{path}/{etree.QName(child).localname}"
        if name not in elements:
            yield child_path
        else:
            yield from _undeclared(shapes, child, elements[name], child_path)


@needs_reference
@pytest.mark.parametrize("sample", ALL_SAMPLES)
def test_every_element_of_the_sample_is_declared(sample: str) -> None:
    payload = _payload(sample).getroot()
    assert len(payload), f"{sample}: empty payload"
    file_info: Shape = ("type", f"{{{RN}}}FileInfoType")
    unknown = sorted(set(_undeclared(_ours().shapes(), payload, file_info, "rrn_it_implicit")))
    assert not unknown, unknown
    # the walk itself is trustworthy: the official schema gives the same answer
    assert not list(_undeclared(_official().shapes(), payload, file_info, "rrn_it_implicit"))
