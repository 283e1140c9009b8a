"""``cbss simulator``: the HTTP simulator in a subprocess, reached by the other commands."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_cli_support import assert_one_error_line, cbss_script, isolate, run

from cbss_sdk.cli._simulator_cmd import CLIENT_TOML, server_url, write_client_files
from cbss_sdk.testing import Simulator
from cbss_sdk.testing._population import PERSONA_SSINS, default_population

pytest.importorskip("uvicorn")

PERSON = next(p for p in default_population(0) if not p.tags and p.kind == "national_register")
STARTUP_SECONDS = 30.0


@pytest.fixture(autouse=True)
def work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate(monkeypatch, tmp_path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(process: subprocess.Popen[str], url: str) -> httpx.Response:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _out, err = process.communicate()
            pytest.fail(f"cbss simulator exited with {process.returncode}: {err[-2000:]}")
        try:
            return httpx.get(url, timeout=1.0)
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"cbss simulator did not answer on {url} within {STARTUP_SECONDS:g} s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = _free_port()
    files = tmp_path / "client"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CBSS_")}
    process = subprocess.Popen(
        [cbss_script(), "simulator", "--port", str(port), "--client-files", str(files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        yield f"http://127.0.0.1:{port}", files, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT if sys.platform != "win32" else signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def test_serves_and_answers_the_other_commands(
    server: tuple[str, Path, subprocess.Popen[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, files, process = server
    status = _wait_until_up(process, root + "/")
    assert status.status_code == 200
    services = {s["service"] for s in status.json()["services"]}
    assert {"TestConnection", "RetrieveTIGroups", "IdentifyPerson"} <= services

    toml = files / CLIENT_TOML
    assert toml.is_file()
    assert f'base_url = "{root}/SOA4520/"' in toml.read_text()

    connection = run(capsys, "test-connection", "--config", str(toml), "--json")
    assert connection.code == 0, connection.err
    assert json.loads(connection.out)["echo_matches"] is True

    tx25 = run(
        capsys,
        "call",
        "RetrieveTIGroups",
        "retrieve",
        "-p",
        f"ssin={PERSON.ssin}",
        "--config",
        str(toml),
        "--json",
    )
    assert tx25.code == 0, tx25.err
    assert json.loads(tx25.out)["status"]["value"] == "DATA_FOUND"

    family = run(
        capsys,
        "call",
        "PerformInvestigation",
        "investigate",
        "-p",
        f"ssin={PERSON.ssin}",
        "--config",
        str(toml),
        "--json",
    )
    assert family.code == 0, family.err

    refused = run(
        capsys,
        "call",
        "RetrieveTIGroups",
        "retrieve",
        "-p",
        f"ssin={PERSONA_SSINS['cancelled']}",
        "--config",
        str(toml),
    )
    assert_one_error_line(refused, 1, "MSG00007")

    # Stop it like a user does (Ctrl-C) and check what it printed.
    process.send_signal(signal.SIGINT)
    out, _err = process.communicate(timeout=15)
    assert process.returncode == 0
    assert f"SOA base URL:    {root}/SOA4520/" in out
    assert "connectors/webservice/KSZBCSSWebServiceConnectorPort" in out
    assert "test-connection --config" in out


def test_port_in_use_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(capsys, "simulator", "--port", str(port))
    assert_one_error_line(result, 1, f"cannot listen on 127.0.0.1:{port}")


def test_bad_port(capsys: pytest.CaptureFixture[str]) -> None:
    assert_one_error_line(run(capsys, "simulator", "--port", "70000"), 2, "--port")


def test_personas_listing(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "simulator", "--personas")
    assert result.code == 0, result.err
    for tag, ssin in PERSONA_SSINS.items():
        assert tag in result.out
        assert ssin in result.out


def test_client_files_for_an_unsigned_simulator(tmp_path: Path) -> None:
    simulator = Simulator(sign_replies=False)
    files = write_client_files(
        tmp_path / "c", simulator, "http://127.0.0.1:1/SOA4520/", verification="if_present"
    )
    assert [f.name for f in files] == ["simulator-client.p12", "simulator-signing.pem", "cbss.toml"]
    text = (tmp_path / "c" / "cbss.toml").read_text()
    assert 'verification = "if_present"' in text
    assert 'cbe = "0212344876"' in text
    assert b"BEGIN CERTIFICATE" in (tmp_path / "c" / "simulator-signing.pem").read_bytes()


def test_server_url() -> None:
    assert server_url("0.0.0.0", 8450) == "http://127.0.0.1:8450"
    assert server_url("::1", 8450) == "http://[::1]:8450"
