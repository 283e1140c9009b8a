"""SelfEmployed: the self-employed career and social contributions of a person (INASTI/RSVZ data).

A CPAS checks whether an applicant is (or was) self-employed, since when,
in which capacity (the contribution code letter), and whether the quarterly
social contributions were paid.  Three operations: the career over a period
of dates, the contributions over a range of quarters, or both at once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..models.self_employed_v1.be.fgov.kszbcss.intf.self_employed_service.v1 import (
    ConsultCareerAndContributionsRequest,
    ConsultCareerAndContributionsResponse,
    ConsultCareerRequest,
    ConsultCareerResponse,
    ConsultContributionsRequest,
    ConsultContributionsResponse,
)
from ..models.self_employed_v1.be.fgov.kszbcss.types.common.v3 import OpenPeriodType
from ..models.self_employed_v1.be.fgov.kszbcss.types.self_employed.v1 import (
    CareerAndContributionsCriteriaType,
    CareerComponentType,
    CareerCriteriaType,
    ContributionsCriteriaType,
    ContributionType,
    MembershipType,
    QuarterRangeType,
    SelfEmployedResponseType,
    YearAndQuarterType,
)
from ..soa import SoaReply, prepare_soa_call
from ._args import check_period, ssin_argument, xml_date
from ._facade import C, Facade, operation
from ._social_common import Quarter, SoaResult

__all__ = ["Contribution", "SelfEmployed", "SelfEmployedResult"]

_SERVICE = catalog.service("SelfEmployed")
_CAREER = _SERVICE.operation("consultCareer")
_CONTRIBUTIONS = _SERVICE.operation("consultContributions")
_BOTH = _SERVICE.operation("consultCareerAndContributions")

QuarterLike = Quarter | str | tuple[int, int] | dt.date


@attrs.frozen
class Contribution:
    """The social contributions of one quarter, in euros."""

    quarter: Quarter
    contribution_code: str | None
    amount_due: Decimal
    amount_paid: Decimal
    regularized: bool

    @property
    def outstanding(self) -> Decimal:
        """What is still due for the quarter (never negative)."""
        return max(self.amount_due - self.amount_paid, Decimal("0.00"))


@attrs.frozen
class SelfEmployedResult(SoaResult[SelfEmployedResponseType]):
    """A SelfEmployed reply: ``memberships`` (fund + career components) and ``contributions``.

    Both are empty when CBSS found nothing (``status.value == "NO_DATA_FOUND"``)
    or when the operation does not return them.
    """

    @property
    def memberships(self) -> tuple[MembershipType, ...]:
        result = self.response.result
        return tuple(result.membership) if result is not None else ()

    @property
    def career_components(self) -> tuple[CareerComponentType, ...]:
        """Every career component of every membership, oldest first."""
        components = [c for m in self.memberships for c in m.career_component]
        return tuple(sorted(components, key=lambda c: c.period.begin_date.to_date()))

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        result = self.response.result
        if result is None or result.contributions is None:
            return ()
        return tuple(_contribution(c) for c in result.contributions.contribution)


def _contribution(item: ContributionType) -> Contribution:
    return Contribution(
        quarter=Quarter(item.quarter.year, item.quarter.quarter),
        contribution_code=item.contribution_code,
        amount_due=item.amount_due,
        amount_paid=item.amount_paid,
        regularized=item.regularized,
    )


def _build(reply: SoaReply[Any]) -> SelfEmployedResult:
    assert reply.status is not None
    return SelfEmployedResult(meta=reply.meta, status=reply.status, response=reply.response)


def _career_period(start: dt.date, end: dt.date | None, prefix: str) -> OpenPeriodType:
    begin = xml_date(start, field=f"{prefix}start")
    finish = xml_date(end, field=f"{prefix}end") if end is not None else None
    check_period(start, end, field=f"{prefix}end")
    return OpenPeriodType(begin_date=begin, end_date=finish)


def _quarters(first: QuarterLike, last: QuarterLike) -> QuarterRangeType:
    begin = Quarter.of(first, field="first_quarter")
    end = Quarter.of(last, field="last_quarter")
    if end < begin:
        raise RequestValidationError("last_quarter is before first_quarter", field="last_quarter")
    return QuarterRangeType(
        begin_quarter=YearAndQuarterType(year=begin.year, quarter=begin.quarter),
        end_quarter=YearAndQuarterType(year=end.year, quarter=end.quarter),
    )


class SelfEmployed(Facade[C]):
    """CBSS ``SelfEmployed`` v1 (SOA), legal context ``PCSA:SOCIAL_INQUIRY`` by default."""

    service_key = "SelfEmployed"

    @operation
    def career(
        self,
        ssin: str,
        *,
        start: dt.date,
        end: dt.date | None = None,
        legal_context: str | None = None,
    ) -> PreparedCall[SelfEmployedResult]:
        """CBSS operation ``consultCareer``: the self-employed career of *ssin* from *start*.

        Args:
            ssin: national number (or BIS number) of the person.
            start: first day of the period.
            end: last day (open-ended when ``None``); not before ``start``.
            legal_context: overrides ``PCSA:SOCIAL_INQUIRY``.
        """
        number = ssin_argument(ssin)
        criteria = CareerCriteriaType(ssin=number, period=_career_period(start, end, ""))
        return prepare_soa_call(
            self._client,
            _SERVICE,
            _CAREER,
            ConsultCareerRequest,
            {"criteria": criteria},
            response_type=ConsultCareerResponse,
            build=_build,
            legal_context=legal_context,
            subject=number,
        )

    @operation
    def contributions(
        self,
        ssin: str,
        *,
        first_quarter: QuarterLike,
        last_quarter: QuarterLike,
        legal_context: str | None = None,
    ) -> PreparedCall[SelfEmployedResult]:
        """CBSS operation ``consultContributions``: quarterly social contributions of *ssin*.

        Quarters are a :class:`Quarter`, ``"2024Q1"``, ``(2024, 1)`` or a date
        inside the quarter; ``last_quarter`` may not precede ``first_quarter``.
        Amounts come back as exact ``Decimal`` euros.
        """
        number = ssin_argument(ssin)
        criteria = ContributionsCriteriaType(
            ssin=number, period=_quarters(first_quarter, last_quarter)
        )
        return prepare_soa_call(
            self._client,
            _SERVICE,
            _CONTRIBUTIONS,
            ConsultContributionsRequest,
            {"criteria": criteria},
            response_type=ConsultContributionsResponse,
            build=_build,
            legal_context=legal_context,
            subject=number,
        )

    @operation
    def career_and_contributions(
        self,
        ssin: str,
        *,
        career_start: dt.date,
        first_quarter: QuarterLike,
        last_quarter: QuarterLike,
        career_end: dt.date | None = None,
        legal_context: str | None = None,
    ) -> PreparedCall[SelfEmployedResult]:
        """CBSS operation ``consultCareerAndContributions``: both consultations in one call."""
        number = ssin_argument(ssin)
        criteria = CareerAndContributionsCriteriaType(
            ssin=number,
            career_period=_career_period(career_start, career_end, "career_"),
            contribution_period=_quarters(first_quarter, last_quarter),
        )
        return prepare_soa_call(
            self._client,
            _SERVICE,
            _BOTH,
            ConsultCareerAndContributionsRequest,
            {"criteria": criteria},
            response_type=ConsultCareerAndContributionsResponse,
            build=_build,
            legal_context=legal_context,
            subject=number,
        )
