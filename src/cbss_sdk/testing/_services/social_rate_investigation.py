"""Simulated SocialRateInvestigation ``consultExchangedData``: social tariffs from other benefits.

The social tariff follows from other social-security rights, so the
simulated one is derived from the other simulated services: a person with
a disability allowance right (Handiservice) or with the increased
intervention (HealthCareInsurance) has the social tariff for electricity,
and for gas too when their household is heated with gas (two households in
three).  Everybody else has nothing exchanged (``NO_DATA_FOUND``).

There is no service-specific business error: the request carries only the
SSIN, so refusals come from the personas (``not_integrated`` →
``NotIntegrated``, ``cancelled`` → ``SsinCancelled``…).
"""

from __future__ import annotations

import datetime as dt

from ...models.social_rate_investigation_v1.be.fgov.kszbcss.intf.social_rate_investigation_service.v1 import (
    ConsultExchangedDataRequest,
    ConsultExchangedDataResponse,
)
from ...models.social_rate_investigation_v1.be.fgov.kszbcss.types.common.v3 import OpenPeriodType
from ...models.social_rate_investigation_v1.be.fgov.kszbcss.types.social_rate_investigation.v1 import (
    EnergyType,
    ExchangedDataType,
)
from .._population import Person
from .._registry import SimContext, SimRequest, handler
from ._social import person_for, rng_for, status, today, xml_date
from .handiservice import file_of as disability_file_of
from .health_care_insurance import insurance_of

__all__ = ["tariffs_of"]


def tariffs_of(person: Person, on: dt.date) -> list[tuple[str, str, dt.date]]:
    """(energy, category, since) of the social tariffs *person* has on *on*."""
    disability = disability_file_of(person)
    insurance = insurance_of(person)
    since: dt.date | None = None
    category = ""
    if disability is not None and disability.rights and disability.decided <= on:
        since, category = disability.decided.replace(day=1), "DISABILITY_ALLOWANCE"
    elif insurance is not None and insurance.bim and insurance.since <= on:
        since, category = max(insurance.since, dt.date(on.year, 1, 1)), "INCREASED_INTERVENTION"
    if since is None:
        return []
    tariffs = [("ELECTRICITY", category, since)]
    if rng_for("SocialRateInvestigation", person.household).random() < 2 / 3:
        tariffs.append(("GAS", category, since))
    return tariffs


@handler("SocialRateInvestigation", "consultExchangedData")
def consult_exchanged_data(ctx: SimContext, request: SimRequest) -> object:
    assert isinstance(request.model, ConsultExchangedDataRequest)
    person = person_for(ctx, request)
    found = tariffs_of(person, today(ctx))
    response = ConsultExchangedDataResponse
    if not found:
        return ctx.soa_response(
            response, status=status(response, "NO_DATA_FOUND", "MSG00000", "No data found.")
        )
    return ctx.soa_response(
        response,
        status=status(response, "DATA_FOUND", "MSG00000", "Treatment completed successfully."),
        result=[
            ExchangedDataType(
                energy=EnergyType(energy),
                social_tariff=True,
                category=category,
                period=OpenPeriodType(begin_date=xml_date(since)),
            )
            for energy, category, since in found
        ],
    )
