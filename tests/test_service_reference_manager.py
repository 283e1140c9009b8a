"""The ReferenceManager facade (ReferenceManager.consult 20050525): integrations in other sectors.

Requests are checked against our schema (no official one is public); calls go through the
in-process simulator, sync and async, including its integration refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from xsd_shape import load_schemas

import cbss_sdk.testing._services.reference_manager as sim_reference
from cbss_sdk import catalog
from cbss_sdk._client import AsyncCbssClient, CbssClient
from cbss_sdk.errors import RequestValidationError, SsdnError
from cbss_sdk.services._manage_access import ManageAccess, Purpose
from cbss_sdk.services._reference_manager import ReferenceManager, ReferenceManagerResult
from cbss_sdk.ssdn._envelope import COMMON_NS, SERVICE_NS
from cbss_sdk.testing import Simulator
from cbss_sdk.testing._population import PERSONA_SSINS, UNKNOWN_SSIN

REPO = Path(__file__).resolve().parents[1]
OUR_ENTRY = REPO / "xsd" / "ssdn" / "ReferenceManagerFacade" / "20050525" / "ReferenceManager.xsd"
NS = "http://www.ksz-bcss.fgov.be/XSD/SSDN/ReferenceManagerFacade"
_S = f"{{{SERVICE_NS}}}"
_R = f"{{{NS}}}"
_C = f"{{{COMMON_NS}}}"
TODAY = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.timezone.utc)
SSIN = "85073003328"
OWN: dict[str, Any] = {
    "integrated_start": dt.date(2024, 1, 1),
    "integrated_end": dt.date(2024, 12, 31),
}
WINDOW: dict[str, Any] = {"start": dt.date(2000, 1, 1), "end": dt.date(2024, 12, 31)}


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


def _with(sim: Simulator, count: int, *, adult: bool = True) -> Any:
    for person in sim.population:
        found = sim_reference.other_sector_integrations(person, TODAY.date())
        grown = person.birth_date.year + 18 <= TODAY.year - 1
        if not person.tags and person.integrated and len(found) == count and grown == adult:
            return person
    raise AssertionError(f"nobody with {count} other-sector integrations")


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(OUR_ENTRY)))


def _payload(prepared: Any) -> etree._Element:
    document = etree.fromstring(str(prepared.payload.text).encode("utf-8"))
    request = document.find(_S + "ServiceRequest")
    assert request is not None
    assert request.findtext(_S + "ServiceId") == "ReferenceManager.consult"
    assert request.findtext(_S + "Version") == "20050525"
    return request[2]


def test_catalog_entry() -> None:
    spec = catalog.service("ReferenceManager")
    (op,) = spec.operations
    assert op.implemented and op.idempotent and op.python_name == "consult"


def test_request_is_valid_and_complete(client: CbssClient) -> None:
    prepared = ReferenceManager.consult.prepare(
        ReferenceManager(client), SSIN, quality_code=Purpose.INTEGRATION_INCOME, **OWN, **WINDOW
    )
    payload = _payload(prepared)
    assert _schema().validate(payload), [str(e) for e in _schema().error_log]
    criteria = payload.find(_R + "ConsultOtherSectorsCriteria")
    assert criteria is not None
    assert [etree.QName(c).localname for c in criteria] == [
        "QualityCodeRequestor",
        "RequestedSsin",
        "IntegratedPeriod",
        "RequestedPeriod",
        "FetchDescriptions",
    ]
    assert criteria.findtext(_R + "QualityCodeRequestor") == "2"
    assert criteria.findtext(_R + "RequestedSsin") == SSIN
    assert criteria.findtext(f"{_R}IntegratedPeriod/{_C}StartDate") == "2024-01-01"
    assert criteria.findtext(f"{_R}RequestedPeriod/{_C}EndDate") == "2024-12-31"
    assert criteria.findtext(_R + "FetchDescriptions") == "true"
    assert prepared.info.subject == SSIN and prepared.info.idempotent


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"ssin": "8507300332"}, "ssin"),
        ({"quality_code": 1000}, "quality_code"),
        ({"quality_code": "2"}, "quality_code"),
        ({"integrated_start": "2024-01-01"}, "integrated_start"),
        ({"integrated_end": dt.date(2023, 12, 31)}, "integrated_period"),
        ({"start": dt.datetime(2024, 1, 1)}, "start"),
        ({"end": dt.date(1999, 12, 31)}, "period"),
        ({"descriptions": "yes"}, "descriptions"),
    ],
)
def test_invalid_arguments_are_refused_before_sending(
    client: CbssClient, arguments: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {"ssin": SSIN, "quality_code": 2, **OWN, **WINDOW, **arguments}
    with pytest.raises(RequestValidationError) as caught:
        ReferenceManager.consult.prepare(ReferenceManager(client), values.pop("ssin"), **values)
    assert caught.value.field == field
    assert SSIN not in str(caught.value)


def test_integrations_through_the_simulator(sim: Simulator, client: CbssClient) -> None:
    person = _with(sim, 3)
    result = ReferenceManager(client).consult(person.ssin, quality_code=2, **OWN, **WINDOW)
    assert isinstance(result, ReferenceManagerResult)
    expected = sim_reference.other_sector_integrations(person, TODAY.date())
    assert [(i.sector, i.quality_code, i.start, i.end) for i in result.integrations] == [
        (entry[0], entry[1], start, end) for entry, start, end in expected
    ]
    assert result.sectors == {entry[0] for entry, _, _ in expected}
    first = result.integrations[0]
    assert first.sector_fr and first.sector_nl and first.quality_fr and first.quality_nl
    assert result.meta.service == "ReferenceManager" and result.meta.cbss_ticket


def test_descriptions_can_be_left_out_and_the_period_filters(
    sim: Simulator, client: CbssClient
) -> None:
    person = _with(sim, 3)
    plain = ReferenceManager(client).consult(
        person.ssin, quality_code=2, descriptions=False, **OWN, **WINDOW
    )
    assert plain.integrations and all(i.sector_fr is None for i in plain.integrations)
    before = ReferenceManager(client).consult(
        person.ssin, quality_code=2, **OWN, start=dt.date(1950, 1, 1), end=dt.date(1950, 12, 31)
    )
    assert before.integrations == ()


async def test_a_child_through_the_async_simulator(
    sim: Simulator, async_client: AsyncCbssClient
) -> None:
    child = next(
        p
        for p in sim.population
        if not p.tags and p.integrated and p.birth_date > dt.date(2008, 1, 1)
    )
    result = await ReferenceManager(async_client).consult(
        child.ssin, quality_code=1, **OWN, **WINDOW
    )
    assert [(i.sector, i.quality_code, i.quality_nl) for i in result.integrations] == [
        (12, 2, "Rechtgevend kind")
    ]


def test_not_integrated_is_an_ssdn_error(client: CbssClient) -> None:
    with pytest.raises(SsdnError) as caught:
        ReferenceManager(client).consult(
            PERSONA_SSINS["not_integrated"], quality_code=2, **OWN, **WINDOW
        )
    assert caught.value.reason_codes == ("32000012",)


def test_registering_through_manage_access_lifts_the_refusal() -> None:
    ssin = PERSONA_SSINS["not_integrated"]
    with Simulator(clock=lambda: TODAY).client() as own:  # its own registrations
        ManageAccess(own).register(ssin, Purpose.INTEGRATION_INCOME, start=dt.date(2024, 1, 1))
        result = ReferenceManager(own).consult(ssin, quality_code=2, **OWN, **WINDOW)
    assert isinstance(result, ReferenceManagerResult)


def test_an_unknown_person_is_an_ssdn_error(client: CbssClient) -> None:
    with pytest.raises(SsdnError) as caught:
        ReferenceManager(client).consult(UNKNOWN_SSIN, quality_code=2, **OWN, **WINDOW)
    assert caught.value.reason_codes == ("32000005",)


def test_simulated_replies_are_valid_against_our_schema(sim: Simulator, client: CbssClient) -> None:
    from cbss_sdk._binding import bind, model_to_element
    from cbss_sdk.models.reference_manager_20050525.be.fgov.ksz_bcss.xsd.ssdn.reference_manager_facade import (
        ReferenceManagerRequest,
    )
    from cbss_sdk.testing._registry import SimContext

    ctx = SimContext(population=sim.population, registrations=sim.registrations, now=TODAY)
    for person in sim.population:
        if person.tags:
            continue
        prepared = ReferenceManager.consult.prepare(
            ReferenceManager(client), person.ssin, quality_code=2, **OWN, **WINDOW
        )
        request = bind(_payload(prepared), ReferenceManagerRequest)
        reply = model_to_element(sim_reference.build_reference_reply(ctx, request))
        assert _schema().validate(reply), [str(e) for e in _schema().error_log]


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
        assert "Checked by: tests/test_service_reference_manager.py" in header
        assert "from-client-evidence" in header or "modeled" in header
