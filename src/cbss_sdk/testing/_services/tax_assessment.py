"""Simulated TaxAssessmentData v2: deterministic income-tax assessments.

Most adults file a return every year from their 18th birthday (or 2010);
the income year ``Y`` is assessed in ``Y + 1`` (between May and December).
Some filers stopped filing more than three years ago: for them
``MOST_RECENT`` answers ``TAXA0007`` while ``MOST_RECENT_UNLIMITED`` finds
their last assessment.  Children never have tax data.  Amounts are euros;
dependent children are counted from the household.

Documented triggers: no assessment → ``NO_DATA_FOUND`` with ``TAXA0007``;
reference year 1900 → business error ``MSG00002`` (SPF Finances
unavailable → ``ServiceUnavailable``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import attrs

from ...models.tax_assessment_v2.be.fgov.kszbcss.intf.tax_assessment_data_service.v2 import (
    ConsultTaxAssessmentDataRequest,
    ConsultTaxAssessmentDataResponse,
)
from ...models.tax_assessment_v2.be.fgov.kszbcss.types.tax_assessment_data.v2 import (
    DerivedYearType,
    FiscalElementType,
    FiscalGroupType,
    HolderType,
    TaxAssessmentDataType,
    TaxAssessmentResultType,
)
from .._population import REL_CHILD, REL_GRANDCHILD, Person
from .._registry import SimContext, SimRequest, SimulatedBusinessError, handler
from ._social import add_years, person_for, rng_for, status, today, xml_date

__all__ = ["SOURCE_DOWN_YEAR", "Assessment", "assessments_of"]

#: Asking for this income year answers MSG00002 (SPF Finances unavailable).
SOURCE_DOWN_YEAR = 1900
#: How far back MOST_RECENT looks (income years).
RECENT_YEARS = 3
_MARRIED = 20


@attrs.frozen
class Assessment:
    """One simulated assessment: income year, assessment date and income amounts (euros)."""

    income_year: int
    assessed: dt.date
    professional: Decimal
    replacement: Decimal
    real_estate: Decimal
    distinct: Decimal
    partner_income: Decimal | None

    @property
    def global_taxable(self) -> Decimal:
        return self.professional + self.replacement + self.real_estate


def _euros(rng_value: int) -> Decimal:
    return Decimal(rng_value).scaleb(-2)


def assessments_of(person: Person, on: dt.date) -> tuple[Assessment, ...]:
    """The assessments of *person* made up to *on*, oldest first."""
    rng = rng_for("TaxAssessment", person.ssin)
    first_year = max(add_years(person.birth_date, 18).year, 2010)
    last_year = (person.deceased or on).year - 1
    if first_year > last_year or rng.random() < 0.15:
        return ()
    if rng.random() < 0.2:  # stopped filing long ago
        last_year = min(last_year, on.year - RECENT_YEARS - 2)
    married = person.civil_state == _MARRIED
    found = []
    for year in range(first_year, last_year + 1):
        if rng.random() < 0.1:
            continue
        assessed = dt.date(year + 1, 5, 1) + dt.timedelta(days=rng.randrange(240))
        if assessed > on:
            continue
        working = rng.random() < 0.6
        found.append(
            Assessment(
                income_year=year,
                assessed=assessed,
                professional=_euros(rng.randrange(1_500_000, 4_500_000))
                if working
                else Decimal("0.00"),
                replacement=Decimal("0.00")
                if working
                else _euros(rng.randrange(900_000, 1_800_000)),
                real_estate=_euros(rng.randrange(0, 150_000))
                if rng.random() < 0.3
                else Decimal("0.00"),
                distinct=_euros(rng.randrange(0, 200_000))
                if rng.random() < 0.2
                else Decimal("0.00"),
                partner_income=_euros(rng.randrange(0, 3_500_000)) if married else None,
            )
        )
    return tuple(found)


def _children(ctx: SimContext, person: Person, year: int) -> int:
    end = dt.date(year, 12, 31)
    members: Sequence[Person] = ctx.population.household(person.ssin)
    if person.relationship in (REL_CHILD, REL_GRANDCHILD):
        return 0
    return sum(
        1
        for member in members
        if member.relationship in (REL_CHILD, REL_GRANDCHILD)
        and member.birth_date <= end
        and add_years(member.birth_date, 18) > end
    )


def _amount(
    code: str, value: Decimal, holder: HolderType = HolderType.TAXPAYER
) -> FiscalElementType:
    return FiscalElementType(code=code, holder=holder, amount=value)


def _number(code: str, value: int) -> FiscalElementType:
    return FiscalElementType(code=code, holder=HolderType.TAXPAYER, number=value)


def _groups(assessment: Assessment, children: int) -> dict[str, list[FiscalElementType]]:
    family = [_amount("GLOBAL_TAXABLE_INCOME", assessment.global_taxable)]
    if assessment.partner_income is not None:
        family.append(
            _amount("GLOBAL_TAXABLE_INCOME", assessment.partner_income, HolderType.PARTNER)
        )
    return {
        "GLOBAL_TAXABLE_INCOME": [
            _amount("PROFESSIONAL_INCOME", assessment.professional),
            _amount("REPLACEMENT_INCOME", assessment.replacement),
            _amount("REAL_ESTATE_INCOME", assessment.real_estate),
            _amount("GLOBAL_TAXABLE_INCOME", assessment.global_taxable),
        ],
        "GLOBAL_TAXABLE_INCOME_FISCAL_FAMILY": family,
        "DISTINCTLY_TAXABLE_INCOME": [_amount("DISTINCTLY_TAXABLE_INCOME", assessment.distinct)],
        "CHILDREN_DEPENDENT": [
            _number("CHILDREN_DEPENDENT", children),
            _number("CHILDREN_DEPENDENT_HANDICAP", 0),
        ],
    }


def _data(
    ctx: SimContext,
    person: Person,
    assessment: Assessment,
    elements: list[str],
    groups: list[str],
) -> TaxAssessmentDataType:
    table = _groups(assessment, _children(ctx, person, assessment.income_year))
    singles = {
        e.code: e for members in table.values() for e in members if e.holder is HolderType.TAXPAYER
    }
    if not elements and not groups:
        groups = list(table)
    return TaxAssessmentDataType(
        income_year=assessment.income_year,
        assessment_year=assessment.income_year + 1,
        assessment_date=xml_date(assessment.assessed),
        joint_assessment=assessment.partner_income is not None,
        fiscal_element=[singles[code] for code in elements if code in singles],
        fiscal_group=[
            FiscalGroupType(code=code, fiscal_element=table[code])
            for code in groups
            if code in table
        ],
    )


@handler("TaxAssessment", "consultTaxAssessmentData")
def consult_tax_assessment_data(ctx: SimContext, request: SimRequest) -> object:
    model = request.model
    assert isinstance(model, ConsultTaxAssessmentDataRequest)
    criteria = model.criteria
    if criteria.reference_year.year == SOURCE_DOWN_YEAR:
        raise SimulatedBusinessError(
            "MSG00002", "The external supplier (SPF Finances) is unavailable."
        )
    person = person_for(ctx, request)
    now = today(ctx)
    everything = assessments_of(person, now)
    chosen: Assessment | None = None
    wanted = criteria.reference_year
    if wanted.year is not None:
        chosen = next((a for a in everything if a.income_year == wanted.year), None)
    elif everything:
        latest = everything[-1]
        recent = latest.income_year >= now.year - RECENT_YEARS
        if wanted.derived_year is DerivedYearType.MOST_RECENT_UNLIMITED or recent:
            chosen = latest
    if chosen is None:
        return ctx.soa_response(
            ConsultTaxAssessmentDataResponse,
            status=status(
                ConsultTaxAssessmentDataResponse,
                "NO_DATA_FOUND",
                "TAXA0007",
                "No tax declaration found for an income year up to three years back.",
            ),
        )
    selection = criteria.fiscal_data_selection
    elements = list(selection.elements.element) if selection and selection.elements else []
    groups = list(selection.groups.group) if selection and selection.groups else []
    return ctx.soa_response(
        ConsultTaxAssessmentDataResponse,
        status=status(ConsultTaxAssessmentDataResponse, "DATA_FOUND", "MSG00000", "Data found."),
        result=TaxAssessmentResultType(
            tax_assessment_data=[_data(ctx, person, chosen, elements, groups)]
        ),
    )
