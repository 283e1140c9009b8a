"""SocialRateInvestigation consultExchangedData: request, social tariffs, outcomes, errors."""

from __future__ import annotations

from typing import Any

import pytest
from social_support import NOW, assert_valid, client, interpret_handler, population, simulator

from cbss_sdk.errors import InvalidIdentifier, NotIntegrated, RequestValidationError, SsinCancelled
from cbss_sdk.services._social_rate_investigation import (
    SocialRateInvestigation,
    SocialTariffResult,
)
from cbss_sdk.testing._population import PERSONA_SSINS
from cbss_sdk.testing._services.social_rate_investigation import tariffs_of

TODAY = NOW.date()
CONSULT = SocialRateInvestigation.consult


def prepare(ssin: str, **kwargs: Any) -> Any:
    return CONSULT.prepare(SocialRateInvestigation(client()), ssin, **kwargs)


def result_for(ssin: str) -> SocialTariffResult:
    result = interpret_handler(
        "social_rate_investigation",
        "SocialRateInvestigation",
        "consultExchangedData",
        prepare(ssin),
    )
    assert isinstance(result, SocialTariffResult)
    return result


def _person(*, entitled: bool) -> tuple[str, Any]:
    for person in population():
        found = tariffs_of(person, TODAY)
        if not person.tags and bool(found) == entitled:
            return person.ssin, found
    raise AssertionError("no such person in the population")


def test_bad_arguments() -> None:
    with pytest.raises(InvalidIdentifier):
        prepare("85073003329")
    with pytest.raises(RequestValidationError) as caught:
        prepare("78041201134", legal_context="")
    assert caught.value.field == "legal_context"


def test_the_request_on_the_wire() -> None:
    prepared = prepare("78041201134")
    assert_valid(prepared, "SocialRateInvestigation")
    assert prepared.payload.findtext("legalContext") == "Social Rate Investigation"
    assert prepared.payload.findtext("criterion/ssin") == "78041201134"
    assert prepared.info.path == "SocialRateInvestigationService/v1/consultExchangedData"


def test_an_entitled_person() -> None:
    ssin, found = _person(entitled=True)
    result = result_for(ssin)
    assert result.data_found
    assert [(r.energy, r.category, r.start) for r in result.rights] == found
    assert result.has_social_tariff(on=TODAY) and result.has_social_tariff("electricity", on=TODAY)
    assert result.has_social_tariff("GAS", on=TODAY) == any(e == "GAS" for e, _, _ in found)
    assert not result.has_social_tariff(on=found[0][2].replace(year=found[0][2].year - 1))


def test_nothing_exchanged() -> None:
    ssin, _ = _person(entitled=False)
    result = result_for(ssin)
    assert not result.data_found and result.rights == ()
    assert not result.has_social_tariff()


def test_through_the_simulator_sync() -> None:
    ssin, found = _person(entitled=True)
    with simulator("social_rate_investigation").client() as cbss:
        result = SocialRateInvestigation(cbss).consult(ssin)
    assert [r.energy for r in result.rights] == [e for e, _, _ in found]
    assert result.meta.legal_context == "Social Rate Investigation"


async def test_through_the_simulator_async() -> None:
    ssin, _ = _person(entitled=False)
    async with simulator("social_rate_investigation").async_client() as cbss:
        result = await SocialRateInvestigation(cbss).consult(ssin)
    assert result.status.value == "NO_DATA_FOUND"


def test_business_errors_through_the_simulator() -> None:
    with simulator("social_rate_investigation").client() as cbss:
        with pytest.raises(NotIntegrated):
            SocialRateInvestigation(cbss).consult(PERSONA_SSINS["not_integrated"])
        with pytest.raises(SsinCancelled):
            SocialRateInvestigation(cbss).consult(PERSONA_SSINS["cancelled"])
