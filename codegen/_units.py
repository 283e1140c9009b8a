"""Loading and validating ``codegen/units.toml``, the list of generation units.

A unit is one xsdata run producing one subpackage of ``cbss_sdk.models``: one service version,
so that two releases of a namespace never meet in one run.
"""

from __future__ import annotations

import keyword
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ._errors import CodegenError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["MODELS_PACKAGE", "Unit", "load_units", "parse_units"]

#: The package every unit generates into (one subpackage each).
MODELS_PACKAGE = "cbss_sdk.models"

_KEYS = {"name", "package", "entries", "description"}


@dataclass(frozen=True)
class Unit:
    """One generation unit: a service version and the schemas it is generated from."""

    name: str
    #: Dotted package, ``cbss_sdk.models.<leaf>``.
    package: str
    #: Entry schema files, POSIX paths relative to the ``xsd/`` root.
    entries: tuple[str, ...]
    description: str

    @property
    def leaf(self) -> str:
        """The subpackage directory name under the models root."""
        return self.package.rsplit(".", 1)[1]

    def entry_paths(self, xsd_root: Path) -> tuple[Path, ...]:
        return tuple(xsd_root.joinpath(*PurePosixPath(e).parts) for e in self.entries)


def _is_identifier(text: str) -> bool:
    return text.isidentifier() and not keyword.iskeyword(text) and text == text.lower()


def _unit(raw: Mapping[str, Any], where: str) -> Unit:
    unknown = set(raw) - _KEYS
    if unknown:
        raise CodegenError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(_KEYS)}")
    name = raw.get("name")
    if not isinstance(name, str) or not _is_identifier(name):
        raise CodegenError(f"{where}: 'name' must be a lower-case Python identifier")
    package = raw.get("package")
    prefix = MODELS_PACKAGE + "."
    if (
        not isinstance(package, str)
        or not package.startswith(prefix)
        or not _is_identifier(package[len(prefix) :])
    ):
        raise CodegenError(f"{where} ({name}): 'package' must be '{prefix}<lower-case identifier>'")
    entries = raw.get("entries")
    if (
        not isinstance(entries, list)
        or not entries
        or not all(isinstance(e, str) and e for e in entries)
    ):
        raise CodegenError(f"{where} ({name}): 'entries' must be a non-empty list of paths")
    for entry in entries:
        path = PurePosixPath(entry)
        if path.is_absolute() or ".." in path.parts or "\\" in entry:
            raise CodegenError(
                f"{where} ({name}): entry {entry!r} must be a POSIX path relative to xsd/"
            )
    if len(set(entries)) != len(entries):
        raise CodegenError(f"{where} ({name}): an entry is listed twice")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise CodegenError(f"{where} ({name}): 'description' must be a string")
    return Unit(name, package, tuple(entries), description.strip())


def parse_units(text: str, source: str = "units.toml") -> tuple[Unit, ...]:
    """Parse the text of a units file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CodegenError(f"{source}: {exc}") from exc
    extra = set(data) - {"unit"}
    if extra:
        raise CodegenError(f"{source}: unknown top-level keys {sorted(extra)}")
    raw_units = data.get("unit")
    if not isinstance(raw_units, list) or not raw_units:
        raise CodegenError(f"{source}: expected one or more [[unit]] tables")
    units = tuple(_unit(raw, f"{source} unit #{i + 1}") for i, raw in enumerate(raw_units))
    for attribute in ("name", "package"):
        values = [getattr(u, attribute) for u in units]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise CodegenError(f"{source}: duplicate unit {attribute} {duplicates}")
    return units


def load_units(path: Path) -> tuple[Unit, ...]:
    """Load and validate a units file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CodegenError(f"cannot read units file {path}: {exc}") from exc
    return parse_units(text, str(path))
