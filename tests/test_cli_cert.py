"""``cbss cert inspect``: PKCS#12 and PEM files, passwords, validity, key match, errors."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from test_cli_support import assert_one_error_line, isolate, run

from cbss_sdk.testing import (
    DEFAULT_TEST_PASSWORD,
    GeneratedCertificate,
    make_test_ca,
    make_test_certificate,
)

# 2.5.4.5 is serialNumber, where personal certificates carry the national number.
NN_SUBJECT = "CN=Test Person,2.5.4.5=85073003328,O=CPAS Testville,C=BE"


@pytest.fixture(autouse=True)
def work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate(monkeypatch, tmp_path)


@pytest.fixture(scope="module")
def leaf() -> GeneratedCertificate:
    return make_test_certificate(issuer=make_test_ca())


def _fingerprint(cert: GeneratedCertificate) -> str:
    return hashlib.sha256(cert.certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def test_pkcs12_with_password_from_default_variable(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    work: Path,
    leaf: GeneratedCertificate,
) -> None:
    (work / "cpas.p12").write_bytes(leaf.pkcs12(DEFAULT_TEST_PASSWORD))
    monkeypatch.setenv("CBSS_CERT_PASSWORD", DEFAULT_TEST_PASSWORD)
    result = run(capsys, "cert", "inspect", "cpas.p12", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["format"] == "PKCS#12"
    assert data["subject"] == leaf.subject
    assert data["issuer"] == "CN=cbss-sdk Test Root CA,O=cbss-sdk test PKI,C=BE"
    assert data["validity"] == "valid"
    assert data["key_type"] == "RSA 2048 bits"
    assert data["key_matches"] is True
    assert data["fingerprint_sha256"] == _fingerprint(leaf)
    assert data["serial"].replace(":", "") == format(leaf.certificate.serial_number, "x").rjust(
        len(data["serial"].replace(":", "")), "0"
    )
    assert data["chain"] == ["CN=cbss-sdk Test Root CA,O=cbss-sdk test PKI,C=BE"]
    assert data["problems"] == []
    assert DEFAULT_TEST_PASSWORD not in result.out + result.err


def test_table_output(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    work: Path,
    leaf: GeneratedCertificate,
) -> None:
    (work / "cpas.p12").write_bytes(leaf.pkcs12(DEFAULT_TEST_PASSWORD))
    monkeypatch.setenv("MY_P12_PASSWORD", DEFAULT_TEST_PASSWORD)
    result = run(capsys, "cert", "inspect", "cpas.p12", "--password-env", "MY_P12_PASSWORD")
    assert result.code == 0, result.err
    out = result.out
    for label in ("subject", "issuer", "serial", "valid from", "valid until", "SHA-256"):
        assert label in out
    assert "CN=cbss-sdk test client" in out
    assert "RSA 2048 bits" in out
    assert "key matches" in out and "yes" in out
    colons = ":".join(_fingerprint(leaf).upper()[i : i + 2] for i in range(0, 64, 2))
    assert colons in out, out
    assert "days left" in out


def test_unencrypted_pkcs12_needs_no_password(
    capsys: pytest.CaptureFixture[str], work: Path, leaf: GeneratedCertificate
) -> None:
    (work / "open.p12").write_bytes(leaf.pkcs12(None))
    result = run(capsys, "cert", "inspect", "open.p12", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["key_matches"] is True


def test_wrong_password_is_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    work: Path,
    leaf: GeneratedCertificate,
) -> None:
    (work / "cpas.p12").write_bytes(leaf.pkcs12(DEFAULT_TEST_PASSWORD))
    monkeypatch.setenv("CBSS_CERT_PASSWORD", "not-the-password")
    result = run(capsys, "cert", "inspect", "cpas.p12")
    line = assert_one_error_line(result, 1, "cpas.p12", "wrong password")
    assert "not-the-password" not in line


def test_no_password_and_no_terminal_says_how_to_give_one(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    work: Path,
    leaf: GeneratedCertificate,
) -> None:
    (work / "cpas.p12").write_bytes(leaf.pkcs12(DEFAULT_TEST_PASSWORD))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    result = run(capsys, "cert", "inspect", "cpas.p12")
    assert_one_error_line(result, 1, "password-protected", "CBSS_CERT_PASSWORD", "--password-env")


def test_prompts_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    work: Path,
    leaf: GeneratedCertificate,
) -> None:
    (work / "cpas.p12").write_bytes(leaf.pkcs12(DEFAULT_TEST_PASSWORD))

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return DEFAULT_TEST_PASSWORD

    monkeypatch.setattr("sys.stdin", Tty(""))
    monkeypatch.setattr("getpass.getpass", fake_getpass)
    result = run(capsys, "cert", "inspect", "cpas.p12", "--json")
    assert result.code == 0, result.err
    assert prompts == ["Password for cpas.p12: "]


def test_named_password_variable_must_exist(
    capsys: pytest.CaptureFixture[str], work: Path, leaf: GeneratedCertificate
) -> None:
    (work / "cpas.p12").write_bytes(leaf.pkcs12(DEFAULT_TEST_PASSWORD))
    result = run(capsys, "cert", "inspect", "cpas.p12", "--password-env", "NOPE_PW")
    assert_one_error_line(result, 2, "NOPE_PW", "is not set")


def test_password_is_not_a_flag(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    # No abbreviation either: "--password" must not silently mean "--password-env".
    result = run(capsys, "cert", "inspect", "x.p12", "--password", "secret")
    assert_one_error_line(result, 2, "unrecognized arguments")


def test_password_env_must_be_a_variable_name(
    capsys: pytest.CaptureFixture[str], work: Path
) -> None:
    result = run(capsys, "cert", "inspect", "x.p12", "--password-env", "my secret!")
    line = assert_one_error_line(
        result, 2, "--password-env must be the name of an environment variable"
    )
    assert "my secret!" not in line


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert_one_error_line(
        run(capsys, "cert", "inspect", "nowhere.p12"), 1, "nowhere.p12", "not found"
    )


def test_garbage_file(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    (work / "junk.bin").write_bytes(b"\x01\x02 not a certificate at all")
    assert_one_error_line(
        run(capsys, "cert", "inspect", "junk.bin"), 1, "neither a PKCS#12 file nor a PEM/DER"
    )


def test_pem_certificate_with_matching_key(
    capsys: pytest.CaptureFixture[str], work: Path, leaf: GeneratedCertificate
) -> None:
    (work / "cert.pem").write_bytes(leaf.certificate_pem)
    (work / "key.pem").write_bytes(leaf.private_key_pem)
    result = run(capsys, "cert", "inspect", "cert.pem", "--key", "key.pem", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["format"] == "PEM"
    assert data["key_matches"] is True


def test_pem_certificate_alone_is_not_checked(
    capsys: pytest.CaptureFixture[str], work: Path, leaf: GeneratedCertificate
) -> None:
    (work / "cert.pem").write_bytes(leaf.certificate_pem)
    result = run(capsys, "cert", "inspect", "cert.pem", "--json")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["key_matches"] is None
    assert any("--key" in note for note in data["notes"])


def test_der_certificate(
    capsys: pytest.CaptureFixture[str], work: Path, leaf: GeneratedCertificate
) -> None:
    (work / "cert.der").write_bytes(leaf.certificate.public_bytes(serialization.Encoding.DER))
    result = run(capsys, "cert", "inspect", "cert.der", "--json")
    assert result.code == 0
    assert json.loads(result.out)["format"] == "DER certificate"


def test_encrypted_pem_key_uses_the_password(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    work: Path,
    leaf: GeneratedCertificate,
) -> None:
    (work / "cert.pem").write_bytes(leaf.certificate_pem)
    (work / "key.pem").write_bytes(leaf.encrypted_private_key_pem(DEFAULT_TEST_PASSWORD))
    monkeypatch.setenv("CBSS_CERT_PASSWORD", DEFAULT_TEST_PASSWORD)
    result = run(capsys, "cert", "inspect", "cert.pem", "--key", "key.pem", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["key_matches"] is True


def test_key_mismatch_is_flagged(
    capsys: pytest.CaptureFixture[str], work: Path, leaf: GeneratedCertificate
) -> None:
    other = make_test_certificate(key_label="cli-other-key")
    (work / "cert.pem").write_bytes(leaf.certificate_pem)
    (work / "key.pem").write_bytes(other.private_key_pem)
    result = run(capsys, "cert", "inspect", "cert.pem", "--key", "key.pem")
    assert "NO" in result.out
    assert_one_error_line(result, 1, "does not belong to the certificate")


def test_expired_and_not_yet_valid(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    now = datetime.now(timezone.utc)
    expired = make_test_certificate(
        not_before=now - timedelta(days=800), not_after=now - timedelta(days=3)
    )
    future = make_test_certificate(
        not_before=now + timedelta(days=3), not_after=now + timedelta(days=300)
    )
    (work / "old.p12").write_bytes(expired.pkcs12(None))
    (work / "new.p12").write_bytes(future.pkcs12(None))
    old = run(capsys, "cert", "inspect", "old.p12")
    assert "expired" in old.out
    assert_one_error_line(old, 1, "expired")
    new = run(capsys, "cert", "inspect", "new.p12", "--json")
    assert json.loads(new.out)["validity"] == "not yet valid"
    assert_one_error_line(new, 1, "not yet valid")


def test_soon_expiring_is_a_note_not_an_error(
    capsys: pytest.CaptureFixture[str], work: Path
) -> None:
    now = datetime.now(timezone.utc)
    soon = make_test_certificate(
        not_before=now - timedelta(days=300), not_after=now + timedelta(days=10)
    )
    (work / "soon.p12").write_bytes(soon.pkcs12(None))
    result = run(capsys, "cert", "inspect", "soon.p12", "--json")
    assert result.code == 0
    assert any("expires in" in note for note in json.loads(result.out)["notes"])


def test_weak_key_is_flagged(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    weak = make_test_certificate(key_label="cli-weak", key_size=1024)
    (work / "weak.p12").write_bytes(weak.pkcs12(None))
    result = run(capsys, "cert", "inspect", "weak.p12", "--json")
    assert json.loads(result.out)["key_type"] == "RSA 1024 bits"
    assert_one_error_line(result, 1, "below 2048 bits")


def test_national_number_in_subject_is_masked(
    capsys: pytest.CaptureFixture[str], work: Path
) -> None:
    personal = make_test_certificate(NN_SUBJECT, key_label="cli-personal")
    (work / "me.p12").write_bytes(personal.pkcs12(None))
    result = run(capsys, "cert", "inspect", "me.p12")
    assert result.code == 0
    assert "85073003328" not in result.out
    assert "=***********" in result.out
