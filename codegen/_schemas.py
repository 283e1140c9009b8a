"""The set of schema files one generation reads, and a content hash over them.

Before xsdata runs, the generator walks ``xs:import`` / ``xs:include`` / ``xs:redefine`` /
``xs:override`` (and ``wsdl:import``) from the entry files to learn every file the run depends
on.  That set is what the header hash of the generated files covers, and it lets the generator
refuse early, with a precise message, what xsdata would only warn about: a missing file, a
remote ``schemaLocation`` (no network while generating), or two releases of one namespace in a
single run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ._errors import CodegenError

__all__ = ["SchemaFile", "SchemaSet", "collect_schemas", "common_root", "digest"]

_XS = "http://www.w3.org/2001/XMLSchema"
_WSDL = "http://schemas.xmlsoap.org/wsdl/"
_REFERENCE_TAGS = {
    f"{{{_XS}}}import": ("schemaLocation", False),
    f"{{{_XS}}}include": ("schemaLocation", True),
    f"{{{_XS}}}redefine": ("schemaLocation", True),
    f"{{{_XS}}}override": ("schemaLocation", True),
    f"{{{_WSDL}}}import": ("location", False),
}


@dataclass(frozen=True)
class SchemaFile:
    """One schema file read by a generation run."""

    path: Path
    target_namespace: str
    #: Files pulled into this one's namespace (include, redefine, override).
    includes: tuple[Path, ...]


@dataclass(frozen=True)
class SchemaSet:
    """Every file reachable from the entry files, in a stable order."""

    entries: tuple[Path, ...]
    files: tuple[SchemaFile, ...]

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(f.path for f in self.files)


def _parse(path: Path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        return etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise CodegenError(f"cannot read schema {path}: {exc}") from exc


def _resolve(location: str, referrer: Path) -> Path:
    parts = urlsplit(location)
    if parts.scheme == "file":
        return Path(unquote(parts.path)).resolve()
    if parts.scheme and len(parts.scheme) > 1:  # a one-letter scheme is a Windows drive
        raise CodegenError(
            f"{referrer} refers to the remote schema {location!r}; code generation never uses "
            "the network: put the file beside the others and use a relative schemaLocation"
        )
    return (referrer.parent / unquote(location)).resolve()


def collect_schemas(entries: Sequence[Path]) -> SchemaSet:
    """Walk the schema references from ``entries`` and return every file they reach.

    Raises :class:`CodegenError` for a missing or unreadable file, a remote location, a schema
    without any target namespace, or two unrelated files declaring the same target namespace
    (two releases of one namespace).
    """
    if not entries:
        raise CodegenError("no entry schema given")
    resolved_entries = tuple(p.resolve() for p in entries)
    found: dict[Path, SchemaFile] = {}
    pending = list(resolved_entries)
    for entry in resolved_entries:
        if not entry.is_file():
            raise CodegenError(f"entry schema not found: {entry}")
    while pending:
        path = pending.pop()
        if path in found:
            continue
        root = _parse(path)
        includes: list[Path] = []
        for element in root.iter(*_REFERENCE_TAGS):
            attribute, same_namespace = _REFERENCE_TAGS[str(element.tag)]
            location = element.get(attribute)
            if not location:
                continue  # an import by namespace only: xsdata warns if it matters
            target = _resolve(location, path)
            if not target.is_file():
                raise CodegenError(f"{path} refers to {location!r}, which does not exist")
            if same_namespace:
                includes.append(target)
            pending.append(target)
        namespace = root.get("targetNamespace", "")
        if root.tag == f"{{{_WSDL}}}definitions":
            namespace = f"wsdl:{path}"  # a WSDL's own namespace never clashes with its schemas
        found[path] = SchemaFile(path, namespace, tuple(includes))
    files = tuple(found[p] for p in sorted(found))
    _check_namespaces_present(files)
    _check_one_release_per_namespace(files)
    return SchemaSet(resolved_entries, files)


def _check_namespaces_present(files: Sequence[SchemaFile]) -> None:
    """Every file needs a target namespace, its own or its includer's (a chameleon include).

    The pinned ``namespaces`` structure maps namespaces to packages; xsdata writes the classes
    of a schema without a namespace outside the target package, or reports circular imports.
    """
    adopted = {i for f in files if f.target_namespace for i in f.includes}
    homeless = [f.path for f in files if not f.target_namespace and f.path not in adopted]
    if homeless:
        raise CodegenError(
            "schemas without a targetNamespace cannot be generated with the 'namespaces' "
            f"structure: {', '.join(map(str, homeless))}; give them a namespace, or include "
            "them from a schema that has one"
        )


def _check_one_release_per_namespace(files: Iterable[SchemaFile]) -> None:
    """Files sharing a target namespace must be tied together by includes.

    Two disconnected groups of files with one namespace are two releases of that namespace (or
    two copies of it), which one xsdata run would silently merge into one module.
    """
    by_namespace: dict[str, list[SchemaFile]] = {}
    for schema in files:
        by_namespace.setdefault(schema.target_namespace, []).append(schema)
    for namespace, group in sorted(by_namespace.items()):
        if len(group) < 2 or not namespace:
            continue  # namespace-less files are chameleons, checked by their includers
        paths = {s.path for s in group}
        neighbours: dict[Path, set[Path]] = {p: set() for p in paths}
        for schema in group:
            for included in schema.includes:
                if included in paths:
                    neighbours[schema.path].add(included)
                    neighbours[included].add(schema.path)
        start = min(paths)
        seen = {start}
        stack = [start]
        while stack:
            for other in neighbours[stack.pop()] - seen:
                seen.add(other)
                stack.append(other)
        if seen != paths:
            listed = ", ".join(str(p) for p in sorted(paths))
            raise CodegenError(
                f"namespace {namespace or '(none)'!r} comes from files that do not include one "
                f"another ({listed}): two releases of a namespace must never be generated in one "
                "unit; split them into separate units"
            )


def common_root(paths: Iterable[Path]) -> Path:
    """The deepest directory holding every path."""
    return Path(os.path.commonpath([str(p.parent) for p in paths]))


def digest(paths: Iterable[Path], root: Path) -> str:
    """SHA-256 over the files' paths (relative to ``root``) and contents.

    Line endings are normalised so that a checkout with CRLF files hashes like the original.
    """
    sha = hashlib.sha256()
    for relative, path in sorted((p.relative_to(root).as_posix(), p) for p in paths):
        data = path.read_bytes().replace(b"\r\n", b"\n")
        sha.update(relative.encode() + b"\0" + str(len(data)).encode() + b"\0")
        sha.update(data)
    return sha.hexdigest()
