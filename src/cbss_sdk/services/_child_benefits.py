"""ChildBenefits ``consultFilesBySsin``: family-allowance files of a person, per administration.

Since the regionalisation of family allowances (2019–2020) each region or
community pays them (Flanders, Wallonia, Brussels, East Belgium); older
months belong to the federal administration.  A CPAS asks which files a
person takes part in — as the beneficiary receiving the allowances or as a
child — over a range of months, and what was paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum

import attrs
from xsdata.models.datatype import XmlPeriod

from .. import catalog
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..models.child_benefits_v1.be.fgov.kszbcss.intf.child_benefits_service.v1 import (
    ConsultFilesBySsinRequest,
    ConsultFilesBySsinResponse,
)
from ..models.child_benefits_v1.be.fgov.kszbcss.types.child_benefits.v1 import (
    AuthenticSourcesType,
    AuthenticSourceType,
    CriteriaType,
    FamilyAllowanceFileType,
    MonthPeriodType,
)
from ..soa import SoaReply, prepare_soa_call
from ._args import coerce_enum, ssin_argument
from ._facade import C, Facade, operation
from ._social_common import Month, SoaResult

__all__ = ["AuthenticSource", "ChildBenefits", "ChildBenefitsResult", "FamilyAllowanceFile"]

_SERVICE = catalog.service("ChildBenefits")
_FILES = _SERVICE.operation("consultFilesBySsin")

MonthLike = Month | str | tuple[int, int] | dt.date


class AuthenticSource(str, Enum):
    """The family-allowance administrations CBSS asks."""

    FEDERAL = "FEDERAL"
    FLANDERS = "FLANDERS"
    WALLONIA = "WALLONIA"
    BRUSSELS = "BRUSSELS"
    EASTBELGIUM = "EASTBELGIUM"


@attrs.frozen
class FamilyAllowanceFile:
    """One file: the administration, the person's role, the children (SSINs), monthly payments."""

    source: AuthenticSource
    payment_body: str | None
    role: str
    children: tuple[str, ...]
    payments: tuple[tuple[Month, Decimal], ...]

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.payments), Decimal("0.00"))


def _file(item: FamilyAllowanceFileType) -> FamilyAllowanceFile:
    return FamilyAllowanceFile(
        source=AuthenticSource(item.authentic_source.value),
        payment_body=item.payment_body,
        role=item.role.value,
        children=tuple(child.ssin for child in item.child),
        payments=tuple((Month(p.month.year, p.month.month), p.amount) for p in item.payment),
    )


@attrs.frozen
class ChildBenefitsResult(SoaResult[ConsultFilesBySsinResponse]):
    """A ``consultFilesBySsin`` reply: ``files`` (empty when nothing was found)."""

    @property
    def files(self) -> tuple[FamilyAllowanceFile, ...]:
        result = self.response.result
        return tuple(_file(f) for f in result.file) if result is not None else ()

    @property
    def total(self) -> Decimal:
        return sum((f.total for f in self.files), Decimal("0.00"))


def _build(reply: SoaReply[ConsultFilesBySsinResponse]) -> ChildBenefitsResult:
    assert reply.status is not None
    return ChildBenefitsResult(meta=reply.meta, status=reply.status, response=reply.response)


def _sources(values: Iterable[AuthenticSource | str] | None) -> list[AuthenticSourceType]:
    if values is None:
        chosen = list(AuthenticSource)
    else:
        if isinstance(values, (str, AuthenticSource)):
            values = [values]
        chosen = []
        for value in values:
            member = coerce_enum(AuthenticSource, value, field="sources")
            if member not in chosen:
                chosen.append(member)
        if not chosen:
            raise RequestValidationError("name at least one authentic source", field="sources")
    return [AuthenticSourceType(member.value) for member in chosen]


class ChildBenefits(Facade[C]):
    """CBSS ``ChildBenefits`` (SOA, "CADAF"), legal context ``PCSA:SOCIAL_INQUIRY`` by default."""

    service_key = "ChildBenefits"

    @operation
    def files(
        self,
        ssin: str,
        *,
        first_month: MonthLike,
        last_month: MonthLike,
        sources: Iterable[AuthenticSource | str] | None = None,
        legal_context: str | None = None,
    ) -> PreparedCall[ChildBenefitsResult]:
        """CBSS operation ``consultFilesBySsin``: the family-allowance files of *ssin*.

        Args:
            ssin: national number (or BIS number) of the person (parent or child).
            first_month: first month (``Month``, ``"2024-01"``, ``(2024, 1)`` or a date).
            last_month: last month, not before ``first_month``.
            sources: the administrations to ask (default: all five). A public
                client asks one source per call; the SDK sends the list given.
            legal_context: overrides ``PCSA:SOCIAL_INQUIRY``.
        """
        number = ssin_argument(ssin)
        begin = Month.of(first_month, field="first_month")
        end = Month.of(last_month, field="last_month")
        if end < begin:
            raise RequestValidationError("last_month is before first_month", field="last_month")
        criteria = CriteriaType(
            ssin=number,
            period=MonthPeriodType(
                begin_month=XmlPeriod(str(begin)), end_month=XmlPeriod(str(end))
            ),
            authentic_sources=AuthenticSourcesType(authentic_source=_sources(sources)),
        )
        return prepare_soa_call(
            self._client,
            _SERVICE,
            _FILES,
            ConsultFilesBySsinRequest,
            {"criteria": criteria},
            response_type=ConsultFilesBySsinResponse,
            build=_build,
            legal_context=legal_context,
            subject=number,
        )
