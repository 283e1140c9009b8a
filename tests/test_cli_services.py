"""``cbss services``: the catalog as a table and as JSON, and the installed entry point."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from test_cli_support import cbss_script, isolate, run

from cbss_sdk import catalog


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def test_table_lists_every_service_with_its_columns(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "services")
    assert result.code == 0, result.err
    for header in ("service / CBSS name", "protocol", "version", "operations", "provenance"):
        assert header in result.out
    for spec in catalog.SERVICES:
        assert spec.key in result.out
        assert spec.cbss_name in result.out
        assert f"[{spec.group}]" in result.out
    row = next(line for line in result.out.splitlines() if line.strip().startswith("ManageAccess "))
    assert row.split() == [
        "ManageAccess",
        "SSDN",
        "20050930",
        "register,",
        "unregister,",
        "list",
        "official-equivalent",
        "yes",
    ]
    assert "OCMWCPASPerformInvestigation" in result.out
    assert "retrieve" in result.out
    implemented = sum(1 for s in catalog.SERVICES if s.implemented)
    assert f"{implemented} of {len(catalog.SERVICES)} services implemented" in result.out


def test_json_mirrors_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "services", "--json")
    assert result.code == 0
    data = json.loads(result.out)
    assert [d["key"] for d in data] == [s.key for s in catalog.SERVICES]
    tx25 = next(d for d in data if d["key"] == "RetrieveTIGroups")
    assert tx25["protocol"] == "soa"
    assert tx25["implemented"] is True
    assert tx25["provenance"] == "official-equivalent"
    (op,) = tx25["operations"]
    assert op["name"] == "retrieveTI"
    assert op["python_name"] == "retrieve"
    assert op["default_legal_context"] == "PCSA:SOCIAL_INQUIRY"
    assert op["path"] == "RetrieveTIGroupsService/v2/retrieveTI"
    planned = next(s for s in catalog.SERVICES if not s.implemented)
    assert next(d for d in data if d["key"] == planned.key)["implemented"] is False


def test_implemented_filter(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "services", "--json", "--implemented")
    keys = {d["key"] for d in json.loads(result.out)}
    assert keys == {s.key for s in catalog.SERVICES if s.implemented}
    assert any(not s.implemented for s in catalog.SERVICES)


def test_missing_rich_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "rich", None)
    result = run(capsys, "services")
    assert result.code == 1
    assert result.err.strip() == (
        "cbss: error: this output needs the 'rich' package: pip install \"cbss-sdk[cli]\" "
        "(or use --json)"
    )
    # JSON output does not need rich.
    assert run(capsys, "services", "--json").code == 0


def test_installed_entry_point_runs(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CBSS_")}
    env["HOME"] = str(tmp_path)
    completed = subprocess.run(
        [cbss_script(), "services", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    keys = [d["key"] for d in json.loads(completed.stdout)]
    assert "RetrieveTIGroups" in keys
    table = subprocess.run(
        [cbss_script(), "services"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "COLUMNS": "150"},
        cwd=tmp_path,
        check=False,
    )
    assert table.returncode == 0, table.stderr
    assert "PerformInvestigation" in table.stdout
