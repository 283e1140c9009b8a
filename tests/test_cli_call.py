"""``cbss call``: every implemented facade from the shell, on the in-process simulator, and its errors."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from test_cli_support import assert_one_error_line, isolate, run

from cbss_sdk.testing import Simulator, make_test_certificate
from cbss_sdk.testing._population import PERSONA_SSINS, UNKNOWN_SSIN, default_population
from cbss_sdk.wsse import VerificationConfig

POPULATION = default_population(0)
#: An ordinary, integrated person of the default population.
PERSON = next(
    p for p in POPULATION if not p.tags and p.kind == "national_register" and p.deceased is None
)
SIM = ("--env", "simulator")


@pytest.fixture(autouse=True)
def work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate(monkeypatch, tmp_path)


def _json(result: Any) -> Any:
    assert result.code == 0, result.err
    return json.loads(result.out)


# -- successful calls --------------------------------------------------------------------


def test_tx25_as_json_shows_the_data(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        run(
            capsys,
            "call",
            "RetrieveTIGroups",
            "retrieve",
            "-p",
            f"ssin={PERSON.ssin}",
            "-p",
            "history=true",
            "--json",
            *SIM,
        )
    )
    assert data["meta"]["service"] == "RetrieveTIGroups"
    assert data["meta"]["environment"] == "simulator"
    assert data["meta"]["cbss_ticket"]
    assert data["status"]["value"] == "DATA_FOUND"
    response = data["response"]
    # The user's own query: the SSIN is in the output.
    assert response["search_information"]["ssin"] == PERSON.ssin
    assert response["search_information"]["history"] is True
    assert "file" not in data  # the file is shown once, inside the response
    names = json.dumps(response["rrn_it_implicit"]["names"])
    assert PERSON.last_name in names
    # Dates are ISO text, not tuples.
    assert response["information_cbss"]["timestamp_reply"].startswith("20")


def test_pretty_output_is_a_tree_with_ticket(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys, "call", "RetrieveTIGroups", "retrieveTI", "-p", f"ssin={PERSON.ssin}", *SIM
    )
    assert result.code == 0, result.err
    assert "RetrieveTIGroups.retrieve" in result.out
    assert "CBSS ticket " in result.out
    assert "DATA_FOUND" in result.out
    assert PERSON.ssin in result.out
    assert result.err == ""


def test_ssdn_call_by_cbss_names(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        run(
            capsys,
            "call",
            "OCMWCPASIdentifyPerson",
            "identify",
            "-p",
            f"ssin={PERSON.ssin}",
            "-p",
            f"last_name={PERSON.last_name}",
            "-p",
            f"birth_date={PERSON.birth_date.isoformat()}",
            "--json",
            *SIM,
        )
    )
    assert "22007007" not in {w["reason_code"] for w in data["warnings"]}  # data match
    (found,) = data["reply"]["search_results"]["limited_legal_data"]
    assert found["basic"]["social_security_user"] == PERSON.ssin


def test_register_then_list_with_record_parts(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        run(
            capsys,
            "call",
            "ManageAccess",
            "register",
            "-p",
            f"ssin={PERSON.ssin}",
            "-p",
            "purpose=file_under_investigation",
            "-p",
            "start=2024-01-01",
            "-p",
            f"proof.last_name={PERSON.last_name}",
            "-p",
            f"proof.birth_date={PERSON.birth_date.isoformat()}",
            "--json",
            *SIM,
        )
    )
    (registration,) = data["reply"]["registrations"]
    assert registration["purpose"] == 1
    assert registration["period"]["start_date"] == "2024-01-01"


def test_investigate_selected_groups(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        run(
            capsys,
            "call",
            "PerformInvestigation",
            "investigate",
            "-p",
            f"ssin={PERSON.ssin}",
            "-p",
            "groups=family_composition",
            "--json",
            *SIM,
        )
    )
    groups = data["reply"]["data_groups"]
    assert "family_composition_group" in groups
    assert "address_history_group" not in groups
    members = groups["family_composition_group"]["family_composition"]["family_member"]
    assert {m["social_security_user"] for m in members} == {
        p.ssin for p in POPULATION.household(PERSON.ssin)
    }


def test_describe_lists_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "call", "ManageAccess", "register", "--describe")
    assert result.code == 0, result.err
    for name in ("ssin", "purpose", "start", "end", "proof.sis_card_number", "proof.birth_date"):
        assert name in result.out
    assert "date YYYY-MM-DD" in result.out


# -- usage errors (exit 2, nothing sent) -------------------------------------------------


def test_bad_ssin_is_a_masked_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    bad = PERSON.ssin[:-1] + str((int(PERSON.ssin[-1]) + 1) % 10)
    result = run(capsys, "call", "RetrieveTIGroups", "retrieve", "-p", f"ssin={bad}", *SIM)
    assert_one_error_line(result, 2, "invalid argument ssin", "check")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("call", "Nope", "x"), "unknown service 'Nope'"),
        (("call", "RetrieveTIGroups", "nope"), "has no operation 'nope'"),
        (("call", "RetrieveTIGroups"), "give the operation of RetrieveTIGroups"),
        (("call", "RetrieveTIGroups", "retrieve"), "needs --param ssin=…"),
        (("call", "RetrieveTIGroups", "retrieve", "-p", "ssin"), "--param expects name=value"),
        (
            ("call", "RetrieveTIGroups", "retrieve", "-p", "ssin=1", "-p", "history=maybe"),
            "--param history must be true or false",
        ),
        (
            ("call", "RetrieveTIGroups", "retrieve", "-p", "ssin=1", "-p", "language=en"),
            "--param language must be one of nl, fr, de",
        ),
        (("call", "RetrieveTIGroups", "retrieve", "--env", "mars"), "invalid choice"),
    ],
)
def test_usage_errors(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], fragment: str
) -> None:
    assert_one_error_line(run(capsys, *args), 2, fragment)


def test_facade_validation_error_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "call",
        "ManageAccess",
        "register",
        "-p",
        f"ssin={PERSON.ssin}",
        "-p",
        "purpose=99",
        "-p",
        "start=2024-01-01",
        *SIM,
    )
    assert_one_error_line(result, 2, "purpose must be one of")


# -- CBSS answers that are errors (exit 1) -----------------------------------------------


@pytest.mark.parametrize(
    ("ssin", "fragments"),
    [
        (UNKNOWN_SSIN, ("CBSS refused", "MSG00005")),
        (PERSONA_SSINS["replaced"], ("CBSS refused", "MSG00006", "run with --json")),
        (PERSONA_SSINS["cancelled"], ("MSG00007",)),
        (PERSONA_SSINS["not_integrated"], ("MSG00012",)),
        (PERSONA_SSINS["legal_context_refused"], ("MSG00013",)),
        (PERSONA_SSINS["internal_error"], ("CBSS fault", "MSG00003")),
        (PERSONA_SSINS["unavailable"], ("HTTP error", "503")),
    ],
)
def test_cbss_refusals_are_one_masked_line(
    capsys: pytest.CaptureFixture[str], ssin: str, fragments: tuple[str, ...]
) -> None:
    result = run(capsys, "call", "RetrieveTIGroups", "retrieve", "-p", f"ssin={ssin}", *SIM)
    assert_one_error_line(result, 1, *fragments)
    assert result.out == ""


def test_ssdn_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "call", "IdentifyPerson", "identify", "-p", f"ssin={UNKNOWN_SSIN}", *SIM)
    assert_one_error_line(result, 1, "CBSS refused")


class _DistrustfulSimulator:
    """A simulator whose clients pin another certificate than the one replies are signed with."""

    def __init__(self) -> None:
        self._simulator = Simulator()

    def client(self, **overrides: Any) -> Any:
        other = make_test_certificate(key_label="cli-not-the-simulator").certificate
        return self._simulator.client(
            verification=VerificationConfig(pinned_certificate=other), **overrides
        )


def test_signature_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "cbss_sdk.cli._connect.make_simulator", lambda seed=0: _DistrustfulSimulator()
    )
    result = run(capsys, "call", "RetrieveTIGroups", "retrieve", "-p", f"ssin={PERSON.ssin}", *SIM)
    assert_one_error_line(result, 1, "signature", "reason: untrusted")


def test_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    # The slow persona answers after Simulator(slow_delay=5.0): a 1 s read timeout expires.
    result = run(
        capsys,
        "call",
        "RetrieveTIGroups",
        "retrieve",
        "-p",
        f"ssin={PERSONA_SSINS['slow']}",
        "--timeout",
        "1",
        *SIM,
    )
    assert_one_error_line(result, 1, "timeout")


# -- configuration problems against a real environment ------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_missing_certificate_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "call",
        "RetrieveTIGroups",
        "retrieve",
        "-p",
        f"ssin={PERSON.ssin}",
        "--env",
        "acpt",
        "--cbe",
        "0212344876",
    )
    assert_one_error_line(result, 2, "no certificate configured", "CBSS_CERT")


def test_missing_certificate_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CBSS_CERT", "absent.p12")
    monkeypatch.setenv("CBSS_CERT_PASSWORD", "x")
    result = run(
        capsys,
        "call",
        "RetrieveTIGroups",
        "retrieve",
        "-p",
        f"ssin={PERSON.ssin}",
        "--cbe",
        "0212344876",
    )
    assert_one_error_line(result, 1, "certificate", "absent.p12", "not found")


def test_wrong_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, work: Path
) -> None:
    (work / "cpas.p12").write_bytes(make_test_certificate().pkcs12("right-password"))
    monkeypatch.setenv("CBSS_CERT_PASSWORD", "wrong-password")
    result = run(
        capsys,
        "call",
        "RetrieveTIGroups",
        "retrieve",
        "-p",
        f"ssin={PERSON.ssin}",
        "--cert",
        "cpas.p12",
        "--cbe",
        "0212344876",
    )
    line = assert_one_error_line(result, 1, "wrong password")
    assert "wrong-password" not in line and "right-password" not in line


def test_missing_organisation_and_ssdn_user(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, work: Path
) -> None:
    (work / "cpas.p12").write_bytes(make_test_certificate().pkcs12(None))
    monkeypatch.setenv("CBSS_CERT", "cpas.p12")
    result = run(capsys, "call", "RetrieveTIGroups", "retrieve", "-p", f"ssin={PERSON.ssin}")
    assert_one_error_line(result, 2, "no organisation configured", "CBSS_CBE")
    result = run(
        capsys,
        "call",
        "IdentifyPerson",
        "identify",
        "-p",
        f"ssin={PERSON.ssin}",
        "--cbe",
        "0212344876",
    )
    assert_one_error_line(result, 2, "CBSS_SSDN_USER")


def test_unreachable_host(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, work: Path
) -> None:
    (work / "cpas.p12").write_bytes(make_test_certificate().pkcs12(None))
    port = _closed_port()
    result = run(
        capsys,
        "call",
        "RetrieveTIGroups",
        "retrieve",
        "-p",
        f"ssin={PERSON.ssin}",
        "--cert",
        "cpas.p12",
        "--cbe",
        "0212344876",
        "--base-url",
        f"http://127.0.0.1:{port}/SOA4520/",
        "--timeout",
        "5",
    )
    assert_one_error_line(result, 1, "cannot reach CBSS")


def test_debug_shows_the_traceback_then_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "--debug",
        "call",
        "RetrieveTIGroups",
        "retrieve",
        "-p",
        f"ssin={UNKNOWN_SSIN}",
        *SIM,
    )
    assert result.code == 1
    assert "Traceback" in result.err
    assert result.err.strip().splitlines()[-1].startswith("cbss: error: CBSS refused")
    assert UNKNOWN_SSIN not in result.err
    # --debug is also accepted after the command name.
    late = run(
        capsys,
        "call",
        "RetrieveTIGroups",
        "retrieve",
        "-p",
        f"ssin={UNKNOWN_SSIN}",
        "--debug",
        *SIM,
    )
    assert "Traceback" in late.err


def test_debug_log_never_shows_the_ssin(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "--debug",
        "call",
        "RetrieveTIGroups",
        "retrieve",
        "-p",
        f"ssin={PERSON.ssin}",
        "--json",
        *SIM,
    )
    assert result.code == 0, result.err
    assert "cbss_sdk.transport" in result.err  # the SDK's log is on stderr…
    assert PERSON.ssin not in result.err  # …without the national number
    assert PERSON.ssin in result.out  # which the output, the user's own query, shows
