"""Generated trees as data: reading, comparing and writing them file by file.

A tree is a mapping of POSIX paths (relative to a root directory) to file bytes.  Comparing a
freshly generated tree with the one on disk is what ``--check`` does; writing one only touches
files whose bytes change and removes files that are no longer generated.  ``__pycache__``
directories are ignored everywhere: importing the models creates them.
"""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["Difference", "compare_trees", "read_tree", "write_tree"]

_IGNORED_DIRS = {"__pycache__"}
_DIFF_LINES = 12


@dataclass(frozen=True)
class Difference:
    """One way in which the files on disk differ from what generation produces."""

    kind: Literal["missing", "extra", "changed"]
    path: str
    detail: str = ""

    def __str__(self) -> str:
        text = {
            "missing": f"missing: {self.path} (generated but not on disk)",
            "extra": f"extra:   {self.path} (on disk but not generated)",
            "changed": f"changed: {self.path}",
        }[self.kind]
        return text + (f"\n{self.detail}" if self.detail else "")


def _is_ignored(relative: Path) -> bool:
    return any(part in _IGNORED_DIRS for part in relative.parts)


def read_tree(root: Path, scope: Iterable[str] | None = None) -> dict[str, bytes]:
    """Every file under ``root`` (or under the given top-level names of it)."""
    if not root.is_dir():
        return {}
    tops = None if scope is None else set(scope)
    tree: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if _is_ignored(relative) or path.is_dir():
            continue
        if tops is not None and relative.parts[0] not in tops:
            continue
        tree[relative.as_posix()] = path.read_bytes()
    return tree


def _diff(path: str, expected: bytes, actual: bytes) -> str:
    try:
        old = actual.decode("utf-8").splitlines()
        new = expected.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return "  (binary content differs)"
    lines = list(
        difflib.unified_diff(old, new, f"{path} (on disk)", f"{path} (generated)", n=1, lineterm="")
    )
    shown = [f"  {line[:160]}" for line in lines[:_DIFF_LINES]]
    if len(lines) > _DIFF_LINES:
        shown.append(f"  ... {len(lines) - _DIFF_LINES} more diff lines")
    return "\n".join(shown)


def compare_trees(expected: Mapping[str, bytes], actual: Mapping[str, bytes]) -> list[Difference]:
    """The differences between a generated tree and the tree on disk, by path."""
    differences: list[Difference] = []
    for path in sorted(set(expected) | set(actual)):
        if path not in actual:
            differences.append(Difference("missing", path))
        elif path not in expected:
            differences.append(Difference("extra", path))
        elif expected[path] != actual[path]:
            differences.append(
                Difference("changed", path, _diff(path, expected[path], actual[path]))
            )
    return differences


def _prune_empty_dirs(root: Path) -> None:
    for directory in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if _is_ignored(directory.relative_to(root)) or not directory.exists():
            continue
        remaining = [c for c in directory.iterdir() if c.name not in _IGNORED_DIRS]
        if not remaining:
            shutil.rmtree(directory)


def write_tree(
    root: Path, tree: Mapping[str, bytes], scope: Iterable[str] | None = None
) -> list[str]:
    """Make ``root`` (or the given top-level names of it) hold exactly ``tree``.

    Returns the paths written or removed.  Files outside ``scope`` are left alone.
    """
    tops = None if scope is None else set(scope)
    if tops is not None:
        stray = sorted(p for p in tree if p.split("/", 1)[0] not in tops)
        if stray:
            raise ValueError(f"tree paths outside the scope: {stray}")
    current = read_tree(root, tops)
    touched: list[str] = []
    for path in sorted(set(current) - set(tree)):
        root.joinpath(*path.split("/")).unlink()
        touched.append(path)
    for path, data in sorted(tree.items()):
        if current.get(path) == data:
            continue
        target = root.joinpath(*path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        touched.append(path)
    if root.is_dir():
        _prune_empty_dirs(root)
    return touched
