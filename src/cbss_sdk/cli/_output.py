"""What the ``cbss`` command prints: rich tables and trees for people, JSON for programs.

rich is an optional dependency (the ``cli`` extra): it is imported only when
a command draws something, and its absence is one clear line.  The JSON
converter turns any result (attrs records, the generated xsdata dataclasses,
enums, dates, xsdata date types) into plain JSON values, so ``--json`` works
for every facade without per-service code.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import os
import sys
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs
from xsdata.models.datatype import XmlDate, XmlDateTime, XmlDuration, XmlPeriod, XmlTime

from ._errors import CliError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.tree import Tree

__all__ = [
    "dump_json",
    "make_console",
    "render_tree",
    "require_rich",
    "to_jsonable",
]

_XML_TEXT_TYPES = (XmlDate, XmlDateTime, XmlDuration, XmlPeriod, XmlTime)
_INSTALL_HINT = 'pip install "cbss-sdk[cli]"'


def require_rich() -> ModuleType:
    """The rich package, or a one-line error saying how to install it."""
    try:
        import rich
    except ImportError:
        raise CliError(
            f"this output needs the 'rich' package: {_INSTALL_HINT} (or use --json)"
        ) from None
    return rich


def make_console(*, stderr: bool = False) -> Console:
    """A rich console on the current stdout/stderr (wide enough not to cut SSINs and tickets)."""
    require_rich()
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # A terminal has its width; a pipe or file gets COLUMNS when set, else a roomy default
    # (rich would use 80 and fold national numbers and tickets).
    width = None if stream.isatty() or os.environ.get("COLUMNS") else 120
    # No markup and no emoji codes: cells hold data (names, fingerprints such as "…:AB:CD:…"
    # would otherwise turn into emoji or styles); styling goes through rich Text objects.
    return Console(
        file=stream, width=width, highlight=False, soft_wrap=False, markup=False, emoji=False
    )


def _dataclass_fields(value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in dataclasses.fields(value):
        item = getattr(value, field.name)
        if item is None or (isinstance(item, (list, tuple)) and not item):
            continue  # absent optional elements of a generated model: noise in a listing
        out[field.name] = to_jsonable(item)
    return out


def _children(value: Any) -> list[Any]:
    """The direct field values of a dataclass or attrs instance (for de-duplication)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [getattr(value, f.name) for f in dataclasses.fields(value)]
    if attrs.has(type(value)):
        return [getattr(value, f.name) for f in attrs.fields(type(value))]
    return []


def _attrs_fields(value: Any) -> dict[str, Any]:
    items = [(f.name, getattr(value, f.name)) for f in attrs.fields(type(value))]
    objects = [item for _, item in items if _is_record(item)]
    out: dict[str, Any] = {}
    for name, item in items:
        # A value that is also a direct part of another field (Tx25Result.file is
        # response.rrn_it_implicit) is shown once, inside the larger one.
        if _is_record(item) and any(
            other is not item and any(child is item for child in _children(other))
            for other in objects
        ):
            continue
        out[name] = to_jsonable(item)
    return out


def _is_record(value: Any) -> bool:
    return (dataclasses.is_dataclass(value) and not isinstance(value, type)) or attrs.has(
        type(value)
    )


def to_jsonable(value: Any) -> Any:
    """Plain JSON data (dict, list, str, int, float, bool, None) for any result value."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, Enum):
        return to_jsonable(value.value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # amounts keep their exact digits
    if isinstance(value, _XML_TEXT_TYPES):
        return str(value)  # xsdata's XmlDateTime & co. are tuples: use their XML text
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if attrs.has(type(value)):
        return _attrs_fields(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass_fields(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    # xsdata's XmlDate/XmlDateTime/XmlDuration, QName, …: their text is their XML form.
    return str(value)


def dump_json(data: Any) -> None:
    """Write *data* (already converted or not) as indented JSON on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(data), indent=2, ensure_ascii=False) + "\n")


def render_tree(data: Any, label: str) -> Tree:
    """A rich tree of JSON-like *data* (nested dicts and lists)."""
    from rich.text import Text
    from rich.tree import Tree

    root = Tree(Text(label, style="bold"))

    def add(node: Tree, key: str, item: Any) -> None:
        if isinstance(item, dict):
            branch = node.add(Text(key, style="bold cyan"))
            for sub_key, sub in item.items():
                add(branch, sub_key, sub)
        elif isinstance(item, list):
            if all(not isinstance(v, (dict, list)) for v in item):
                values = ", ".join(_scalar(v) for v in item) if item else "—"
                line = Text.assemble((key, "cyan"), ": ", values)
                node.add(line)
                return
            branch = node.add(Text(f"{key} ({len(item)})", style="bold cyan"))
            for index, sub in enumerate(item):
                add(branch, f"[{index}]", sub)
        else:
            node.add(Text.assemble((key, "cyan"), ": ", _scalar(item)))

    if isinstance(data, dict):
        for key, item in data.items():
            add(root, key, item)
    else:
        add(root, "value", data)
    return root


def _scalar(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
