"""Simulated Handiservice ``consultFile``: deterministic disability files.

About one adult in four has a file at the DG Persons with disabilities: an
application decided some months later, a medical recognition, an allowance
right (income replacement and/or integration before 65, assistance to the
elderly from 65), social cards for the most dependent, and a payment on the
25th of every month of the right.  Amounts are euros.

Documented triggers:

* no file → status ``NO_RESULT`` ``MSG00021`` (person unknown at the DGPH),
  which the SDK turns into a ``NO_DATA_FOUND`` result;
* every flag false and no payment period → ``HAN00023`` (same, no data);
* a payment period longer than two years → ``HAN00020``, not ascending →
  ``HAN00021`` (the SDK refuses both before sending; raw requests get them);
* reference date 1900-01-01 → ``HAN00031`` (DGPH error → ``HandiSourceError``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from xsdata.models.datatype import XmlPeriod

from ...models.handiservice_v2.be.fgov.kszbcss.intf.handiservice_service.v2 import (
    ConsultFileRequest,
    ConsultFileResponse,
)
from ...models.handiservice_v2.be.fgov.kszbcss.types.common.v3 import OpenPeriodType
from ...models.handiservice_v2.be.fgov.kszbcss.types.handiservice.v2 import (
    AllowanceKindType,
    FileType,
    PaymentsType,
    PaymentType,
    RecognitionsType,
    RecognitionType,
    RequestStateType,
    RequestsType,
    RequestType,
    RightsType,
    RightType,
    SocialCardKindType,
    SocialCardsType,
    SocialCardType,
)
from .._population import Person
from .._registry import SimContext, SimRequest, SimulatedBusinessError, handler
from ._social import add_years, person_for, rng_for, status, xml_date

__all__ = ["SOURCE_ERROR_DATE", "DisabilityFile", "file_of"]

#: A reference date that makes the simulated DGPH fail (HAN00031).
SOURCE_ERROR_DATE = dt.date(1900, 1, 1)


@attrs.frozen
class DisabilityFile:
    """The simulated file: application, decision, recognition, rights (kind, monthly euros)."""

    applied: dt.date
    decided: dt.date
    reduced_earning_capacity: bool
    points: int
    rights: tuple[tuple[AllowanceKindType, Decimal], ...]


def file_of(person: Person) -> DisabilityFile | None:
    """The disability file of *person* (``None``: unknown at the DGPH)."""
    rng = rng_for("Handiservice", person.ssin)
    adult = add_years(person.birth_date, 21)
    if rng.random() >= 0.25 or adult > dt.date(2024, 1, 1):
        return None
    applied = max(adult, dt.date(2012, 1, 1)) + dt.timedelta(days=rng.randrange(0, 3000))
    decided = applied + dt.timedelta(days=rng.randrange(90, 300))
    points = rng.randrange(0, 19)
    elderly = add_years(person.birth_date, 65) <= applied
    rights: list[tuple[AllowanceKindType, Decimal]] = []
    if elderly:
        rights.append(
            (
                AllowanceKindType.ASSISTANCE_ELDERLY,
                Decimal(rng.randrange(10_000, 70_000)).scaleb(-2),
            )
        )
    else:
        if rng.random() < 0.7 or points < 7:
            rights.append(
                (
                    AllowanceKindType.INCOME_REPLACEMENT,
                    Decimal(rng.randrange(80_000, 140_000)).scaleb(-2),
                )
            )
        if points >= 7:
            rights.append(
                (AllowanceKindType.INTEGRATION, Decimal(rng.randrange(10_000, 90_000)).scaleb(-2))
            )
    return DisabilityFile(
        applied=applied,
        decided=decided,
        reduced_earning_capacity=not elderly,
        points=points,
        rights=tuple(rights),
    )


def _months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _payments(found: DisabilityFile, start: dt.date, end: dt.date) -> list[PaymentType]:
    payments = []
    first_month = (found.decided + dt.timedelta(days=31)).replace(day=1)
    for year, month in _months(max(start, first_month), end):
        paid = dt.date(year, month, 25)
        if not start <= paid <= end:
            continue
        for kind, amount in found.rights:
            payments.append(
                PaymentType(
                    payment_date=xml_date(paid),
                    kind=kind,
                    related_month=XmlPeriod(f"{year:04d}-{month:02d}"),
                    amount=amount,
                )
            )
    return payments


def _file(
    found: DisabilityFile,
    reference: dt.date,
    flags: dict[str, bool],
    period: tuple[dt.date, dt.date] | None,
) -> FileType:
    decided = found.decided <= reference
    validity = OpenPeriodType(begin_date=xml_date(found.decided))
    file = FileType(reference_date=xml_date(reference))
    if flags["evolution_of_request"] and found.applied <= reference:
        file.evolution_of_request = RequestsType(
            request=[
                RequestType(
                    request_date=xml_date(found.applied),
                    kind=kind,
                    state=RequestStateType.DECIDED
                    if decided
                    else RequestStateType.MEDICAL_EXAMINATION,
                    decision_date=xml_date(found.decided) if decided else None,
                )
                for kind, _ in found.rights
            ]
        )
    if flags["handicap_recognition"]:
        file.handicap_recognition = RecognitionsType(
            recognition=[
                RecognitionType(
                    validity=validity,
                    reduced_earning_capacity=found.reduced_earning_capacity,
                    autonomy_points=found.points,
                    category=min(5, found.points // 4 + 1) if found.points >= 7 else None,
                )
            ]
            if decided
            else []
        )
    if flags["rights"]:
        file.rights = RightsType(
            right=[
                RightType(kind=kind, period=validity, monthly_amount=amount)
                for kind, amount in found.rights
            ]
            if decided
            else []
        )
    if flags["social_cards"]:
        cards = []
        if decided and found.points >= 12:
            cards.append(SocialCardType(kind=SocialCardKindType.PARKING_CARD, validity=validity))
        if decided and found.reduced_earning_capacity:
            cards.append(
                SocialCardType(
                    kind=SocialCardKindType.PUBLIC_TRANSPORT_REDUCTION, validity=validity
                )
            )
        file.social_cards = SocialCardsType(social_card=cards)
    if period is not None:
        file.payments = PaymentsType(payment=_payments(found, *period))
    return file


@handler("Handiservice", "consultFile")
def consult_file(ctx: SimContext, request: SimRequest) -> object:
    model = request.model
    assert isinstance(model, ConsultFileRequest)
    wanted = model.wanted_information
    info = wanted.information_at_reference_date
    reference = info.reference_date.to_date()
    if reference == SOURCE_ERROR_DATE:
        raise SimulatedBusinessError("HAN00031", "An error occurred at the DGPH.")
    period = None
    if wanted.payments_at_period is not None:
        start = wanted.payments_at_period.start_date.to_date()
        end = wanted.payments_at_period.end_date.to_date()
        if end < start:
            raise SimulatedBusinessError("HAN00021", "The payment period is not ascending.")
        if add_years(start, 2) <= end:
            raise SimulatedBusinessError("HAN00020", "The payment period is longer than two years.")
        period = (start, end)
    flags = {
        "evolution_of_request": info.evolution_of_request,
        "handicap_recognition": info.handicap_recognition,
        "rights": info.rights,
        "social_cards": info.social_cards,
    }
    if not any(flags.values()) and period is None:
        raise SimulatedBusinessError("HAN00023", "Every information asked for is false.")
    person = person_for(ctx, request)
    found = file_of(person)
    if found is None:
        raise SimulatedBusinessError("MSG00021", "The person is unknown at the DGPH.")
    return ctx.soa_response(
        ConsultFileResponse,
        status=status(ConsultFileResponse, "DATA_FOUND", "MSG00000", "Data found."),
        file=_file(found, reference, flags, period),
    )
