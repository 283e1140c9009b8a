"""The HeatingAllocation facade (OCMWCPASHeatingAllocation 20090409): one delivery, one allowance.

Requests are checked against our schema (no official one is public) and against the public
client sample's shape; calls go through the in-process simulator, sync and async, including its
refusals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from xsd_shape import load_schemas

import cbss_sdk.testing._services.heating_allocation as sim_heating
from cbss_sdk import catalog
from cbss_sdk._client import AsyncCbssClient, CbssClient
from cbss_sdk._organization import Organization
from cbss_sdk.errors import RequestValidationError, SsdnError
from cbss_sdk.services._heating_allocation import (
    HeatingAllocation,
    HeatingAllocationResult,
    HeatingCategory,
)
from cbss_sdk.ssdn._envelope import SERVICE_NS
from cbss_sdk.testing import Simulator
from cbss_sdk.testing._population import UNKNOWN_SSIN

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / "xsd" / "ssdn" / "OCMW_CPAS" / "HeatingAllocation" / "20090409"
REQUEST_NS = "http://www.smals.be/XSD/OCMW_CPAS/HeatingAllocationRequest"
TYPES_NS = "http://www.smals.be/XSD/OCMW_CPAS/HeatingAllocationDataTypes"
_S = f"{{{SERVICE_NS}}}"
_R = f"{{{REQUEST_NS}}}"
_T = f"{{{TYPES_NS}}}"
TODAY = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.timezone.utc)
SSIN = "85073003328"
DELIVERY: dict[str, Any] = {
    "category": HeatingCategory.INCREASED_REIMBURSEMENT,
    "invoice_amount": Decimal("1020.00"),
    "quantity": 1000,
    "delivery_date": dt.date(2024, 5, 2),
    "fuel_unit": 3,
}


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


@pytest.fixture(scope="module")
def beneficiary(sim: Simulator) -> str:
    return next(str(p.ssin) for p in sim.population if not p.tags and p.integrated)


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FOLDER / "HeatingAllocation.xsd")))


def _payload(prepared: Any) -> etree._Element:
    document = etree.fromstring(str(prepared.payload.text).encode("utf-8"))
    request = document.find(_S + "ServiceRequest")
    assert request is not None
    assert request.findtext(_S + "ServiceId") == "OCMWCPASHeatingAllocation"
    assert request.findtext(_S + "Version") == "20090409"
    return request[2]


def test_catalog_entry() -> None:
    spec = catalog.service("HeatingAllocation")
    (op,) = spec.operations
    assert op.implemented and not op.idempotent and op.python_name == "compute"


def test_request_has_the_shape_of_the_public_sample(client: CbssClient) -> None:
    prepared = HeatingAllocation.compute.prepare(HeatingAllocation(client), SSIN, **DELIVERY)
    payload = _payload(prepared)
    assert _schema().validate(payload), [str(e) for e in _schema().error_log]
    assert payload.tag == _R + "AllocationRequest"
    assert [child.tag for child in payload] == [_R + "ComputeAllocation", _R + "OCMW_CPAS"]
    assert payload.findtext(f"{_R}ComputeAllocation/{_R}PrimaryBeneficiary/{_R}SSIN") == SSIN
    assert payload.findtext(f"{_R}ComputeAllocation/{_R}PrimaryBeneficiary/{_R}Category") == "1"
    invoice = payload.find(f"{_R}ComputeAllocation/{_R}Invoice")
    assert invoice is not None
    # Every Invoice child in the DataTypes namespace, in the sample's order; eurocents.
    assert [(c.tag, c.text) for c in invoice] == [
        (_T + "Amount", "102000"),
        (_T + "Quantity", "1000"),
        (_T + "HousingNumber", "1"),
        (_T + "DeliveryDate", "2024-05-02"),
        (_T + "UnitFuel", "3"),
    ]
    assert payload.findtext(f"{_R}OCMW_CPAS/{_R}KboBceNumber") == "0212344876"
    assert prepared.info.idempotent is False and prepared.info.subject == SSIN


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"ssin": "12345"}, "ssin"),
        ({"category": 4}, "category"),
        ({"invoice_amount": 1020.0}, "invoice_amount"),
        ({"invoice_amount": Decimal("-1")}, "invoice_amount"),
        ({"invoice_amount": "10.001"}, "invoice_amount"),
        ({"invoice_amount": "ten"}, "invoice_amount"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10.5}, "quantity"),
        ({"housing_units": 0}, "housing_units"),
        ({"fuel_unit": 100}, "fuel_unit"),
        ({"delivery_date": "2024-05-02"}, "delivery_date"),
        ({"cbe_number": "0212344877"}, "cbe_number"),
    ],
)
def test_invalid_arguments_are_refused_before_sending(
    client: CbssClient, arguments: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {"ssin": SSIN, **DELIVERY, **arguments}
    with pytest.raises(RequestValidationError) as caught:
        HeatingAllocation.compute.prepare(HeatingAllocation(client), values.pop("ssin"), **values)
    assert caught.value.field == field
    assert SSIN not in str(caught.value)


def test_a_client_without_cbe_number_must_name_the_cpas(sim: Simulator) -> None:
    with sim.client(organization=Organization(sector=17, institution=1)) as bare:
        with pytest.raises(RequestValidationError) as caught:
            HeatingAllocation.compute.prepare(HeatingAllocation(bare), SSIN, **DELIVERY)
        assert caught.value.field == "cbe_number"
        prepared = HeatingAllocation.compute.prepare(
            HeatingAllocation(bare), SSIN, **DELIVERY, cbe_number="0403.170.701"
        )
    assert _payload(prepared).findtext(f"{_R}OCMW_CPAS/{_R}KboBceNumber") == "0403170701"


def test_allowance_through_the_simulator(client: CbssClient, beneficiary: str) -> None:
    result = HeatingAllocation(client).compute(beneficiary, **DELIVERY)
    assert isinstance(result, HeatingAllocationResult)
    # 102 cents a unit: (102 - 93) // 2.5 + 1 = 4 steps above 14 cents.
    assert result.allowance_per_unit == Decimal("0.18")
    assert result.accepted_quantity == 1000
    assert result.allowance == Decimal("180.00")
    assert result.meta.service == "HeatingAllocation" and result.meta.cbss_ticket


async def test_shared_tank_through_the_async_simulator(
    async_client: AsyncCbssClient, beneficiary: str
) -> None:
    result = await HeatingAllocation(async_client).compute(
        beneficiary,
        **{**DELIVERY, "invoice_amount": Decimal("7200.00"), "quantity": 9000},
        housing_units=3,
    )
    # 80 cents a unit: 14 cents; 3,000 units a dwelling, counted up to 1,500.
    assert result.allowance_per_unit == Decimal("0.14")
    assert result.accepted_quantity == sim_heating.MAX_QUANTITY
    assert result.allowance == Decimal("210.00")


def test_rate_tiers() -> None:
    assert [sim_heating.allowance_per_unit(p) for p in (50, 92.9, 93, 95.4, 95.5, 200)] == [
        14,
        14,
        15,
        15,
        16,
        20,
    ]


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"delivery_date": dt.date(2024, 6, 2)}, sim_heating.FUTURE_DELIVERY),
        ({"cbe_number": "0403170701"}, sim_heating.CPAS_MISMATCH),
    ],
)
def test_refusals_are_ssdn_errors(
    client: CbssClient, beneficiary: str, arguments: dict[str, Any], code: str
) -> None:
    with pytest.raises(SsdnError) as caught:
        HeatingAllocation(client).compute(beneficiary, **{**DELIVERY, **arguments})
    assert caught.value.reason_codes == (code,)
    assert beneficiary not in str(caught.value)


def test_an_unknown_person_is_an_ssdn_error(client: CbssClient) -> None:
    with pytest.raises(SsdnError) as caught:
        HeatingAllocation(client).compute(UNKNOWN_SSIN, **DELIVERY)
    assert caught.value.reason_codes == ("32000005",)


def test_simulated_replies_are_valid_against_our_schema(
    sim: Simulator, client: CbssClient, beneficiary: str
) -> None:
    from cbss_sdk._binding import bind, model_to_element
    from cbss_sdk.models.heating_allocation_20090409.be.smals.xsd.ocmw_cpas.heating_allocation_request import (
        AllocationRequest,
    )
    from cbss_sdk.testing._registry import SimContext, SimulatedSsdnError

    ctx = SimContext(population=sim.population, registrations=sim.registrations, now=TODAY)
    prepared = HeatingAllocation.compute.prepare(HeatingAllocation(client), beneficiary, **DELIVERY)
    request = bind(_payload(prepared), AllocationRequest)
    reply = model_to_element(sim_heating.build_allocation_reply(ctx, request))
    assert _schema().validate(reply), [str(e) for e in _schema().error_log]
    # A category the facade cannot send (it validates HeatingCategory) is still refused.
    request.compute_allocation.primary_beneficiary.category = "9"
    with pytest.raises(SimulatedSsdnError) as caught:
        sim_heating.build_allocation_reply(ctx, request)
    assert caught.value.details[0].reason_code == sim_heating.UNKNOWN_CATEGORY


def test_schema_files_carry_their_header_and_are_reached() -> None:
    entry = FOLDER / "HeatingAllocation.xsd"
    reached = {Path(d.split("#", 1)[0]) for d in load_schemas(entry).documents}
    files = sorted(entry.parent.glob("*.xsd"))
    assert files and set(files) <= reached
    for path in files:
        first = etree.parse(str(path)).getroot().getprevious()
        assert isinstance(first, etree._Comment), path.name
        header = " ".join(str(first.text).split())
        for marker in ("Contract:", "Namespace:", "Provenance:", "Facts:", "cbss-facts.md §"):
            assert marker in header, (path.name, marker)
        assert "Checked by: tests/test_service_heating_allocation.py" in header
        assert "from-client-evidence" in header or "modeled" in header
