"""SelfEmployed: career, contributions, both — arguments, requests, answers, errors."""

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
    run_handler,
    simulator,
)

from cbss_sdk.errors import (
    InvalidIdentifier,
    NotIntegrated,
    RequestValidationError,
    ServiceUnavailable,
)
from cbss_sdk.services._self_employed import SelfEmployed, SelfEmployedResult
from cbss_sdk.services._social_common import Quarter
from cbss_sdk.testing._population import PERSONA_SSINS
from cbss_sdk.testing._registry import SimulatedBusinessError
from cbss_sdk.testing._services.self_employed import career_of

TODAY = NOW.date()
OPS = {
    "career": "consultCareer",
    "contributions": "consultContributions",
    "career_and_contributions": "consultCareerAndContributions",
}


def prepare(method: str, ssin: str, **kwargs: Any) -> Any:
    return getattr(SelfEmployed, method).prepare(SelfEmployed(client()), ssin, **kwargs)


def result_for(method: str, ssin: str, **kwargs: Any) -> SelfEmployedResult:
    prepared = prepare(method, ssin, **kwargs)
    result = interpret_handler("self_employed", "SelfEmployed", OPS[method], prepared)
    assert isinstance(result, SelfEmployedResult)
    return result


def _self_employed(*, running: bool) -> tuple[str, Any]:
    for person in population():
        stretches = career_of(person, TODAY)
        if not person.tags and stretches and (stretches[-1].end is None) == running:
            return person.ssin, stretches
    raise AssertionError("no self-employed person in the population")


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("method", "kwargs", "field"),
    [
        ("career", {"start": dt.date(2020, 1, 1), "end": dt.date(2019, 1, 1)}, "end"),
        ("career", {"start": "2020-01-01"}, "start"),
        ("contributions", {"first_quarter": "2020Q5", "last_quarter": "2021Q1"}, "first_quarter"),
        ("contributions", {"first_quarter": "2021Q1", "last_quarter": "2020Q4"}, "last_quarter"),
        ("contributions", {"first_quarter": (2021, 0), "last_quarter": (2021, 1)}, "first_quarter"),
        ("contributions", {"first_quarter": 2021, "last_quarter": (2021, 1)}, "first_quarter"),
        (
            "career_and_contributions",
            {
                "career_start": dt.date(2020, 1, 1),
                "career_end": dt.date(2019, 12, 31),
                "first_quarter": "2020Q1",
                "last_quarter": "2020Q2",
            },
            "career_end",
        ),
    ],
)
def test_bad_arguments(method: str, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        prepare(method, "78041201134", **kwargs)
    assert caught.value.field == field


def test_bad_ssin() -> None:
    with pytest.raises(InvalidIdentifier):
        prepare("career", "12345678901", start=dt.date(2020, 1, 1))


def test_quarters_accept_several_spellings() -> None:
    assert Quarter.of("2024q3", field="q") == Quarter(2024, 3)
    assert Quarter.of((2024, 3), field="q") == Quarter(2024, 3)
    assert Quarter.of(dt.date(2024, 8, 15), field="q") == Quarter(2024, 3)
    assert Quarter(2024, 3).first_day == dt.date(2024, 7, 1)
    assert Quarter(2024, 4).last_day == dt.date(2024, 12, 31)
    assert str(Quarter(2024, 1)) == "2024Q1"


# --------------------------------------------------------------------------- requests


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("career", {"start": dt.date(2010, 1, 1)}),
        ("career", {"start": dt.date(2010, 1, 1), "end": dt.date(2020, 1, 1)}),
        ("contributions", {"first_quarter": "2023Q1", "last_quarter": Quarter(2024, 4)}),
        (
            "career_and_contributions",
            {
                "career_start": dt.date(2010, 1, 1),
                "first_quarter": dt.date(2023, 2, 1),
                "last_quarter": (2024, 2),
            },
        ),
    ],
)
def test_requests_validate_against_our_schema(method: str, kwargs: dict[str, Any]) -> None:
    prepared = prepare(method, "78041201134", **kwargs)
    assert_valid(prepared, "SelfEmployed")
    payload = prepared.payload
    assert payload.findtext("legalContext") == "PCSA:SOCIAL_INQUIRY"
    assert payload.findtext("criteria/ssin") == "78041201134"
    assert prepared.info.path == f"SelfEmployedService/v1/{OPS[method]}"


def test_quarters_are_sent_as_year_and_quarter() -> None:
    prepared = prepare(
        "contributions", "78041201134", first_quarter="2023Q2", last_quarter="2024Q1"
    )
    assert prepared.payload.findtext("criteria/period/beginQuarter/year") == "2023"
    assert prepared.payload.findtext("criteria/period/beginQuarter/quarter") == "2"
    assert prepared.payload.findtext("criteria/period/endQuarter/year") == "2024"
    assert prepared.payload.findtext("criteria/period/endQuarter/quarter") == "1"


def test_an_open_career_period_has_no_end_date() -> None:
    prepared = prepare("career", "78041201134", start=dt.date(2010, 1, 1))
    assert prepared.payload.find("criteria/period/endDate") is None


# --------------------------------------------------------------------------- answers


def test_career() -> None:
    ssin, stretches = _self_employed(running=True)
    result = result_for("career", ssin, start=dt.date(2000, 1, 1))
    assert result.data_found
    starts = [c.period.begin_date.to_date() for c in result.career_components]
    assert starts == [s.start for s in stretches]
    assert {c.contribution_code for c in result.career_components} <= {"A", "B", "C"}
    assert all(m.social_insurance_fund is not None for m in result.memberships)
    assert result.contributions == ()


def test_contributions_are_decimal_euros() -> None:
    ssin, stretches = _self_employed(running=True)
    first = Quarter.of(stretches[-1].start, field="q")
    result = result_for(
        "contributions", ssin, first_quarter=first, last_quarter=Quarter.of(TODAY, field="q")
    )
    assert result.data_found and result.contributions
    assert result.contributions[0].quarter == first
    for item in result.contributions:
        assert isinstance(item.amount_due, Decimal) and item.amount_due > 0
        assert item.amount_due.as_tuple().exponent == -2
        assert Decimal("0") <= item.outstanding <= item.amount_due
    assert result.memberships == ()


def test_career_and_contributions() -> None:
    ssin, _ = _self_employed(running=True)
    result = result_for(
        "career_and_contributions",
        ssin,
        career_start=dt.date(2000, 1, 1),
        first_quarter="2024Q1",
        last_quarter="2024Q4",
    )
    assert result.career_components and result.contributions
    assert [str(c.quarter) for c in result.contributions] == [
        "2024Q1",
        "2024Q2",
        "2024Q3",
        "2024Q4",
    ]


def test_nobody_found() -> None:
    result = result_for("career", CHILD, start=dt.date(2000, 1, 1))
    assert not result.data_found and result.status.value == "NO_DATA_FOUND"
    assert result.career_components == () and result.contributions == ()


def test_source_unavailable_trigger() -> None:
    prepared = prepare("career", "78041201134", start=dt.date(1900, 1, 1))
    with pytest.raises(SimulatedBusinessError) as caught:
        run_handler("self_employed", "SelfEmployed", "consultCareer", prepared)
    assert caught.value.code == "MSG00002"


# --------------------------------------------------------------------------- through the simulator


def test_through_the_simulator_sync() -> None:
    ssin, stretches = _self_employed(running=True)
    sim = simulator("self_employed")
    with sim.client() as cbss:
        result = SelfEmployed(cbss).career_and_contributions(
            ssin,
            career_start=dt.date(2000, 1, 1),
            first_quarter=Quarter.of(stretches[-1].start, field="q"),
            last_quarter="2025Q2",
        )
    assert result.data_found and result.meta.cbss_ticket
    assert [c.period.begin_date.to_date() for c in result.career_components] == [
        s.start for s in stretches
    ]
    assert result.contributions[-1].quarter == Quarter(2025, 2)


async def test_through_the_simulator_async() -> None:
    ssin, _ = _self_employed(running=True)
    sim = simulator("self_employed")
    async with sim.async_client() as cbss:
        result = await SelfEmployed(cbss).contributions(
            ssin, first_quarter="2024Q1", last_quarter="2024Q2"
        )
    assert [str(c.quarter) for c in result.contributions] == ["2024Q1", "2024Q2"]
    assert all(c.amount_due > 0 for c in result.contributions)


def test_business_errors_through_the_simulator() -> None:
    sim = simulator("self_employed")
    with sim.client() as cbss:
        with pytest.raises(ServiceUnavailable) as caught:
            SelfEmployed(cbss).career("78041201134", start=dt.date(1900, 1, 1))
        assert caught.value.code == "MSG00002"
        with pytest.raises(NotIntegrated):
            SelfEmployed(cbss).career(PERSONA_SSINS["not_integrated"], start=dt.date(2000, 1, 1))
