"""Simulated ChildBenefits ``consultFilesBySsin``: family allowances from the household.

Every household of the synthetic population with children under 18 has a
file: the mother (or else the head of household) is the beneficiary, each
child is covered from birth to the month before their 18th birthday, for a
monthly amount per child drawn from the child's SSIN.  The administration
follows the regionalisation: the federal one before 2019 (Flanders, East
Belgium) or 2020 (Wallonia, Brussels), then the region of the household's
current address.  A child asked about gets the file with role ``CHILD``.

Documented triggers: nothing in the months and sources asked →
``NO_DATA_FOUND``; a first month in 1900 → business error ``MSG00002`` (the
administrations are unavailable → ``ServiceUnavailable``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xsdata.models.datatype import XmlPeriod

from ...models.child_benefits_v1.be.fgov.kszbcss.intf.child_benefits_service.v1 import (
    ConsultFilesBySsinRequest,
    ConsultFilesBySsinResponse,
)
from ...models.child_benefits_v1.be.fgov.kszbcss.types.child_benefits.v1 import (
    AuthenticSourceType,
    ChildType,
    FamilyAllowanceFileType,
    FilesResultType,
    MonthlyPaymentType,
    RoleType,
)
from .._population import REL_CHILD, REL_GRANDCHILD, REL_HEAD, REL_SPOUSE, Person
from .._registry import SimContext, SimRequest, SimulatedBusinessError, handler
from ._social import add_years, person_for, rng_for, status, xml_date

__all__ = ["SOURCE_DOWN_YEAR", "beneficiary_of", "monthly_amount", "region_of"]

#: A first month in this year answers MSG00002 (administrations unavailable).
SOURCE_DOWN_YEAR = 1900

#: First month each region paid itself (earlier months: the federal administration).
REGIONALISED = {
    "FLANDERS": (2019, 1),
    "EASTBELGIUM": (2019, 1),
    "WALLONIA": (2020, 1),
    "BRUSSELS": (2020, 1),
}
_GERMAN_SPEAKING = frozenset({63001, 63012, 63013, 63023, 63040, 63048, 63061, 63067, 63087})
_PAYMENT_BODIES = {
    "FEDERAL": "Office fédéral des allocations familiales (simulé)",
    "FLANDERS": "Groeipakket Fonds Noord (gesimuleerd)",
    "WALLONIA": "Caisse wallonne Soleil (simulée)",
    "BRUSSELS": "Caisse bruxelloise Iris (simulée)",
    "EASTBELGIUM": "Familienleistungen Ostbelgien (simuliert)",
}


def region_of(nis_code: int | None) -> str:
    """The region paying family allowances for a municipality (NIS code)."""
    if nis_code is None:
        return "BRUSSELS"
    if nis_code in _GERMAN_SPEAKING:
        return "EASTBELGIUM"
    if nis_code // 1000 == 21:
        return "BRUSSELS"
    province = nis_code // 10000
    if province in (5, 6, 8, 9) or nis_code // 1000 == 25:
        return "WALLONIA"
    return "FLANDERS"


def _children(members: tuple[Person, ...]) -> list[Person]:
    return sorted(
        (m for m in members if m.relationship in (REL_CHILD, REL_GRANDCHILD)),
        key=lambda m: m.birth_date,
    )


def beneficiary_of(members: tuple[Person, ...]) -> Person | None:
    """The beneficiary of a household: the mother among head and spouse, or else the head."""
    parents = [
        m for m in members if m.relationship in (REL_HEAD, REL_SPOUSE) and m.deceased is None
    ]
    for parent in parents:
        if parent.gender == "F":
            return parent
    return parents[0] if parents else None


def monthly_amount(child: Person) -> Decimal:
    """The monthly allowance of one child, in euros (stable per child)."""
    return Decimal(rng_for("ChildBenefits", child.ssin).randrange(17_000, 26_000)).scaleb(-2)


def _months(begin: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    months = []
    year, month = begin
    while (year, month) <= end:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _covered(child: Person, year: int, month: int, now: dt.date) -> bool:
    first = dt.date(year, month, 1)
    born = (child.birth_date.year, child.birth_date.month) <= (year, month)
    return born and first < add_years(child.birth_date, 18) and first <= now


def _source_of(region: str, year: int, month: int) -> str:
    return region if (year, month) >= REGIONALISED[region] else "FEDERAL"


@handler("ChildBenefits", "consultFilesBySsin")
def consult_files_by_ssin(ctx: SimContext, request: SimRequest) -> object:
    model = request.model
    assert isinstance(model, ConsultFilesBySsinRequest)
    criteria = model.criteria
    begin = (criteria.period.begin_month.year, criteria.period.begin_month.month)
    end = (criteria.period.end_month.year, criteria.period.end_month.month)
    if begin[0] == SOURCE_DOWN_YEAR:
        raise SimulatedBusinessError(
            "MSG00002", "The family-allowance administrations are unavailable."
        )
    wanted = {source.value for source in criteria.authentic_sources.authentic_source}
    person = person_for(ctx, request)
    members: tuple[Person, ...] = ctx.population.household(person.ssin)
    beneficiary = beneficiary_of(members)
    children = _children(members)
    if person.relationship in (REL_CHILD, REL_GRANDCHILD):
        role, covered = RoleType.CHILD, [person]
    elif beneficiary is not None and beneficiary.ssin == person.ssin:
        role, covered = RoleType.BENEFICIARY, children
    else:
        role, covered = RoleType.BENEFICIARY, []
    address = (beneficiary or person).address
    region = region_of(address.municipality_code if address is not None else None)
    now = ctx.now.date()
    totals: dict[str, dict[tuple[int, int], Decimal]] = {}
    kids: dict[str, list[Person]] = {}
    for year, month in _months(begin, end):
        source = _source_of(region, year, month)
        if source not in wanted:
            continue
        paid = [child for child in covered if _covered(child, year, month, now)]
        if not paid:
            continue
        totals.setdefault(source, {})[(year, month)] = sum(
            (monthly_amount(child) for child in paid), Decimal("0.00")
        )
        known = kids.setdefault(source, [])
        known.extend(child for child in paid if child not in known)
    files = [
        FamilyAllowanceFileType(
            authentic_source=AuthenticSourceType(source),
            payment_body=_PAYMENT_BODIES[source],
            role=role,
            child=[ChildType(ssin=c.ssin, birth_date=xml_date(c.birth_date)) for c in kids[source]],
            payment=[
                MonthlyPaymentType(month=XmlPeriod(f"{y:04d}-{m:02d}"), amount=amount)
                for (y, m), amount in months.items()
            ],
        )
        for source, months in totals.items()
    ]
    response = ConsultFilesBySsinResponse
    if not files:
        return ctx.soa_response(
            response, status=status(response, "NO_DATA_FOUND", "MSG00000", "No data found.")
        )
    return ctx.soa_response(
        response,
        status=status(response, "DATA_FOUND", "MSG00000", "Data found."),
        result=FilesResultType(file=files),
    )
