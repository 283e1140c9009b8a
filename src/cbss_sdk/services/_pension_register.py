"""PensionRegister (OCMWCPASPensionRegisterConsult 20090706): the pension cadastre.

The pension cadastre (Penskad) records the legal (first pillar) and
occupational (second pillar) pension rights of a person and the payments
made.  A CPAS consults it to know a person's resources: which pensions,
from which institution, how much a month, and what was paid over a period.

The request follows public client evidence; the content of the reply items
is *modeled* (see the schema header), so the typed accessors read the
modeled fields and the whole bound ``reply`` is kept.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..models.pension_register_20090706.be.fgov.ksz_bcss.xsd.ssdn.pension_register import (
    FocusType,
    LanguageType,
    PaymentType,
    PensionItemType,
    PenskadOpenPKConsultReply,
    PenskadOpenPKConsultRequest,
    PeriodType,
    PillarType,
    RequestedDataType,
    RequestedInformationType,
)
from ..ssdn import SsdnResultParts, prepare_ssdn_call
from ._args import check_period, coerce_enum, ssin_argument, xml_date
from ._facade import C, Facade, operation
from ._spp_common import euros
from ._ssdn_results import SsdnResult

__all__ = [
    "PaymentsDetail",
    "PensionFocus",
    "PensionItem",
    "PensionPayment",
    "PensionPillars",
    "PensionRegister",
    "PensionRegisterResult",
]

_SERVICE = catalog.service("PensionRegister")
_CONSULT = _SERVICE.operation("consult")


class PensionPillars(str, Enum):
    """Which pillars: the legal pension alone, or with the occupational one."""

    FIRST_ONLY = "FirstOnly"
    FIRST_AND_SECOND = "FirstSecond"


class PaymentsDetail(str, Enum):
    """How much payment detail: none, the last payment, or every payment of the period."""

    RIGHTS_ONLY = "RightsOnly"
    LAST_PAYMENT = "RightsMinimumPayments"
    ALL_PAYMENTS = "RightsMaximumPayments"


class PensionFocus(str, Enum):
    """Whether the period selects payments by the month they concern or the month paid in."""

    REFERENCE_PERIOD = "ReferencePeriod"
    MONTH_OF_PAYMENT = "MonthOfPayment"


class _Language(str, Enum):
    FR = "fr"
    NL = "nl"
    DE = "de"


@attrs.frozen
class PensionPayment:
    """One payment: the month it concerns, the month paid in (``(year, month)``), euros."""

    reference_month: tuple[int, int] | None = None
    payment_month: tuple[int, int] | None = None
    gross: Decimal | None = None
    net: Decimal | None = None


@attrs.frozen
class PensionItem:
    """One pension right (modeled reply content): pillar, institution, benefit, period, amounts."""

    pillar: str | None = None
    institution_code: str | None = None
    institution: str | None = None
    benefit_code: str | None = None
    benefit: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    monthly_gross: Decimal | None = None
    payments: tuple[PensionPayment, ...] = ()
    reply: PensionItemType | None = attrs.field(default=None, repr=False, eq=False)


def _month(value: Any) -> tuple[int, int] | None:
    if value is None or value.year is None or value.month is None:
        return None
    return (int(value.year), int(value.month))


def _date(value: Any) -> dt.date | None:
    return None if value is None else value.to_date()


def _payment(value: PaymentType) -> PensionPayment:
    return PensionPayment(
        reference_month=_month(value.reference_month),
        payment_month=_month(value.payment_month),
        gross=euros(value.gross_amount),
        net=euros(value.net_amount),
    )


def _item(value: PensionItemType) -> PensionItem:
    period = value.right_period
    return PensionItem(
        pillar=value.pillar,
        institution_code=value.institution.code if value.institution else None,
        institution=value.institution.label if value.institution else None,
        benefit_code=value.benefit.code if value.benefit else None,
        benefit=value.benefit.label if value.benefit else None,
        start=_date(period.start_date) if period else None,
        end=_date(period.end_date) if period else None,
        monthly_gross=euros(value.monthly_gross_amount),
        payments=tuple(_payment(p) for p in value.payment),
        reply=value,
    )


@attrs.frozen
class PensionRegisterResult(SsdnResult[PenskadOpenPKConsultReply]):
    """PensionRegister result: the pension ``items`` found (empty when the person has none)."""

    @property
    def items(self) -> tuple[PensionItem, ...]:
        if self.reply is None:
            return ()
        return tuple(_item(i) for i in self.reply.pension_item)

    @property
    def monthly_gross_total(self) -> Decimal:
        """The sum of the monthly gross amounts of the rights running at the end of the period."""
        return sum(
            (i.monthly_gross for i in self.items if i.monthly_gross is not None and i.end is None),
            Decimal("0.00"),
        )


def _build(parts: SsdnResultParts[PenskadOpenPKConsultReply]) -> PensionRegisterResult:
    return PensionRegisterResult(
        meta=parts.meta, warnings=parts.warnings, reply=parts.response, no_data=parts.no_data
    )


def _date_argument(value: object, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RequestValidationError(f"{field} must be a datetime.date", field=field)
    return value


class PensionRegister(Facade[C]):
    """CBSS ``OCMWCPASPensionRegisterConsult`` 20090706 (SSDN). No legal context."""

    service_key = "PensionRegister"

    @operation
    def consult(
        self,
        ssin: str,
        *,
        start: dt.date,
        end: dt.date,
        pillars: PensionPillars | str = PensionPillars.FIRST_AND_SECOND,
        detail: PaymentsDetail | str = PaymentsDetail.ALL_PAYMENTS,
        focus: PensionFocus | str = PensionFocus.REFERENCE_PERIOD,
        language: str = "fr",
    ) -> PreparedCall[PensionRegisterResult]:
        """The pension rights of *ssin* over ``start``–``end`` (``end`` ≥ ``start``).

        ``pillars``, ``detail`` and ``focus`` take the enums or their CBSS
        values (``"FirstOnly"``…); ``language`` (``fr``, ``nl``, ``de``) is
        the language of the labels in the reply.  The defaults are what the
        public client evidence sends.
        """
        number = ssin_argument(ssin)
        first = _date_argument(start, "start")
        last = _date_argument(end, "end")
        check_period(first, last)
        chosen_pillars = coerce_enum(PensionPillars, pillars, field="pillars")
        chosen_detail = coerce_enum(PaymentsDetail, detail, field="detail")
        chosen_focus = coerce_enum(PensionFocus, focus, field="focus")
        chosen_language = coerce_enum(
            _Language, language.lower() if isinstance(language, str) else language, field="language"
        )
        request = PenskadOpenPKConsultRequest(
            target_ssin=number,
            period=PeriodType(
                start_date=xml_date(first, field="start"), end_date=xml_date(last, field="end")
            ),
            requested_data=RequestedDataType(
                pillar=PillarType(chosen_pillars.value),
                requested_information=RequestedInformationType(chosen_detail.value),
                focus=FocusType(chosen_focus.value),
            ),
            language=LanguageType(chosen_language.value.upper()),
        )
        return prepare_ssdn_call(
            self._client,
            _SERVICE,
            _CONSULT,
            request,
            reply_type=PenskadOpenPKConsultReply,
            build=_build,
            subject=number,
        )
