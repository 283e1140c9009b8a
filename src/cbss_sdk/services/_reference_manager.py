"""ReferenceManager (ReferenceManager.consult 20050525): a person's integrations in other sectors.

Every sector of social security (unemployment, family allowances,
disability…) keeps a repertory of the people it has a file for.  A CPAS
that has integrated a person (see :class:`~cbss_sdk.services.ManageAccess`)
may ask in which *other* sectors the person is integrated, with which
quality code and over which period — a quick way to see which institutions
already know the person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..models.reference_manager_20050525.be.fgov.ksz_bcss.xsd.ssdn.common import PeriodType
from ..models.reference_manager_20050525.be.fgov.ksz_bcss.xsd.ssdn.reference_manager_facade import (
    ConsultationType,
    ConsultOtherSectorsCriteriaType,
    ReferenceManagerReply,
    ReferenceManagerRequest,
)
from ..ssdn import SsdnResultParts, prepare_ssdn_call
from ._args import check_period, ssin_argument, xml_date
from ._facade import C, Facade, operation
from ._manage_access import Purpose
from ._ssdn_results import SsdnResult

__all__ = ["OtherSectorIntegration", "ReferenceManager", "ReferenceManagerResult"]

_SERVICE = catalog.service("ReferenceManager")
_CONSULT = _SERVICE.operation("consult")


@attrs.frozen
class OtherSectorIntegration:
    """One integration in another sector: sector, quality code, period and their labels."""

    sector: int
    quality_code: int
    start: dt.date | None = None
    end: dt.date | None = None
    sector_fr: str | None = None
    sector_nl: str | None = None
    quality_fr: str | None = None
    quality_nl: str | None = None
    reply: ConsultationType | None = attrs.field(default=None, repr=False, eq=False)


def _date(value: Any) -> dt.date | None:
    return None if value is None else value.to_date()


def _integration(value: ConsultationType) -> OtherSectorIntegration:
    period = value.period
    return OtherSectorIntegration(
        sector=value.sector,
        quality_code=value.quality_code,
        start=_date(period.start_date) if period is not None else None,
        end=_date(period.end_date) if period is not None else None,
        sector_fr=value.sector_description_fr or None,
        sector_nl=value.sector_description_nl or None,
        quality_fr=value.quality_code_description_fr or None,
        quality_nl=value.quality_code_description_nl or None,
        reply=value,
    )


@attrs.frozen
class ReferenceManagerResult(SsdnResult[ReferenceManagerReply]):
    """ReferenceManager result: the ``integrations`` found in other sectors (possibly none)."""

    @property
    def integrations(self) -> tuple[OtherSectorIntegration, ...]:
        result = self.reply.consult_other_sectors_result if self.reply is not None else None
        if result is None:
            return ()
        return tuple(_integration(c) for c in result.consultation)

    @property
    def sectors(self) -> frozenset[int]:
        return frozenset(i.sector for i in self.integrations)


def _build(parts: SsdnResultParts[ReferenceManagerReply]) -> ReferenceManagerResult:
    return ReferenceManagerResult(
        meta=parts.meta, warnings=parts.warnings, reply=parts.response, no_data=parts.no_data
    )


def _quality(value: object) -> int:
    if isinstance(value, Purpose):
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 999:
        raise RequestValidationError(
            "quality_code must be a Purpose or a quality code from 0 to 999", field="quality_code"
        )
    return value


def _day(value: object, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RequestValidationError(f"{field} must be a datetime.date", field=field)
    return value


def _period(start: object, end: object, *, prefix: str, field: str) -> PeriodType:
    first = _day(start, f"{prefix}start")
    last = _day(end, f"{prefix}end")
    check_period(first, last, field=field)
    return PeriodType(
        start_date=xml_date(first, field=f"{prefix}start"),
        end_date=xml_date(last, field=f"{prefix}end"),
    )


class ReferenceManager(Facade[C]):
    """CBSS ``ReferenceManager.consult`` 20050525 (SSDN). No legal context."""

    service_key = "ReferenceManager"

    @operation
    def consult(
        self,
        ssin: str,
        *,
        quality_code: Purpose | int,
        integrated_start: dt.date,
        integrated_end: dt.date,
        start: dt.date,
        end: dt.date,
        descriptions: bool = True,
    ) -> PreparedCall[ReferenceManagerResult]:
        """The integrations of *ssin* in other sectors during ``start``–``end``.

        ``quality_code`` and ``integrated_start``–``integrated_end`` describe
        your own integration of the person (the purpose and period you
        registered with ManageAccess). ``descriptions`` asks CBSS for the
        French and Dutch labels of sectors and quality codes.
        """
        number = ssin_argument(ssin)
        if not isinstance(descriptions, bool):
            raise RequestValidationError("descriptions must be True or False", field="descriptions")
        criteria = ConsultOtherSectorsCriteriaType(
            quality_code_requestor=_quality(quality_code),
            requested_ssin=number,
            integrated_period=_period(
                integrated_start, integrated_end, prefix="integrated_", field="integrated_period"
            ),
            requested_period=_period(start, end, prefix="", field="period"),
            fetch_descriptions=descriptions,
        )
        return prepare_ssdn_call(
            self._client,
            _SERVICE,
            _CONSULT,
            ReferenceManagerRequest(consult_other_sectors_criteria=criteria),
            reply_type=ReferenceManagerReply,
            build=_build,
            subject=number,
        )
