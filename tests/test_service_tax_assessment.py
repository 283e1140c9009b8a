"""TaxAssessment v2 consultTaxAssessmentData: arguments, request, TAXA0007 as an outcome, errors."""

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
    RequestValidationError,
    ServiceUnavailable,
    SsinReplaced,
)
from cbss_sdk.services._tax_assessment import (
    DerivedYear,
    TaxAssessment,
    TaxAssessmentResult,
    TaxElement,
    TaxGroup,
)
from cbss_sdk.testing._population import PERSONA_SSINS
from cbss_sdk.testing._services.tax_assessment import RECENT_YEARS, assessments_of

TODAY = NOW.date()
CONSULT = TaxAssessment.consult


def prepare(ssin: str, **kwargs: Any) -> Any:
    return CONSULT.prepare(TaxAssessment(client()), ssin, **kwargs)


def result_for(ssin: str, **kwargs: Any) -> TaxAssessmentResult:
    result = interpret_handler(
        "tax_assessment", "TaxAssessment", "consultTaxAssessmentData", prepare(ssin, **kwargs)
    )
    assert isinstance(result, TaxAssessmentResult)
    return result


def _filer(*, recent: bool) -> tuple[str, Any]:
    for person in population():
        found = assessments_of(person, TODAY)
        if person.tags or not found:
            continue
        if (found[-1].income_year >= TODAY.year - RECENT_YEARS) == recent:
            return person.ssin, found
    raise AssertionError("no such filer in the population")


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reference_year": 1899}, "reference_year"),
        ({"reference_year": dt.date.today().year + 1}, "reference_year"),
        ({"reference_year": True}, "reference_year"),
        ({"reference_year": "LAST"}, "reference_year"),
        ({"reference_year": 2023.0}, "reference_year"),
        ({"elements": ["global taxable income"]}, "elements"),
        ({"groups": [""]}, "groups"),
        ({"groups": [12]}, "groups"),
        ({"legal_context": ""}, "legal_context"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        prepare("78041201134", **kwargs)
    assert caught.value.field == field


def test_bad_ssin() -> None:
    with pytest.raises(InvalidIdentifier):
        prepare("780412011")


# --------------------------------------------------------------------------- requests


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"reference_year": 2022},
        {"reference_year": "most_recent_unlimited"},
        {"elements": [TaxElement.GLOBAL_TAXABLE_INCOME, "CHILDREN_DEPENDENT_HANDICAP"]},
        {"groups": TaxGroup.CHILDREN_DEPENDENT},
        {
            "elements": ["OTHER_CODE_9"],
            "groups": ["GLOBAL_TAXABLE_INCOME", "GLOBAL_TAXABLE_INCOME"],
        },
    ],
)
def test_requests_validate_against_our_schema(kwargs: dict[str, Any]) -> None:
    prepared = prepare("78041201134", **kwargs)
    assert_valid(prepared, "TaxAssessment")
    assert prepared.payload.findtext("legalContext") == "SOCIAL_INVESTIGATION_OF_PCSA"


def test_reference_year_and_selection_on_the_wire() -> None:
    payload = prepare(
        "78041201134",
        reference_year=2022,
        groups=["GLOBAL_TAXABLE_INCOME", "GLOBAL_TAXABLE_INCOME"],
    ).payload
    assert payload.findtext("criteria/referenceYear/year") == "2022"
    assert payload.find("criteria/referenceYear/derivedYear") is None
    assert [g.text for g in payload.iterfind("criteria/fiscalDataSelection/groups/group")] == [
        "GLOBAL_TAXABLE_INCOME"
    ]
    assert payload.find("criteria/fiscalDataSelection/elements") is None
    default = prepare("78041201134").payload
    assert default.findtext("criteria/referenceYear/derivedYear") == "MOST_RECENT"
    assert default.find("criteria/fiscalDataSelection") is None


# --------------------------------------------------------------------------- answers


def test_most_recent_assessment() -> None:
    ssin, found = _filer(recent=True)
    result = result_for(
        ssin, groups=[TaxGroup.GLOBAL_TAXABLE_INCOME], elements=["GLOBAL_TAXABLE_INCOME"]
    )
    assert result.data_found and not result.no_tax_data
    latest = result.latest
    assert latest is not None and latest.income_year == found[-1].income_year
    assert latest.assessment_year == latest.income_year + 1
    assert [g.code for g in latest.fiscal_group] == ["GLOBAL_TAXABLE_INCOME"]
    expected = found[-1].global_taxable
    assert result.elements("GLOBAL_TAXABLE_INCOME")[0].amount == expected
    assert result.amount(TaxElement.GLOBAL_TAXABLE_INCOME) == expected
    assert len(result.elements("GLOBAL_TAXABLE_INCOME")) == 2  # the element and inside its group
    assert isinstance(result.amount("PROFESSIONAL_INCOME"), Decimal)
    assert result.amount("NOT_THERE") is None


def test_partner_amounts_of_joint_assessments() -> None:
    for person in population():
        found = assessments_of(person, TODAY)
        if (
            not person.tags
            and found
            and found[-1].partner_income is not None
            and found[-1].income_year >= TODAY.year - RECENT_YEARS
        ):
            break
    else:
        pytest.skip("no married recent filer in this population")
    result = result_for(person.ssin, groups=["GLOBAL_TAXABLE_INCOME_FISCAL_FAMILY"])
    assert result.latest is not None and result.latest.joint_assessment
    assert result.amount("GLOBAL_TAXABLE_INCOME", partner=True) == found[-1].partner_income
    assert result.amount("GLOBAL_TAXABLE_INCOME") == found[-1].global_taxable


def test_a_given_year() -> None:
    ssin, found = _filer(recent=True)
    year = found[0].income_year
    result = result_for(ssin, reference_year=year)
    assert result.latest is not None and result.latest.income_year == year
    assert {g.code for g in result.latest.fiscal_group} >= {"CHILDREN_DEPENDENT"}


def test_no_tax_data_is_an_outcome_not_an_error() -> None:
    ssin, found = _filer(recent=False)
    result = result_for(ssin)
    assert result.no_tax_data and not result.data_found
    assert result.status.value == "NO_DATA_FOUND" and result.assessments == ()
    unlimited = result_for(ssin, reference_year=DerivedYear.MOST_RECENT_UNLIMITED)
    assert unlimited.latest is not None and unlimited.latest.income_year == found[-1].income_year
    child = result_for(CHILD, reference_year="MOST_RECENT_UNLIMITED")
    assert child.no_tax_data


def _status_reply(value: str, code: str) -> Any:
    return status_reply("TaxAssessment", "consultTaxAssessmentData", value, code)


def test_taxa0007_with_no_result_is_still_an_outcome() -> None:
    result = prepare("78041201134").interpret(_status_reply("NO_RESULT", "TAXA0007")).value
    assert isinstance(result, TaxAssessmentResult)
    assert result.no_tax_data and result.status.value == "NO_DATA_FOUND"
    with pytest.raises(SsinReplaced):
        prepare("78041201134").interpret(_status_reply("NO_RESULT", "MSG00006"))


# --------------------------------------------------------------------------- through the simulator


def test_through_the_simulator_sync() -> None:
    ssin, found = _filer(recent=True)
    with simulator("tax_assessment").client() as cbss:
        result = TaxAssessment(cbss).consult(ssin, elements=["GLOBAL_TAXABLE_INCOME"])
    assert result.amount("GLOBAL_TAXABLE_INCOME") == found[-1].global_taxable
    assert result.meta.cbss_ticket and result.meta.legal_context == "SOCIAL_INVESTIGATION_OF_PCSA"


async def test_through_the_simulator_async() -> None:
    ssin, _ = _filer(recent=False)
    async with simulator("tax_assessment").async_client() as cbss:
        result = await TaxAssessment(cbss).consult(ssin)
    assert result.no_tax_data


def test_business_errors_through_the_simulator() -> None:
    with simulator("tax_assessment").client() as cbss:
        with pytest.raises(ServiceUnavailable):
            TaxAssessment(cbss).consult("78041201134", reference_year=1900)
        with pytest.raises(SsinReplaced) as caught:
            TaxAssessment(cbss).consult(PERSONA_SSINS["replaced"])
        assert caught.value.replacement
