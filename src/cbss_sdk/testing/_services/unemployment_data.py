"""Simulated UnemploymentDataService v3: deterministic unemployment files and monthly payments.

About one adult of working age in three has an unemployment file: a right
from the first day of a month (integration allowance for those under 25 at
the start, full unemployment otherwise), a family category, a daily amount,
sometimes a sanction (months without allowances), an exemption, activation
allowances, a work disability or a no-earning-capacity period, and a scale
code that changes every January.  Each month of the right is paid on the
5th of the next month: one allowance per day from Monday to Saturday, times
the daily amount, in euro cents on the wire.

Documented triggers: no file → ``NO_DATA_FOUND`` with ``UDS0001``; no right
on the date asked → ``NO_DATA_FOUND`` with ``UDS0002``; a date, a period
start or a quarter in 1900 → business error ``MSG00002`` (ONEM/RVA
unavailable → ``ServiceUnavailable``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
from xsdata.models.datatype import XmlPeriod

from ...models.unemployment_data_v3.be.fgov.kszbcss.intf.unemployment_data_service import v3 as intf
from ...models.unemployment_data_v3.be.fgov.kszbcss.types.common.v3 import OpenPeriodType
from ...models.unemployment_data_v3.be.fgov.kszbcss.types.unemployment_data.v3 import (
    ActivationPaidSumsType,
    ActivationPaidSumType,
    DossierStatusType,
    FamilyCategoryType,
    HistoryItemType,
    HistoryType,
    PaidSumsType,
    PaidSumType,
    PaymentsType,
    PaymentType,
    RightsType,
    RightType,
    ScheduledPaymentsType,
    ScheduledPaymentType,
    SituationType,
)
from .._population import Person
from .._registry import SimContext, SimRequest, SimulatedBusinessError, handler
from ._social import add_years, person_for, rng_for, status, today, xml_date

__all__ = ["SOURCE_DOWN_YEAR", "UnemploymentFile", "allowances_in", "file_of", "paid_months"]

#: A date, period start or quarter in this year answers MSG00002 (ONEM/RVA unavailable).
SOURCE_DOWN_YEAR = 1900

Span = tuple[dt.date, dt.date | None]


@attrs.frozen
class UnemploymentFile:
    """One simulated unemployment file (amounts in euro cents)."""

    start: dt.date
    end: dt.date | None
    daily_cents: int
    category: str
    kind: str
    young: bool
    activation: bool
    sanction: Span | None
    exemption: Span | None
    work_disability: Span | None
    no_earning_capacity: Span | None

    def covers(self, first: dt.date, last: dt.date) -> bool:
        return self.start <= last and (self.end is None or self.end >= first)


def _span(rng: Any, start: dt.date, stop: dt.date, days: tuple[int, int], running: bool) -> Span:
    """A stretch inside start–stop; open-ended only when it reaches *stop* of a running file."""
    first = (start + dt.timedelta(days=rng.randrange(max((stop - start).days, 1)))).replace(day=1)
    first = max(first, start)
    last = first + dt.timedelta(days=rng.randrange(*days))
    if last < stop:
        return first, last
    return first, (None if running else stop)


def file_of(person: Person, on: dt.date) -> UnemploymentFile | None:
    """The unemployment file of *person* as known on *on* (``None``: nothing at ONEM/RVA)."""
    rng = rng_for("UnemploymentData", person.ssin)
    adult = add_years(person.birth_date, 18)
    stop = min(person.deceased or on, add_years(person.birth_date, 65))
    if rng.random() >= 0.35 or adult >= stop - dt.timedelta(days=120):
        return None
    earliest = max(adult, dt.date(2015, 1, 1))
    start = (
        earliest + dt.timedelta(days=rng.randrange(max((stop - earliest).days - 90, 1)))
    ).replace(day=1)
    end: dt.date | None = None
    if rng.random() < 0.4 or stop < on:
        end = start + dt.timedelta(days=rng.randrange(200, 1500))
        if end >= stop:
            end = stop if stop < on else None
    young = add_years(person.birth_date, 25) > start
    last = end or on
    running = end is None
    return UnemploymentFile(
        start=start,
        end=end,
        daily_cents=rng.randrange(3_000, 7_500) if young else rng.randrange(4_500, 8_500),
        category=rng.choice(("HEAD_OF_HOUSEHOLD", "SINGLE", "COHABITANT")),
        kind="INTEGRATION_ALLOWANCE" if young else "FULL_UNEMPLOYMENT",
        young=young,
        activation=rng.random() < 0.3,
        sanction=_span(rng, start, last, (28, 120), running) if rng.random() < 0.25 else None,
        exemption=_span(rng, start, last, (90, 400), running) if rng.random() < 0.2 else None,
        work_disability=_span(rng, start, last, (30, 300), running)
        if rng.random() < 0.15
        else None,
        no_earning_capacity=_span(rng, start, last, (180, 900), running)
        if rng.random() < 0.1
        else None,
    )


def _inside(span: Span | None, day: dt.date) -> bool:
    return span is not None and span[0] <= day and (span[1] is None or day <= span[1])


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _next(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def allowances_in(found: UnemploymentFile, year: int, month: int) -> int:
    """Allowances of a month: its Monday-to-Saturday days inside the right and outside a sanction."""
    first, last = _month_bounds(year, month)
    count = 0
    day = max(first, found.start)
    stop = min(last, found.end) if found.end is not None else last
    while day <= stop:
        if day.weekday() < 6 and not _inside(found.sanction, day):
            count += 1
        day += dt.timedelta(days=1)
    return count


def paid_months(found: UnemploymentFile, on: dt.date) -> list[tuple[int, int, dt.date]]:
    """(year, month, payment date) of every month of the right paid by *on*."""
    months = []
    year, month = found.start.year, found.start.month
    while True:
        first, _ = _month_bounds(year, month)
        if found.end is not None and first > found.end:
            break
        paid = dt.date(*_next(year, month), 5)
        if paid > on:
            break
        months.append((year, month, paid))
        year, month = _next(year, month)
    return months


def _status(on: dt.date, paid: dt.date) -> DossierStatusType:
    return DossierStatusType.PROVISIONAL if (on - paid).days < 31 else DossierStatusType.COMPLETED


def _period(span: Span) -> OpenPeriodType:
    return OpenPeriodType(
        begin_date=xml_date(span[0]), end_date=xml_date(span[1]) if span[1] else None
    )


def _check_trigger(criteria: Any) -> None:
    """A date, period start or quarter in :data:`SOURCE_DOWN_YEAR` → MSG00002."""
    date = getattr(criteria, "date", None)
    period = getattr(criteria, "period", None)
    quarter = getattr(criteria, "quarter_criteria", None)
    years = (
        date.year if date is not None else None,
        period.begin_date.year if period is not None else None,
        quarter.year if quarter is not None else None,
    )
    if SOURCE_DOWN_YEAR in years:
        raise SimulatedBusinessError("MSG00002", "The external supplier (ONEM/RVA) is unavailable.")


# --------------------------------------------------------------------------- operations


def _payments(found: UnemploymentFile, criteria: Any, now: dt.date) -> dict[str, Any]:
    on = criteria.date.to_date() if criteria.date is not None else now
    months = [m for m in paid_months(found, min(on, now)) if (on - m[2]).days < 366]
    return (
        {
            "payments": PaymentsType(
                payment=[
                    PaymentType(
                        paid_month=XmlPeriod(f"{y:04d}-{m:02d}"),
                        payment_date=xml_date(paid),
                        nbr_of_allowances=allowances_in(found, y, m),
                        theoric_daily_allowance_amount=found.daily_cents,
                        paid_amount=allowances_in(found, y, m) * found.daily_cents,
                        dossier_status=_status(now, paid),
                    )
                    for y, m, paid in months
                ]
            )
        }
        if months
        else {}
    )


def _paid_sums(found: UnemploymentFile, criteria: Any, now: dt.date) -> dict[str, Any]:
    begin, end = criteria.period.begin_date.to_date(), criteria.period.end_date.to_date()
    sums = []
    for y, m, paid in paid_months(found, now):
        first, last = _month_bounds(y, m)
        if last < begin or first > end:
            continue
        amount = allowances_in(found, y, m) * found.daily_cents
        sums.append(
            PaidSumType(
                related_month=XmlPeriod(f"{y:04d}-{m:02d}"),
                dossier_status=_status(now, paid),
                nbr_of_allowances=allowances_in(found, y, m),
                paid_amount=amount,
                accepted_amount=amount,
            )
        )
    return {"paid_sums": PaidSumsType(paid_sum=sums)} if sums else {}


def _quarter_months(criteria: Any) -> list[tuple[int, int]]:
    quarter = criteria.quarter_criteria
    return [(quarter.year, 3 * quarter.quarter - 2 + i) for i in range(3)]


def _activation(found: UnemploymentFile, criteria: Any, now: dt.date) -> dict[str, Any]:
    months = _quarter_months(criteria)
    if not found.activation:
        return {}
    paid = {(y, m) for y, m, _ in paid_months(found, now)}
    sums = [
        ActivationPaidSumType(
            related_month=XmlPeriod(f"{y:04d}-{m:02d}"),
            activation_type="ACTIVA",
            paid_amount=50_000,
        )
        for y, m in months
        if (y, m) in paid
    ]
    return (
        {"activation_paid_sums": ActivationPaidSumsType(activation_paid_sum=sums)} if sums else {}
    )


def _scheduled(found: UnemploymentFile, criteria: Any, now: dt.date) -> dict[str, Any]:
    planned = []
    for y, m in _quarter_months(criteria):
        first, last = _month_bounds(y, m)
        expected = dt.date(*_next(y, m), 5)
        if expected <= now or not found.covers(first, last):
            continue
        planned.append(
            ScheduledPaymentType(
                related_month=XmlPeriod(f"{y:04d}-{m:02d}"),
                expected_payment_date=xml_date(expected),
                amount=allowances_in(found, y, m) * found.daily_cents,
            )
        )
    return (
        {"scheduled_payments": ScheduledPaymentsType(scheduled_payment=planned)} if planned else {}
    )


def _rights(found: UnemploymentFile, criteria: Any, now: dt.date) -> dict[str, Any]:
    on = criteria.date.to_date() if criteria.date is not None else now
    if not found.covers(on, on):
        return {}
    right = RightType(
        period=_period((found.start, found.end)),
        allowance_kind=found.kind,
        family_category=FamilyCategoryType(found.category),
        daily_amount=found.daily_cents,
    )
    return {"rights": RightsType(right=[right])}


def _history(items: Callable[[UnemploymentFile, dt.date], list[tuple[Span, str, str]]]) -> Any:
    def read(found: UnemploymentFile, criteria: Any, now: dt.date) -> dict[str, Any]:
        begin, end = criteria.period.begin_date.to_date(), criteria.period.end_date.to_date()
        chosen = [
            HistoryItemType(period=_period(span), code=code, description=text)
            for span, code, text in items(found, now)
            if span[0] <= end and (span[1] is None or span[1] >= begin)
        ]
        return {"history": HistoryType(item=chosen)} if chosen else {}

    return read


def _exemptions(found: UnemploymentFile, now: dt.date) -> list[tuple[Span, str, str]]:
    return (
        [(found.exemption, "TRAINING", "Exempted from availability: training")]
        if found.exemption
        else []
    )


def _sanctions(found: UnemploymentFile, now: dt.date) -> list[tuple[Span, str, str]]:
    return [(found.sanction, "SUSPENSION", "Allowances suspended")] if found.sanction else []


def _scale_codes(found: UnemploymentFile, now: dt.date) -> list[tuple[Span, str, str]]:
    """One scale code per calendar year of the right; the last one stays open while it runs."""
    last_year = (found.end or now).year
    codes: list[tuple[Span, str, str]] = []
    for index, year in enumerate(range(found.start.year, last_year + 1)):
        first = max(found.start, dt.date(year, 1, 1))
        end = found.end if year == last_year else dt.date(year, 12, 31)
        codes.append(((first, end), f"{index % 4 + 1:02d}", "Scale code"))
    return codes


def _situation(span: Callable[[UnemploymentFile], Span | None], code: str) -> Any:
    def read(found: UnemploymentFile, criteria: Any, now: dt.date) -> dict[str, Any]:
        on = criteria.date.to_date() if criteria.date is not None else now
        chosen = span(found)
        if _inside(chosen, on):
            assert chosen is not None
            return {"situation": SituationType(applicable=True, period=_period(chosen), code=code)}
        return {"situation": SituationType(applicable=False)}

    return read


def _young(found: UnemploymentFile) -> Span | None:
    return (found.start, found.end) if found.young else None


_OPERATIONS: dict[str, Any] = {
    "consultPayments": _payments,
    "consultPaidSums": _paid_sums,
    "consultActivationPaidSums": _activation,
    "consultScheduledPayment": _scheduled,
    "consultRights": _rights,
    "consultExemptionHistory": _history(_exemptions),
    "consultSanctionHistory": _history(_sanctions),
    "consultScaleCodeHistory": _history(_scale_codes),
    "consultNoEarningCapacity": _situation(lambda f: f.no_earning_capacity, "NO_EARNING_CAPACITY"),
    "consultWorkDisability": _situation(lambda f: f.work_disability, "WORK_DISABILITY"),
    "consultYoungAvailability": _situation(_young, "AVAILABLE"),
}


def _serve(name: str) -> Callable[[SimContext, SimRequest], object]:
    response_type = getattr(intf, name[0].upper() + name[1:] + "Response")
    read = _OPERATIONS[name]

    def serve(ctx: SimContext, request: SimRequest) -> object:
        criteria = request.model.search_criteria  # type: ignore[attr-defined]
        now = today(ctx)
        _check_trigger(criteria)
        person = person_for(ctx, request)
        found = file_of(person, now)
        if found is None:
            return ctx.soa_response(
                response_type,
                status=status(response_type, "NO_DATA_FOUND", "UDS0001", "No unemployment file."),
            )
        parts = read(found, criteria, now)
        if not parts:
            return ctx.soa_response(
                response_type,
                status=status(
                    response_type, "NO_DATA_FOUND", "UDS0002", "No data for the criteria."
                ),
            )
        return ctx.soa_response(
            response_type,
            status=status(response_type, "DATA_FOUND", "MSG00000", "Data found."),
            **parts,
        )

    serve.__name__ = serve.__qualname__ = f"serve_{name}"
    return handler("UnemploymentData", name)(serve)


for _name in _OPERATIONS:
    _serve(_name)
