"""Helpers shared by the ``cbss`` command tests (no tests of its own).

``isolate`` gives a test a clean world: no ``CBSS_*`` variable, a fresh
working directory and home (so no ``cbss.toml`` of the developer is read);
``run`` calls ``main`` in process and returns exit code, stdout and stderr;
``assert_one_error_line`` checks the error contract of the command.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import attrs
import pytest

from cbss_sdk.cli import main

NATIONAL_NUMBER = re.compile(r"(?<!\d)\d{11}(?!\d)")


@attrs.frozen
class Run:
    code: int
    out: str
    err: str


def isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Remove CBSS_* variables, use an empty home and working directory; return the latter."""
    for name in list(os.environ):
        if name.startswith("CBSS_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(work)
    return work


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    """``cbss ARGS`` in process."""
    code = main(list(args))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def assert_one_error_line(result: Run, code: int, *fragments: str) -> str:
    """The command failed with *code* and exactly one masked ``cbss: error:`` line."""
    assert result.code == code, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    line = lines[0]
    assert line.startswith("cbss: error: "), line
    assert "Traceback" not in result.err
    assert NATIONAL_NUMBER.search(result.err) is None, line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


def cbss_script() -> str:
    """The installed ``cbss`` console script next to this interpreter."""
    candidate = Path(sys.executable).with_name("cbss")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("cbss")
    if found is None:
        pytest.skip("the cbss console script is not installed (pip install -e '.[cli]')")
    return found
