"""``cbss call SERVICE OPERATION --param name=value …``: any implemented facade method from the shell.

The service is a catalog key (or CBSS name), the operation a Python or CBSS
operation name; the facade class and its method are found from the catalog,
the parameters converted by the method's annotations.  The result is shown
as a tree or, with ``--json``, as JSON.  SSINs are shown in the output (it
is the user's own query) and never written to a log.
"""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Callable, Sequence
from typing import Any

from .. import catalog
from ._connect import open_client
from ._errors import EXIT_OK, UsageError
from ._options import settings_from_args
from ._output import dump_json, make_console, render_tree, to_jsonable
from ._params import Parameter, bind_params, expand_parameters, method_parameters, parse_assignments

__all__ = ["add_parser", "find_operation", "run"]


def add_parser(subparsers: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "call",
        parents=parents,
        help="call any implemented service operation",
        description="Call an operation of an implemented service. SERVICE is a catalog key "
        "(cbss services) or CBSS name; OPERATION its Python or CBSS name. Parameters are "
        "converted by the facade's annotations: dates YYYY-MM-DD, booleans true/false, enums "
        "by value or name, lists as comma-separated values, parts of a record as "
        "record.field=value.",
    )
    parser.add_argument("service", metavar="SERVICE")
    parser.add_argument("operation", metavar="OPERATION", nargs="?")
    parser.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="one argument of the operation (repeat for each)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--describe",
        action="store_true",
        help="list the operation's parameters instead of calling it",
    )
    parser.set_defaults(handler=run)


def _facade_class(spec: catalog.ServiceSpec, op: catalog.OperationSpec) -> type[Any]:
    """The facade the catalog names for *spec*, provided it declares *op*.

    Looked up by name (:attr:`~cbss_sdk.catalog.ServiceSpec.facade_name`), so
    that only this facade and its own service's generated models are imported.
    (One facade may serve several catalog services, such as the three
    Law-of-1965 forms.)
    """
    from .. import services

    name = spec.facade_name
    candidate = getattr(services, name) if name in services.__all__ else None
    declared = inspect.getattr_static(candidate, op.python_name, None)
    if (
        isinstance(candidate, type)
        and issubclass(candidate, services.Facade)
        and isinstance(declared, (services.operation, services.paged_operation))
    ):
        return candidate
    raise UsageError(f"{spec.key} has no facade in this version of cbss-sdk")


def find_operation(
    service: str, operation: str | None
) -> tuple[catalog.ServiceSpec, catalog.OperationSpec, type[Any], Callable[..., Any]]:
    """The catalog entries, facade class and prepare function for SERVICE OPERATION."""
    try:
        spec = catalog.service(service)
    except KeyError:
        keys = sorted(s.key for s in catalog.SERVICES if s.implemented)
        raise UsageError(
            f"unknown service {service[:60]!r} (implemented: {', '.join(keys)}; all: cbss services)"
        ) from None
    names = ", ".join(op.python_name for op in spec.operations if op.implemented)
    if not spec.implemented:
        raise UsageError(f"{spec.key} is in the catalog but not implemented yet")
    if operation is None:
        raise UsageError(f"give the operation of {spec.key} to call ({names})")
    try:
        op = spec.operation(operation)
    except KeyError:
        raise UsageError(f"{spec.key} has no operation {operation[:60]!r} ({names})") from None
    if not op.implemented:
        raise UsageError(f"{spec.key}.{op.python_name} is not implemented yet")
    cls = _facade_class(spec, op)
    descriptor = inspect.getattr_static(cls, op.python_name, None)
    prepare = getattr(descriptor, "__wrapped__", None)
    if prepare is None or not callable(prepare):
        raise UsageError(f"{spec.key}.{op.python_name} cannot be called from the command line")
    return spec, op, cls, prepare


def _describe(
    spec: catalog.ServiceSpec, op: catalog.OperationSpec, params: list[Parameter]
) -> None:
    console = make_console()
    from rich.table import Table

    table = Table(title=f"{spec.key}.{op.python_name} — {op.summary}", title_justify="left")
    table.add_column("--param")
    table.add_column("type")
    table.add_column("required", justify="center")
    for name, kind, required in expand_parameters(params):
        table.add_row(name, kind, "yes" if required else "")
    console.print(table)


def _print_result(label: str, result: Any) -> None:
    console = make_console()
    from rich.text import Text

    data = to_jsonable(result)
    meta = data.pop("meta", None) if isinstance(data, dict) else None
    if isinstance(meta, dict):
        line = Text.assemble(
            ("CBSS ticket ", "bold"),
            str(meta.get("cbss_ticket") or "—"),
            "   environment ",
            str(meta.get("environment") or "—"),
        )
        console.print(line)
    warnings = getattr(result, "warnings", ())
    for warning in warnings or ():
        console.print(
            Text(f"warning {warning.reason_code}: {warning.diagnostic or ''}", style="yellow")
        )
    if getattr(result, "no_data", False):
        console.print(Text("CBSS found no data for this request.", style="yellow"))
    console.print(render_tree(data, label))


def run(args: argparse.Namespace) -> int:
    spec, op, cls, prepare = find_operation(args.service, args.operation)
    params = method_parameters(prepare)
    label = f"{spec.key}.{op.python_name}"
    if args.describe:
        _describe(spec, op, params)
        return EXIT_OK
    kwargs = bind_params(params, parse_assignments(args.param), where=label)
    settings = settings_from_args(args)
    if not args.json:
        make_console()  # fail on a missing rich before anything is sent
    with open_client(settings, service=spec, seed=args.seed) as client:
        result = getattr(cls(client), op.python_name)(**kwargs)
    if args.json:
        dump_json(result)
    else:
        _print_result(label, result)
    return EXIT_OK
