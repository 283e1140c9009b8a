"""``cbss test-connection``: echo, ticket, environment; a wrong echo exits 1."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from test_cli_support import assert_one_error_line, isolate, run

from cbss_sdk.cli._connection import certificate_subject
from cbss_sdk.models.test_connection_v1.be.fgov.kszbcss.intf.test_connection_service_service.v1 import (
    SendTestMessageResponse,
)
from cbss_sdk.testing import Simulator, make_test_certificate

SIM = ("--env", "simulator")


@pytest.fixture(autouse=True)
def work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate(monkeypatch, tmp_path)


def test_table_shows_match_ticket_and_environment(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "test-connection", *SIM)
    assert result.code == 0, result.err
    out = result.out
    assert "echo matches" in out and "yes" in out
    assert "CBSS ticket" in out
    assert "simulator" in out
    assert "TestConnectionServiceService/sendTestMessage" in out
    # The simulator echoes the certificate of the request signature: the test client's.
    assert "CN=cbss-sdk test client" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "test-connection", "--echo", "bonjour", "--json", *SIM)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["sent"] == data["echo"] == "bonjour"
    assert data["echo_matches"] is True
    assert data["environment"] == "simulator"
    assert len(data["cbss_ticket"]) >= 8
    assert data["certificate_seen"].startswith("CN=cbss-sdk test client")


def test_environment_variable_selects_the_simulator(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CBSS_ENV", "simulator")
    result = run(capsys, "test-connection", "--json")
    assert json.loads(result.out)["environment"] == "simulator"


class _EchoChanger:
    """A simulator that answers the next sendTestMessage with another echo."""

    def __init__(self) -> None:
        self.simulator = Simulator()
        self.simulator.stub(
            "TestConnection",
            "sendTestMessage",
            reply=SendTestMessageResponse(echo="something else", ssl_certificate=""),
        )

    def client(self, **overrides: Any) -> Any:
        return self.simulator.client(**overrides)


def test_echo_mismatch_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cbss_sdk.cli._connect.make_simulator", lambda seed=0: _EchoChanger())
    result = run(capsys, "test-connection", *SIM)
    assert "NO" in result.out
    assert_one_error_line(result, 1, "echo CBSS returned differs")


def test_needs_a_certificate_but_no_organisation(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, work: Path
) -> None:
    result = run(capsys, "test-connection", "--env", "acpt")
    assert_one_error_line(result, 2, "no certificate configured")
    # With a certificate, nothing else is needed before the network: here it is refused.
    (work / "c.p12").write_bytes(make_test_certificate().pkcs12(None))
    result = run(
        capsys,
        "test-connection",
        "--cert",
        "c.p12",
        "--base-url",
        "http://127.0.0.1:9/SOA4520/",
        "--timeout",
        "5",
    )
    assert_one_error_line(result, 1, "cannot reach CBSS")


def test_certificate_subject_reads_pem_and_base64() -> None:
    cert = make_test_certificate()
    assert certificate_subject(cert.certificate_pem.decode()) == cert.subject
    der = base64.b64encode(cert.certificate.public_bytes(serialization.Encoding.DER)).decode()
    assert certificate_subject(der) == cert.subject
    assert certificate_subject("") is None
    assert certificate_subject("not a certificate") is None
