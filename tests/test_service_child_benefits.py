"""ChildBenefits consultFilesBySsin: months, authentic sources, files, errors."""

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
    SsinUnknown,
)
from cbss_sdk.services._child_benefits import AuthenticSource, ChildBenefits, ChildBenefitsResult
from cbss_sdk.services._social_common import Month
from cbss_sdk.testing._population import UNKNOWN_SSIN
from cbss_sdk.testing._services.child_benefits import (
    REGIONALISED,
    beneficiary_of,
    monthly_amount,
    region_of,
)

TODAY = NOW.date()
FILES = ChildBenefits.files


def prepare(ssin: str, **kwargs: Any) -> Any:
    kwargs.setdefault("first_month", "2024-01")
    kwargs.setdefault("last_month", "2024-12")
    return FILES.prepare(ChildBenefits(client()), ssin, **kwargs)


def result_for(ssin: str, **kwargs: Any) -> ChildBenefitsResult:
    result = interpret_handler(
        "child_benefits", "ChildBenefits", "consultFilesBySsin", prepare(ssin, **kwargs)
    )
    assert isinstance(result, ChildBenefitsResult)
    return result


def _minor(child: Any, year: int, month: int) -> bool:
    """Covered that month: born by then and the month starts before the 18th birthday."""
    first = dt.date(year, month, 1)
    eighteen = child.birth_date.replace(year=child.birth_date.year + 18)
    return (child.birth_date.year, child.birth_date.month) <= (year, month) and first < eighteen


def _family() -> tuple[Any, list[Any], str]:
    """A beneficiary without persona tag, the children under 18 in 2024, the region."""
    for members in population().households().values():
        beneficiary = beneficiary_of(members)
        children = [m for m in members if m.relationship in (3, 4) and _minor(m, 2024, 6)]
        if beneficiary is not None and not beneficiary.tags and children:
            address = beneficiary.address
            return beneficiary, children, region_of(address.municipality_code if address else None)
    raise AssertionError("no family with young children in the population")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"first_month": "2024-13"}, "first_month"),
        ({"first_month": "2024/01"}, "first_month"),
        ({"last_month": (2024, 0)}, "last_month"),
        ({"first_month": "2024-05", "last_month": "2024-04"}, "last_month"),
        ({"sources": []}, "sources"),
        ({"sources": ["MARS"]}, "sources"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        prepare("78041201134", **kwargs)
    assert caught.value.field == field


def test_bad_ssin() -> None:
    with pytest.raises(InvalidIdentifier):
        prepare("78041201135")


def test_the_request_on_the_wire() -> None:
    prepared = prepare(
        "78041201134",
        first_month=dt.date(2023, 11, 15),
        last_month=Month(2024, 2),
        sources=["wallonia", AuthenticSource.FEDERAL, "WALLONIA"],
    )
    assert_valid(prepared, "ChildBenefits")
    payload = prepared.payload
    assert payload.findtext("legalContext") == "PCSA:SOCIAL_INQUIRY"
    assert payload.findtext("criteria/period/beginMonth") == "2023-11"
    assert payload.findtext("criteria/period/endMonth") == "2024-02"
    sources = [e.text for e in payload.iterfind("criteria/authenticSources/authenticSource")]
    assert sources == ["WALLONIA", "FEDERAL"]
    default = prepare("78041201134").payload
    assert len(default.findall("criteria/authenticSources/authenticSource")) == 5
    assert_valid(prepare("78041201134"), "ChildBenefits")


def test_region_of() -> None:
    assert region_of(21004) == "BRUSSELS"
    assert region_of(52011) == "WALLONIA"
    assert region_of(63023) == "EASTBELGIUM"
    assert region_of(62063) == "WALLONIA"
    assert region_of(44021) == "FLANDERS"
    assert region_of(25072) == "WALLONIA"
    assert region_of(24062) == "FLANDERS"


def test_the_beneficiary_gets_the_regional_file() -> None:
    beneficiary, children, region = _family()
    result = result_for(beneficiary.ssin, first_month="2024-01", last_month="2024-06")
    assert result.data_found and len(result.files) == 1
    file = result.files[0]
    assert file.source is AuthenticSource(region) and file.role == "BENEFICIARY"
    members = population().household(beneficiary.ssin)
    everyone = [m for m in members if m.relationship in (3, 4)]
    assert set(file.children) == {
        c.ssin for c in everyone if any(_minor(c, 2024, m) for m in range(1, 7))
    }
    assert {c.ssin for c in children} <= set(file.children)
    assert [m for m, _ in file.payments] == [Month(2024, m) for m in range(1, 7)]
    for month, amount in file.payments:
        covered = [c for c in everyone if _minor(c, month.year, month.month)]
        assert amount == sum((monthly_amount(c) for c in covered), Decimal("0.00"))
    assert result.total == sum((amount for _, amount in file.payments), Decimal("0.00"))


def test_older_months_are_federal() -> None:
    beneficiary, _children, region = _family()
    first = REGIONALISED[region]
    start = Month(first[0] - 1, 10)
    result = result_for(beneficiary.ssin, first_month=start, last_month=Month(first[0], 3))
    sources = {f.source for f in result.files}
    assert AuthenticSource.FEDERAL in sources and AuthenticSource(region) in sources
    only_federal = result_for(
        beneficiary.ssin, first_month=start, last_month=Month(first[0], 3), sources=["FEDERAL"]
    )
    assert {f.source for f in only_federal.files} == {AuthenticSource.FEDERAL}


def test_a_child_is_in_its_own_file() -> None:
    _, children, _ = _family()
    result = result_for(children[0].ssin)
    assert [f.role for f in result.files] == ["CHILD"]
    assert result.files[0].children == (children[0].ssin,)


def test_nothing_in_the_months_asked() -> None:
    beneficiary, _, _ = _family()
    result = result_for(beneficiary.ssin, first_month="1990-01", last_month="1990-12")
    assert not result.data_found and result.files == ()


def test_through_the_simulator_sync() -> None:
    beneficiary, _children, region = _family()
    with simulator("child_benefits").client() as cbss:
        result = ChildBenefits(cbss).files(
            beneficiary.ssin, first_month="2024-01", last_month="2024-03"
        )
    assert result.files[0].source is AuthenticSource(region) and result.meta.cbss_ticket


async def test_through_the_simulator_async() -> None:
    beneficiary, _, region = _family()
    async with simulator("child_benefits").async_client() as cbss:
        result = await ChildBenefits(cbss).files(
            beneficiary.ssin, first_month="2024-01", last_month="2024-12", sources=[region]
        )
    assert len(result.files[0].payments) == 12


def test_business_errors_through_the_simulator() -> None:
    with simulator("child_benefits").client() as cbss:
        with pytest.raises(ServiceUnavailable):
            ChildBenefits(cbss).files("78041201134", first_month="1900-01", last_month="1900-02")
        with pytest.raises(SsinUnknown):
            ChildBenefits(cbss).files(UNKNOWN_SSIN, first_month="2024-01", last_month="2024-02")
