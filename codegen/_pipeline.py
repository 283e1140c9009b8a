"""The generation pipeline: units to trees, trees to disk, and the freshness check.

All functions take the ``xsd/`` root and the models root as parameters, so tests run them on
copies; the command line passes the repository's own directories.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ._config import check_xsdata_version
from ._errors import CodegenError
from ._methods import add_dataclass_methods
from ._render import GENERATED_MARK, finalize_package, models_init
from ._schemas import collect_schemas, common_root, digest
from ._tree import Difference, compare_trees, read_tree, write_tree
from ._units import Unit
from ._xsdata import format_package, run_xsdata

__all__ = [
    "check_models",
    "check_vendor",
    "generate_models",
    "generate_unit",
    "generate_vendor",
    "render_models",
    "render_vendor",
    "select_units",
]


def _read_generated(package_dir: Path) -> dict[str, str]:
    tree: dict[str, str] = {}
    for path in sorted(package_dir.rglob("*")):
        relative = path.relative_to(package_dir)
        if path.is_file() and "__pycache__" not in relative.parts:
            tree[relative.as_posix()] = path.read_text(encoding="utf-8")
    return tree


def _with_methods(package_dir: Path) -> dict[str, str]:
    """Write explicit dataclass methods into what xsdata generated, format, read back."""
    tree = _read_generated(package_dir)
    edited = add_dataclass_methods(tree)
    changed = [path for path in sorted(edited) if edited[path] != tree[path]]
    if not changed:
        return tree
    for relative in changed:
        (package_dir / relative).write_text(edited[relative], encoding="utf-8")
    format_package(package_dir)
    return _read_generated(package_dir)


def _generate(
    entries: Sequence[Path],
    *,
    package: str,
    label: str,
    description: str,
    sources: Sequence[str],
    bundle_root: Path,
) -> dict[str, bytes]:
    schemas = collect_schemas(entries)
    outside = [p for p in schemas.paths if not p.is_relative_to(bundle_root)]
    if outside:
        raise CodegenError(
            f"{label}: schemas outside {bundle_root} are referenced: "
            + ", ".join(str(p) for p in outside)
        )
    schema_hash = digest(schemas.paths, bundle_root)
    with tempfile.TemporaryDirectory(prefix="cbss-codegen-") as scratch:
        workdir = Path(scratch).resolve()
        result = run_xsdata(schemas.entries, package, workdir)
        unaccounted = [
            p for p in result.parsed if p not in schemas.paths and not p.is_relative_to(workdir)
        ]
        if unaccounted:
            raise CodegenError(
                f"{label}: xsdata read schemas the generator did not find by following "
                f"schemaLocation attributes: {', '.join(map(str, unaccounted))}"
            )
        tree = _with_methods(result.package_dir)
    return finalize_package(
        tree,
        package=package,
        label=label,
        description=description,
        sources=sources,
        schema_hash=schema_hash,
    )


def generate_unit(unit: Unit, xsd_root: Path) -> dict[str, bytes]:
    """Run one unit; return its files relative to its subpackage directory."""
    root = xsd_root.resolve()
    entries = unit.entry_paths(root)
    for entry, name in zip(entries, unit.entries, strict=True):
        if not entry.is_file():
            raise CodegenError(f"unit {unit.name}: entry schema xsd/{name} does not exist")
    return _generate(
        entries,
        package=unit.package,
        label=unit.name,
        description=unit.description,
        sources=[f"xsd/{e}" for e in unit.entries],
        bundle_root=root,
    )


def select_units(units: Sequence[Unit], names: Sequence[str]) -> list[Unit]:
    """The units with the given names, in the order of the units file."""
    known = {u.name for u in units}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CodegenError(f"unknown unit(s) {unknown}; known units: {sorted(known)}")
    wanted = set(names)
    return [u for u in units if u.name in wanted]


def _jobs(count: int) -> int:
    return max(1, min(count, os.cpu_count() or 1))


def render_models(
    units: Sequence[Unit], xsd_root: Path, *, only: Sequence[Unit] | None = None
) -> dict[str, bytes]:
    """Generate the models tree (relative to the models root) in memory.

    ``units`` is the full list (it shapes ``cbss_sdk/models/__init__.py``); ``only`` limits
    which units are run.
    """
    check_xsdata_version()
    selected = list(units if only is None else only)
    with ThreadPoolExecutor(max_workers=_jobs(len(selected))) as pool:
        outputs = list(pool.map(lambda u: generate_unit(u, xsd_root), selected))
    tree: dict[str, bytes] = {
        "__init__.py": models_init(
            [(u.package, u.description, [f"xsd/{e}" for e in u.entries]) for u in units]
        )
    }
    for unit, files in zip(selected, outputs, strict=True):
        for relative, data in files.items():
            tree[f"{unit.leaf}/{relative}"] = data
    return tree


def generate_models(
    units: Sequence[Unit], xsd_root: Path, models_root: Path, *, only: Sequence[Unit] | None = None
) -> list[str]:
    """Regenerate all units (or ``only`` some) into ``models_root``; return touched paths.

    A full run makes ``models_root`` hold exactly the generated files: anything else in it is
    removed.  A partial run replaces only the selected subpackages and the package file.
    """
    tree = render_models(units, xsd_root, only=only)
    scope = None if only is None else ["__init__.py", *(u.leaf for u in only)]
    models_root.mkdir(parents=True, exist_ok=True)
    return write_tree(models_root, tree, scope)


def check_models(units: Sequence[Unit], xsd_root: Path, models_root: Path) -> list[Difference]:
    """Regenerate every unit and compare with ``models_root`` byte for byte."""
    return compare_trees(render_models(units, xsd_root), read_tree(models_root))


def _validate_package(package: str) -> None:
    parts = package.split(".")
    if not all(p.isidentifier() for p in parts):
        raise CodegenError(f"--package {package!r} is not a dotted Python package name")


def render_vendor(schemas: Sequence[Path], package: str) -> dict[str, bytes]:
    """Generate a package from a vendor's own schema files, in memory."""
    check_xsdata_version()
    _validate_package(package)
    resolved = [p.resolve() for p in schemas]
    missing = [str(p) for p in resolved if not p.is_file()]
    if missing:
        raise CodegenError(f"schema file(s) not found: {', '.join(missing)}")
    bundle_root = common_root(collect_schemas(resolved).paths)
    return _generate(
        resolved,
        package=package,
        label=package,
        description="models generated from a vendor's schema bundle",
        sources=[p.relative_to(bundle_root).as_posix() for p in resolved],
        bundle_root=bundle_root,
    )


def _package_dir(output: Path, package: str) -> Path:
    return output.joinpath(*package.split("."))


def generate_vendor(schemas: Sequence[Path], package: str, output: Path) -> list[str]:
    """Generate ``package`` from ``schemas`` under the source root ``output``.

    Refuses to overwrite a directory holding files this generator did not write.  Missing
    ``__init__.py`` files of the parent packages are created empty.
    """
    tree = render_vendor(schemas, package)
    output = output.resolve()
    target = _package_dir(output, package)
    foreign = [
        path
        for path, data in read_tree(target).items()
        if not data.startswith(GENERATED_MARK.encode())
    ]
    if foreign:
        raise CodegenError(
            f"refusing to write into {target}: it holds files codegen did not generate "
            f"({', '.join(foreign[:5])}{', ...' if len(foreign) > 5 else ''})"
        )
    target.mkdir(parents=True, exist_ok=True)
    touched = write_tree(target, tree)
    parent = target.parent
    while parent != output and output in parent.parents:
        init = parent / "__init__.py"
        if not init.exists():
            init.write_bytes(b"")
            touched.append(str(init))
        parent = parent.parent
    return touched


def check_vendor(schemas: Sequence[Path], package: str, output: Path) -> list[Difference]:
    """Compare a vendor package on disk with what its schemas generate now."""
    tree = render_vendor(schemas, package)
    return compare_trees(tree, read_tree(_package_dir(output, package)))
