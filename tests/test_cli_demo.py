"""``cbss demo``: the social inquiry on the simulator, checked for content, not just the exit code."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from test_cli_support import NATIONAL_NUMBER, assert_one_error_line, cbss_script, isolate, run

from cbss_sdk._redact import mask_ssin
from cbss_sdk.cli._demo import STEPS, pick_household_head, pick_persons
from cbss_sdk.testing._population import default_population

POPULATION = default_population(0)
HEAD = pick_household_head(POPULATION)


@pytest.fixture(autouse=True)
def work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate(monkeypatch, tmp_path)


def test_persona_is_an_ordinary_household_head() -> None:
    assert HEAD.relationship == 1
    assert not HEAD.tags
    household = POPULATION.household(HEAD.ssin)
    assert len(household) >= 3
    assert all(len(POPULATION.household(p.ssin)) <= len(household) for p in POPULATION)
    chosen = pick_persons(POPULATION, 5, HEAD)
    assert chosen[0] == HEAD
    assert len({p.ssin for p in chosen}) == 5
    assert all(not p.tags and p.deceased is None for p in chosen)


def test_demo_output(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "demo")
    assert result.code == 0, result.err
    out = result.out
    assert "Synthetic data" in out
    assert f"Social inquiry for {HEAD.full_name} ({mask_ssin(HEAD.ssin)})" in out
    for number, title in enumerate(STEPS, start=1):
        assert f"Step {number}/5 · {title}" in out
    # Each step shows its CBSS ticket.
    assert len(re.findall(r"\(CBSS ticket [0-9A-Za-z-]{8,}\)", out)) == 5
    assert "identity data match" in out
    assert "Legal main addresses (history)" in out
    # The family table lists every member of the household, by name, masked.
    for member in POPULATION.household(HEAD.ssin):
        assert member.last_name in out
        assert mask_ssin(member.ssin) in out
    assert "02 spouse" in out or "03 child" in out
    # The async part: progress bar completed and the summary.
    assert "Social inquiries" in out
    assert "5/5" in out
    assert "5/5 inquiries completed" in out
    assert "20 CBSS calls" in out
    # National numbers are masked by default.
    assert NATIONAL_NUMBER.search(out) is None
    assert result.err == ""


def test_persons_and_unmask(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "demo", "--persons", "3", "--unmask")
    assert result.code == 0, result.err
    assert "3/3 inquiries completed" in result.out
    assert HEAD.ssin in result.out
    assert "shown in full" in result.out


def test_other_seed_runs(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "demo", "--seed", "7", "--persons", "2")
    assert result.code == 0, result.err
    head = pick_household_head(default_population(7))
    assert head.full_name in result.out
    assert "2/2 inquiries completed" in result.out


@pytest.mark.parametrize(
    ("persons", "fragment"),
    [("0", "--persons must be at least 1"), ("999", "has only")],
)
def test_bad_persons(capsys: pytest.CaptureFixture[str], persons: str, fragment: str) -> None:
    assert_one_error_line(run(capsys, "demo", "--persons", persons), 2, fragment)


def test_installed_demo_runs(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CBSS_")}
    env.update(HOME=str(tmp_path), COLUMNS="120", NO_COLOR="1")
    completed = subprocess.run(
        [cbss_script(), "demo", "--persons", "4"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Step 5/5 · Family composition" in completed.stdout
    assert "4/4 inquiries completed" in completed.stdout
    assert HEAD.full_name in completed.stdout
    assert NATIONAL_NUMBER.search(completed.stdout) is None
