"""SocialRateInvestigation ``consultExchangedData``: the social tariff for gas and electricity.

The social tariff (tarif social / sociaal tarief) is granted automatically
from social-security data (integration income, disability allowance,
increased intervention…).  A CPAS checks whether an applicant already has
it, for which energy and on what ground, before intervening in energy bills.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..models.social_rate_investigation_v1.be.fgov.kszbcss.intf.social_rate_investigation_service.v1 import (
    ConsultExchangedDataRequest,
    ConsultExchangedDataResponse,
)
from ..models.social_rate_investigation_v1.be.fgov.kszbcss.types.social_rate_investigation.v1 import (
    CriterionType,
)
from ..soa import SoaReply, prepare_soa_call
from ._args import ssin_argument
from ._facade import C, Facade, operation
from ._social_common import SoaResult

__all__ = ["SocialRateInvestigation", "SocialTariff", "SocialTariffResult"]

_SERVICE = catalog.service("SocialRateInvestigation")
_CONSULT = _SERVICE.operation("consultExchangedData")


@attrs.frozen
class SocialTariff:
    """One exchanged right: energy (``ELECTRICITY``/``GAS``), granted?, legal category, period."""

    energy: str
    social_tariff: bool
    category: str | None
    start: dt.date
    end: dt.date | None

    def applies_on(self, day: dt.date) -> bool:
        return self.social_tariff and self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen
class SocialTariffResult(SoaResult[ConsultExchangedDataResponse]):
    """A ``consultExchangedData`` reply: ``rights`` (empty when nothing was exchanged)."""

    @property
    def rights(self) -> tuple[SocialTariff, ...]:
        return tuple(
            SocialTariff(
                energy=item.energy.value,
                social_tariff=item.social_tariff,
                category=item.category,
                start=item.period.begin_date.to_date(),
                end=item.period.end_date.to_date() if item.period.end_date is not None else None,
            )
            for item in self.response.result
        )

    def has_social_tariff(self, energy: str | None = None, *, on: dt.date | None = None) -> bool:
        """Whether a social tariff applies on *on* (default today), for *energy* or any."""
        day = on or dt.date.today()
        return any(
            right.applies_on(day) and (energy is None or right.energy == energy.upper())
            for right in self.rights
        )


def _build(reply: SoaReply[ConsultExchangedDataResponse]) -> SocialTariffResult:
    assert reply.status is not None
    return SocialTariffResult(meta=reply.meta, status=reply.status, response=reply.response)


class SocialRateInvestigation(Facade[C]):
    """CBSS ``SocialRateInvestigation`` (SOA), legal context ``Social Rate Investigation``."""

    service_key = "SocialRateInvestigation"

    @operation
    def consult(
        self, ssin: str, *, legal_context: str | None = None
    ) -> PreparedCall[SocialTariffResult]:
        """CBSS operation ``consultExchangedData``: the social-tariff rights of *ssin*."""
        number = ssin_argument(ssin)
        return prepare_soa_call(
            self._client,
            _SERVICE,
            _CONSULT,
            ConsultExchangedDataRequest,
            {"criterion": CriterionType(ssin=number)},
            response_type=ConsultExchangedDataResponse,
            build=_build,
            legal_context=legal_context,
            subject=number,
        )
