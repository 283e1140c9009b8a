"""The ``cbss`` entry point: the parser of every command and the one place errors are reported.

Each command lives in its own module with ``add_parser`` and ``run``; this
module wires them, turns any failure into ``cbss: error: <one masked
line>`` with exit code 2 (usage) or 1 (runtime), and shows a traceback
only with ``--debug``.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from .. import __version__
from .._redact import mask_national_numbers
from . import _call, _cert, _config_cmd, _connection, _demo, _services, _simulator_cmd
from ._errors import EXIT_OK, describe_error
from ._options import ArgumentParser, connection_options, debug_options

__all__ = ["build_parser", "main"]


def build_parser() -> ArgumentParser:
    """The ``cbss`` argument parser with every command."""
    parser = ArgumentParser(
        prog="cbss",
        parents=[debug_options(top=True)],
        description="Command-line companion of cbss-sdk: try the SDK on the built-in simulator, "
        "list the CBSS services, call any implemented operation, test a connection, inspect "
        "a certificate.",
        epilog="Configuration: flags > environment variables (CBSS_*) > cbss.toml. "
        "Exit codes: 0 ok, 1 failure, 2 usage or configuration error.",
    )
    parser.add_argument("--version", action="version", version=f"cbss-sdk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    debug = [debug_options(top=False)]
    connection = [*debug, connection_options()]
    _demo.add_parser(commands, debug)
    _services.add_parser(commands, debug)
    _call.add_parser(commands, connection)
    _connection.add_parser(commands, connection)
    _cert.add_parser(commands, debug)
    _simulator_cmd.add_parser(commands, debug)
    _config_cmd.add_parser(commands, connection)
    return parser


@contextmanager
def _debug_logging(enabled: bool) -> Iterator[None]:
    """The SDK's (masked) log on stderr for the duration of the command."""
    if not enabled:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("cbss_sdk")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cbss`` command with *argv* (default: ``sys.argv[1:]``); return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        args = build_parser().parse_args(args_list)
        debug = bool(getattr(args, "debug", False))
        with _debug_logging(debug):
            code: int = args.handler(args)
        return code
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except BaseException as exc:  # every failure becomes one line
        message, code = describe_error(exc)
        if debug and not isinstance(exc, KeyboardInterrupt):
            sys.stderr.write(mask_national_numbers(traceback.format_exc()))
        sys.stderr.write(f"cbss: error: {message}\n")
        sys.stderr.flush()
        return code
