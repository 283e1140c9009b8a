"""HealthCareInsurance getInsuranceOrganizationInformations: flags, dates, parts, errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from social_support import NOW, assert_valid, client, interpret_handler, population, simulator

from cbss_sdk.errors import (
    InvalidIdentifier,
    RequestValidationError,
    ServiceUnavailable,
    SsinCancelled,
)
from cbss_sdk.services._health_care_insurance import (
    HealthCareInsurance,
    InsuranceData,
    InsuranceResult,
)
from cbss_sdk.testing._population import PERSONA_SSINS
from cbss_sdk.testing._services.health_care_insurance import MUTUALITIES, insurance_of

TODAY = NOW.date()
INSURANCE = HealthCareInsurance.insurance
FLAGS = [
    "insuringOrganization",
    "reimbursementRight",
    "ct1ct2",
    "payingThirdParty",
    "maximumCharge",
    "medicalHouse",
    "increasedIntervention",
    "statusComplementaryInsurance",
    "globalMedicalFile",
    "sfdfL891",
]


def prepare(ssin: str, **kwargs: Any) -> Any:
    return INSURANCE.prepare(HealthCareInsurance(client()), ssin, **kwargs)


def result_for(ssin: str, **kwargs: Any) -> InsuranceResult:
    kwargs.setdefault("on", TODAY)
    result = interpret_handler(
        "health_care_insurance",
        "HealthCareInsurance",
        "getInsuranceOrganizationInformations",
        prepare(ssin, **kwargs),
    )
    assert isinstance(result, InsuranceResult)
    return result


def _insured(*, bim: bool) -> tuple[str, Any]:
    for person in population():
        found = insurance_of(person)
        if not person.tags and found is not None and found.bim == bim and found.since <= TODAY:
            return person.ssin, found
    raise AssertionError("no such insured person")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"data": []}, "data"),
        ({"data": ["everything"]}, "data"),
        ({"data": [InsuranceData.CT1CT2, 3]}, "data"),
        ({"on": "2025-01-01"}, "on"),
        ({"on": dt.datetime(2025, 1, 1)}, "on"),
        ({"legal_context": "x" * 65}, "legal_context"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        prepare("78041201134", **kwargs)
    assert caught.value.field == field


def test_bad_ssin() -> None:
    with pytest.raises(InvalidIdentifier):
        prepare("00000000000")


def test_default_asks_everything_for_today() -> None:
    prepared = prepare("78041201134")
    assert_valid(prepared, "HealthCareInsurance")
    payload = prepared.payload
    assert payload.findtext("legalContext") == "social inquiry and financial help"
    assert payload.findtext("criterion/temporalCriteria/today") == "true"
    assert payload.find("criterion/temporalCriteria/date") is None
    desired = payload.find("criterion/desiredData")
    assert [(c.tag, c.text) for c in desired] == [(flag, "true") for flag in FLAGS]


def test_selected_data_on_a_date() -> None:
    prepared = prepare(
        "78041201134",
        on=dt.date(2024, 3, 1),
        data=[InsuranceData.INCREASED_INTERVENTION, "ct1ct2", "INSURING_ORGANIZATION"],
    )
    assert_valid(prepared, "HealthCareInsurance")
    payload = prepared.payload
    assert payload.findtext("criterion/temporalCriteria/date") == "2024-03-01"
    wanted = {c.tag for c in payload.find("criterion/desiredData") if c.text == "true"}
    assert wanted == {"increasedIntervention", "ct1ct2", "insuringOrganization"}
    assert len(payload.find("criterion/desiredData")) == 10


def test_everything_about_an_insured_person() -> None:
    ssin, found = _insured(bim=True)
    result = result_for(ssin)
    assert result.data_found and result.result is not None
    assert result.mutuality_code == MUTUALITIES[found.mutuality][0]
    assert result.increased_intervention is True
    assert result.ct1ct2 == ("111", "111")
    assert result.result.maximum_charge.ceiling == Decimal("500.00")
    assert result.result.paying_third_party.applicable is True


def test_only_the_parts_asked_for() -> None:
    ssin, _ = _insured(bim=False)
    result = result_for(ssin, data=["ct1ct2"])
    assert result.ct1ct2 == ("110", "110")
    assert result.mutuality_code is None and result.increased_intervention is None
    assert result.result is not None and result.result.medical_house is None


def test_before_insurance_there_is_no_data() -> None:
    ssin, found = _insured(bim=False)
    result = result_for(ssin, on=found.since - dt.timedelta(days=1))
    assert not result.data_found and result.result is None and result.mutuality_code is None


def test_through_the_simulator_sync() -> None:
    ssin, _ = _insured(bim=True)
    with simulator("health_care_insurance").client() as cbss:
        result = HealthCareInsurance(cbss).insurance(ssin)
    assert result.increased_intervention is True
    assert result.meta.legal_context == "social inquiry and financial help"


async def test_through_the_simulator_async() -> None:
    ssin, found = _insured(bim=False)
    async with simulator("health_care_insurance").async_client() as cbss:
        result = await HealthCareInsurance(cbss).insurance(
            ssin, on=TODAY, data=[InsuranceData.INSURING_ORGANIZATION]
        )
    assert result.mutuality_code == MUTUALITIES[found.mutuality][0]


def test_business_errors_through_the_simulator() -> None:
    with simulator("health_care_insurance").client() as cbss:
        with pytest.raises(ServiceUnavailable):
            HealthCareInsurance(cbss).insurance("78041201134", on=dt.date(1900, 1, 1))
        with pytest.raises(SsinCancelled):
            HealthCareInsurance(cbss).insurance(PERSONA_SSINS["cancelled"])
