"""The ListOfAttestations facade (OCMWCPASListOfAttestations 20080317): request types and replies.

Requests are checked against our schema (no official one is public); calls go through the
in-process simulator, sync and async, for the three request types seen in public client code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from xsd_shape import load_schemas

import cbss_sdk.testing._services.list_of_attestations as sim_list
from cbss_sdk import catalog
from cbss_sdk._binding import bind
from cbss_sdk._client import AsyncCbssClient, CbssClient
from cbss_sdk.errors import RequestValidationError, SsdnError
from cbss_sdk.models.list_of_attestations_20080317.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.manage_attests import (
    ListOfAttestationsReply,
)
from cbss_sdk.services._list_of_attestations import (
    AttestKind,
    CodedValue,
    ListOfAttestations,
    ListOfAttestationsResult,
)
from cbss_sdk.ssdn._envelope import COMMON_NS, SERVICE_NS
from cbss_sdk.testing import Simulator
from cbss_sdk.testing._population import PERSONA_SSINS, UNKNOWN_SSIN

REPO = Path(__file__).resolve().parents[1]
OUR_ENTRY = (
    REPO / "xsd" / "ssdn" / "OCMW_CPAS" / "ManageAttests" / "20080317" / "ListOfAttestations.xsd"
)
NS = "http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/ManageAttests"
_S = f"{{{SERVICE_NS}}}"
_M = f"{{{NS}}}"
_C = f"{{{COMMON_NS}}}"
TODAY = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return Simulator(clock=lambda: TODAY, raise_handler_errors=True)


@pytest.fixture
def client(sim: Simulator) -> Iterator[CbssClient]:
    with sim.client() as c:
        yield c


@pytest.fixture
async def async_client(sim: Simulator) -> Any:
    async with sim.async_client() as c:
        yield c


def _someone(sim: Simulator, condition: Callable[[Any], bool]) -> str:
    for person in sim.population:
        if not person.tags and person.integrated and condition(person):
            return str(person.ssin)
    raise AssertionError("nobody in the population fits")


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(OUR_ENTRY)))


def _payload(prepared: Any) -> etree._Element:
    document = etree.fromstring(str(prepared.payload.text).encode("utf-8"))
    request = document.find(_S + "ServiceRequest")
    assert request is not None
    assert request.findtext(_S + "ServiceId") == "OCMWCPASListOfAttestations"
    assert request.findtext(_S + "Version") == "20080317"
    return request[2]


SSIN = "85073003328"


def test_catalog_entry() -> None:
    spec = catalog.service("ListOfAttestations")
    assert spec.ssdn_service_id == "OCMWCPASListOfAttestations"  # plural
    (op,) = spec.operations
    assert op.implemented and op.idempotent and op.python_name == "list"


@pytest.mark.parametrize(
    ("request_type", "sent"),
    [
        (AttestKind.EXEMPTIONS_ART35, "EXONERATIONSART35"),
        ("installation_premium", "PRIME_INSTALLATION"),
        ("gpmi_piis", "GPMI_PIIS"),
        ("STATUT65", "STATUT65"),
    ],
)
def test_requests_are_valid_against_our_schema(
    client: CbssClient, request_type: Any, sent: str
) -> None:
    prepared = ListOfAttestations.list.prepare(
        ListOfAttestations(client),
        SSIN,
        request_type,
        start=dt.date(2014, 6, 2),
        end=dt.date(2024, 6, 1),
    )
    payload = _payload(prepared)
    assert _schema().validate(payload), [str(e) for e in _schema().error_log]
    assert payload.findtext(_M + "SocialSecurityUser") == SSIN
    assert payload.findtext(_M + "RequestType") == sent
    assert payload.findtext(f"{_M}SearchPeriod/{_C}StartDate") == "2014-06-02"
    assert payload.findtext(f"{_M}SearchPeriod/{_C}EndDate") == "2024-06-01"
    assert prepared.info.subject == SSIN and prepared.info.idempotent


def test_the_period_is_optional(client: CbssClient) -> None:
    payload = _payload(
        ListOfAttestations.list.prepare(ListOfAttestations(client), SSIN, "GPMI_PIIS")
    )
    assert _schema().validate(payload)
    assert payload.find(_M + "SearchPeriod") is None


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"ssin": "85073003329"}, "ssin"),
        ({"request_type": "gpmi piis"}, "request_type"),
        ({"request_type": ""}, "request_type"),
        ({"request_type": 35}, "request_type"),
        ({"start": dt.date(2024, 1, 1)}, "end"),
        ({"end": dt.date(2024, 1, 1)}, "start"),
        ({"start": dt.date(2024, 1, 2), "end": dt.date(2024, 1, 1)}, "period"),
        ({"start": dt.datetime(2024, 1, 1), "end": dt.date(2024, 2, 1)}, "start"),
    ],
)
def test_invalid_arguments_are_refused_before_sending(
    client: CbssClient, arguments: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {"ssin": SSIN, "request_type": "GPMI_PIIS", **arguments}
    with pytest.raises(RequestValidationError) as caught:
        ListOfAttestations.list.prepare(
            ListOfAttestations(client), values.pop("ssin"), values.pop("request_type"), **values
        )
    assert caught.value.field == field
    assert SSIN not in str(caught.value)


def test_coded_values_split_the_two_languages() -> None:
    from cbss_sdk.models.list_of_attestations_20080317.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.manage_attests import (
        CodeDescriptionType,
    )

    assert CodedValue.of(
        CodeDescriptionType(code=" 3", description="Prime / Premie")
    ) == CodedValue("3", "Prime", "Premie")
    assert CodedValue.of(CodeDescriptionType(code="3")) == CodedValue("3")
    assert CodedValue.of(None) is None


# --------------------------------------------------------------------------- simulator


def test_art35_exemption_through_the_simulator(sim: Simulator, client: CbssClient) -> None:
    today = TODAY.date()
    ssin = _someone(sim, lambda p: sim_list._art35(p.ssin, p.birth_date, today).has_exoneration)
    result = ListOfAttestations(client).list(ssin, AttestKind.EXEMPTIONS_ART35)
    assert isinstance(result, ListOfAttestationsResult)
    art35 = result.art35
    assert art35 is not None and art35.has_exemption
    assert art35.first_date is not None and art35.first_date <= today
    assert art35.exempted_days is not None and 0 <= art35.exempted_days <= 720
    assert result.gpmi_piis is None and result.attestations == ()
    assert result.meta.service == "ListOfAttestations" and result.meta.cbss_ticket
    nobody = _someone(
        sim, lambda p: not sim_list._art35(p.ssin, p.birth_date, today).has_exoneration
    )
    assert ListOfAttestations(client).list(nobody, "EXONERATIONSART35").art35 == type(art35)(False)


def test_gpmi_piis_periods_come_back_unqualified(sim: Simulator, client: CbssClient) -> None:
    today = TODAY.date()

    def extended(person: Any) -> bool:
        part = sim_list._gpmi(person.ssin, person.birth_date, today)
        return part.has_attestation and part.prolongation_period is not None

    ssin = _someone(sim, extended)
    project = ListOfAttestations(client).list(ssin, "GPMI_PIIS").gpmi_piis
    assert project is not None and project.has_attestation
    assert project.start is not None and project.end is not None and project.start <= today
    assert project.extension_start == project.end + dt.timedelta(days=1)
    assert project.extension_end is not None and project.extension_end > project.extension_start


async def test_installation_premium_through_the_async_simulator(
    sim: Simulator, async_client: AsyncCbssClient
) -> None:
    today = TODAY.date()
    ssin = _someone(sim, lambda p: bool(sim_list._premium(p.ssin, p.birth_date, today, 1)))
    result = await ListOfAttestations(async_client).list(
        ssin, AttestKind.INSTALLATION_PREMIUM, start=dt.date(2014, 6, 2), end=dt.date(2024, 6, 1)
    )
    (attest,) = result.attestations
    assert attest.ssin == ssin and ssin not in repr(attest)
    assert attest.cpas_cbe_number == "0212344876"  # the caller of the simulator client
    assert attest.attest_type == CodedValue("3", "Prime d'installation", "Installatiepremie")
    assert attest.relation_type is not None and attest.relation_type.nl == "Hoofdbegunstigde"
    assert attest.duration_months == 1 and attest.status == 1 and attest.reference
    assert attest.entry_date is not None and attest.decision_date is not None
    assert attest.decision_date < attest.entry_date
    outside = await ListOfAttestations(async_client).list(
        ssin, "PRIME_INSTALLATION", start=dt.date(2000, 1, 1), end=dt.date(2000, 12, 31)
    )
    assert outside.attestations == ()


def test_an_unknown_request_type_is_an_ssdn_error(client: CbssClient, sim: Simulator) -> None:
    ssin = _someone(sim, lambda p: True)
    with pytest.raises(SsdnError) as caught:
        ListOfAttestations(client).list(ssin, "FORMULAIRES")
    assert caught.value.reason_codes == (sim_list.UNKNOWN_REQUEST_TYPE,)


@pytest.mark.parametrize(
    ("persona", "code"), [("unknown", "32000005"), ("not_integrated", "32000012")]
)
def test_engine_personas_apply(client: CbssClient, persona: str, code: str) -> None:
    ssin = UNKNOWN_SSIN if persona == "unknown" else PERSONA_SSINS[persona]
    with pytest.raises(SsdnError) as caught:
        ListOfAttestations(client).list(ssin, "GPMI_PIIS")
    assert caught.value.reason_codes == (code,)


def test_simulated_replies_are_valid_against_our_schema(sim: Simulator, client: CbssClient) -> None:
    from cbss_sdk.models.list_of_attestations_20080317.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.manage_attests import (
        ListOfAttestationsRequest,
    )
    from cbss_sdk.testing._registry import SimContext

    ctx = SimContext(population=sim.population, registrations=sim.registrations, now=TODAY)
    for person in list(sim.population)[:12]:
        if person.tags:
            continue
        for kind in sim_list.KNOWN_REQUEST_TYPES:
            prepared = ListOfAttestations.list.prepare(
                ListOfAttestations(client), person.ssin, kind
            )
            request = bind(_payload(prepared), ListOfAttestationsRequest)
            reply = sim_list.unqualified_safe(sim_list.build_list_reply(ctx, request))
            assert _schema().validate(reply), [str(e) for e in _schema().error_log]
            assert isinstance(bind(reply, ListOfAttestationsReply), ListOfAttestationsReply)


def test_schema_files_carry_their_header_and_are_reached() -> None:
    entry = OUR_ENTRY
    reached = {Path(d.split("#", 1)[0]) for d in load_schemas(entry).documents}
    files = sorted(entry.parent.glob("*.xsd"))
    assert files and set(files) <= reached
    for path in files:
        first = etree.parse(str(path)).getroot().getprevious()
        assert isinstance(first, etree._Comment), path.name
        header = " ".join(str(first.text).split())
        for marker in ("Contract:", "Namespace:", "Provenance:", "Facts:", "cbss-facts.md §"):
            assert marker in header, (path.name, marker)
        assert "Checked by: tests/test_service_list_of_attestations.py" in header
        assert "from-client-evidence" in header or "modeled" in header
