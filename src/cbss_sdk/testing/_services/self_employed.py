"""Simulated SelfEmployed: deterministic self-employed careers and quarterly contributions.

About one adult in three has a self-employed career (one or two stretches
under contribution code ``A`` main activity, ``B`` secondary activity or
``C`` helping spouse), with a fictitious social insurance fund.  Each
quarter of the career owes a contribution; recent quarters may be unpaid.

Documented triggers: a career period starting on 1 January 1900, or a
contribution range starting in 1900, answers ``MSG00002`` (the INASTI
source is unavailable → ``ServiceUnavailable``).  Nobody found →
``NO_DATA_FOUND`` with ``MSG00000``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from ...models.self_employed_v1.be.fgov.kszbcss.intf.self_employed_service.v1 import (
    ConsultCareerAndContributionsRequest,
    ConsultCareerAndContributionsResponse,
    ConsultCareerRequest,
    ConsultCareerResponse,
    ConsultContributionsRequest,
    ConsultContributionsResponse,
)
from ...models.self_employed_v1.be.fgov.kszbcss.types.common.v3 import OpenPeriodType
from ...models.self_employed_v1.be.fgov.kszbcss.types.self_employed.v1 import (
    CareerComponentType,
    ContributionsType,
    ContributionType,
    MembershipType,
    QuarterRangeType,
    SelfEmployedResultType,
    SocialInsuranceFundType,
    YearAndQuarterType,
)
from .._population import Person
from .._registry import SimContext, SimRequest, SimulatedBusinessError, handler
from ._social import add_years, person_for, rng_for, status, today, xml_date

__all__ = ["SOURCE_DOWN_YEAR", "Stretch", "career_of", "contribution_for"]

#: A period or quarter range starting in this year answers MSG00002 (source unavailable).
SOURCE_DOWN_YEAR = 1900

_FUNDS = (
    ("301", "Caisse sociale Horizon"),
    ("302", "Sociaal Verzekeringsfonds Noorderlicht"),
    ("303", "Sozialversicherungskasse Hohes Venn"),
)
_CODES = ("A", "A", "A", "B", "C")


@attrs.frozen
class Stretch:
    """One self-employed stretch: fund index, contribution code, dates, base contribution."""

    fund: int
    code: str
    start: dt.date
    end: dt.date | None
    quarterly: Decimal

    def covers(self, first: dt.date, last: dt.date) -> bool:
        return self.start <= last and (self.end is None or self.end >= first)


def career_of(person: Person, on: dt.date) -> tuple[Stretch, ...]:
    """The self-employed stretches of *person* as known on *on*."""
    rng = rng_for("SelfEmployed", person.ssin)
    adult = add_years(person.birth_date, 20)
    stop = min(person.deceased or on, add_years(person.birth_date, 67))
    if adult >= stop - dt.timedelta(days=365) or rng.random() >= 0.35:
        return ()
    stretches = []
    begin = max(adult, dt.date(2000, 1, 1))
    for _ in range(rng.choice((1, 1, 2))):
        if begin >= stop - dt.timedelta(days=120):
            break
        start = begin + dt.timedelta(days=rng.randrange(max((stop - begin).days - 90, 1)))
        start = start.replace(day=1)
        end: dt.date | None = None
        if rng.random() < 0.5 or stop < on:
            end = start + dt.timedelta(days=rng.randrange(180, 3000))
            if end >= stop:
                end = stop if stop < on else None
        cents = rng.randrange(80_000, 110_000)
        stretches.append(
            Stretch(
                fund=rng.randrange(len(_FUNDS)),
                code=rng.choice(_CODES),
                start=start,
                end=end,
                quarterly=Decimal(cents).scaleb(-2),
            )
        )
        if end is None:
            break
        begin = end + dt.timedelta(days=30)
    return tuple(stretches)


def _quarter_days(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    month = 3 * quarter
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def contribution_for(
    person: Person, stretch: Stretch, year: int, quarter: int, on: dt.date
) -> ContributionType:
    """The contribution of one quarter: paid in full except, sometimes, the last eight quarters."""
    rng = rng_for("SelfEmployed", f"{person.ssin}/{year}Q{quarter}")
    due = (
        stretch.quarterly
        if stretch.code != "C"
        else (stretch.quarterly / 4).quantize(Decimal("0.01"))
    )
    recent = (on.year - year) * 4 + (on.month - 1) // 3 + 1 - quarter <= 8
    paid = due
    if recent and rng.random() < 0.3:
        paid = (due * Decimal(rng.choice((0, 25, 50)))).scaleb(-2).quantize(Decimal("0.01"))
    return ContributionType(
        quarter=YearAndQuarterType(year=year, quarter=quarter),
        contribution_code=stretch.code,
        amount_due=due,
        amount_paid=paid,
        regularized=not recent,
    )


def _period(criteria: Any, name: str) -> tuple[dt.date, dt.date]:
    period: OpenPeriodType = getattr(criteria, name)
    begin = period.begin_date.to_date()
    if begin.year == SOURCE_DOWN_YEAR:
        raise SimulatedBusinessError("MSG00002", "The external supplier (INASTI) is unavailable.")
    return begin, period.end_date.to_date() if period.end_date is not None else dt.date.max


def _memberships(
    stretches: tuple[Stretch, ...], begin: dt.date, end: dt.date
) -> list[MembershipType]:
    by_fund: dict[int, list[CareerComponentType]] = {}
    for stretch in stretches:
        if stretch.covers(begin, end):
            by_fund.setdefault(stretch.fund, []).append(
                CareerComponentType(
                    period=OpenPeriodType(
                        begin_date=xml_date(stretch.start),
                        end_date=xml_date(stretch.end) if stretch.end is not None else None,
                    ),
                    contribution_code=stretch.code,
                )
            )
    return [
        MembershipType(
            social_insurance_fund=SocialInsuranceFundType(
                number=_FUNDS[fund][0], name=_FUNDS[fund][1]
            ),
            career_component=components,
        )
        for fund, components in sorted(by_fund.items())
    ]


def _contributions(
    person: Person, stretches: tuple[Stretch, ...], period: QuarterRangeType, on: dt.date
) -> list[ContributionType]:
    first = (period.begin_quarter.year, period.begin_quarter.quarter)
    last = (period.end_quarter.year, period.end_quarter.quarter)
    if first[0] == SOURCE_DOWN_YEAR:
        raise SimulatedBusinessError("MSG00002", "The external supplier (INASTI) is unavailable.")
    current = ((on.month - 1) // 3) + 1
    last = min(last, (on.year, current))
    found = []
    year, quarter = first
    while (year, quarter) <= last:
        start, finish = _quarter_days(year, quarter)
        for stretch in stretches:
            if stretch.covers(start, finish):
                found.append(contribution_for(person, stretch, year, quarter, on))
                break
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def _answer(
    ctx: SimContext,
    response_type: type[Any],
    memberships: list[MembershipType] | None,
    contributions: list[ContributionType] | None,
) -> object:
    if not memberships and not contributions:
        return ctx.soa_response(
            response_type,
            status=status(response_type, "NO_DATA_FOUND", "MSG00000", "No data found."),
        )
    result = SelfEmployedResultType(
        membership=memberships or [],
        contributions=ContributionsType(contribution=contributions)
        if contributions is not None
        else None,
    )
    return ctx.soa_response(
        response_type,
        status=status(response_type, "DATA_FOUND", "MSG00000", "Data found."),
        result=result,
    )


@handler("SelfEmployed", "consultCareer")
def consult_career(ctx: SimContext, request: SimRequest) -> object:
    model = request.model
    assert isinstance(model, ConsultCareerRequest)
    begin, end = _period(model.criteria, "period")
    person = person_for(ctx, request)
    stretches = career_of(person, today(ctx))
    return _answer(ctx, ConsultCareerResponse, _memberships(stretches, begin, end), None)


@handler("SelfEmployed", "consultContributions")
def consult_contributions(ctx: SimContext, request: SimRequest) -> object:
    model = request.model
    assert isinstance(model, ConsultContributionsRequest)
    person = person_for(ctx, request)
    now = today(ctx)
    found = _contributions(person, career_of(person, now), model.criteria.period, now)
    return _answer(ctx, ConsultContributionsResponse, None, found)


@handler("SelfEmployed", "consultCareerAndContributions")
def consult_career_and_contributions(ctx: SimContext, request: SimRequest) -> object:
    model = request.model
    assert isinstance(model, ConsultCareerAndContributionsRequest)
    begin, end = _period(model.criteria, "career_period")
    person = person_for(ctx, request)
    now = today(ctx)
    stretches = career_of(person, now)
    found = _contributions(person, stretches, model.criteria.contribution_period, now)
    return _answer(
        ctx,
        ConsultCareerAndContributionsResponse,
        _memberships(stretches, begin, end),
        found,
    )
