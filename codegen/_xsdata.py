"""Running ``xsdata generate`` in a subprocess, with every warning treated as an error.

xsdata only *warns* when a schema is missing or a type cannot be resolved, then exits 0 having
written classes with wrong fields.  This module captures its output, fails on any warning or
error line and on a non-zero exit, and checks that xsdata read no file the generator did not
account for.  A subprocess keeps xsdata's import of the freshly generated package (its own
import-cycle check) away from the ``cbss_sdk`` package this process may have imported.
``format_package`` reruns xsdata's own ruff commands after the generator edited the output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import quoteattr

from lxml import etree
from xsdata.formats import dataclass as xsdata_dataclass_format

from ._config import MAX_LINE_LENGTH, build_config_xml
from ._errors import CodegenError

__all__ = ["XsdataResult", "format_package", "ruff_version", "run_xsdata"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# xsdata's log handler prefixes records above INFO with their level and prints a summary
# "Warnings: N"; Python warnings it captures read "<Category>Warning: message".
_PROBLEM = re.compile(
    r"^\s*(?:(?:warning|error|critical|exception)\b|warnings:\s*\d+|\w*(?:Warning|Error)\b\s*:)",
    re.IGNORECASE,
)
_PARSED = re.compile(r"^Parsing (?:schema|definitions) (\S+)")


@dataclass(frozen=True)
class XsdataResult:
    """What one xsdata run wrote and said."""

    package_dir: Path
    log: str
    parsed: tuple[Path, ...]


def _tool_path() -> str:
    """PATH for the subprocess: this interpreter's bin directory first, so ruff is found."""
    bin_dir = str(Path(sys.executable).parent)
    return os.pathsep.join([bin_dir, os.environ.get("PATH", "")])


def ruff_version() -> str:
    """The version line of the ruff that xsdata will call, or a note that it is missing."""
    ruff = shutil.which("ruff", path=_tool_path())
    if ruff is None:
        return "ruff not found"
    done = subprocess.run([ruff, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or done.stderr.strip()


def _target_namespace(path: Path) -> str:
    root = etree.parse(str(path), etree.XMLParser(no_network=True)).getroot()
    if root.tag != "{http://www.w3.org/2001/XMLSchema}schema":
        raise CodegenError(
            f"{path}: only XML schemas can be combined in one run (a WSDL must be the only entry)"
        )
    namespace = root.get("targetNamespace")
    if not namespace:
        raise CodegenError(f"entry schema {path} has no targetNamespace")
    return namespace


def _write_wrapper(entries: Sequence[Path], destination: Path) -> Path:
    """A namespace-less schema that imports every entry file, so one run reads them all.

    ``xsdata generate`` takes one source; the wrapper itself declares nothing, so it adds no
    class.  Entries sharing a namespace are imported one by one: xsdata follows every
    ``schemaLocation``, unlike libxml2, which keeps the first import of a namespace only.
    """
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">',
    ]
    for entry in entries:
        namespace = quoteattr(_target_namespace(entry))
        lines.append(
            f"  <xs:import namespace={namespace} schemaLocation={quoteattr(entry.as_uri())}/>"
        )
    lines.append("</xs:schema>")
    destination.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return destination


def run_xsdata(entries: Sequence[Path], package: str, workdir: Path) -> XsdataResult:
    """Generate ``package`` from ``entries`` under ``workdir`` and return where it landed.

    ``workdir`` must be an empty scratch directory; the package is written below
    ``workdir/out`` following its dotted name.
    """
    if shutil.which("ruff", path=_tool_path()) is None:
        raise CodegenError(
            f"ruff not found next to {sys.executable} nor on PATH; xsdata needs it to format "
            "the generated code (install the codegen extra)"
        )
    resolved = [p.resolve() for p in entries]
    config_file = workdir / "xsdata-config.xml"
    config_file.write_text(build_config_xml(package), encoding="utf-8")
    if len(resolved) == 1:
        source = resolved[0]
    else:
        source = _write_wrapper(resolved, workdir / "entries.xsd")
    out = workdir / "out"
    out.mkdir()
    env = dict(os.environ)
    env.update(
        PATH=_tool_path(),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONHASHSEED="0",
        RUFF_NO_CACHE="true",
        NO_COLOR="1",
        PYTHONIOENCODING="utf-8",
    )
    env.pop("PYTHONPATH", None)
    completed = subprocess.run(
        [sys.executable, "-m", "xsdata", "generate", "--config", str(config_file), str(source)],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    log = _ANSI.sub("", completed.stdout + completed.stderr)
    problems = [line.strip() for line in log.splitlines() if _PROBLEM.match(line)]
    if completed.returncode != 0 or problems:
        detail = "\n".join(problems) or log.strip()[-4000:]
        raise CodegenError(
            f"xsdata failed for package {package} (exit {completed.returncode}; warnings are "
            f"errors here):\n{detail}"
        )
    parsed = tuple(
        sorted(
            Path(unquote(urlsplit(m.group(1)).path)).resolve()
            for m in map(_PARSED.match, log.splitlines())
            if m
        )
    )
    package_dir = out.joinpath(*package.split("."))
    if not package_dir.is_dir():
        raise CodegenError(f"xsdata wrote nothing for package {package}:\n{log.strip()[-4000:]}")
    return XsdataResult(package_dir=package_dir, log=log, parsed=parsed)


def format_package(package_dir: Path) -> None:
    """Run ruff on ``package_dir`` exactly as xsdata does after writing (lint fixes, format).

    Used after the generator's own edits, so they are formatted like the rest of the code.
    """
    ruff = shutil.which("ruff", path=_tool_path())
    if ruff is None:
        raise CodegenError(f"ruff not found next to {sys.executable} nor on PATH")
    config = Path(xsdata_dataclass_format.__file__).parent / "ruff.toml"  # xsdata's own
    options = ["--config", str(config), "--config", f"line-length={MAX_LINE_LENGTH}"]
    commands = [
        [ruff, "check", *options, "--fix", "--unsafe-fixes", "--exit-zero", str(package_dir)],
        [ruff, "format", *options, str(package_dir)],
    ]
    env = {**os.environ, "RUFF_NO_CACHE": "true", "NO_COLOR": "1"}
    for command in commands:
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=package_dir, check=False
        )
        if done.returncode != 0:
            raise CodegenError(
                f"ruff {command[1]} failed on the generated code:\n"
                f"{(done.stderr or done.stdout).strip()[-4000:]}"
            )
