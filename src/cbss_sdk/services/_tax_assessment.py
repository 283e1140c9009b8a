"""TaxAssessment v2: the income-tax assessment data SPF Finances holds about a person.

A CPAS uses it to check declared income: the global taxable income, the
distinctly taxable income, the dependent children… of one income year, or
of the most recent assessment.  "No tax data" (``TAXA0007``) is a normal
answer for many applicants, so it is a ``NO_DATA_FOUND`` result, never an
error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..models.tax_assessment_v2.be.fgov.kszbcss.intf.tax_assessment_data_service.v2 import (
    ConsultTaxAssessmentDataRequest,
    ConsultTaxAssessmentDataResponse,
)
from ..models.tax_assessment_v2.be.fgov.kszbcss.types.tax_assessment_data.v2 import (
    CriteriaType,
    DerivedYearType,
    ElementsType,
    FiscalDataSelectionType,
    FiscalElementType,
    GroupsType,
    ReferenceYearType,
    TaxAssessmentDataType,
)
from ..soa import SoaReply, prepare_soa_call
from ._args import ssin_argument
from ._facade import C, Facade, operation
from ._social_common import SoaResult

__all__ = ["DerivedYear", "TaxAssessment", "TaxAssessmentResult", "TaxElement", "TaxGroup"]

_SERVICE = catalog.service("TaxAssessment")
_CONSULT = _SERVICE.operation("consultTaxAssessmentData")

#: No tax data for an income year up to three years back: a result, not an error.
NO_TAX_DATA = "TAXA0007"

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")


class DerivedYear(str, Enum):
    """A reference year CBSS derives instead of a given income year."""

    MOST_RECENT = "MOST_RECENT"
    """The most recent assessment, up to three years back."""
    MOST_RECENT_UNLIMITED = "MOST_RECENT_UNLIMITED"
    """The most recent assessment, however old."""


class TaxElement(str, Enum):
    """Fiscal elements seen in public client code; other codes CBSS knows are accepted as text."""

    GLOBAL_TAXABLE_INCOME = "GLOBAL_TAXABLE_INCOME"
    CHILDREN_DEPENDENT_HANDICAP = "CHILDREN_DEPENDENT_HANDICAP"


class TaxGroup(str, Enum):
    """Fiscal groups seen in public client code; other codes CBSS knows are accepted as text."""

    CHILDREN_DEPENDENT = "CHILDREN_DEPENDENT"
    DISTINCTLY_TAXABLE_INCOME = "DISTINCTLY_TAXABLE_INCOME"
    GLOBAL_TAXABLE_INCOME = "GLOBAL_TAXABLE_INCOME"
    GLOBAL_TAXABLE_INCOME_FISCAL_FAMILY = "GLOBAL_TAXABLE_INCOME_FISCAL_FAMILY"


@attrs.frozen
class TaxAssessmentResult(SoaResult[ConsultTaxAssessmentDataResponse]):
    """A ``consultTaxAssessmentData`` reply.

    ``assessments`` holds one generated ``TaxAssessmentDataType`` per income
    year; ``no_tax_data`` is true for ``TAXA0007`` (nothing up to three years
    back).  :meth:`elements` and :meth:`amount` read the most recent assessment.
    """

    @property
    def assessments(self) -> tuple[TaxAssessmentDataType, ...]:
        result = self.response.result
        return tuple(result.tax_assessment_data) if result is not None else ()

    @property
    def latest(self) -> TaxAssessmentDataType | None:
        data = self.assessments
        return max(data, key=lambda item: item.income_year) if data else None

    @property
    def no_tax_data(self) -> bool:
        return self.status.code == NO_TAX_DATA

    def elements(self, code: TaxElement | TaxGroup | str) -> tuple[FiscalElementType, ...]:
        """Every fiscal element named *code* in the most recent assessment (also inside groups)."""
        latest = self.latest
        if latest is None:
            return ()
        wanted = code.value if isinstance(code, Enum) else code
        found = [e for e in latest.fiscal_element if e.code == wanted]
        found += [e for g in latest.fiscal_group for e in g.fiscal_element if e.code == wanted]
        return tuple(found)

    def amount(self, code: TaxElement | TaxGroup | str, *, partner: bool = False) -> Decimal | None:
        """The euro amount of element *code* in the most recent assessment, or ``None``.

        The taxpayer's amount by default, the partner's with ``partner=True``
        (joint assessments); a single element is preferred over the same code
        inside a group.
        """
        holder = "PARTNER" if partner else "TAXPAYER"
        for element in self.elements(code):
            mine = element.holder.value if element.holder is not None else "TAXPAYER"
            if mine == holder and element.amount is not None:
                found: Decimal = element.amount
                return found
        return None


def _build(reply: SoaReply[ConsultTaxAssessmentDataResponse]) -> TaxAssessmentResult:
    assert reply.status is not None
    return TaxAssessmentResult(meta=reply.meta, status=reply.status, response=reply.response)


def _reference_year(value: int | DerivedYear | str) -> ReferenceYearType:
    if isinstance(value, bool):
        raise RequestValidationError(
            "reference_year must be a year or MOST_RECENT / MOST_RECENT_UNLIMITED",
            field="reference_year",
        )
    if isinstance(value, int):
        if not 1900 <= value <= dt.date.today().year:
            raise RequestValidationError(
                "reference_year must be an income year from 1900 to this year",
                field="reference_year",
            )
        return ReferenceYearType(year=value)
    for member in DerivedYear:
        if value == member or (isinstance(value, str) and value.upper() == member.value):
            return ReferenceYearType(derived_year=DerivedYearType(member.value))
    raise RequestValidationError(
        "reference_year must be a year or MOST_RECENT / MOST_RECENT_UNLIMITED",
        field="reference_year",
    )


def _codes(values: Iterable[Enum | str] | None, field: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, (str, Enum)):
        values = [values]
    codes: list[str] = []
    for value in values:
        code = value.value if isinstance(value, Enum) else value
        if not isinstance(code, str) or not _CODE.match(code):
            raise RequestValidationError(
                f"{field} holds codes such as GLOBAL_TAXABLE_INCOME (upper case, digits, _)",
                field=field,
            )
        if code not in codes:
            codes.append(code)
    return codes


class TaxAssessment(Facade[C]):
    """CBSS ``TaxAssessmentData`` v2 (SOA), legal context ``SOCIAL_INVESTIGATION_OF_PCSA``."""

    service_key = "TaxAssessment"

    @operation
    def consult(
        self,
        ssin: str,
        *,
        reference_year: int | DerivedYear | str = DerivedYear.MOST_RECENT,
        elements: Iterable[TaxElement | str] | None = None,
        groups: Iterable[TaxGroup | str] | None = None,
        legal_context: str | None = None,
    ) -> PreparedCall[TaxAssessmentResult]:
        """CBSS operation ``consultTaxAssessmentData``: the tax assessment data of *ssin*.

        Args:
            ssin: national number (or BIS number) of the person.
            reference_year: an income year (``2023``) or ``"MOST_RECENT"``
                (default: the latest assessment up to three years back) /
                ``"MOST_RECENT_UNLIMITED"``.
            elements: fiscal elements wanted (:class:`TaxElement` or other CBSS codes).
            groups: fiscal groups wanted (:class:`TaxGroup` or other CBSS codes).
            legal_context: overrides ``SOCIAL_INVESTIGATION_OF_PCSA``.

        ``TAXA0007`` (no tax data) comes back as a result with
        ``no_tax_data == True`` and ``status.value == "NO_DATA_FOUND"``.
        """
        number = ssin_argument(ssin)
        year = _reference_year(reference_year)
        element_codes = _codes(elements, "elements")
        group_codes = _codes(groups, "groups")
        selection = None
        if element_codes or group_codes:
            selection = FiscalDataSelectionType(
                elements=ElementsType(element=element_codes) if element_codes else None,
                groups=GroupsType(group=group_codes) if group_codes else None,
            )
        criteria = CriteriaType(ssin=number, reference_year=year, fiscal_data_selection=selection)
        return prepare_soa_call(
            self._client,
            _SERVICE,
            _CONSULT,
            ConsultTaxAssessmentDataRequest,
            {"criteria": criteria},
            response_type=ConsultTaxAssessmentDataResponse,
            build=_build,
            legal_context=legal_context,
            subject=number,
            no_data_codes=(NO_TAX_DATA,),
        )
