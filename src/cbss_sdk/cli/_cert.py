"""``cbss cert inspect``: what is in a certificate file, and whether it can sign CBSS requests.

Certificate trouble is the first thing a new CBSS integration hits (wrong
file, wrong password, expired certificate, key and certificate from two
different requests).  This command reads a PKCS#12 file (or a PEM/DER
certificate, with ``--key`` for its PEM key) and shows subject, issuer,
serial, validity, key type and size, whether the key belongs to the
certificate, and the SHA-256 fingerprint.  It exits 1 when it flags a
problem (expired, not yet valid, key mismatch, weak key), so it can run in
a monitoring job.

The password comes from ``--password-env VAR``, ``CBSS_CERT_PASSWORD`` or a
prompt on a terminal — never from a command-line value.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from .._redact import mask_national_numbers
from ._config import PASSWORD_VARIABLE, check_variable_name, prompt_password, read_password
from ._errors import EXIT_FAILURE, EXIT_OK, CliError, UsageError
from ._output import dump_json, make_console

__all__ = ["CertificateReport", "add_parser", "inspect_file", "run"]

#: Below this many days of remaining validity the report warns (not an error).
EXPIRY_WARNING_DAYS = 30
_MIN_RSA_BITS = 2048


def add_parser(subparsers: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "cert",
        parents=parents,
        help="inspect a certificate file",
        description="Certificate tools.",
    )
    actions = parser.add_subparsers(dest="cert_command", metavar="ACTION", required=True)
    inspect = actions.add_parser(
        "inspect",
        parents=parents,
        help="show subject, issuer, validity, key and fingerprint of a certificate file",
        description="Read a PKCS#12 (.p12/.pfx) file, or a PEM/DER certificate (with --key for "
        "its private key), and report what CBSS signing needs. Exits 1 when a problem is "
        "flagged. The password is read from --password-env VAR, CBSS_CERT_PASSWORD, or a "
        "prompt on a terminal; never from a command-line value.",
    )
    inspect.add_argument("file", metavar="FILE")
    inspect.add_argument("--key", metavar="KEY.pem", help="PEM private key of a PEM certificate")
    inspect.add_argument(
        "--password-env",
        metavar="VAR",
        help=f"environment variable holding the password [default: {PASSWORD_VARIABLE}]",
    )
    inspect.add_argument("--json", action="store_true", help="print JSON instead of a table")
    inspect.set_defaults(handler=run)


@attrs.frozen
class CertificateReport:
    """What ``cbss cert inspect`` found in a file."""

    file: str
    format: str
    subject: str
    issuer: str
    serial: str
    not_valid_before: dt.datetime
    not_valid_after: dt.datetime
    validity: str  # "valid", "expired", "not yet valid"
    days_left: int
    key_type: str
    key_matches: bool | None  # None: no private key to compare
    fingerprint_sha256: str
    chain: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def fingerprint_colons(self) -> str:
        pairs = self.fingerprint_sha256.upper()
        return ":".join(pairs[i : i + 2] for i in range(0, len(pairs), 2))


def _read(path: str) -> bytes:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    if not data.strip():
        raise CliError(f"{path}: the file is empty")
    return data


def _password(source: str, password_env: str | None) -> str | None:
    return read_password(source, password_env=password_env, from_flag=password_env is not None)


def _with_password(source: str, password_env: str | None, load: Any, what: str) -> tuple[Any, bool]:
    """Call ``load(password_bytes)``: configured password, else none, else a prompt.

    Returns the loaded value and whether a password was needed.
    """
    configured = _password(source, password_env)
    if configured is not None:
        try:
            return load(configured.encode("utf-8")), True
        except (ValueError, TypeError):
            raise CliError(
                f"{source}: wrong password for the {what} (or the file is damaged)"
            ) from None
    for attempt in (None, b""):
        try:
            return load(attempt), False
        except (ValueError, TypeError):
            continue
    typed = prompt_password(source)
    if typed is None:
        raise CliError(
            f"{source}: the {what} is password-protected (or damaged); set {PASSWORD_VARIABLE} "
            "or name another variable with --password-env VAR"
        )
    try:
        return load(typed.encode("utf-8")), True
    except (ValueError, TypeError):
        raise CliError(
            f"{source}: wrong password for the {what} (or the file is damaged)"
        ) from None


def _key_label(key: object) -> str:
    if isinstance(key, (rsa.RSAPublicKey, rsa.RSAPrivateKey)):
        return f"RSA {key.key_size} bits"
    if isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)):
        return f"EC {key.curve.name}"
    if isinstance(key, (ed25519.Ed25519PublicKey, ed25519.Ed25519PrivateKey)):
        return "Ed25519"
    if isinstance(key, (ed448.Ed448PublicKey, ed448.Ed448PrivateKey)):
        return "Ed448"
    if isinstance(key, (dsa.DSAPublicKey, dsa.DSAPrivateKey)):
        return f"DSA {key.key_size} bits"
    return type(key).__name__


def _spki(public_key: Any) -> bytes:
    return bytes(
        public_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def _matches(private_key: Any, cert: x509.Certificate) -> bool:
    try:
        return _spki(private_key.public_key()) == _spki(cert.public_key())
    except (ValueError, UnsupportedAlgorithm, AttributeError):
        return False


def _load_pem_key(path: str, password_env: str | None) -> Any:
    data = _read(path)
    if b"PRIVATE KEY-----" not in data:
        raise CliError(f"{path}: holds no PEM private key")

    def load(password: bytes | None) -> Any:
        return serialization.load_pem_private_key(data, password)

    try:
        return serialization.load_pem_private_key(data, None)
    except TypeError:  # encrypted: needs a password
        return _with_password(path, password_env, load, "private key")[0]
    except (ValueError, UnsupportedAlgorithm):
        raise CliError(
            f"{path}: the private key cannot be decoded (damaged or unsupported)"
        ) from None


def _load(
    path: str, key_path: str | None, password_env: str | None
) -> tuple[str, x509.Certificate, Any, list[x509.Certificate]]:
    """(format, leaf certificate, private key or None, other certificates)."""
    data = _read(path)
    if b"-----BEGIN" in data:
        try:
            certs = x509.load_pem_x509_certificates(data)
        except ValueError:
            raise CliError(f"{path}: holds no readable PEM certificate") from None
        key = None
        if key_path is not None:
            key = _load_pem_key(key_path, password_env)
        elif b"PRIVATE KEY-----" in data:
            key = _load_pem_key(path, password_env)
        fmt = "PEM"
    else:
        try:
            certs = [x509.load_der_x509_certificate(data)]
            fmt = "DER certificate"
            key = _load_pem_key(key_path, password_env) if key_path is not None else None
        except ValueError:
            if key_path is not None:
                raise UsageError(
                    "--key is for PEM/DER certificates; a PKCS#12 file holds its key"
                ) from None

            def load(password: bytes | None) -> Any:
                return pkcs12.load_key_and_certificates(data, password)

            try:
                key, cert, extra = _with_password(path, password_env, load, "PKCS#12 file")[0]
            except CliError:
                if not _looks_like_pfx(data):
                    raise CliError(
                        f"{path}: is neither a PKCS#12 file nor a PEM/DER certificate"
                    ) from None
                raise
            certs = ([cert] if cert is not None else []) + list(extra)
            fmt = "PKCS#12"
    if not certs:
        raise CliError(f"{path}: holds no certificate")
    leaf = certs[0]
    if key is not None:
        leaf = next((c for c in certs if _matches(key, c)), certs[0])
    others = [c for c in certs if c is not leaf]
    return fmt, leaf, key, others


def _hex_pairs(number: int) -> str:
    """``0x1a2b3`` → ``01:a2:b3`` (how certificate tools print serial numbers)."""
    text = format(number, "x")
    if len(text) % 2:
        text = "0" + text
    return ":".join(text[i : i + 2] for i in range(0, len(text), 2))


def _looks_like_pfx(data: bytes) -> bool:
    if len(data) < 8 or data[0] != 0x30:
        return False
    first = data[1]
    index = 2 if first < 0x80 else 2 + (first & 0x7F)
    return data[index : index + 3] == b"\x02\x01\x03"


def inspect_file(
    path: str,
    *,
    key_path: str | None = None,
    password_env: str | None = None,
    now: dt.datetime | None = None,
) -> CertificateReport:
    """Read *path* (and *key_path*) and report on the certificate."""
    fmt, cert, key, others = _load(path, key_path, password_env)
    instant = now or dt.datetime.now(dt.timezone.utc)
    before, after = cert.not_valid_before_utc, cert.not_valid_after_utc
    problems: list[str] = []
    notes: list[str] = []
    if instant < before:
        validity = "not yet valid"
        problems.append("the certificate is not yet valid")
    elif instant > after:
        validity = "expired"
        problems.append("the certificate has expired")
    else:
        validity = "valid"
    days_left = (after - instant).days
    if validity == "valid" and days_left < EXPIRY_WARNING_DAYS:
        notes.append(f"expires in {days_left} days: order the renewal")

    public = cert.public_key()
    if isinstance(public, rsa.RSAPublicKey) and public.key_size < _MIN_RSA_BITS:
        problems.append(f"RSA key below {_MIN_RSA_BITS} bits: refused for signing")
    elif not isinstance(public, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)):
        problems.append("key type not usable for CBSS signatures (RSA or EC needed)")

    matches: bool | None = None
    if key is not None:
        matches = _matches(key, cert)
        if not matches:
            problems.append("the private key does not belong to the certificate")
    elif fmt == "PKCS#12":
        problems.append("the PKCS#12 file holds no private key")
    else:
        notes.append("no private key given (--key) to check against the certificate")

    der = cert.public_bytes(serialization.Encoding.DER)
    return CertificateReport(
        file=path,
        format=fmt,
        subject=mask_national_numbers(cert.subject.rfc4514_string()),
        issuer=mask_national_numbers(cert.issuer.rfc4514_string()),
        serial=_hex_pairs(cert.serial_number),
        not_valid_before=before,
        not_valid_after=after,
        validity=validity,
        days_left=days_left,
        key_type=_key_label(public),
        key_matches=matches,
        fingerprint_sha256=hashlib.sha256(der).hexdigest(),
        chain=tuple(mask_national_numbers(c.subject.rfc4514_string()) for c in others),
        problems=tuple(problems),
        notes=tuple(notes),
    )


def _print(report: CertificateReport) -> None:
    console = make_console()
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Certificate {report.file}", title_justify="left", show_header=False)
    table.add_column("what", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    table.add_row("format", report.format)
    table.add_row("subject", report.subject)
    table.add_row("issuer", report.issuer)
    table.add_row("serial", report.serial)
    table.add_row("valid from", report.not_valid_before.isoformat())
    table.add_row("valid until", report.not_valid_after.isoformat())
    style = "green" if report.validity == "valid" else "bold red"
    status = report.validity + (
        f" ({report.days_left} days left)" if report.validity == "valid" else ""
    )
    table.add_row("validity", Text(status, style=style))
    table.add_row("key", report.key_type)
    if report.key_matches is None:
        table.add_row("key matches", Text("not checked", style="dim"))
    else:
        table.add_row(
            "key matches",
            Text("yes", style="green") if report.key_matches else Text("NO", style="bold red"),
        )
    table.add_row("SHA-256", report.fingerprint_colons)
    for index, subject in enumerate(report.chain, start=1):
        table.add_row(f"chain #{index}", subject)
    console.print(table)
    for note in report.notes:
        console.print(Text(f"note: {note}", style="yellow"))
    for problem in report.problems:
        console.print(Text(f"problem: {problem}", style="bold red"))


def run(args: argparse.Namespace) -> int:
    if args.password_env is not None:
        try:
            check_variable_name(args.password_env)
        except ValueError as exc:
            raise UsageError(f"--password-env {exc}") from None
    if not args.json:
        make_console()  # fail early on a missing rich
    report = inspect_file(args.file, key_path=args.key, password_env=args.password_env)
    if args.json:
        data = attrs.asdict(report)
        data["fingerprint_sha256_colons"] = report.fingerprint_colons
        dump_json(data)
    else:
        _print(report)
    if report.problems:
        sys.stderr.write("cbss: error: " + mask_national_numbers("; ".join(report.problems)) + "\n")
        return EXIT_FAILURE
    return EXIT_OK
