"""Reduce XML Schema documents to comparable shapes.

The project writes its own XSDs and proves them equal to the official CBSS ones in tests. Two
schemas are equal here when every global component (type, element, attribute, group, attribute
group) of every namespace has the same *shape*: the same kind, the same content model (sequence /
choice / all nesting, element names with their effective namespace, minOccurs / maxOccurs,
defaults, nillable...), the same referenced type names (as expanded QNames), the same attributes,
the same derivation (extension / restriction and base) and the same facets. Annotations, the
order of global components, the order of attributes, prefixes, comments and layout do not count.
Named references are compared by expanded name; since every global component is compared too,
equal shapes mean equal resolved structures.

Used as a plain helper module (``from xsd_shape import ...``): pytest's default import mode puts
``tests/`` on ``sys.path``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"

# A shape is a nested tuple: (xsd tag, ((attribute, value), ...), (child shape, ...)).
Shape = tuple[str, tuple[tuple[str, str], ...], tuple["Shape", ...]]
ComponentKey = tuple[str, str]  # (kind, "{namespace}name")

_GLOBAL_KINDS = frozenset(
    {"simpleType", "complexType", "element", "attribute", "group", "attributeGroup", "notation"}
)
_QNAME_ATTRIBUTES = frozenset({"type", "base", "ref", "itemType", "substitutionGroup", "refer"})
_QNAME_LIST_ATTRIBUTES = frozenset({"memberTypes"})
_BOOLEAN_ATTRIBUTES = frozenset({"abstract", "mixed", "nillable"})
_FACETS = frozenset(
    {
        "enumeration",
        "pattern",
        "length",
        "minLength",
        "maxLength",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "totalDigits",
        "fractionDigits",
        "whiteSpace",
        "assertion",
        "explicitTimezone",
    }
)
_ATTRIBUTE_USES = frozenset({"attribute", "attributeGroup", "anyAttribute"})
# Attribute values that mean the same as leaving the attribute out, per XSD tag.
_DEFAULTS: dict[str, dict[str, str]] = {
    "element": {"minOccurs": "1", "maxOccurs": "1", "nillable": "false", "abstract": "false"},
    "group": {"minOccurs": "1", "maxOccurs": "1"},
    "sequence": {"minOccurs": "1", "maxOccurs": "1"},
    "choice": {"minOccurs": "1", "maxOccurs": "1"},
    "all": {"minOccurs": "1", "maxOccurs": "1"},
    "any": {
        "minOccurs": "1",
        "maxOccurs": "1",
        "namespace": "##any",
        "processContents": "strict",
    },
    "anyAttribute": {"namespace": "##any", "processContents": "strict"},
    "attribute": {"use": "optional"},
    "complexType": {"abstract": "false", "mixed": "false"},
    "complexContent": {"mixed": "false"},
}
_FACET_DEFAULTS = {"fixed": "false"}


class SchemaLoadError(Exception):
    """A schema document could not be read, or an import could not be satisfied."""


@dataclass
class SchemaSet:
    """The global components of a set of schema documents, grouped by namespace."""

    components: dict[str, dict[ComponentKey, Shape]] = field(default_factory=dict)
    references: set[ComponentKey] = field(default_factory=set)
    opaque_namespaces: frozenset[str] = frozenset()
    documents: list[str] = field(default_factory=list)

    @property
    def namespaces(self) -> frozenset[str]:
        return frozenset(self.components)

    def shapes(self, namespace: str) -> dict[ComponentKey, Shape]:
        return self.components.get(namespace, {})

    def has(self, kind: str, qname: str) -> bool:
        namespace = qname[1:].split("}", 1)[0] if qname.startswith("{") else ""
        return (kind, qname) in self.components.get(namespace, {})

    def unresolved_references(self) -> list[str]:
        """References to components that no loaded document defines (opaque namespaces aside)."""
        missing = []
        for kind, qname in sorted(self.references):
            namespace = qname[1:].split("}", 1)[0] if qname.startswith("{") else ""
            if namespace == XS or namespace in self.opaque_namespaces:
                continue
            kinds = ("simpleType", "complexType") if kind == "type" else (kind,)
            if not any(self.has(k, qname) for k in kinds):
                missing.append(f"{kind} {qname}")
        return missing


@dataclass
class _Context:
    target_namespace: str
    element_form: str
    attribute_form: str


def load_schemas(*roots: Path, opaque_namespaces: Iterable[str] = ()) -> SchemaSet:
    """Load XSD files or WSDL files (their embedded ``xsd:schema``) and everything they import.

    Imports of a namespace listed in ``opaque_namespaces`` are not followed, whether the file
    exists or not: references into it are kept as names and not checked. Any other import whose
    ``schemaLocation`` does not exist is accepted only when another loaded document provides that
    namespace; otherwise ``SchemaLoadError`` is raised.
    """
    result = SchemaSet(opaque_namespaces=frozenset(opaque_namespaces))
    seen: set[tuple[Path, int]] = set()
    pending_imports: list[tuple[str, str]] = []  # (namespace, where it was wanted)
    queue: list[tuple[Path, int, etree._Element, str | None]] = []
    for root in roots:
        for index, schema in enumerate(_schema_elements(root)):
            queue.append((root.resolve(), index, schema, None))
    while queue:
        path, index, schema, chameleon_namespace = queue.pop(0)
        if (path, index) in seen:
            continue
        seen.add((path, index))
        result.documents.append(f"{path}#{index}" if index else str(path))
        namespace = schema.get("targetNamespace", chameleon_namespace or "")
        context = _Context(
            target_namespace=namespace,
            element_form=schema.get("elementFormDefault", "unqualified"),
            attribute_form=schema.get("attributeFormDefault", "unqualified"),
        )
        for child in schema:
            if not isinstance(child.tag, str) or etree.QName(child).namespace != XS:
                continue
            tag = etree.QName(child).localname
            if tag in ("import", "include", "redefine", "override"):
                if tag in ("redefine", "override"):
                    raise SchemaLoadError(f"xsd:{tag} is not supported ({path})")
                location = child.get("schemaLocation")
                wanted = child.get("namespace", "") if tag == "import" else namespace
                if tag == "import" and wanted in result.opaque_namespaces:
                    continue
                target = (path.parent / location).resolve() if location else None
                if target is not None and target.is_file():
                    included_namespace = namespace if tag == "include" else None
                    for sub_index, sub_schema in enumerate(_schema_elements(target)):
                        queue.append((target, sub_index, sub_schema, included_namespace))
                else:
                    pending_imports.append((wanted, f"{path}: {location}"))
                continue
            if tag not in _GLOBAL_KINDS:
                continue
            name = child.get("name")
            if name is None:
                raise SchemaLoadError(f"global xsd:{tag} without a name in {path}")
            key = (tag, _clark(namespace, name))
            shape = _shape(child, context, result.references, top_level=True)
            bucket = result.components.setdefault(namespace, {})
            if key in bucket and bucket[key] != shape:
                raise SchemaLoadError(f"{tag} {key[1]} defined twice, differently ({path})")
            bucket[key] = shape
    for wanted, where in pending_imports:
        if wanted not in result.components:
            raise SchemaLoadError(f"import of {wanted or 'no namespace'} not found ({where})")
    return result


def compare(official: SchemaSet, ours: SchemaSet, namespaces: Iterable[str]) -> list[str]:
    """Every difference between two schema sets in the given namespaces (empty when equal)."""
    differences: list[str] = []
    for namespace in sorted(namespaces):
        theirs_by_key = official.shapes(namespace)
        ours_by_key = ours.shapes(namespace)
        if not theirs_by_key:
            differences.append(f"namespace {namespace}: nothing in the official schemas")
        for key in sorted(theirs_by_key.keys() - ours_by_key.keys()):
            differences.append(f"missing {key[0]} {key[1]}")
        for key in sorted(ours_by_key.keys() - theirs_by_key.keys()):
            differences.append(f"extra {key[0]} {key[1]}")
        for key in sorted(theirs_by_key.keys() & ours_by_key.keys()):
            if theirs_by_key[key] != ours_by_key[key]:
                diff = difflib.unified_diff(
                    render(theirs_by_key[key]),
                    render(ours_by_key[key]),
                    "official",
                    "ours",
                    lineterm="",
                )
                differences.append(f"{key[0]} {key[1]} differs:\n" + "\n".join(diff))
    return differences


def render(shape: Shape, indent: int = 0) -> list[str]:
    """One line per node, for readable diffs."""
    tag, attributes, children = shape
    text = " ".join(f'{name}="{value}"' for name, value in attributes)
    lines = [f"{'  ' * indent}{tag}{' ' + text if text else ''}"]
    for child in children:
        lines.extend(render(child, indent + 1))
    return lines


def _schema_elements(path: Path) -> list[etree._Element]:
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise SchemaLoadError(f"cannot read {path}: {exc}") from exc
    if root.tag == f"{{{XS}}}schema":
        return [root]
    if root.tag == f"{{{WSDL}}}definitions":
        return list(root.iterfind(f"{{{WSDL}}}types/{{{XS}}}schema"))
    raise SchemaLoadError(f"{path} is neither an XSD nor a WSDL document")


def _clark(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}" if namespace else name


def _resolve_qname(node: etree._Element, value: str) -> str:
    prefix, _, local = value.strip().rpartition(":")
    namespace = node.nsmap.get(prefix or None)
    if prefix and namespace is None:
        raise SchemaLoadError(f"undeclared prefix {prefix!r} in {value!r}")
    return _clark(namespace or "", local)


def _children(node: etree._Element) -> Iterator[etree._Element]:
    for child in node:
        if isinstance(child.tag, str) and etree.QName(child).namespace == XS:
            if etree.QName(child).localname == "annotation":
                continue
            yield child


def _shape(
    node: etree._Element,
    context: _Context,
    references: set[ComponentKey],
    *,
    top_level: bool = False,
) -> Shape:
    tag = etree.QName(node).localname
    defaults = _FACET_DEFAULTS if tag in _FACETS else _DEFAULTS.get(tag, {})
    attributes: dict[str, str] = {}
    for raw_name, raw_value in node.attrib.items():
        if raw_name.startswith("{"):  # foreign attributes carry no schema meaning
            continue
        name = str(raw_name)
        value = str(raw_value).strip() if name not in ("default", "fixed") else str(raw_value)
        if name in ("id", "form"):
            continue
        is_facet_flag = tag in _FACETS and name == "fixed"
        if is_facet_flag or (tag not in _FACETS and name in _BOOLEAN_ATTRIBUTES):
            value = {"1": "true", "0": "false"}.get(value, value)
        if name in _QNAME_ATTRIBUTES:
            value = _resolve_qname(node, value)
            references.add((_reference_kind(tag, name), value))
        elif name in _QNAME_LIST_ATTRIBUTES:
            resolved = [_resolve_qname(node, item) for item in value.split()]
            references.update(("type", item) for item in resolved)
            value = " ".join(resolved)
        elif name == "name":
            value = _qualified_name(node, tag, value, context, top_level)
        if defaults.get(name) == value:
            continue
        attributes[name] = value
    children = [_shape(child, context, references) for child in _children(node)]
    if tag == "all":
        children.sort()
    else:
        facets = [c for c in children if c[0] in _FACETS]
        uses = sorted(c for c in children if c[0] in _ATTRIBUTE_USES)
        others = [c for c in children if c[0] not in _FACETS and c[0] not in _ATTRIBUTE_USES]
        # Facet kinds sorted; the relative order of enumerations and of patterns is kept.
        facets.sort(key=lambda c: c[0])
        children = others + facets + uses
    return (tag, tuple(sorted(attributes.items())), tuple(children))


def _reference_kind(tag: str, attribute: str) -> str:
    if attribute == "ref":
        return "element" if tag == "element" else tag
    if attribute == "substitutionGroup":
        return "element"
    if attribute == "refer":
        return "identity-constraint"
    return "type"


def _qualified_name(
    node: etree._Element, tag: str, name: str, context: _Context, top_level: bool
) -> str:
    if top_level:
        return _clark(context.target_namespace, name)
    if tag == "element":
        form = node.get("form", context.element_form)
    elif tag == "attribute":
        form = node.get("form", context.attribute_form)
    else:
        return name
    return _clark(context.target_namespace if form == "qualified" else "", name)
