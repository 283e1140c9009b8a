"""Conformance with the official CBSS contracts, for the five first services.

* Every request the facades build validates against the OFFICIAL schemas
  (the test data in ``../shared/reference/cbss/``, never copied into the
  project) — and against ours.
* The six official TX25 sample replies (RetrieveTIGroups v1) carry a National
  Register payload that binds to our v2 models with nothing unknown, and,
  put in a v2 reply, come out of the facade as typed results with the right
  status.
* The five official IdentifyPerson sample replies bind with nothing unknown
  and come out as results (ok / warning) or typed ``SsdnError``s.

Skipped, with the reason, when the reference folder is absent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from cbss_sdk import CbssClient, Organization, SsdnUser
from cbss_sdk._binding import bind
from cbss_sdk.errors import SsdnError
from cbss_sdk.models.identify_person_20050930.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.identify_person import (
    IdentifyPersonReply,
)
from cbss_sdk.models.retrieve_ti_groups_v2.be.fgov.rrn.ibz.xsd.xm25.rn25_schema import FileInfoType
from cbss_sdk.services import (
    DataGroup,
    IdentifyPerson,
    ManageAccess,
    PerformInvestigation,
    ProofOfAuthentication,
    Purpose,
    RetrieveTIGroups,
    TestConnection,
)
from cbss_sdk.soap import read_envelope
from cbss_sdk.transport import SoapReply

REPO = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cbss"
OFFICIAL = REFERENCE / "head"
FIXTURES = OFFICIAL / "fixtures"
OURS = REPO / "xsd"

pytestmark = pytest.mark.skipif(
    not OFFICIAL.is_dir(),
    reason="official CBSS reference data (../shared/reference/cbss) is not available here",
)

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
XS_NS = "http://www.w3.org/2001/XMLSchema"
TIG_V1 = "http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v1"
TIG_V2 = "http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v2"
SSIN = "85073003328"

TX25_SAMPLES = [
    "demo_tx25_1.xml",
    "demo_tx25_2.xml",
    "demo_tx25_3.xml",
    "tx25_1107.xml",
    "tx25_1358.xml",
    "tx25_1373.xml",
]
IPR_SAMPLES = [f"demo_ipr_{n}.xml" for n in range(1, 6)]


# ----------------------------------------------------------------------------- schemas


def _wsdl_schema(wsdl: Path, locations: dict[str, Path], tmp: Path) -> etree.XMLSchema:
    """Compile the schema embedded in an official WSDL, pointing its imports at real files."""
    schema = etree.parse(str(wsdl)).find(f"{{{WSDL_NS}}}types/{{{XS_NS}}}schema")
    assert schema is not None
    for imp in schema.iterfind(f"{{{XS_NS}}}import"):
        target = locations.get(imp.get("namespace", ""))
        if target is not None:
            imp.set("schemaLocation", target.resolve().as_uri())
    path = tmp / (wsdl.stem + ".xsd")
    path.write_bytes(etree.tostring(schema))
    return etree.XMLSchema(etree.parse(str(path)))


@pytest.fixture(scope="module")
def official(tmp_path_factory: pytest.TempPathFactory) -> dict[str, etree.XMLSchema]:
    tmp = tmp_path_factory.mktemp("official")
    ssdn = OFFICIAL / "XSD" / "SSDN"
    return {
        "TestConnection": _wsdl_schema(
            OFFICIAL / "WSDL" / "TestConnectionService.wsdl",
            {
                "http://kszbcss.fgov.be/types/TestConnectionService/v1": OFFICIAL
                / "XSD"
                / "TestConnectionServiceV1.xsd"
            },
            tmp,
        ),
        "RetrieveTIGroups": _wsdl_schema(
            OFFICIAL / "XSD/be/fgov/kszbcss/intf/RetrieveTIGroupsService/RetrieveTIGroupsV2.wsdl",
            {
                "http://kszbcss.fgov.be/types/RetrieveTIGroups/v2": OFFICIAL
                / "XSD/be/fgov/kszbcss/types/RetrieveTIGroups/RetrieveTIGroupsV2.xsd",
                "http://kszbcss.fgov.be/types/common/v3": OFFICIAL
                / "XSD/be/fgov/kszbcss/types/common/CommonV3.xsd",
            },
            tmp,
        ),
        "SSDNRequest": etree.XMLSchema(etree.parse(str(ssdn / "Service" / "SSDNRequest.xsd"))),
        "IdentifyPerson": etree.XMLSchema(
            etree.parse(str(ssdn / "OCMW_CPAS/IdentifyPerson/IdentifyPersonRequest.xsd"))
        ),
        "ManageAccess": etree.XMLSchema(
            etree.parse(str(ssdn / "OCMW_CPAS/ManageAccess/ManageAccessRequest.xsd"))
        ),
        "PerformInvestigation": etree.XMLSchema(
            etree.parse(
                str(ssdn / "OCMW_CPAS/PerformInvestigation/PerformInvestigationRequest.xsd")
            )
        ),
    }


@pytest.fixture(scope="module")
def ours() -> dict[str, etree.XMLSchema]:
    def load(rel: str) -> etree.XMLSchema:
        return etree.XMLSchema(etree.parse(str(OURS / rel)))

    return {
        "TestConnection": load("soa/TestConnectionService/v1/TestConnectionService.xsd"),
        "RetrieveTIGroups": load("soa/RetrieveTIGroups/v2/RetrieveTIGroupsService.xsd"),
        "SSDNRequest": load("ssdn/service/SSDNRequest.xsd"),
        "IdentifyPerson": load("ssdn/OCMW_CPAS/IdentifyPerson/20050930/IdentifyPerson.xsd"),
        "ManageAccess": load("ssdn/OCMW_CPAS/ManageAccess/20050930/ManageAccess.xsd"),
        "PerformInvestigation": load(
            "ssdn/OCMW_CPAS/PerformInvestigation/20080604/PerformInvestigation.xsd"
        ),
    }


# ----------------------------------------------------------------------------- requests


@pytest.fixture(scope="module")
def client() -> Iterator[CbssClient]:
    with CbssClient(
        environment="test",
        organization=Organization(cbe_number="0212344876"),
        ssdn_user=SsdnUser(user_id="00901234567", email="it@cpas.example"),
        verification="off",
    ) as c:
        yield c


@pytest.fixture(scope="module")
def sector_client() -> Iterator[CbssClient]:
    with CbssClient(
        environment="test",
        organization=Organization(sector=17, institution=1),
        ssdn_user=SsdnUser(user_id="00901234567", email="it@cpas.example"),
        verification="off",
    ) as c:
        yield c


def _requests(c: CbssClient) -> list[tuple[str, etree._Element]]:
    start = dt.date(2026, 1, 1)
    proof = ProofOfAuthentication(last_name="DUPONT", birth_date="1985-07-30")
    calls = [
        ("TestConnection", TestConnection.send_test_message.prepare(TestConnection(c), "hello")),
        ("RetrieveTIGroups", RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(c), SSIN)),
        (
            "RetrieveTIGroups",
            RetrieveTIGroups.retrieve.prepare(
                RetrieveTIGroups(c), SSIN, language="nl", history=True, legal_context="X:Y"
            ),
        ),
        (
            "IdentifyPerson",
            IdentifyPerson.identify.prepare(
                IdentifyPerson(c),
                SSIN,
                sis_card_number="1234567890",
                last_name="Dupont",
                first_name="Jean",
                birth_date=dt.date(1985, 7, 30),
            ),
        ),
        (
            "IdentifyPerson",
            IdentifyPerson.search.prepare(
                IdentifyPerson(c), "Dupont", "1985-07-00", gender=1, tolerance=2, maximum=10
            ),
        ),
        (
            "ManageAccess",
            ManageAccess.register.prepare(
                ManageAccess(c), SSIN, Purpose.INTEGRATION_INCOME, start=start, proof=proof
            ),
        ),
        (
            "ManageAccess",
            ManageAccess.unregister.prepare(
                ManageAccess(c), SSIN, 2, start=start, end=dt.date(2026, 6, 30)
            ),
        ),
        (
            "ManageAccess",
            ManageAccess.list.prepare(ManageAccess(c), SSIN, start=start, register="SECONDARY"),
        ),
        (
            "PerformInvestigation",
            PerformInvestigation.investigate.prepare(PerformInvestigation(c), SSIN),
        ),
        (
            "PerformInvestigation",
            PerformInvestigation.investigate.prepare(
                PerformInvestigation(c),
                SSIN,
                groups=[DataGroup.FAMILY_COMPOSITION, "address_history"],
            ),
        ),
    ]
    return [(name, prepared.payload) for name, prepared in calls]


def _documents(payload: etree._Element) -> list[tuple[str, etree._Element]]:
    """The documents to validate: the SOA payload, or the SSDN request and its service payload."""
    if etree.QName(payload).localname != "xmlString":
        return [("payload", payload)]
    document = etree.fromstring((payload.text or "").encode())
    service = document.find("{*}ServiceRequest")
    assert service is not None
    return [("SSDNRequest", document), ("payload", service[2])]


def _check(schema: etree.XMLSchema, element: etree._Element) -> None:
    ok = schema.validate(etree.ElementTree(element))
    assert ok, [f"{e.line}: {e.message}" for e in schema.error_log]


@pytest.mark.parametrize("which", ["cbe", "sector"])
def test_every_request_validates_against_the_official_and_our_schemas(
    which: str,
    client: CbssClient,
    sector_client: CbssClient,
    official: dict[str, etree.XMLSchema],
    ours: dict[str, etree.XMLSchema],
) -> None:
    built = _requests(client if which == "cbe" else sector_client)
    assert {name for name, _ in built} == {
        "TestConnection",
        "RetrieveTIGroups",
        "IdentifyPerson",
        "ManageAccess",
        "PerformInvestigation",
    }
    for name, payload in built:
        for kind, element in _documents(payload):
            key = "SSDNRequest" if kind == "SSDNRequest" else name
            _check(official[key], element)
            _check(ours[key], element)


def test_a_request_outside_the_contract_is_caught_by_the_official_schema(
    client: CbssClient, official: dict[str, etree.XMLSchema]
) -> None:
    """The validation above can fail: a request missing its legal context is refused."""
    payload = RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(client), SSIN).payload
    legal = payload.find("legalContext")
    assert legal is not None
    payload.remove(legal)
    assert not official["RetrieveTIGroups"].validate(etree.ElementTree(payload))


# ----------------------------------------------------------------------------- TX25 samples


def _v1_sample_as_v2(name: str) -> etree._Element:
    """A v1 sample reply turned into the v2 shape: root element in the v2 namespace, legalContext added."""
    root = etree.parse(str(FIXTURES / name)).getroot()
    message = read_envelope(root)
    payload = message.payload
    assert payload is not None and payload.tag == f"{{{TIG_V1}}}retrieveTIGroupsResponse"
    payload.tag = f"{{{TIG_V2}}}retrieveTIGroupsResponse"
    if payload.find("legalContext") is None:
        legal = etree.Element("legalContext")
        legal.text = "PCSA:SOCIAL_INQUIRY"
        anchor = payload.find("informationCBSS")
        assert anchor is not None
        anchor.addnext(legal)
    return root


def _reply(root: etree._Element) -> SoapReply:
    return SoapReply(
        message=read_envelope(root),
        status_code=200,
        headers=httpx.Headers(),
        signature=None,
        elapsed=0.0,
        raw=etree.tostring(root),
    )


@pytest.mark.parametrize("name", TX25_SAMPLES)
def test_tx25_national_register_payload_binds_with_nothing_unknown(name: str) -> None:
    root = etree.parse(str(FIXTURES / name)).getroot()
    rrn = root.find(f"{{{SOAP_NS}}}Body/{{{TIG_V1}}}retrieveTIGroupsResponse/rrn_it_implicit")
    assert rrn is not None
    bound = bind(rrn, FileInfoType, strict=True)
    assert isinstance(bound, FileInfoType)


def test_tx25_body_engine_attribute_is_the_only_tolerated_extra() -> None:
    """Samples 3 and later carry ``Body/@engine``: the envelope layer ignores it, nothing else."""
    engines = []
    for name in TX25_SAMPLES:
        body = etree.parse(str(FIXTURES / name)).getroot().find(f"{{{SOAP_NS}}}Body")
        assert body is not None
        engines.extend(body.attrib.keys())
    assert engines
    assert all(etree.QName(k).localname == "engine" for k in engines)


@pytest.mark.parametrize("name", TX25_SAMPLES)
def test_tx25_samples_come_out_as_typed_results(name: str, client: CbssClient) -> None:
    root = _v1_sample_as_v2(name)
    expected_ticket = root.findtext(
        f".//{{{TIG_V2}}}retrieveTIGroupsResponse/informationCBSS/ticketCBSS"
    )
    prepared = RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(client), SSIN)
    outcome = prepared.interpret(_reply(root))
    result = outcome.value
    assert outcome.label == "DATA_FOUND"
    assert result.status.value == "DATA_FOUND"
    assert result.status.code == "MSG00000"
    assert result.data_found
    assert isinstance(result.file, FileInfoType)
    assert result.meta.cbss_ticket == expected_ticket
    assert outcome.cbss_ticket == expected_ticket
    assert result.meta.timestamp_reply is not None


# ----------------------------------------------------------------------------- IdentifyPerson samples


def _ssdn_reply(name: str) -> SoapReply:
    """Wrap an official SSDNReply sample as CBSS sends it: the text of sendXML's xmlString."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope")
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    wrapper = etree.SubElement(
        body, "{http://ksz-bcss.fgov.be/connectors/WebServiceConnector}xmlString"
    )
    wrapper.text = text.split("?>", 1)[1] if text.startswith("<?xml") else text
    return _reply(envelope)


@pytest.mark.parametrize("name", IPR_SAMPLES)
def test_identify_person_sample_payloads_bind_with_nothing_unknown(name: str) -> None:
    root = etree.parse(str(FIXTURES / name)).getroot()
    payloads = root.findall(
        "{*}ServiceReply/{http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/IdentifyPerson}IdentifyPersonReply"
    )
    for payload in payloads:
        assert isinstance(bind(payload, IdentifyPersonReply, strict=True), IdentifyPersonReply)


EXPECTED_IPR = {
    "demo_ipr_1.xml": ("ok", 1, ()),
    "demo_ipr_2.xml": ("error", 0, ("31009001",)),
    "demo_ipr_3.xml": ("ok", 1, ()),
    "demo_ipr_4.xml": ("WARNING", 1, ("21007001", "22007007", "12007001")),
    "demo_ipr_5.xml": ("error", 0, ("31000007", "31000007")),
}


@pytest.mark.parametrize("name", IPR_SAMPLES)
def test_identify_person_samples_come_out_typed(name: str, client: CbssClient) -> None:
    label, persons, codes = EXPECTED_IPR[name]
    prepared = IdentifyPerson.identify.prepare(IdentifyPerson(client), SSIN)
    reply = _ssdn_reply(name)
    if label == "error":
        with pytest.raises(SsdnError) as info:
            prepared.interpret(reply)
        assert info.value.reason_codes == codes
        assert info.value.return_code == 10000
        assert info.value.tickets[-1]  # the CBSS ticket of the sample
        return
    outcome = prepared.interpret(reply)
    assert outcome.label == label
    assert len(outcome.value.persons) == persons
    assert outcome.value.reason_codes == codes
    assert outcome.value.meta.cbss_ticket
