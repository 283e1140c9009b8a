"""Command line of the code generator: ``python -m codegen [--check | --list | UNIT ...]``.

Also the vendor path: ``python -m codegen --schema Entry.xsd --package pkg --output DIR``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import (
    DEFAULT_MODELS_ROOT,
    DEFAULT_UNITS_FILE,
    DEFAULT_XSD_ROOT,
    XSDATA_VERSION,
    CodegenError,
    Difference,
    check_models,
    check_vendor,
    generate_models,
    generate_vendor,
    load_units,
    select_units,
)
from ._xsdata import ruff_version

_MAX_SHOWN = 50


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m codegen",
        description=(
            "Generate cbss_sdk.models from the schemas under xsd/ (one xsdata run per unit of "
            f"codegen/units.toml, xsdata {XSDATA_VERSION}), check that the committed models are "
            "fresh, or generate a package from your own schema bundle."
        ),
    )
    parser.add_argument("units", nargs="*", metavar="UNIT", help="units to regenerate (all)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary directory and fail if anything differs",
    )
    mode.add_argument("--list", action="store_true", help="list the units and exit")
    vendor = parser.add_argument_group("vendor path (your own schema bundle)")
    vendor.add_argument(
        "--schema",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="entry schema (.xsd or .wsdl); repeat for several entries of one run",
    )
    vendor.add_argument("--package", help="dotted package to generate, e.g. acme.cbss_models")
    vendor.add_argument(
        "--output", type=Path, help="source root that receives the package directory"
    )
    paths = parser.add_argument_group("inputs and output of the project generation")
    paths.add_argument("--units-file", type=Path, default=DEFAULT_UNITS_FILE)
    paths.add_argument("--xsd-root", type=Path, default=DEFAULT_XSD_ROOT)
    paths.add_argument("--models-root", type=Path, default=DEFAULT_MODELS_ROOT)
    return parser


def _report_differences(differences: Sequence[Difference], what: str, fix: str) -> int:
    if not differences:
        print(f"{what} are up to date.")
        return 0
    print(f"{what} are stale: {len(differences)} difference(s).", file=sys.stderr)
    for difference in differences[:_MAX_SHOWN]:
        print(str(difference), file=sys.stderr)
    if len(differences) > _MAX_SHOWN:
        print(f"... and {len(differences) - _MAX_SHOWN} more", file=sys.stderr)
    print(f"Fix: {fix}", file=sys.stderr)
    print(
        f"(generated with xsdata {XSDATA_VERSION} and {ruff_version()}; when only formatting "
        "differs, compare the ruff release with the one the models were committed with)",
        file=sys.stderr,
    )
    return 1


def _run_vendor(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.units or args.list:
        parser.error("--schema cannot be combined with unit names or --list")
    if not args.package or not args.output:
        parser.error("--schema needs --package and --output")
    if args.check:
        differences = check_vendor(args.schema, args.package, args.output)
        return _report_differences(
            differences,
            f"package {args.package} in {args.output}",
            "run the same command without --check",
        )
    touched = generate_vendor(args.schema, args.package, args.output)
    print(f"generated {args.package} in {args.output} ({len(touched)} file(s) written)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        if args.schema:
            return _run_vendor(args, parser)
        if args.package or args.output:
            parser.error("--package and --output belong to the vendor path: add --schema")
        units = load_units(args.units_file)
        if args.list:
            for unit in units:
                print(f"{unit.name:32} {unit.package:48} {' + '.join(unit.entries)}")
            return 0
        if args.check:
            if args.units:
                parser.error("--check always checks every unit")
            differences = check_models(units, args.xsd_root, args.models_root)
            status = _report_differences(
                differences,
                f"Generated models in {args.models_root}",
                "run `python -m codegen` and commit the result",
            )
            print(f"(checked {len(units)} units in {time.perf_counter() - started:.1f} s)")
            return status
        only = select_units(units, args.units) if args.units else None
        touched = generate_models(units, args.xsd_root, args.models_root, only=only)
        count = len(only) if only is not None else len(units)
        print(
            f"generated {count} unit(s) into {args.models_root}: {len(touched)} file(s) written "
            f"or removed in {time.perf_counter() - started:.1f} s"
        )
        return 0
    except CodegenError as exc:
        print(f"codegen: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
