"""``cbss config``: the configuration a command would use, and where each value comes from.

Three sources (flags, environment variables, the TOML file) make "why does
it talk to acpt?" a fair question; this command answers it.  The
certificate password is reported as set or not set, never shown.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import Any

from ._config import PASSWORD_VARIABLE, SETTINGS
from ._errors import EXIT_OK
from ._options import settings_from_args
from ._output import dump_json, make_console

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "config",
        parents=parents,
        help="show the resolved configuration and the source of each value",
        description="Show the configuration the CBSS commands would use (flags > environment "
        "variables > cbss.toml) and where each value comes from. Passwords are never shown.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)


def _password_state(password_env: str | None, from_flag: bool) -> tuple[str, str]:
    if from_flag and password_env:
        return ("set" if password_env in os.environ else "NOT SET"), f"env {password_env}"
    if PASSWORD_VARIABLE in os.environ:
        return "set", f"env {PASSWORD_VARIABLE}"
    if password_env:
        return ("set" if password_env in os.environ else "NOT SET"), f"env {password_env}"
    return "not set", "prompt on a terminal"


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    rows: list[tuple[str, str, str]] = []
    defaults = {
        "environment": "custom (base_url)" if settings.base_url else "acpt",
        "timeout": "10 s connect, 30 s read",
        "verification": "required",
    }
    for key in SETTINGS:
        value = getattr(settings, key.name)
        shown = defaults.get(key.name, "—") if value is None else str(value)
        rows.append((key.name, shown, settings.source(key.name)))
    state, where = _password_state(settings.password_env, settings.source("password_env") == "flag")
    rows.append(("password", state, where))
    if args.json:
        dump_json(
            {
                "config_file": settings.config_path,
                "settings": {name: {"value": v, "source": s} for name, v, s in rows},
            }
        )
        return EXIT_OK
    console = make_console()
    from rich.table import Table

    table = Table(
        title=f"cbss configuration (file: {settings.config_path or 'none'})", title_justify="left"
    )
    table.add_column("setting", style="bold")
    table.add_column("value", overflow="fold")
    table.add_column("source")
    for name, value, source in rows:
        table.add_row(name, value, source)
    console.print(table)
    return EXIT_OK
