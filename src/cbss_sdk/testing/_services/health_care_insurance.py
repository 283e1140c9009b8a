"""Simulated HealthCareInsurance ``getInsuranceOrganizationInformations``.

Everybody in the synthetic population is insured with one of five
fictitious mutualities since birth (or since arriving, for refugees), except
about one person in twenty who has no insurability on file (``NO_DATA_FOUND``).
About one in four has the increased intervention (CT1/CT2 ``111``/``111``
instead of ``110``/``110``, third-party payer, lower maximum charge); some
are registered with a medical house.  Only the parts whose flag is true are
returned.

Documented trigger: the date 1900-01-01 answers ``MSG00002`` (the
mutualities' network is unavailable → ``ServiceUnavailable``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ...models.health_care_insurance_v1.be.fgov.kszbcss.intf.health_care_insurance_service.v1 import (
    GetInsuranceOrganizationInformationsRequest,
    GetInsuranceOrganizationInformationsResponse,
)
from ...models.health_care_insurance_v1.be.fgov.kszbcss.types.common.v3 import OpenPeriodType
from ...models.health_care_insurance_v1.be.fgov.kszbcss.types.health_care_insurance.v1 import (
    Ct1Ct2Type,
    InsuranceResultType,
    InsuringOrganizationType,
    MaximumChargeType,
    MedicalHouseType,
    PeriodicRightType,
)
from .._population import Person
from .._registry import SimContext, SimRequest, SimulatedBusinessError, handler
from ._social import person_for, rng_for, status, today, xml_date

__all__ = ["MUTUALITIES", "SOURCE_DOWN_DATE", "insurance_of"]

#: Asking about this date answers MSG00002 (source unavailable).
SOURCE_DOWN_DATE = dt.date(1900, 1, 1)

#: Fictitious insuring organisations: (3-digit code, name).
MUTUALITIES = (
    ("116", "Mutualité Horizon"),
    ("235", "Ziekenfonds De Brug"),
    ("319", "Mutualité du Sillon"),
    ("407", "Krankenkasse Eifelland"),
    ("509", "Mutualité Libre Azur"),
)


class Insurance:
    """The simulated insurability of one person."""

    __slots__ = ("bim", "house", "mutuality", "since")

    def __init__(self, mutuality: int, since: dt.date, bim: bool, house: str | None) -> None:
        self.mutuality = mutuality
        self.since = since
        self.bim = bim
        self.house = house


def insurance_of(person: Person) -> Insurance | None:
    """The insurability of *person* (``None``: not insured / unknown to the mutualities)."""
    rng = rng_for("HealthCareInsurance", person.ssin)
    if rng.random() < 0.05:
        return None
    since = person.birth_date
    if person.refugee is not None or person.kind == "bis":
        since = max(since, dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(2500)))
    house = (
        rng.choice(("Maison médicale du Parc", "Wijkgezondheidscentrum De Kaai"))
        if rng.random() < 0.2
        else None
    )
    return Insurance(rng.randrange(len(MUTUALITIES)), since, rng.random() < 0.25, house)


def _result(found: Insurance, on: dt.date, flags: dict[str, bool]) -> InsuranceResultType:
    since = OpenPeriodType(begin_date=xml_date(found.since))
    year_start = OpenPeriodType(begin_date=xml_date(dt.date(on.year, 1, 1)))
    result = InsuranceResultType()
    code, name = MUTUALITIES[found.mutuality]
    if flags["insuring_organization"]:
        result.insuring_organization = InsuringOrganizationType(code=code, name=name, period=since)
    if flags["reimbursement_right"]:
        result.reimbursement_right = PeriodicRightType(applicable=True, period=since)
    if flags["ct1ct2"]:
        result.ct1ct2 = (
            Ct1Ct2Type(ct1="111", ct2="111") if found.bim else Ct1Ct2Type(ct1="110", ct2="110")
        )
    if flags["paying_third_party"]:
        result.paying_third_party = PeriodicRightType(
            applicable=found.bim, period=year_start if found.bim else None
        )
    if flags["maximum_charge"]:
        ceiling = Decimal("500.00") if found.bim else Decimal("1100.00")
        result.maximum_charge = MaximumChargeType(year=on.year, reached=False, ceiling=ceiling)
    if flags["medical_house"]:
        result.medical_house = MedicalHouseType(
            registered=found.house is not None,
            name=found.house,
            period=year_start if found.house is not None else None,
        )
    if flags["increased_intervention"]:
        result.increased_intervention = PeriodicRightType(
            applicable=found.bim, period=year_start if found.bim else None
        )
    if flags["status_complementary_insurance"]:
        result.status_complementary_insurance = PeriodicRightType(applicable=True, period=since)
    if flags["global_medical_file"]:
        result.global_medical_file = PeriodicRightType(applicable=found.mutuality % 2 == 0)
    if flags["sfdf_l891"]:
        result.sfdf_l891 = PeriodicRightType(applicable=False)
    return result


@handler("HealthCareInsurance", "getInsuranceOrganizationInformations")
def get_insurance_organization_informations(ctx: SimContext, request: SimRequest) -> object:
    model = request.model
    assert isinstance(model, GetInsuranceOrganizationInformationsRequest)
    criterion = model.criterion
    temporal = criterion.temporal_criteria
    on = temporal.date.to_date() if temporal.date is not None else today(ctx)
    if on == SOURCE_DOWN_DATE:
        raise SimulatedBusinessError(
            "MSG00002", "The external supplier (mutualities) is unavailable."
        )
    person = person_for(ctx, request)
    found = insurance_of(person)
    response = GetInsuranceOrganizationInformationsResponse
    if found is None or found.since > on or (person.deceased is not None and person.deceased < on):
        return ctx.soa_response(
            response, status=status(response, "NO_DATA_FOUND", "MSG00000", "No data found.")
        )
    desired = criterion.desired_data
    flags = {
        name: bool(getattr(desired, name))
        for name in (
            "insuring_organization",
            "reimbursement_right",
            "ct1ct2",
            "paying_third_party",
            "maximum_charge",
            "medical_house",
            "increased_intervention",
            "status_complementary_insurance",
            "global_medical_file",
            "sfdf_l891",
        )
    }
    return ctx.soa_response(
        response,
        status=status(response, "DATA_FOUND", "MSG00000", "Data found."),
        result=_result(found, on, flags),
    )
