"""The PensionRegister facade (OCMWCPASPensionRegisterConsult 20090706): the pension cadastre.

Requests are checked against our schema (no official one is public); calls go through the
in-process simulator, sync and async, with each RequestedData option.
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

import cbss_sdk.testing._services.pension_register as sim_pension
from cbss_sdk import catalog
from cbss_sdk._client import AsyncCbssClient, CbssClient
from cbss_sdk.errors import RequestValidationError, SsdnError
from cbss_sdk.services._pension_register import (
    PaymentsDetail,
    PensionFocus,
    PensionPillars,
    PensionRegister,
    PensionRegisterResult,
)
from cbss_sdk.ssdn._envelope import SERVICE_NS
from cbss_sdk.testing import Simulator
from cbss_sdk.testing._population import UNKNOWN_SSIN

REPO = Path(__file__).resolve().parents[1]
OUR_ENTRY = REPO / "xsd" / "ssdn" / "PensionRegister" / "20090706" / "PensionRegister.xsd"
NS = "http://www.ksz-bcss.fgov.be/XSD/SSDN/PensionRegister"
_S = f"{{{SERVICE_NS}}}"
_P = f"{{{NS}}}"
TODAY = dt.datetime(2024, 6, 15, 9, 0, tzinfo=dt.timezone.utc)
START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
SSIN = "85073003328"


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
def pensioner(sim: Simulator) -> str:
    """Somebody with a retirement, an occupational and a survival pension."""
    for person in sim.population:
        kinds = sorted(r.benefit for r in sim_pension.pension_rights(person))
        if not person.tags and kinds == ["COMP", "RET", "SUR"] and person.birth_date.year < 1959:
            return str(person.ssin)
    raise AssertionError("nobody in the population has the three pensions")


@pytest.fixture(scope="module")
def young(sim: Simulator) -> str:
    for person in sim.population:
        if not person.tags and person.birth_date.year > 1980:
            return str(person.ssin)
    raise AssertionError("nobody young in the population")


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(OUR_ENTRY)))


def _payload(prepared: Any) -> etree._Element:
    document = etree.fromstring(str(prepared.payload.text).encode("utf-8"))
    request = document.find(_S + "ServiceRequest")
    assert request is not None
    assert request.findtext(_S + "ServiceId") == "OCMWCPASPensionRegisterConsult"
    assert request.findtext(_S + "Version") == "20090706"
    return request[2]


def test_catalog_entry() -> None:
    spec = catalog.service("PensionRegister")
    (op,) = spec.operations
    assert op.implemented and op.idempotent and op.python_name == "consult"
    assert spec.provenance == "from-client-evidence" and "modeled" in (spec.facts or "")


def test_default_request_is_what_the_client_evidence_sends(client: CbssClient) -> None:
    payload = _payload(
        PensionRegister.consult.prepare(PensionRegister(client), SSIN, start=START, end=END)
    )
    assert _schema().validate(payload), [str(e) for e in _schema().error_log]
    assert payload.tag == _P + "Penskad_OpenPK_ConsultRequest"
    assert [etree.QName(c).localname for c in payload] == [
        "TargetSSIN",
        "Period",
        "RequestedData",
        "Language",
    ]
    assert payload.findtext(_P + "TargetSSIN") == SSIN
    assert payload.findtext(f"{_P}Period/{_P}StartDate") == "2024-01-01"
    assert payload.findtext(f"{_P}Period/{_P}EndDate") == "2024-12-31"
    assert [c.text for c in payload.find(_P + "RequestedData")] == [  # type: ignore[union-attr]
        "FirstSecond",
        "RightsMaximumPayments",
        "ReferencePeriod",
    ]
    assert payload.findtext(_P + "Language") == "FR"


def test_every_option_is_sent_as_cbss_spells_it(client: CbssClient) -> None:
    payload = _payload(
        PensionRegister.consult.prepare(
            PensionRegister(client),
            SSIN,
            start=START,
            end=END,
            pillars="first_only",
            detail=PaymentsDetail.LAST_PAYMENT,
            focus="MonthOfPayment",
            language="NL",
        )
    )
    assert _schema().validate(payload)
    assert [c.text for c in payload.find(_P + "RequestedData")] == [  # type: ignore[union-attr]
        "FirstOnly",
        "RightsMinimumPayments",
        "MonthOfPayment",
    ]
    assert payload.findtext(_P + "Language") == "NL"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"ssin": "1234"}, "ssin"),
        ({"start": dt.date(2025, 1, 1)}, "period"),
        ({"start": "2024-01-01"}, "start"),
        ({"end": dt.datetime(2024, 12, 31)}, "end"),
        ({"pillars": "third"}, "pillars"),
        ({"detail": "everything"}, "detail"),
        ({"focus": "today"}, "focus"),
        ({"language": "en"}, "language"),
    ],
)
def test_invalid_arguments_are_refused_before_sending(
    client: CbssClient, arguments: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {"ssin": SSIN, "start": START, "end": END, **arguments}
    with pytest.raises(RequestValidationError) as caught:
        PensionRegister.consult.prepare(PensionRegister(client), values.pop("ssin"), **values)
    assert caught.value.field == field
    assert SSIN not in str(caught.value)


def test_all_payments_through_the_simulator(client: CbssClient, pensioner: str) -> None:
    result = PensionRegister(client).consult(pensioner, start=START, end=END)
    assert isinstance(result, PensionRegisterResult)
    by_benefit = {i.benefit_code: i for i in result.items}
    assert set(by_benefit) == {"RET", "COMP", "SUR"}
    retirement = by_benefit["RET"]
    assert retirement.pillar == "First" and retirement.institution_code == "SFP"
    assert retirement.benefit == "Pension de retraite"
    assert retirement.monthly_gross is not None and Decimal(
        "1300"
    ) <= retirement.monthly_gross <= Decimal("2200")
    assert [p.reference_month for p in retirement.payments] == [(2024, m) for m in range(1, 7)]
    first = retirement.payments[0]
    assert first.payment_month == (2024, 1) and first.gross == retirement.monthly_gross
    assert first.net is not None and first.gross is not None and first.net < first.gross
    occupational = by_benefit["COMP"]
    assert occupational.pillar == "Second"
    # Paid one month later: by reference period, January to May were paid by 15 June.
    assert [p.payment_month for p in occupational.payments] == [(2024, m) for m in range(2, 7)]
    assert result.monthly_gross_total == sum(
        (i.monthly_gross for i in result.items if i.monthly_gross is not None), Decimal("0")
    )
    assert result.meta.service == "PensionRegister" and result.meta.cbss_ticket


def test_requested_data_options_through_the_simulator(client: CbssClient, pensioner: str) -> None:
    facade = PensionRegister(client)
    first_only = facade.consult(pensioner, start=START, end=END, pillars=PensionPillars.FIRST_ONLY)
    assert {i.pillar for i in first_only.items} == {"First"}
    rights = facade.consult(pensioner, start=START, end=END, detail=PaymentsDetail.RIGHTS_ONLY)
    assert len(rights.items) == 3 and all(i.payments == () for i in rights.items)
    last = facade.consult(pensioner, start=START, end=END, detail=PaymentsDetail.LAST_PAYMENT)
    assert all(len(i.payments) == 1 for i in last.items)
    by_payment = facade.consult(
        pensioner, start=START, end=END, focus=PensionFocus.MONTH_OF_PAYMENT
    )
    occupational = next(i for i in by_payment.items if i.pillar == "Second")
    # Paid in January 2024 is the December 2023 pension.
    assert occupational.payments[0].reference_month == (2023, 12)
    assert occupational.payments[0].payment_month == (2024, 1)
    dutch = facade.consult(pensioner, start=START, end=END, language="nl")
    assert {i.benefit for i in dutch.items} >= {"Rustpensioen", "Overlevingspensioen"}


async def test_async_consultation(
    async_client: AsyncCbssClient, pensioner: str, young: str
) -> None:
    result = await PensionRegister(async_client).consult(pensioner, start=START, end=END)
    assert len(result.items) == 3
    nothing = await PensionRegister(async_client).consult(young, start=START, end=END)
    assert nothing.items == () and nothing.monthly_gross_total == Decimal("0.00")


def test_a_period_before_the_cadastre_is_an_ssdn_error(client: CbssClient, pensioner: str) -> None:
    with pytest.raises(SsdnError) as caught:
        PensionRegister(client).consult(pensioner, start=dt.date(2008, 12, 31), end=END)
    assert caught.value.reason_codes == (sim_pension.BEFORE_CADASTRE,)
    assert pensioner not in str(caught.value)


def test_an_unknown_person_is_an_ssdn_error(client: CbssClient) -> None:
    with pytest.raises(SsdnError) as caught:
        PensionRegister(client).consult(UNKNOWN_SSIN, start=START, end=END)
    assert caught.value.reason_codes == ("32000005",)


def test_simulated_replies_are_valid_against_our_schema(
    sim: Simulator, client: CbssClient, pensioner: str
) -> None:
    from cbss_sdk._binding import bind, model_to_element
    from cbss_sdk.models.pension_register_20090706.be.fgov.ksz_bcss.xsd.ssdn.pension_register import (
        PenskadOpenPKConsultRequest,
    )
    from cbss_sdk.testing._registry import SimContext

    ctx = SimContext(population=sim.population, registrations=sim.registrations, now=TODAY)
    for detail in PaymentsDetail:
        prepared = PensionRegister.consult.prepare(
            PensionRegister(client), pensioner, start=START, end=END, detail=detail
        )
        request = bind(_payload(prepared), PenskadOpenPKConsultRequest)
        reply = model_to_element(sim_pension.build_pension_reply(ctx, request))
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
        assert "Checked by: tests/test_service_pension_register.py" in header
        assert "from-client-evidence" in header or "modeled" in header
