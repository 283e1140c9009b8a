"""Loading credentials: PKCS#12 and PEM, every error cause, and no password anywhere in errors."""

from __future__ import annotations

import hashlib
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from cbss_sdk._credentials import Credentials
from cbss_sdk.errors import ConfigurationError, CredentialsError
from cbss_sdk.testing import (
    DEFAULT_TEST_PASSWORD,
    GeneratedCertificate,
    make_test_certificate,
    make_test_credentials,
)

SECRET = "S3cr3t-Pa55-do-not-leak"
UTC = timezone.utc


def _all_texts(error: BaseException) -> str:
    """Everything an error could show: str, repr, args, and the same for its chain."""
    texts = []
    current: BaseException | None = error
    while current is not None:
        texts += [str(current), repr(current), repr(current.args)]
        current = current.__cause__ or current.__context__
    return "\n".join(texts)


def _p12(generated: GeneratedCertificate, password: str | None = SECRET) -> bytes:
    return generated.pkcs12(password)


# -- PKCS#12 --------------------------------------------------------------------------------


def test_pkcs12_from_path_loads_key_certificate_and_chain(
    tmp_path: Path, test_leaf: GeneratedCertificate, test_ca_certificate: x509.Certificate
) -> None:
    path = tmp_path / "cpas.p12"
    path.write_bytes(_p12(test_leaf))
    creds = Credentials.from_pkcs12(path, SECRET)
    assert creds.certificate == test_leaf.certificate
    assert creds.chain == (test_ca_certificate,)
    assert creds.source == str(path)
    assert isinstance(creds.private_key, rsa.RSAPrivateKey)
    assert creds.key_type == "rsa"


def test_pkcs12_from_str_path_and_bytes_password(
    tmp_path: Path, test_leaf: GeneratedCertificate
) -> None:
    path = tmp_path / "cpas.p12"
    path.write_bytes(_p12(test_leaf))
    creds = Credentials.from_pkcs12(str(path), SECRET.encode())
    assert creds.certificate == test_leaf.certificate


def test_pkcs12_from_bytes(test_leaf: GeneratedCertificate) -> None:
    creds = Credentials.from_pkcs12(_p12(test_leaf), SECRET)
    assert creds.source == "<bytes>"
    assert creds.certificate == test_leaf.certificate


def test_pkcs12_without_password(test_leaf: GeneratedCertificate) -> None:
    creds = Credentials.from_pkcs12(test_leaf.pkcs12(None), None)
    assert creds.certificate == test_leaf.certificate


def test_pkcs12_without_chain(test_leaf: GeneratedCertificate) -> None:
    creds = Credentials.from_pkcs12(test_leaf.pkcs12(SECRET, include_chain=False), SECRET)
    assert creds.chain == ()


def test_wrong_password_names_file_and_never_the_password(
    tmp_path: Path, test_leaf: GeneratedCertificate
) -> None:
    path = tmp_path / "cpas.p12"
    path.write_bytes(_p12(test_leaf, password="the-right-one"))
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(path, SECRET)
    error = caught.value
    assert error.cause == "wrong-password"
    assert error.source == str(path)
    assert str(path) in str(error)
    assert SECRET not in _all_texts(error)
    assert "the-right-one" not in _all_texts(error)


def test_missing_password_for_protected_pkcs12(test_leaf: GeneratedCertificate) -> None:
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(_p12(test_leaf), None)
    assert caught.value.cause == "wrong-password"
    assert "password" in str(caught.value)


@pytest.mark.parametrize("name", ["missing.p12", "sub/dir/missing.p12"])
def test_missing_file_is_unreadable(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(path, SECRET)
    assert caught.value.cause == "unreadable"
    assert str(path) in str(caught.value)
    assert "not found" in str(caught.value)
    assert SECRET not in _all_texts(caught.value)


def test_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(tmp_path, SECRET)
    assert caught.value.cause == "unreadable"


def test_pem_text_passed_as_path_is_explained() -> None:
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pem("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n")
    assert caught.value.cause == "unreadable"
    assert "bytes" in str(caught.value)


@pytest.mark.parametrize("data", [b"this is not a certificate", b"\x30\x03\x02\x01\x07", b"  \n"])
def test_not_pkcs12_is_a_format_error(data: bytes) -> None:
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(data, SECRET)
    assert caught.value.cause == "format"
    assert SECRET not in _all_texts(caught.value)


def test_pem_given_to_from_pkcs12_points_to_from_pem(test_leaf: GeneratedCertificate) -> None:
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(test_leaf.chain_pem, SECRET)
    assert caught.value.cause == "format"
    assert "from_pem" in str(caught.value)


def test_pkcs12_without_private_key(test_leaf: GeneratedCertificate) -> None:
    data = pkcs12.serialize_key_and_certificates(
        b"x", None, None, [test_leaf.certificate], serialization.BestAvailableEncryption(b"pw")
    )
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(data, "pw")
    assert caught.value.cause == "no-private-key"


def test_pkcs12_without_certificate(test_leaf: GeneratedCertificate) -> None:
    data = pkcs12.serialize_key_and_certificates(
        b"x", test_leaf.private_key, None, None, serialization.BestAvailableEncryption(b"pw")
    )
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(data, "pw")
    assert caught.value.cause == "no-certificate"


def test_pkcs12_whose_certificate_belongs_to_another_key(
    test_leaf: GeneratedCertificate, other_generated: GeneratedCertificate
) -> None:
    data = pkcs12.serialize_key_and_certificates(
        b"x",
        test_leaf.private_key,
        None,
        [other_generated.certificate],
        serialization.BestAvailableEncryption(b"pw"),
    )
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(data, "pw")
    assert caught.value.cause == "key-mismatch"
    assert "somebody else" in str(caught.value)


def _self_signed(key: object) -> x509.Certificate:
    name = x509.Name.from_rfc4514_string("CN=odd key")
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())  # type: ignore[attr-defined]
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
    )
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(key, algorithm)  # type: ignore[arg-type]


def test_ed25519_key_is_unsupported() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    data = pkcs12.serialize_key_and_certificates(
        b"x", key, _self_signed(key), None, serialization.NoEncryption()
    )
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(data, None)
    assert caught.value.cause == "unsupported-key"


def test_short_rsa_key_is_unsupported() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    data = pkcs12.serialize_key_and_certificates(
        b"x", key, _self_signed(key), None, serialization.NoEncryption()
    )
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(data, None)
    assert caught.value.cause == "unsupported-key"
    assert "1024" in str(caught.value)


def test_ec_key_is_supported() -> None:
    generated = make_test_certificate("CN=ec signer", key_type="ec", key_label="ec")
    creds = Credentials.from_pkcs12(generated.pkcs12(SECRET), SECRET)
    assert creds.key_type == "ec"


# -- validity -------------------------------------------------------------------------------

PAST = dict(not_before=datetime(2001, 1, 1, tzinfo=UTC), not_after=datetime(2002, 1, 1, tzinfo=UTC))
FUTURE = dict(
    not_before=datetime(2200, 1, 1, tzinfo=UTC), not_after=datetime(2201, 1, 1, tzinfo=UTC)
)


@pytest.mark.parametrize(("validity", "cause"), [(PAST, "expired"), (FUTURE, "not-yet-valid")])
def test_certificate_outside_validity_is_refused(validity: dict[str, datetime], cause: str) -> None:
    generated = make_test_certificate("CN=dated", **validity)  # type: ignore[arg-type]
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(generated.pkcs12(SECRET), SECRET)
    assert caught.value.cause == cause
    assert "CN=dated" in str(caught.value)


@pytest.mark.parametrize("validity", [PAST, FUTURE])
def test_validity_check_can_be_turned_off_with_a_warning(validity: dict[str, datetime]) -> None:
    generated = make_test_certificate("CN=dated", **validity)  # type: ignore[arg-type]
    with pytest.warns(UserWarning, match="check_validity=False"):
        creds = Credentials.from_pkcs12(generated.pkcs12(SECRET), SECRET, check_validity=False)
    assert creds.certificate == generated.certificate


def test_no_warning_when_valid(test_leaf: GeneratedCertificate) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Credentials.from_pkcs12(_p12(test_leaf), SECRET, check_validity=False)


def test_validity_is_checked_at_the_given_time(test_leaf: GeneratedCertificate) -> None:
    data = _p12(test_leaf)
    too_late = test_leaf.certificate.not_valid_after_utc + timedelta(seconds=1)
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(data, SECRET, now=too_late)
    assert caught.value.cause == "expired"
    too_early = test_leaf.certificate.not_valid_before_utc - timedelta(seconds=1)
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pem(test_leaf.private_key_pem, test_leaf.certificate_pem, now=too_early)
    assert caught.value.cause == "not-yet-valid"


def test_naive_now_is_refused(test_leaf: GeneratedCertificate) -> None:
    with pytest.raises(ConfigurationError):
        Credentials.from_pkcs12(_p12(test_leaf), SECRET, now=datetime(2030, 1, 1))


def test_ensure_valid(test_credentials: Credentials) -> None:
    test_credentials.ensure_valid()
    with pytest.raises(CredentialsError) as caught:
        test_credentials.ensure_valid(datetime(2300, 1, 1, tzinfo=UTC))
    assert caught.value.cause == "expired"


# -- PEM ------------------------------------------------------------------------------------


def test_pem_key_and_certificate_files(
    tmp_path: Path, test_leaf: GeneratedCertificate, test_ca_certificate: x509.Certificate
) -> None:
    key = tmp_path / "key.pem"
    cert = tmp_path / "cert.pem"
    key.write_bytes(test_leaf.private_key_pem)
    cert.write_bytes(test_leaf.chain_pem)
    creds = Credentials.from_pem(key, cert)
    assert creds.certificate == test_leaf.certificate
    assert creds.chain == (test_ca_certificate,)
    assert creds.source == str(key)


def test_pem_with_leaf_after_the_chain(
    test_leaf: GeneratedCertificate, test_ca_certificate: x509.Certificate
) -> None:
    ca_pem = test_ca_certificate.public_bytes(serialization.Encoding.PEM)
    creds = Credentials.from_pem(test_leaf.private_key_pem, ca_pem + test_leaf.certificate_pem)
    assert creds.certificate == test_leaf.certificate
    assert creds.chain == (test_ca_certificate,)


def test_pem_single_file_with_key_and_certificates(test_leaf: GeneratedCertificate) -> None:
    combined = test_leaf.private_key_pem + test_leaf.chain_pem
    creds = Credentials.from_pem(combined)
    assert creds.certificate == test_leaf.certificate
    assert len(creds.chain) == 1


def test_pem_separate_chain_file(
    test_leaf: GeneratedCertificate, test_ca_certificate: x509.Certificate
) -> None:
    ca_pem = test_ca_certificate.public_bytes(serialization.Encoding.PEM)
    creds = Credentials.from_pem(
        test_leaf.private_key_pem, test_leaf.certificate_pem, chain=ca_pem + ca_pem
    )
    assert creds.chain == (test_ca_certificate,)


def test_pem_encrypted_key(test_leaf: GeneratedCertificate) -> None:
    encrypted = test_leaf.encrypted_private_key_pem(SECRET)
    creds = Credentials.from_pem(encrypted, test_leaf.certificate_pem, SECRET)
    assert creds.certificate == test_leaf.certificate


def test_pem_encrypted_key_wrong_or_missing_password(test_leaf: GeneratedCertificate) -> None:
    encrypted = test_leaf.encrypted_private_key_pem("the-right-one")
    for password in (SECRET, None):
        with pytest.raises(CredentialsError) as caught:
            Credentials.from_pem(encrypted, test_leaf.certificate_pem, password)
        assert caught.value.cause == "wrong-password"
        assert SECRET not in _all_texts(caught.value)
        assert "the-right-one" not in _all_texts(caught.value)


def test_pem_password_for_clear_key_is_ignored(test_leaf: GeneratedCertificate) -> None:
    creds = Credentials.from_pem(test_leaf.private_key_pem, test_leaf.certificate_pem, SECRET)
    assert creds.certificate == test_leaf.certificate


def test_pem_der_key_and_certificate(test_leaf: GeneratedCertificate) -> None:
    key_der = test_leaf.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cert_der = test_leaf.certificate.public_bytes(serialization.Encoding.DER)
    creds = Credentials.from_pem(key_der, cert_der)
    assert creds.certificate == test_leaf.certificate


def test_pem_key_file_without_key(test_leaf: GeneratedCertificate) -> None:
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pem(test_leaf.certificate_pem, test_leaf.certificate_pem)
    assert caught.value.cause == "no-private-key"
    assert "CERTIFICATE" in str(caught.value)


def test_pem_certificate_file_without_certificate(test_leaf: GeneratedCertificate) -> None:
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pem(test_leaf.private_key_pem, test_leaf.private_key_pem)
    assert caught.value.cause == "no-certificate"


def test_pem_certificate_of_another_key(
    test_leaf: GeneratedCertificate, other_generated: GeneratedCertificate
) -> None:
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pem(test_leaf.private_key_pem, other_generated.certificate_pem)
    assert caught.value.cause == "key-mismatch"


@pytest.mark.parametrize(
    "key",
    [
        b"garbage that is no key",
        b"-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
    ],
)
def test_pem_unreadable_key_is_a_format_error(key: bytes, test_leaf: GeneratedCertificate) -> None:
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pem(key, test_leaf.certificate_pem)
    assert caught.value.cause == "format"


def test_pem_damaged_certificate_is_a_format_error(test_leaf: GeneratedCertificate) -> None:
    damaged = b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pem(test_leaf.private_key_pem, damaged)
    assert caught.value.cause == "format"


# -- the object -----------------------------------------------------------------------------


def test_properties(test_credentials: Credentials, test_leaf: GeneratedCertificate) -> None:
    der = test_leaf.certificate.public_bytes(serialization.Encoding.DER)
    assert test_credentials.certificate_der == der
    assert test_credentials.fingerprint_sha256 == hashlib.sha256(der).hexdigest()
    assert test_credentials.subject == "CN=cbss-sdk test client,O=CPAS Testville,C=BE"
    assert test_credentials.not_valid_before.tzinfo is not None
    assert test_credentials.not_valid_after > test_credentials.not_valid_before
    assert test_credentials.not_valid_after.utcoffset() == timedelta(0)


def test_repr_shows_no_key_material(test_leaf: GeneratedCertificate) -> None:
    creds = Credentials.from_pkcs12(_p12(test_leaf), SECRET)
    text = repr(creds) + str(creds)
    assert "cbss-sdk test client" in text
    assert SECRET not in text
    assert "PRIVATE" not in text
    key = test_leaf.private_key
    assert isinstance(key, rsa.RSAPrivateKey)
    assert str(key.private_numbers().d)[:20] not in text


def test_national_number_in_subject_is_masked() -> None:
    generated = make_test_certificate(
        "CN=Jan Peeters (Signature),2.5.4.5=85073003328,C=BE", key_label="person"
    )
    creds = generated.credentials()
    assert "85073003328" not in repr(creds)
    assert "85073003328" in creds.subject  # the attribute is the real value
    bad = generated.pkcs12(SECRET)
    with pytest.raises(CredentialsError) as caught:
        Credentials.from_pkcs12(bad, SECRET, now=datetime(2300, 1, 1, tzinfo=UTC))
    assert "85073003328" not in str(caught.value)


def test_constructor_checks_the_key_matches(
    test_leaf: GeneratedCertificate, other_generated: GeneratedCertificate
) -> None:
    with pytest.raises(CredentialsError) as caught:
        Credentials(private_key=test_leaf.private_key, certificate=other_generated.certificate)
    assert caught.value.cause == "key-mismatch"


def test_make_test_credentials_self_signed_and_expired() -> None:
    creds = make_test_credentials("CN=alone", self_signed=True, key_label="alone")
    assert creds.certificate.issuer == creds.certificate.subject
    assert creds.chain == ()
    with pytest.raises(CredentialsError):
        make_test_credentials("CN=old", **PAST)  # type: ignore[arg-type]
    old = make_test_credentials("CN=old", check_validity=False, **PAST)  # type: ignore[arg-type]
    assert old.not_valid_after.year == 2002


def test_test_certificates_are_cached() -> None:
    assert make_test_certificate() is make_test_certificate()
    assert make_test_certificate().pkcs12() is make_test_certificate().pkcs12()
    assert Credentials.from_pkcs12(make_test_certificate().pkcs12(), DEFAULT_TEST_PASSWORD)
