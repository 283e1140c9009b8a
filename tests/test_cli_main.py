"""The ``cbss`` entry point: help, version, the one-line error contract, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_cli_support import assert_one_error_line, isolate, run

from cbss_sdk import __version__
from cbss_sdk.cli import build_parser
from cbss_sdk.cli._errors import describe_error
from cbss_sdk.errors import SsinReplaced, StatusInformation


@pytest.fixture(autouse=True)
def work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate(monkeypatch, tmp_path)


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--help")
    assert result.code == 0
    for command in ("demo", "services", "call", "test-connection", "cert", "simulator", "config"):
        assert command in result.out


def test_command_help(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "call", "--help")
    assert result.code == 0
    assert "CBSS_CERT" in result.out
    assert "flags > environment variables > cbss.toml" in result.out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--version")
    assert result.code == 0
    assert result.out.strip() == f"cbss-sdk {__version__}"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((), "the following arguments are required: COMMAND"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        (("services", "--colour"), "unrecognized arguments: --colour"),
        (("cert",), "the following arguments are required: ACTION"),
    ],
)
def test_usage_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], fragment: str
) -> None:
    assert_one_error_line(run(capsys, *args), 2, fragment)


def test_national_number_on_the_command_line_is_masked_in_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = run(capsys, "services", "85073003328")
    assert_one_error_line(result, 2, "unrecognized arguments: ***********")


def test_internal_error_is_one_line_without_details(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_args: object) -> int:
        raise KeyError("Dupont 85073003328")

    monkeypatch.setattr("cbss_sdk.cli._services.run", broken)
    result = run(capsys, "services")
    line = assert_one_error_line(result, 1, "internal error (KeyError)", "--debug")
    assert "Dupont" not in line


def test_interrupt_exits_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("cbss_sdk.cli._services.run", interrupted)
    assert_one_error_line(run(capsys, "services"), 130, "interrupted")


def test_replaced_ssin_never_prints_the_replacement() -> None:
    error = SsinReplaced(
        information=(StatusInformation("replacedBy", "85073003328"),),
        service="RetrieveTIGroups",
        operation="retrieveTI",
    )
    assert error.replacement == "85073003328"
    message, code = describe_error(error)
    assert code == 1
    assert "85073003328" not in message
    assert "--json" in message


def test_parser_refuses_abbreviations() -> None:
    parser = build_parser()
    assert parser.allow_abbrev is False


def test_python_dash_m(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "cbss_sdk.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == f"cbss-sdk {__version__}"
