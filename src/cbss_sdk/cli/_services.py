"""``cbss services``: the service catalog as a table (or JSON).

Shows what CBSS offers to CPAS and what the SDK implements today, straight
from :mod:`cbss_sdk.catalog`, so the command never disagrees with the code.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from .. import catalog
from ._errors import EXIT_OK
from ._output import dump_json, make_console

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "services",
        parents=parents,
        help="list the CBSS services and which ones the SDK implements",
        description="List the CBSS services of the catalog: key, CBSS name, group, protocol, "
        "version, operations, schema provenance and whether the SDK implements them.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--implemented", action="store_true", help="only the services the SDK implements"
    )
    parser.set_defaults(handler=run)


def _operation(op: catalog.OperationSpec) -> dict[str, Any]:
    return {
        "name": op.name,
        "python_name": op.python_name,
        "summary": op.summary,
        "implemented": op.implemented,
        "idempotent": op.idempotent,
        "default_legal_context": op.default_legal_context,
        "path": op.path or None,
        "soap_action": op.soap_action,
    }


def _service(spec: catalog.ServiceSpec) -> dict[str, Any]:
    return {
        "key": spec.key,
        "cbss_name": spec.cbss_name,
        "title": spec.title,
        "group": spec.group,
        "protocol": spec.protocol,
        "version": spec.version,
        "provenance": spec.provenance,
        "implemented": spec.implemented,
        "ssdn_service_id": spec.ssdn_service_id,
        "ssdn_version": spec.ssdn_version,
        "operations": [_operation(op) for op in spec.operations],
    }


def run(args: argparse.Namespace) -> int:
    services = [s for s in catalog.SERVICES if s.implemented or not args.implemented]
    if args.json:
        dump_json([_service(s) for s in services])
        return EXIT_OK

    console = make_console()
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title="CBSS services (cbss-sdk catalog), by group",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("service / CBSS name", no_wrap=True)
    table.add_column("protocol", no_wrap=True)
    table.add_column("version", no_wrap=True)
    table.add_column("operations")
    table.add_column("provenance", no_wrap=True)
    table.add_column("impl.", justify="center", no_wrap=True)
    groups: dict[str, list[catalog.ServiceSpec]] = {}
    for spec in services:
        groups.setdefault(spec.group, []).append(spec)
    for group, members in groups.items():
        table.add_row(Text(f"[{group}]", style="bold"))
        for spec in members:
            name = Text(spec.key)
            if spec.cbss_name != spec.key:
                name.append("\n" + spec.cbss_name, style="dim")
            table.add_row(
                name,
                spec.protocol.upper(),
                spec.version,
                ", ".join(op.python_name for op in spec.operations),
                spec.provenance,
                Text("yes", style="green") if spec.implemented else Text("no", style="dim"),
            )
        table.add_section()
    console.print(table)
    done = sum(1 for s in catalog.SERVICES if s.implemented)
    console.print(
        f"{done} of {len(catalog.SERVICES)} services implemented. "
        "Call one with: cbss call SERVICE OPERATION --param name=value"
    )
    return EXIT_OK
