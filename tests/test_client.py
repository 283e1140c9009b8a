"""CbssClient and AsyncCbssClient: what is posted, signing, verification, errors, configuration.

Every behavioural test runs against both clients (the ``flavor`` fixture).
"""

from __future__ import annotations

import base64
import ssl
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
import respx
from client_support import (
    ACPT_SSDN,
    CBSS_TICKET,
    CUSTOMER_TICKET,
    SIGNED_INFO,
    SOA_INFO,
    SOA_URL,
    SSDN_INFO,
    SSIN,
    WRITE_INFO,
    WRITE_URL,
    Flavor,
    fault_body,
    flavor_fixture,
    html_response,
    interpret_unknown,
    reply_body,
    soap_response,
)
from cryptography.hazmat.primitives import serialization
from lxml import etree

from cbss_sdk import Organization, SsdnUser
from cbss_sdk._client import AsyncCbssClient, CbssClient
from cbss_sdk._credentials import Credentials
from cbss_sdk.errors import (
    CbssConnectError,
    CbssError,
    CbssHttpError,
    CbssTimeout,
    ConfigurationError,
    CredentialsError,
    ProtocolError,
    SignatureError,
    SoapFault,
    SsinUnknown,
    XmlTooLarge,
)
from cbss_sdk.soap import SOAP_ENV_NS, XmlLimits
from cbss_sdk.transport import (
    DEFAULT_TIMEOUT,
    ENV_ACPT,
    CallInfo,
    Environment,
    Outcome,
    RetryPolicy,
    SoapReply,
)
from cbss_sdk.transport._http import make_ssl_context
from cbss_sdk.wsse import VerificationConfig, VerificationPolicy

flavor = flavor_fixture()

WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"


def trusting(credentials: Credentials, policy: VerificationPolicy) -> VerificationConfig:
    """A verification config that trusts the test certificate."""
    return VerificationConfig(policy=policy, trusted_certificates=(credentials.certificate,))


def tampered(body: bytes) -> bytes:
    """A signed reply whose Body was changed after signing."""
    changed = body.replace(SSIN.encode(), b"85073003427", 1)
    assert changed != body
    return changed


class Capture:
    """An interpret function that keeps the SoapReply it was given."""

    def __init__(self) -> None:
        self.reply: SoapReply | None = None

    def __call__(self, reply: SoapReply) -> Outcome[str]:
        self.reply = reply
        assert reply.message.payload is not None
        return Outcome(reply.message.payload.findtext("ssin") or "", "DATA_FOUND", CBSS_TICKET)


def posted_envelope(route: respx.Route, index: int = -1) -> etree._Element:
    return etree.fromstring(route.calls[index].request.content)


# -- what is posted ----------------------------------------------------------------------


async def test_envelope_is_posted_with_soap_headers(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification="off")
    assert await flavor.call(client) == SSIN
    request = route.calls.last.request
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert request.headers["SOAPAction"] == f'"{SOA_INFO.soap_action}"'
    assert request.headers["User-Agent"].startswith("cbss-sdk/")
    assert "Authorization" not in request.headers
    envelope = posted_envelope(route)
    assert envelope.tag == f"{{{SOAP_ENV_NS}}}Envelope"
    assert envelope.findtext(f"{{{SOAP_ENV_NS}}}Body/{{urn:cbss-sdk:test}}request/ssin") == SSIN


@pytest.mark.parametrize("name", ["test", "acpt", "prod"])
async def test_each_environment_has_its_host(
    flavor: Flavor, respx_mock: respx.MockRouter, name: str
) -> None:
    url = f"https://bcssksz-services-{name}.smals.be:443/SOA4520/{SOA_INFO.path}"
    route = respx_mock.post(url).mock(return_value=soap_response(reply_body()))
    client = flavor.client(environment=name, verification="off")
    await flavor.call(client)
    assert route.call_count == 1
    assert client.environment.name == name


async def test_base_url_overrides_the_host(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(f"http://127.0.0.1:8080/sim/{SOA_INFO.path}").mock(
        return_value=soap_response(reply_body())
    )
    client = flavor.client(base_url="http://127.0.0.1:8080/sim", verification="off")
    await flavor.call(client)
    assert route.call_count == 1
    assert client.environment.name == "custom"  # a base_url alone is not a CBSS environment


async def test_ssdn_calls_go_to_the_connector(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(ACPT_SSDN).mock(return_value=soap_response(reply_body()))
    client = flavor.client()
    await flavor.call(client, SSDN_INFO)
    assert route.calls.last.request.headers["SOAPAction"] == f'"{SSDN_INFO.soap_action}"'


async def test_ssdn_url_can_be_given(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post("http://ssdn.local/port").mock(return_value=soap_response(reply_body()))
    client = flavor.client(ssdn_url="http://ssdn.local/port")
    await flavor.call(client, SSDN_INFO)
    assert route.call_count == 1


async def test_basic_auth_header(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification="off", basic_auth=("E123456789", "s3cret"))
    await flavor.call(client)
    expected = "Basic " + base64.b64encode(b"E123456789:s3cret").decode()
    assert route.calls.last.request.headers["Authorization"] == expected
    assert "s3cret" not in repr(client)


@pytest.mark.parametrize("bad", [("only-one",), ("a:b", "pw"), "user:pw"])
def test_bad_basic_auth_is_refused(flavor: Flavor, bad: Any) -> None:
    with pytest.raises(ConfigurationError):
        flavor.client(basic_auth=bad)


# -- signing -----------------------------------------------------------------------------


async def test_soa_requests_are_signed_by_default(
    flavor: Flavor, respx_mock: respx.MockRouter, test_credentials: Credentials
) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(credentials=test_credentials, verification="off")
    await flavor.call(client, SIGNED_INFO)
    envelope = posted_envelope(route)
    security = envelope.find(f"{{{SOAP_ENV_NS}}}Header/{{{WSSE_NS}}}Security")
    assert security is not None
    assert security.find(f"{{{DS_NS}}}Signature") is not None
    assert security.find(f"{{{WSSE_NS}}}BinarySecurityToken") is not None


async def test_signing_can_be_turned_off_per_call(
    flavor: Flavor, respx_mock: respx.MockRouter, test_credentials: Credentials
) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(credentials=test_credentials, verification="off")
    await flavor.call(client, SOA_INFO)  # sign=False
    assert posted_envelope(route).find(f".//{{{DS_NS}}}Signature") is None


async def test_ssdn_requests_are_unsigned_by_default_and_signable(
    flavor: Flavor, respx_mock: respx.MockRouter, test_credentials: Credentials
) -> None:
    route = respx_mock.post(ACPT_SSDN).mock(return_value=soap_response(reply_body()))
    client = flavor.client(credentials=test_credentials)
    await flavor.call(client, SSDN_INFO)
    assert posted_envelope(route).find(f".//{{{DS_NS}}}Signature") is None
    await flavor.call(client, attrs.evolve(SSDN_INFO, sign=True))
    assert posted_envelope(route).find(f".//{{{DS_NS}}}Signature") is not None


async def test_signing_without_credentials_sends_nothing(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification="off")
    with pytest.raises(ConfigurationError, match="credentials") as caught:
        await flavor.call(client, SIGNED_INFO)
    assert route.call_count == 0
    assert caught.value.service == "RetrieveTIGroups"
    assert caught.value.environment == "acpt"


# -- verification of replies -------------------------------------------------------------


async def test_required_verification_accepts_a_signed_reply(
    flavor: Flavor, respx_mock: respx.MockRouter, test_credentials: Credentials
) -> None:
    respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body(test_credentials)))
    client = flavor.client(verification=trusting(test_credentials, VerificationPolicy.REQUIRED))
    capture = Capture()
    assert await flavor.call(client, interpret=capture) == SSIN
    assert capture.reply is not None
    assert capture.reply.signature is not None
    assert capture.reply.status_code == 200
    assert capture.reply.headers["content-type"].startswith("text/xml")
    assert capture.reply.raw == reply_body_of(respx_mock)
    assert capture.reply.elapsed >= 0


def reply_body_of(router: respx.MockRouter) -> bytes:
    return router.calls.last.response.content


async def test_required_verification_refuses_an_unsigned_reply(
    flavor: Flavor, respx_mock: respx.MockRouter, test_credentials: Credentials
) -> None:
    respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification=trusting(test_credentials, VerificationPolicy.REQUIRED))
    with pytest.raises(SignatureError) as caught:
        await flavor.call(client)
    assert caught.value.reason == "missing"
    assert caught.value.operation == "retrieveTI"


@pytest.mark.parametrize("policy", [VerificationPolicy.REQUIRED, VerificationPolicy.IF_PRESENT])
async def test_a_tampered_reply_is_refused(
    flavor: Flavor,
    respx_mock: respx.MockRouter,
    test_credentials: Credentials,
    policy: VerificationPolicy,
) -> None:
    respx_mock.post(SOA_URL).mock(
        return_value=soap_response(tampered(reply_body(test_credentials)))
    )
    client = flavor.client(verification=trusting(test_credentials, policy))
    with pytest.raises(SignatureError):
        await flavor.call(client)


async def test_if_present_accepts_an_unsigned_reply(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification="if_present")
    capture = Capture()
    assert await flavor.call(client, interpret=capture) == SSIN
    assert capture.reply is not None
    assert capture.reply.signature is None


async def test_off_skips_verification(
    flavor: Flavor, respx_mock: respx.MockRouter, test_credentials: Credentials
) -> None:
    respx_mock.post(SOA_URL).mock(
        return_value=soap_response(tampered(reply_body(test_credentials)))
    )
    client = flavor.client(verification=VerificationPolicy.OFF)
    capture = Capture()
    await flavor.call(client, interpret=capture)
    assert capture.reply is not None
    assert capture.reply.signature is None


async def test_an_unsigned_fault_is_a_fault_not_a_signature_error(
    flavor: Flavor, respx_mock: respx.MockRouter, test_credentials: Credentials
) -> None:
    respx_mock.post(SOA_URL).mock(return_value=soap_response(fault_body(), 500))
    client = flavor.client(verification=trusting(test_credentials, VerificationPolicy.REQUIRED))
    with pytest.raises(SoapFault) as caught:
        await flavor.call(client)
    fault = caught.value
    assert fault.reason_codes == ("MSG00003",)
    assert fault.http_status == 500
    assert (fault.service, fault.operation, fault.environment) == (
        "RetrieveTIGroups",
        "retrieveTI",
        "acpt",
    )
    assert CUSTOMER_TICKET in fault.tickets
    assert CBSS_TICKET in fault.tickets


async def test_ssdn_replies_need_no_signature_under_required(
    flavor: Flavor, respx_mock: respx.MockRouter, test_credentials: Credentials
) -> None:
    respx_mock.post(ACPT_SSDN).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification=trusting(test_credentials, VerificationPolicy.REQUIRED))
    assert await flavor.call(client, SSDN_INFO) == SSIN


async def test_a_signature_on_an_ssdn_reply_is_still_checked(
    flavor: Flavor, respx_mock: respx.MockRouter, test_credentials: Credentials
) -> None:
    respx_mock.post(ACPT_SSDN).mock(
        return_value=soap_response(tampered(reply_body(test_credentials)))
    )
    client = flavor.client(verification=trusting(test_credentials, VerificationPolicy.REQUIRED))
    with pytest.raises(SignatureError):
        await flavor.call(client, SSDN_INFO)


def test_verification_arguments(flavor: Flavor) -> None:
    assert flavor.client().verification.policy is VerificationPolicy.REQUIRED
    assert flavor.client(verification="IF_PRESENT").verification.policy is (
        VerificationPolicy.IF_PRESENT
    )
    config = VerificationConfig(policy=VerificationPolicy.OFF)
    assert flavor.client(verification=config).verification is config
    with pytest.raises(ConfigurationError, match="'required'"):
        flavor.client(verification="strict")


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectTimeout("timed out"), httpx.ReadTimeout("timed out"), httpx.PoolTimeout("x")],
)
async def test_timeouts(
    flavor: Flavor, respx_mock: respx.MockRouter, failure: httpx.TimeoutException
) -> None:
    respx_mock.post(host="bcssksz-services-acpt.smals.be").mock(side_effect=failure)
    client = flavor.client(verification="off", retry=RetryPolicy.none())
    info = attrs.evolve(SOA_INFO, path=SOA_INFO.path + "?session=abc123")
    with pytest.raises(CbssTimeout) as caught:
        await flavor.call(client, info)
    error = caught.value
    assert error.__cause__ is failure
    assert "timeout" in str(error)
    assert "bcssksz-services-acpt.smals.be" in str(error)
    assert "abc123" not in str(error)
    assert SSIN not in str(error)


async def test_connect_error(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    failure = httpx.ConnectError(f"[Errno 111] Connection refused to https://x/?q={SSIN}")
    respx_mock.post(SOA_URL).mock(side_effect=failure)
    client = flavor.client(verification="off", retry=RetryPolicy.none())
    with pytest.raises(CbssConnectError) as caught:
        await flavor.call(client)
    assert caught.value.__cause__ is failure
    assert "Connection refused" in str(caught.value)
    assert SSIN not in str(caught.value)
    assert "?q=" not in str(caught.value)
    assert caught.value.tickets == (CUSTOMER_TICKET,)


async def test_html_503_is_an_http_error(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    respx_mock.post(WRITE_URL).mock(return_value=html_response(503))
    client = flavor.client(verification="off")
    with pytest.raises(CbssHttpError) as caught:
        await flavor.call(client, WRITE_INFO)
    assert caught.value.status_code == 503
    assert caught.value.service == "ManageAccess"
    assert SSIN not in caught.value.body_excerpt


async def test_business_errors_get_the_call_context(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    test_url = SOA_URL.replace("-acpt.", "-test.")
    respx_mock.post(test_url).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification="off", environment="test")
    with pytest.raises(SsinUnknown) as caught:
        await flavor.call(client, interpret=interpret_unknown)
    error = caught.value
    assert (error.service, error.operation, error.environment) == (
        "RetrieveTIGroups",
        "retrieveTI",
        "test",
    )
    assert set(error.tickets) == {CUSTOMER_TICKET, CBSS_TICKET}
    assert SSIN not in str(error)


async def test_an_oversized_reply_is_refused_while_streaming(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    big = reply_body().replace(b"<ssin>", b"<ssin>" + b"x" * 5000, 1)
    respx_mock.post(SOA_URL).mock(return_value=soap_response(big))
    client = flavor.client(verification="off", xml_limits=XmlLimits(max_bytes=2000))
    with pytest.raises(XmlTooLarge) as caught:
        await flavor.call(client)
    assert caught.value.operation == "retrieveTI"


async def test_a_2xx_reply_that_is_not_soap(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    respx_mock.post(SOA_URL).mock(return_value=httpx.Response(200, json={"ok": True}))
    client = flavor.client(verification="off")
    with pytest.raises(CbssError):
        await flavor.call(client)


async def test_interpret_must_return_an_outcome(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification="off")
    with pytest.raises(TypeError, match="Outcome"):
        await flavor.call(client, interpret=lambda reply: "not an outcome")  # type: ignore[arg-type,return-value]


async def test_an_empty_2xx_reply_is_a_protocol_error(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(SOA_URL).mock(return_value=httpx.Response(200, content=b""))
    client = flavor.client(verification="off")
    with pytest.raises(ProtocolError) as caught:
        await flavor.call(client)
    assert caught.value.environment == "acpt"


# -- configuration -----------------------------------------------------------------------


def test_defaults_and_properties(flavor: Flavor, test_credentials: Credentials) -> None:
    org = Organization(cbe_number="0212344876")
    ssdn_user = SsdnUser(user_id="00901234567", email="it@cpas.example")
    client = flavor.client(credentials=test_credentials, organization=org, ssdn_user=ssdn_user)
    assert client.environment is ENV_ACPT
    assert client.organization is org
    assert client.ssdn_user is ssdn_user
    assert client.credentials is test_credentials
    assert client.xml_limits == XmlLimits()
    assert client.user is None
    assert client.closed is False
    assert client._http.timeout == DEFAULT_TIMEOUT
    text = repr(client)
    assert "acpt" in text
    assert "cbe:0212344876" in text
    assert "00901234567" not in text


def test_unknown_environment(flavor: Flavor) -> None:
    with pytest.raises(ConfigurationError, match="'prod'"):
        flavor.client(environment="production")


def test_custom_environment_object(flavor: Flavor) -> None:
    env = Environment("sim", "http://localhost:9000/", "http://localhost:9000/ssdn")
    assert flavor.client(environment=env).environment is env


def test_timeout_from_a_number(flavor: Flavor) -> None:
    client = flavor.client(timeout=12.5)
    assert client._http.timeout == httpx.Timeout(12.5)


@pytest.mark.parametrize("bad", [None, 0, -1, "30", True])
def test_bad_timeouts(flavor: Flavor, bad: Any) -> None:
    with pytest.raises(ConfigurationError):
        flavor.client(timeout=bad)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("organization", "0212344876"),
        ("ssdn_user", "00901234567"),
        ("retry", 3),
        ("xml_limits", 1000),
        ("signing_profile", "rsa-sha256"),
        ("audit_hook", "journal"),
        ("user", ""),
    ],
)
def test_wrongly_typed_arguments(flavor: Flavor, name: str, value: object) -> None:
    with pytest.raises(ConfigurationError):
        flavor.client(**{name: value})


async def test_an_injected_http_client_is_used_and_not_closed(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    http = flavor.http_class(headers={"X-Trace": "abc"})
    client = flavor.client(verification="off", http_client=http, timeout=7.0)
    await flavor.call(client)
    request = route.calls.last.request
    assert request.headers["X-Trace"] == "abc"
    assert request.extensions["timeout"] == httpx.Timeout(7.0).as_dict()
    await flavor.close(client)
    assert client.closed
    assert not http.is_closed
    if isinstance(http, httpx.AsyncClient):
        await http.aclose()
    else:
        http.close()


async def test_an_injected_client_keeps_its_timeout_by_default(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    http = flavor.http_class(timeout=3.0)
    client = flavor.client(verification="off", http_client=http)
    await flavor.call(client)
    assert route.calls.last.request.extensions["timeout"] == httpx.Timeout(3.0).as_dict()
    await flavor.close(client)
    assert not http.is_closed


def test_an_injected_client_of_the_wrong_kind(flavor: Flavor) -> None:
    other = httpx.AsyncClient() if flavor.name == "sync" else httpx.Client()
    with pytest.raises(ConfigurationError, match="http_client"):
        flavor.client(http_client=other)


def test_tls_options_conflict_with_an_injected_client(flavor: Flavor) -> None:
    with pytest.raises(ConfigurationError, match="TLS"):
        flavor.client(http_client=flavor.http_class(), verify_tls=False)
    with pytest.raises(ConfigurationError, match="TLS"):
        flavor.client(http_client=flavor.http_class(), client_cert="client.pem")


async def test_close_closes_the_owned_client(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification="off")
    await flavor.close(client)
    assert client._http.is_closed
    await flavor.close(client)  # twice is fine
    with pytest.raises(ConfigurationError, match="closed"):
        await flavor.call(client)
    assert route.call_count == 0


def test_sync_context_manager() -> None:
    with CbssClient() as client:
        assert not client._http.is_closed
    assert client._http.is_closed
    assert client.closed


async def test_async_context_manager() -> None:
    async with AsyncCbssClient() as client:
        assert not client._http.is_closed
    assert client._http.is_closed


def test_an_ssl_context_is_used_as_given(flavor: Flavor) -> None:
    context = ssl.create_default_context()
    client = flavor.client(verify_tls=context)
    assert client._http._transport._pool._ssl_context is context


def test_tls_verification_can_be_disabled(flavor: Flavor) -> None:
    client = flavor.client(verify_tls=False)
    context = client._http._transport._pool._ssl_context
    assert context.verify_mode == ssl.CERT_NONE
    assert context.check_hostname is False


# -- TLS contexts (shared by both clients) -------------------------------------------------


@pytest.fixture
def pem_files(tmp_path: Path, test_credentials: Credentials) -> tuple[str, str, str]:
    cert = tmp_path / "client.crt"
    key = tmp_path / "client.key"
    both = tmp_path / "client.pem"
    cert_pem = test_credentials.certificate.public_bytes(serialization.Encoding.PEM)
    key_pem = test_credentials.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cert.write_bytes(cert_pem)
    key.write_bytes(key_pem)
    both.write_bytes(cert_pem + key_pem)
    return str(cert), str(key), str(both)


def test_ca_bundle_file(pem_files: tuple[str, str, str]) -> None:
    cert, _, _ = pem_files
    context = make_ssl_context(cert, None)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.cert_store_stats()["x509"] == 1


def test_missing_ca_bundle(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="CA bundle"):
        make_ssl_context(str(tmp_path / "nope.pem"), None)


def test_client_certificate_pair_and_single_file(pem_files: tuple[str, str, str]) -> None:
    cert, key, both = pem_files
    make_ssl_context(True, (cert, key))
    make_ssl_context(True, both)


def test_client_certificate_is_passed_to_httpx(
    flavor: Flavor, pem_files: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key, _ = pem_files
    loaded: list[tuple[str, str | None]] = []
    original = ssl.SSLContext.load_cert_chain

    def spy(self: ssl.SSLContext, certfile: str, keyfile: str | None = None, **kw: Any) -> None:
        loaded.append((certfile, keyfile))
        original(self, certfile, keyfile, **kw)

    monkeypatch.setattr(ssl.SSLContext, "load_cert_chain", spy)
    client = flavor.client(client_cert=(cert, key))
    assert loaded == [(cert, key)]
    assert isinstance(client._http._transport._pool._ssl_context, ssl.SSLContext)


def test_unreadable_client_certificate(tmp_path: Path, pem_files: tuple[str, str, str]) -> None:
    with pytest.raises(CredentialsError) as caught:
        make_ssl_context(True, str(tmp_path / "missing.pem"))
    assert caught.value.cause == "unreadable"
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate")
    with pytest.raises(CredentialsError):
        make_ssl_context(True, str(garbage))
    with pytest.raises(ConfigurationError):
        make_ssl_context(True, ("a", "b", "c"))  # type: ignore[arg-type]


def test_client_cert_with_an_ssl_context_is_ambiguous(pem_files: tuple[str, str, str]) -> None:
    with pytest.raises(ConfigurationError, match="load_cert_chain"):
        make_ssl_context(ssl.create_default_context(), pem_files[2])


def test_call_info_sign_defaults() -> None:
    soa = CallInfo("S", "op", "S/op", "urn:a")
    assert soa.signed is True
    assert attrs.evolve(soa, protocol="ssdn").signed is False
    assert attrs.evolve(soa, protocol="ssdn", sign=True).signed is True
    assert attrs.evolve(soa, sign=False).signed is False
    assert SSIN not in repr(attrs.evolve(soa, subject=SSIN))
    with pytest.raises(ConfigurationError, match="protocol"):
        CallInfo("S", "op", "S/op", "urn:a", protocol="SOA")  # type: ignore[arg-type]
