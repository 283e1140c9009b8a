"""The simulator engine in process: security checks, signed replies, personas, schemas, integration.

Requests go through the SDK's own clients (sync and async) or, where a client
would refuse to build them, as hand-built envelopes posted with plain httpx.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree
from simulator_support import (
    ECHO,
    PERSONAS,
    SOA_EXPECTED,
    SOA_PREFIX,
    SSDN_EXPECTED,
    TX25,
    TinyPerson,
    TinyPopulation,
    check_error,
    children,
    echo_payload,
    envelope_bytes,
    normal_ssin,
    post,
    post_ssdn,
    post_tx25,
    raw_client,
    soap_message,
    ssdn_bytes,
    ssdn_document,
    ssdn_reply,
    tx25_payload,
)

from cbss_sdk import (
    IdentifyPerson,
    ManageAccess,
    Organization,
    PerformInvestigation,
    RetrieveTIGroups,
    TestConnection,
    VerificationConfig,
    catalog,
)
from cbss_sdk.errors import (
    CbssError,
    CbssHttpError,
    ConfigurationError,
    LegalContextRefused,
    NotIntegrated,
    SignatureError,
    SoapFault,
    SsdnError,
    SsinUnknown,
)
from cbss_sdk.soa import read_status
from cbss_sdk.ssdn import prepare_ssdn_call
from cbss_sdk.testing import (
    SIMULATOR_CBE,
    SimContext,
    SimRequest,
    Simulator,
    make_test_credentials,
)
from cbss_sdk.testing._checks import MSG_SECURITY, xsd_directory
from cbss_sdk.testing._engine_ssdn import SSDN_INVALID_REQUEST, SSDN_UNKNOWN_SERVICE
from cbss_sdk.testing._registry import load_default_handlers
from cbss_sdk.wsse import verify_envelope

XSD = xsd_directory()


@pytest.fixture(scope="module")
def sim() -> Simulator:
    """A simulator shared by the read-only tests of this module (short slow delay)."""
    return Simulator(slow_delay=30.0)


# --------------------------------------------------------------------------- the registry


def test_every_implemented_operation_has_a_handler() -> None:
    registered = load_default_handlers()
    missing = [
        f"{spec.key}.{op.name}"
        for spec, op in catalog.implemented_operations()
        if (spec.key, op.name) not in registered
    ]
    assert not missing, f"implemented operations without a simulator handler: {missing}"


def test_handlers_are_keyed_by_catalog_names() -> None:
    for service_key, operation in load_default_handlers():
        assert catalog.operation(service_key, operation).name == operation


# --------------------------------------------------------------------------- security


def test_signed_request_is_accepted_and_echoed(sim: Simulator) -> None:
    with sim.client() as client:
        result = TestConnection(client).send_test_message("bonjour")
    assert result.echo_matches
    assert result.meta.cbss_ticket is not None
    # In process there is no TLS: the certificate echoed is the request's signing certificate.
    der = make_test_credentials().certificate.public_bytes(serialization.Encoding.DER)
    assert base64.b64decode(result.ssl_certificate) == der


def test_reply_is_signed_by_the_simulator_certificate(sim: Simulator) -> None:
    with raw_client(sim) as http:
        response = post_tx25(http, envelope_bytes(tx25_payload(sim, normal_ssin(sim))))
    assert response.status_code == 200
    message = soap_message(response)
    verified = verify_envelope(
        message.envelope, VerificationConfig(pinned_certificate=sim.certificate)
    )
    assert verified is not None
    assert verified.certificate == sim.certificate
    assert "CBSS simulator" in sim.certificate.subject.rfc4514_string()
    assert set(verified.signed_parts) >= {"Body", "Timestamp"}


def _expect_security_fault(response: Any, reason: str) -> SoapFault:
    with pytest.raises(SoapFault) as caught:
        soap_message(response)
    fault = caught.value
    assert fault.http_status == 500
    assert fault.faultcode == "soapenv:Client"
    assert fault.reason_codes == (MSG_SECURITY,)
    assert fault.detail is not None
    information = {i.field_name: i.field_value for i in fault.detail.messages[0].information}
    assert information == {"signature": reason}
    return fault


def test_unsigned_request_is_refused(sim: Simulator) -> None:
    with raw_client(sim) as http:
        response = post_tx25(
            http, envelope_bytes(tx25_payload(sim, normal_ssin(sim)), signed=False)
        )
    _expect_security_fault(response, "missing")


def test_unsigned_request_through_the_sdk_raises_soap_fault(sim: Simulator) -> None:
    """The SDK's own client, told not to sign: the fault reaches the caller typed."""
    import attrs

    with sim.client() as client:
        prepared = TestConnection.send_test_message.prepare(TestConnection(client), "x")
        with pytest.raises(SoapFault) as caught:
            client.call(
                attrs.evolve(prepared.info, sign=False), prepared.payload, prepared.interpret
            )
    assert caught.value.reason_codes == (MSG_SECURITY,)


def test_expired_timestamp_is_refused(sim: Simulator) -> None:
    an_hour_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    body = envelope_bytes(tx25_payload(sim, normal_ssin(sim)), now=an_hour_ago)
    with raw_client(sim) as http:
        _expect_security_fault(post_tx25(http, body), "timestamp-expired")


def test_tampered_body_is_refused(sim: Simulator) -> None:
    body = envelope_bytes(echo_payload(sim, "original text"))
    tampered = body.replace(b"original text", b"another text")
    assert tampered != body
    with raw_client(sim) as http:
        response = post(http, SOA_PREFIX + ECHO.path, tampered, ECHO.soap_action)
    _expect_security_fault(response, "invalid")


def test_verify_requests_off_accepts_unsigned_requests() -> None:
    sim = Simulator(verify_requests=False)
    with raw_client(sim) as http:
        response = post(
            http, SOA_PREFIX + ECHO.path, envelope_bytes(echo_payload(sim), signed=False), None
        )
    message = soap_message(response)
    assert message.payload is not None
    assert next(children(message.payload, "sslCertificate")).text in (None, "")


def test_request_trust_can_be_restricted() -> None:
    """A trust configuration that does not trust the client's certificate refuses it."""
    stranger = make_test_credentials(
        "CN=stranger,O=Elsewhere,C=BE", self_signed=True, key_label="stranger"
    )
    sim = Simulator(
        request_verification=VerificationConfig(pinned_certificate=stranger.certificate)
    )
    with sim.client() as client, pytest.raises(SoapFault) as caught:
        TestConnection(client).send_test_message("x")
    assert caught.value.reason_codes == (MSG_SECURITY,)
    assert caught.value.detail is not None
    assert caught.value.detail.messages[0].information[0].field_value == "untrusted"


def test_request_verification_if_present_checks_only_signed_requests() -> None:
    config = VerificationConfig(policy="if_present", trust_any_certificate=True)
    sim = Simulator(request_verification=config)
    with raw_client(sim) as http:
        unsigned = envelope_bytes(echo_payload(sim, "original text"), signed=False)
        assert post(http, SOA_PREFIX + ECHO.path, unsigned, None).status_code == 200
        tampered = envelope_bytes(echo_payload(sim, "original text")).replace(b"original", b"other")
        _expect_security_fault(post(http, SOA_PREFIX + ECHO.path, tampered, None), "invalid")


def test_unsigned_replies_fail_a_client_that_requires_signatures() -> None:
    sim = Simulator(sign_replies=False)
    strict = VerificationConfig(pinned_certificate=sim.certificate)
    with sim.client(verification=strict) as client, pytest.raises(SignatureError) as caught:
        TestConnection(client).send_test_message("x")
    assert caught.value.reason == "missing"
    # The default client of an unsigned simulator accepts unsigned replies.
    with sim.client() as client:
        assert TestConnection(client).send_test_message("x").echo_matches


def test_a_client_pinning_another_certificate_refuses_the_reply(sim: Simulator) -> None:
    other = make_test_credentials("CN=not the simulator,C=BE", self_signed=True, key_label="other")
    config = VerificationConfig(pinned_certificate=other.certificate)
    with sim.client(verification=config) as client, pytest.raises(SignatureError) as caught:
        TestConnection(client).send_test_message("x")
    assert caught.value.reason == "untrusted"


# --------------------------------------------------------------------------- routing


def test_unknown_path_is_404_html(sim: Simulator) -> None:
    with raw_client(sim) as http:
        response = post(http, SOA_PREFIX + "NoSuchService/v1/doIt", b"<x/>", None)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    with pytest.raises(CbssHttpError) as caught:
        soap_message(response)
    assert caught.value.status_code == 404


def test_get_on_an_operation_is_405(sim: Simulator) -> None:
    with raw_client(sim) as http:
        response = http.get(SOA_PREFIX + TX25.path)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_wrong_soap_action_is_a_client_fault(sim: Simulator) -> None:
    body = envelope_bytes(echo_payload(sim))
    with raw_client(sim) as http:
        response = post(http, SOA_PREFIX + ECHO.path, body, TX25.soap_action)
    with pytest.raises(SoapFault) as caught:
        soap_message(response)
    assert caught.value.faultcode == "soapenv:Client"
    assert caught.value.reason_codes == ("MSG00008",)


def test_wrong_payload_for_the_path_is_a_client_fault(sim: Simulator) -> None:
    body = envelope_bytes(echo_payload(sim))
    with raw_client(sim) as http:
        response = post(http, SOA_PREFIX + TX25.path, body, None)
    with pytest.raises(SoapFault) as caught:
        soap_message(response)
    assert caught.value.faultcode == "soapenv:Client"
    assert "retrieveTIGroupsRequest" in str(caught.value)


@pytest.mark.parametrize("body", [b"", b"not xml", b"<html><body>hi</body></html>", b"<a/>"])
def test_non_soap_bodies_are_client_faults(sim: Simulator, body: bytes) -> None:
    with raw_client(sim) as http:
        response = post(http, SOA_PREFIX + ECHO.path, body, None)
    with pytest.raises(SoapFault) as caught:
        soap_message(response)
    assert caught.value.faultcode == "soapenv:Client"


def test_doctype_is_refused(sim: Simulator) -> None:
    body = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with raw_client(sim) as http:
        response = post(http, SOA_PREFIX + ECHO.path, body, None)
    with pytest.raises(SoapFault) as caught:
        soap_message(response)
    assert "root:" not in response.text  # nothing of the file was read
    assert caught.value.reason_codes == ("MSG00008",)


def test_paths_without_the_soa4520_prefix_are_served(sim: Simulator) -> None:
    with raw_client(sim) as http:
        response = post(http, "/" + ECHO.path, envelope_bytes(echo_payload(sim)), ECHO.soap_action)
    assert response.status_code == 200


def test_status_page_lists_services_and_personas(sim: Simulator) -> None:
    with raw_client(sim) as http:
        response = http.get("/")
    assert response.status_code == 200
    status = json.loads(response.text)
    services = {entry["service"] for entry in status["services"]}
    assert {"TestConnection", "RetrieveTIGroups", "IdentifyPerson", "ManageAccess"} <= services
    assert {p["tag"] for p in status["personas"]} >= {"replaced", "slow", "unavailable"}


# --------------------------------------------------------------------------- error personas


@pytest.mark.parametrize("persona", sorted(SOA_EXPECTED))
def test_soa_persona_sync(sim: Simulator, persona: str) -> None:
    with sim.client(timeout=0.5) as client, pytest.raises(CbssError) as caught:
        RetrieveTIGroups(client).retrieve(PERSONAS[persona])
    check_error(caught.value, persona, SOA_EXPECTED[persona])


@pytest.mark.parametrize("persona", sorted(SOA_EXPECTED))
async def test_soa_persona_async(sim: Simulator, persona: str) -> None:
    async with sim.async_client(timeout=0.5) as client:
        with pytest.raises(CbssError) as caught:
            await RetrieveTIGroups(client).retrieve(PERSONAS[persona])
    check_error(caught.value, persona, SOA_EXPECTED[persona])


@pytest.mark.parametrize("persona", sorted(SSDN_EXPECTED))
def test_ssdn_persona_sync(sim: Simulator, persona: str) -> None:
    with sim.client(timeout=0.5) as client, pytest.raises(CbssError) as caught:
        PerformInvestigation(client).investigate(PERSONAS[persona])
    check_error(caught.value, persona, SSDN_EXPECTED[persona])


@pytest.mark.parametrize("persona", sorted(SSDN_EXPECTED))
async def test_ssdn_persona_async(sim: Simulator, persona: str) -> None:
    async with sim.async_client(timeout=0.5) as client:
        with pytest.raises(CbssError) as caught:
            await PerformInvestigation(client).investigate(PERSONAS[persona])
    check_error(caught.value, persona, SSDN_EXPECTED[persona])


def test_slow_persona_answers_when_the_client_waits_long_enough() -> None:
    sim = Simulator(slow_delay=0.05)
    with sim.client() as client:
        result = RetrieveTIGroups(client).retrieve(PERSONAS["slow"])
    assert result.status.value == "DATA_FOUND"


async def test_slow_persona_answers_async_clients_too() -> None:
    sim = Simulator(slow_delay=0.05)
    async with sim.async_client() as client:
        result = await RetrieveTIGroups(client).retrieve(PERSONAS["slow"])
    assert result.status.value == "DATA_FOUND"


def test_ssdn_business_errors_carry_the_generic_context_detail(sim: Simulator) -> None:
    with sim.client() as client:
        payload = PerformInvestigation.investigate.prepare(
            PerformInvestigation(client), PERSONAS["unknown"]
        ).payload
    document = etree.fromstring((payload.text or "").encode())
    reference = next(children(document, "Reference")).text
    with raw_client(sim) as http:
        reply = ssdn_reply(post_ssdn(http, ssdn_bytes(document)))
    assert reply.summary.ok == "NO"
    assert reply.summary.return_code == 10000
    assert [d.reason_code for d in reply.summary.details] == ["30000001"]
    assert reply.services[0].summary.return_code == 10000
    assert reply.reference == reference  # the caller's reference echoed
    assert reply.ticket is not None and len(reply.ticket) == 15


def test_error_messages_and_request_log_hide_national_numbers(sim: Simulator) -> None:
    with sim.client() as client, pytest.raises(CbssError) as caught:
        RetrieveTIGroups(client).retrieve(PERSONAS["unknown"])
    assert PERSONAS["unknown"] not in str(caught.value)
    assert PERSONAS["unknown"] not in repr(sim.requests)
    assert any(r.subject == PERSONAS["unknown"] for r in sim.requests)


# --------------------------------------------------------------------------- legal context


def test_another_legal_context_is_refused(sim: Simulator) -> None:
    ssin = normal_ssin(sim)
    with sim.client() as client, pytest.raises(LegalContextRefused):
        RetrieveTIGroups(client).retrieve(ssin, legal_context="SOMETHING:ELSE")


def test_extra_legal_contexts_are_accepted() -> None:
    sim = Simulator(extra_legal_contexts={"RetrieveTIGroups.retrieveTI": ["SOMETHING:ELSE"]})
    with sim.client() as client:
        result = RetrieveTIGroups(client).retrieve(normal_ssin(sim), legal_context="SOMETHING:ELSE")
    assert result.meta.legal_context == "SOMETHING:ELSE"
    assert result.response.legal_context == "SOMETHING:ELSE"


# --------------------------------------------------------------------------- schema validation


def _tx25_with(sim: Simulator, element: str, text: str) -> bytes:
    payload = tx25_payload(sim, normal_ssin(sim))
    target = next(children(payload, element))
    target.text = text
    return envelope_bytes(payload)


@pytest.mark.skipif(XSD is None, reason="the project's xsd/ directory is not available")
def test_schema_invalid_soa_request_gets_msg00008(sim: Simulator) -> None:
    with raw_client(sim) as http:
        response = post_tx25(http, _tx25_with(sim, "language", "en"))
    assert response.status_code == 200
    message = soap_message(response)
    assert message.payload is not None
    status = read_status(message.payload)
    assert status is not None
    assert (status.value, status.code) == ("NO_RESULT", "MSG00008")
    assert status.information[0].field_name == "language"
    # The refusal still carries the CommonV3 echo and a CBSS ticket, and is signed.
    assert next(children(message.payload, "ticketCBSS")).text
    assert next(children(message.payload, "ticket")).text
    assert verify_envelope(message.envelope, VerificationConfig(pinned_certificate=sim.certificate))


@pytest.mark.skipif(XSD is None, reason="the project's xsd/ directory is not available")
def test_schema_invalid_ssin_masks_the_value(sim: Simulator) -> None:
    with raw_client(sim) as http:
        response = post_tx25(http, _tx25_with(sim, "ssin", "12345678901"))
    message = soap_message(response)
    assert message.payload is not None
    status = read_status(message.payload)
    assert status is not None and status.code == "MSG00008"
    assert status.information[0].field_name == "ssin"
    assert "12345678901" not in (status.information[0].field_value or "")


@pytest.mark.skipif(XSD is None, reason="the project's xsd/ directory is not available")
def test_schema_invalid_ssdn_envelope_is_refused_as_a_whole(sim: Simulator) -> None:
    payload = etree.fromstring(
        b'<IdentifyPersonRequest xmlns="http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/IdentifyPerson"/>'
    )
    document = ssdn_document("OCMWCPASIdentifyPerson", "20050930", payload)
    email = next(children(document, "Email"))
    email.getparent().remove(email)
    with raw_client(sim) as http:
        reply = ssdn_reply(post_ssdn(http, ssdn_bytes(document)))
    assert reply.summary.ok == "NO"
    assert [d.reason_code for d in reply.summary.details] == [SSDN_INVALID_REQUEST]
    assert reply.services == ()


@pytest.mark.skipif(XSD is None, reason="the project's xsd/ directory is not available")
def test_schema_invalid_ssdn_payload_is_a_service_error(sim: Simulator) -> None:
    payload = etree.fromstring(
        b'<IdentifyPersonRequest xmlns="http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/IdentifyPerson">'
        b"<Unexpected/></IdentifyPersonRequest>"
    )
    with raw_client(sim) as http:
        reply = ssdn_reply(
            post_ssdn(
                http, ssdn_bytes(ssdn_document("OCMWCPASIdentifyPerson", "20050930", payload))
            )
        )
    assert [d.reason_code for d in reply.summary.details] == ["30000001"]
    (service,) = reply.services
    assert service.service_id == "OCMWCPASIdentifyPerson"
    assert [d.reason_code for d in service.summary.details] == [SSDN_INVALID_REQUEST]


def test_several_service_requests_get_one_reply_each(sim: Simulator) -> None:
    import copy

    namespace = "http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/IdentifyPerson"
    payload = etree.fromstring(
        f'<IdentifyPersonRequest xmlns="{namespace}"><SearchCriteria>'
        f"<SSIN>{normal_ssin(sim)}</SSIN></SearchCriteria></IdentifyPersonRequest>".encode()
    )
    document = ssdn_document("OCMWCPASIdentifyPerson", "20050930", payload)
    second = copy.deepcopy(next(children(document, "ServiceRequest")))
    next(children(second, "SSIN")).text = PERSONAS["unknown"]
    document.append(second)
    with raw_client(sim) as http:
        reply = ssdn_reply(post_ssdn(http, ssdn_bytes(document)))
    assert [s.summary.ok for s in reply.services] == ["YES", "NO"]
    assert reply.services[0].payload is not None
    assert reply.services[1].payload is None
    assert reply.summary.ok == "NO"


def test_unknown_ssdn_service_is_an_ssdn_error(sim: Simulator) -> None:
    real = catalog.service("IdentifyPerson")
    fake = catalog.ServiceSpec(
        key="IdentifyPerson",
        cbss_name="NoSuchService",
        title="not a CBSS service",
        group="registers",
        protocol="ssdn",
        version="20990101",
        operations=real.operations,
        ssdn_service_id="NoSuchService",
        ssdn_version="20990101",
    )
    from cbss_sdk.models.identify_person_20050930.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.identify_person import (
        IdentifyPersonReply,
        IdentifyPersonRequest,
        SearchCriteriaType,
    )

    with sim.client() as client:
        prepared = prepare_ssdn_call(
            client,
            fake,
            fake.operations[0],
            IdentifyPersonRequest(search_criteria=SearchCriteriaType(ssin=normal_ssin(sim))),
            reply_type=IdentifyPersonReply,
            build=lambda parts: parts,
        )
        with pytest.raises(SsdnError) as caught:
            client.call(prepared.info, prepared.payload, prepared.interpret)
    assert caught.value.reason_codes == (SSDN_UNKNOWN_SERVICE,)


def test_xml_string_that_is_not_ssdn_is_refused(sim: Simulator) -> None:
    from cbss_sdk.soap import build_envelope, serialize_envelope
    from cbss_sdk.ssdn._envelope import CONNECTOR_NS

    wrapper = etree.Element(f"{{{CONNECTOR_NS}}}xmlString")
    wrapper.text = "this is not XML"
    with raw_client(sim) as http:
        reply = ssdn_reply(post_ssdn(http, serialize_envelope(build_envelope(wrapper))))
    assert reply.summary.ok == "NO"
    assert reply.summary.details[0].reason_code == SSDN_INVALID_REQUEST


def test_validate_requests_false_skips_the_schemas() -> None:
    """Without schemas an invalid SSIN still gets CBSS's own answer: MSG00011."""
    sim = Simulator(validate_requests=False)
    assert sim.schemas is None
    with raw_client(sim) as http:
        response = post_tx25(http, _tx25_with(sim, "ssin", "12345678901"))
    message = soap_message(response)
    assert message.payload is not None
    status = read_status(message.payload)
    assert status is not None
    assert (status.value, status.code) == ("NO_RESULT", "MSG00011")


# --------------------------------------------------------------------------- replies are schema-valid


def _schema(*files: str) -> etree.XMLSchema:
    assert XSD is not None
    imports = []
    for file in files:
        path = XSD / file
        namespace = etree.parse(str(path)).getroot().get("targetNamespace")
        imports.append(f'<xs:import namespace="{namespace}" schemaLocation="{path.as_uri()}"/>')
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        + "".join(imports)
        + "</xs:schema>"
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


@pytest.mark.skipif(XSD is None, reason="the project's xsd/ directory is not available")
def test_soa_replies_are_schema_valid(sim: Simulator) -> None:
    schema = _schema(catalog.service("RetrieveTIGroups").schema[4:])  # type: ignore[index]
    with raw_client(sim) as http:
        for ssin in (normal_ssin(sim), PERSONAS["unknown"]):
            message = soap_message(post_tx25(http, envelope_bytes(tx25_payload(sim, ssin))))
            schema.assertValid(message.payload)


@pytest.mark.skipif(XSD is None, reason="the project's xsd/ directory is not available")
def test_ssdn_replies_are_schema_valid(sim: Simulator) -> None:
    schema = _schema("ssdn/service/SSDN.xsd", catalog.service("IdentifyPerson").schema[4:])  # type: ignore[index]
    with sim.client() as client:
        facade = IdentifyPerson(client)
        for ssin in (normal_ssin(sim), PERSONAS["unknown"]):
            payload = IdentifyPerson.identify.prepare(facade, ssin).payload
            document = etree.fromstring((payload.text or "").encode())
            with raw_client(sim) as http:
                message = soap_message(post_ssdn(http, ssdn_bytes(document)))
            assert message.payload is not None
            schema.assertValid(etree.fromstring((message.payload.text or "").encode()))


@pytest.mark.skipif(XSD is None, reason="the project's xsd/ directory is not available")
def test_refusals_follow_the_reply_type_of_each_service(sim: Simulator) -> None:
    """Dolsis: legal context inside securityContext, a reply that echoes no request part."""
    from cbss_sdk import Dolsis

    spec = catalog.service("Dolsis")
    op = spec.operation("findEmployersByWorker")
    schema = _schema(spec.schema[4:])  # type: ignore[index]
    with sim.client() as client:
        payload = Dolsis.find_employers_by_worker.prepare(
            Dolsis(client), ssin=PERSONAS["unknown"]
        ).payload
        with pytest.raises(SsinUnknown):
            Dolsis(client).find_employers_by_worker(ssin=PERSONAS["unknown"])
    with raw_client(sim) as http:
        response = post(http, SOA_PREFIX + op.path, envelope_bytes(payload), op.soap_action)
    message = soap_message(response)
    schema.assertValid(message.payload)
    assert [etree.QName(c).localname for c in message.payload] == [
        "informationCustomer",
        "informationCBSS",
        "status",
    ]


# --------------------------------------------------------------------------- integration


def test_manage_access_register_makes_a_person_consultable() -> None:
    sim = Simulator()
    ssin = PERSONAS["not_integrated"]
    with sim.client() as client:
        with pytest.raises(NotIntegrated):
            RetrieveTIGroups(client).retrieve(ssin)
        with pytest.raises(SsdnError):
            PerformInvestigation(client).investigate(ssin)
        ManageAccess(client).register(ssin, 1, start=dt.date(2024, 1, 1))
        assert sim.registrations.is_integrated(f"cbe:{SIMULATOR_CBE}", ssin, dt.date.today())
        assert RetrieveTIGroups(client).retrieve(ssin).status.value == "DATA_FOUND"
        assert PerformInvestigation(client).investigate(ssin).reply is not None


def test_registration_counts_for_the_registering_organisation_only() -> None:
    sim = Simulator()
    ssin = PERSONAS["not_integrated"]
    with sim.client() as client:
        ManageAccess(client).register(ssin, 1, start=dt.date(2024, 1, 1))
    other = Organization(cbe_number="0316381039")
    with sim.client(organization=other) as client, pytest.raises(NotIntegrated):
        RetrieveTIGroups(client).retrieve(ssin)


async def test_registration_through_the_async_client() -> None:
    sim = Simulator()
    ssin = PERSONAS["not_integrated"]
    async with sim.async_client() as client:
        with pytest.raises(NotIntegrated):
            await RetrieveTIGroups(client).retrieve(ssin)
        await ManageAccess(client).register(ssin, 2, start=dt.date(2023, 6, 1))
        result = await RetrieveTIGroups(client).retrieve(ssin)
    assert result.data_found


def test_registrations_made_directly_count_and_reset_forgets_them() -> None:
    sim = Simulator()
    ssin = PERSONAS["not_integrated"]
    sim.registrations.register(f"cbe:{SIMULATOR_CBE}", ssin, 1, dt.date(2020, 1, 1))
    with sim.client() as client:
        assert RetrieveTIGroups(client).retrieve(ssin).data_found
        sim.reset()
        with pytest.raises(NotIntegrated):
            RetrieveTIGroups(client).retrieve(ssin)


def test_a_registration_outside_its_period_does_not_count() -> None:
    sim = Simulator()
    ssin = PERSONAS["not_integrated"]
    sim.registrations.register(
        f"cbe:{SIMULATOR_CBE}", ssin, 1, dt.date(2000, 1, 1), dt.date(2000, 12, 31)
    )
    with sim.client() as client, pytest.raises(NotIntegrated):
        RetrieveTIGroups(client).retrieve(ssin)


# --------------------------------------------------------------------------- the handler contract

_SSIN_A = "85073003328"
_SSIN_B = "85073003427"


def _tx25_handler(ctx: SimContext, request: SimRequest) -> object:
    from cbss_sdk.models.retrieve_ti_groups_v2.be.fgov.kszbcss.intf.retrieve_tigroups_service.v2 import (
        RetrieveTIGroupsResponse,
    )
    from cbss_sdk.models.retrieve_ti_groups_v2.be.fgov.kszbcss.types.common.v3 import (
        StatusType,
        StatusTypevalue,
    )

    model: Any = request.model
    assert request.subject == model.search_information.ssin
    assert request.organization == f"cbe:{SIMULATOR_CBE}"
    assert request.legal_context == TX25.default_legal_context
    assert request.signer_certificate is not None
    return ctx.soa_response(
        RetrieveTIGroupsResponse,
        search_information=model.search_information,
        status=StatusType(value=StatusTypevalue.NO_DATA_FOUND, code="MSG00000"),
    )


def _tiny_sim(**kwargs: Any) -> Simulator:
    population = TinyPopulation(
        TinyPerson(_SSIN_A), TinyPerson(_SSIN_B, integrated=False, tags=frozenset({"x"}))
    )
    return Simulator(
        population=population,  # type: ignore[arg-type]
        handlers={("RetrieveTIGroups", "retrieve"): _tx25_handler, **kwargs.pop("handlers", {})},
        **kwargs,
    )


def test_handler_gets_the_bound_request_and_soa_response_fills_the_header() -> None:
    sim = _tiny_sim()
    with sim.client() as client:
        result = RetrieveTIGroups(client).retrieve(_SSIN_A)
    assert result.status.value == "NO_DATA_FOUND"
    assert result.meta.cbss_ticket is not None
    assert result.response.information_customer.ticket == result.meta.customer_ticket
    assert result.response.legal_context == TX25.default_legal_context
    assert result.meta.timestamp_received is not None


def test_engine_checks_apply_to_a_custom_population() -> None:
    sim = _tiny_sim()
    with sim.client() as client, pytest.raises(NotIntegrated):
        RetrieveTIGroups(client).retrieve(_SSIN_B)


def test_a_crashing_handler_is_a_server_fault_and_is_recorded() -> None:
    def crash(ctx: SimContext, request: SimRequest) -> object:
        raise KeyError(f"no data for {request.subject}")

    sim = _tiny_sim(handlers={("RetrieveTIGroups", "retrieveTI"): crash})
    with sim.client() as client, pytest.raises(SoapFault) as caught:
        RetrieveTIGroups(client).retrieve(_SSIN_A)
    assert caught.value.reason_codes == ("MSG00003",)
    assert caught.value.faultcode == "soapenv:Server"
    assert [type(e) for e in sim.handler_errors] == [KeyError]


def test_raise_handler_errors_lets_the_exception_through() -> None:
    def crash(ctx: SimContext, request: SimRequest) -> object:
        raise ZeroDivisionError

    sim = _tiny_sim(handlers={("RetrieveTIGroups", "retrieveTI"): crash}, raise_handler_errors=True)
    with sim.client() as client, pytest.raises(ZeroDivisionError):
        RetrieveTIGroups(client).retrieve(_SSIN_A)


def test_a_handler_returning_the_wrong_thing_is_a_server_fault() -> None:
    sim = _tiny_sim(handlers={("RetrieveTIGroups", "retrieveTI"): lambda ctx, request: "oops"})
    with sim.client() as client, pytest.raises(SoapFault) as caught:
        RetrieveTIGroups(client).retrieve(_SSIN_A)
    assert caught.value.reason_codes == ("MSG00003",)


def test_injected_clock_dates_the_replies() -> None:
    moment = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.timezone.utc)
    sim = _tiny_sim(clock=lambda: moment)
    with sim.client() as client:
        result = RetrieveTIGroups(client).retrieve(_SSIN_A)
    assert result.meta.timestamp_received == moment
    assert result.meta.timestamp_reply == moment


def test_a_naive_clock_is_refused() -> None:
    sim = _tiny_sim(clock=lambda: dt.datetime(2024, 3, 1))
    with pytest.raises(ConfigurationError):
        sim.now()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sign_replies": "yes"},
        {"slow_delay": -1},
        {"clock": 3},
        {"request_verification": "any"},
        {"handlers": {("NoSuchService", "x"): lambda c, r: None}},
        {"handlers": {("RetrieveTIGroups", "retrieveTI"): "not callable"}},
    ],
)
def test_bad_configuration_is_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        Simulator(**kwargs)


@pytest.mark.parametrize("name", ["environment", "base_url", "ssdn_url"])
def test_in_process_clients_refuse_other_addresses(sim: Simulator, name: str) -> None:
    with pytest.raises(ConfigurationError, match="SimulatorServer"):
        sim.client(**{name: None})
    with pytest.raises(ConfigurationError, match="SimulatorServer"):
        sim.async_client(**{name: None})


def test_client_overrides_are_applied(sim: Simulator) -> None:
    with sim.client(user="alice") as client:
        assert client.user == "alice"
        assert client.organization == Organization(cbe_number=SIMULATOR_CBE, name="CPAS Testville")
        assert client.environment.name == "simulator"
    assert client.closed


def test_xsd_directory_can_be_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CBSS_SDK_XSD_DIR", str(tmp_path))
    (tmp_path / "soa").mkdir()
    (tmp_path / "ssdn").mkdir()
    assert xsd_directory() == tmp_path
