"""UnemploymentDataService v3: eleven consultations, eurocents as Decimal euros, 48-month limit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from social_support import (
    CHILD,
    NOW,
    assert_valid,
    client,
    interpret_handler,
    population,
    simulator,
    status_reply,
)

from cbss_sdk.errors import (
    InvalidIdentifier,
    NotIntegrated,
    RequestValidationError,
    ServiceUnavailable,
)
from cbss_sdk.services._social_common import Month, Quarter, euros
from cbss_sdk.services._unemployment_data import (
    PaidSum,
    Situation,
    UnemploymentData,
    UnemploymentPayment,
    UnemploymentResult,
)
from cbss_sdk.testing._population import PERSONA_SSINS
from cbss_sdk.testing._services.unemployment_data import allowances_in, file_of, paid_months

TODAY = NOW.date()
OPERATIONS = {
    "payments": "consultPayments",
    "paid_sums": "consultPaidSums",
    "activation_paid_sums": "consultActivationPaidSums",
    "scheduled_payment": "consultScheduledPayment",
    "rights": "consultRights",
    "exemption_history": "consultExemptionHistory",
    "sanction_history": "consultSanctionHistory",
    "scale_code_history": "consultScaleCodeHistory",
    "no_earning_capacity": "consultNoEarningCapacity",
    "work_disability": "consultWorkDisability",
    "young_availability": "consultYoungAvailability",
}
PERIOD = {"start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31)}
ARGUMENTS: dict[str, dict[str, Any]] = {
    "payments": {"on": dt.date(2025, 1, 31)},
    "paid_sums": PERIOD,
    "activation_paid_sums": {"quarter": "2024Q3"},
    "scheduled_payment": {"quarter": (2025, 3)},
    "rights": {},
    "exemption_history": PERIOD,
    "sanction_history": PERIOD,
    "scale_code_history": PERIOD,
    "no_earning_capacity": {"on": dt.date(2024, 6, 1)},
    "work_disability": {},
    "young_availability": {"on": dt.date(2024, 6, 1)},
}


def prepare(method: str, ssin: str, **kwargs: Any) -> Any:
    return getattr(UnemploymentData, method).prepare(UnemploymentData(client()), ssin, **kwargs)


def result_for(method: str, ssin: str, **kwargs: Any) -> UnemploymentResult[Any]:
    result = interpret_handler(
        "unemployment_data", "UnemploymentData", OPERATIONS[method], prepare(method, ssin, **kwargs)
    )
    assert isinstance(result, UnemploymentResult)
    return result


def _unemployed(condition: Any = lambda f: True) -> tuple[str, Any]:
    for person in population():
        found = file_of(person, TODAY)
        if not person.tags and found is not None and condition(found):
            return person.ssin, found
    pytest.skip("no such unemployment file in this population")


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("method", "kwargs", "field"),
    [
        ("paid_sums", {"start": dt.date(2020, 1, 1), "end": dt.date(2024, 1, 1)}, "end"),
        ("paid_sums", {"start": dt.date(2024, 2, 1), "end": dt.date(2024, 1, 1)}, "end"),
        ("sanction_history", {"start": dt.date(2024, 2, 1), "end": dt.date(2024, 1, 1)}, "end"),
        ("activation_paid_sums", {"quarter": "2024Q0"}, "quarter"),
        ("scheduled_payment", {"quarter": "Q3"}, "quarter"),
        ("scheduled_payment", {"quarter": "1899Q4"}, "quarter"),
        ("payments", {"on": "2024-01-01"}, "on"),
        ("rights", {"legal_context": ""}, "legal_context"),
    ],
)
def test_bad_arguments(method: str, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        prepare(method, "78041201134", **kwargs)
    assert caught.value.field == field


def test_48_months_is_the_paid_sums_limit() -> None:
    prepare("paid_sums", "78041201134", start=dt.date(2020, 1, 1), end=dt.date(2023, 12, 31))
    with pytest.raises(RequestValidationError):
        prepare("paid_sums", "78041201134", start=dt.date(2020, 1, 1), end=dt.date(2024, 1, 1))


def test_bad_ssin() -> None:
    with pytest.raises(InvalidIdentifier):
        prepare("payments", "1234")


@pytest.mark.parametrize("method", sorted(OPERATIONS))
def test_every_request_validates_against_our_schema(method: str) -> None:
    prepared = prepare(method, "78041201134", **ARGUMENTS[method])
    assert_valid(prepared, "UnemploymentData")
    payload = prepared.payload
    assert payload.findtext("legalContext") == "SOCIAL_INVESTIGATION_OF_PCSA"
    assert payload.findtext("searchCriteria/ssin") == "78041201134"
    assert prepared.info.path == f"UnemploymentDataService/v3/{OPERATIONS[method]}"


def test_criteria_shapes() -> None:
    assert prepare("payments", "78041201134").payload.find("searchCriteria/date") is None
    quarter = prepare("scheduled_payment", "78041201134", quarter=Quarter(2025, 3)).payload
    assert quarter.findtext("searchCriteria/quarterCriteria/quarter") == "3"
    assert quarter.findtext("searchCriteria/quarterCriteria/year") == "2025"
    period = prepare("paid_sums", "78041201134", **PERIOD).payload
    assert period.findtext("searchCriteria/period/beginDate") == "2024-01-01"


# --------------------------------------------------------------------------- answers


def test_eurocents_become_decimal_euros() -> None:
    assert euros(123456) == Decimal("1234.56")
    assert euros(-5) == Decimal("-0.05")
    assert euros(100) == Decimal("1.00") and str(euros(100)) == "1.00"
    assert euros(None) is None


def test_payments() -> None:
    ssin, found = _unemployed(lambda f: f.end is None and f.sanction is None)
    result = result_for("payments", ssin)
    assert result.data_found
    payments: tuple[UnemploymentPayment, ...] = result.items
    expected = [(y, m) for y, m, paid in paid_months(found, TODAY) if (TODAY - paid).days < 366]
    assert [(p.month.year, p.month.month) for p in payments] == expected
    daily = Decimal(found.daily_cents).scaleb(-2)
    for p in payments:
        assert p.daily_amount == daily
        assert p.allowances == allowances_in(found, p.month.year, p.month.month)
        assert p.amount == daily * p.allowances
        assert p.dossier_status in {"COMPLETED", "PROVISIONAL"}
    assert result.total == sum((p.amount for p in payments), Decimal("0.00"))


def test_paid_sums_over_a_period() -> None:
    ssin, _found = _unemployed(lambda f: f.start <= dt.date(2024, 1, 1) and (f.end is None))
    result = result_for("paid_sums", ssin, **PERIOD)
    sums: tuple[PaidSum, ...] = result.items
    assert [s.month for s in sums] == [Month(2024, m) for m in range(1, 13)]
    assert all(s.accepted_amount == s.paid_amount for s in sums)


def test_rights_history_and_situations() -> None:
    ssin, found = _unemployed(lambda f: f.end is None)
    rights = result_for("rights", ssin, on=TODAY)
    assert len(rights.items) == 1 and rights.items[0].start == found.start
    assert rights.items[0].family_category in {"HEAD_OF_HOUSEHOLD", "SINGLE", "COHABITANT"}
    scales = result_for("scale_code_history", ssin, start=found.start, end=TODAY)
    assert [h.start.year for h in scales.items] == list(range(found.start.year, TODAY.year + 1))
    assert scales.items[-1].end is None
    situation = result_for("work_disability", ssin, on=TODAY)
    only: Situation = situation.items[0]
    assert only.applicable == (
        found.work_disability is not None
        and found.work_disability[0] <= TODAY
        and (found.work_disability[1] is None or found.work_disability[1] >= TODAY)
    )


def test_sanctions_show_up_and_cost_allowances() -> None:
    ssin, found = _unemployed(lambda f: f.sanction is not None)
    begin, end = found.sanction
    result = result_for("sanction_history", ssin, start=begin, end=end or TODAY)
    assert result.items[0].code == "SUSPENSION" and result.items[0].start == begin
    assert allowances_in(found, begin.year, begin.month) < 27


def test_no_file_is_no_data() -> None:
    result = result_for("payments", CHILD)
    assert not result.data_found and result.items == () and result.status.code == "UDS0001"


def test_uds_codes_with_no_result_are_still_no_data() -> None:
    prepared = prepare("rights", "78041201134")
    result = prepared.interpret(
        status_reply("UnemploymentData", "consultRights", "NO_RESULT", "UDS0003")
    ).value
    assert isinstance(result, UnemploymentResult)
    assert result.status.value == "NO_DATA_FOUND" and result.items == ()
    with pytest.raises(NotIntegrated):
        prepared.interpret(
            status_reply("UnemploymentData", "consultRights", "NO_RESULT", "MSG00012")
        )


# --------------------------------------------------------------------------- through the simulator


def test_through_the_simulator_sync() -> None:
    ssin, found = _unemployed(lambda f: f.end is None)
    with simulator("unemployment_data").client() as cbss:
        facade = UnemploymentData(cbss)
        payments = facade.payments(ssin)
        rights = facade.rights(ssin)
        youth = facade.young_availability(ssin)
    assert payments.items and payments.meta.legal_context == "SOCIAL_INVESTIGATION_OF_PCSA"
    assert rights.items[0].daily_amount == Decimal(found.daily_cents).scaleb(-2)
    assert youth.items[0].applicable == found.young


async def test_through_the_simulator_async() -> None:
    ssin, _found = _unemployed(lambda f: f.end is None and f.start < dt.date(2024, 1, 1))
    async with simulator("unemployment_data").async_client() as cbss:
        result = await UnemploymentData(cbss).paid_sums(ssin, **PERIOD)
    assert len(result.items) == 12 and result.total > 0


def test_business_errors_through_the_simulator() -> None:
    with simulator("unemployment_data").client() as cbss:
        with pytest.raises(ServiceUnavailable) as caught:
            UnemploymentData(cbss).scheduled_payment("78041201134", quarter="1900Q1")
        assert caught.value.code == "MSG00002"
        with pytest.raises(NotIntegrated):
            UnemploymentData(cbss).payments(PERSONA_SSINS["not_integrated"])
