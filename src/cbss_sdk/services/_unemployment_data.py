"""UnemploymentDataService v3: unemployment payments, rights and histories (ONEM/RVA data).

A CPAS checks whether an applicant receives unemployment benefits, how much
was paid month by month, the rights and family category, sanctions and
exemptions, before granting or computing social integration income.  CBSS
sends amounts in euro cents; every result exposes exact ``Decimal`` euros.

Only ``consultPayments`` is evidenced for V3; the ten other consultations
are modelled after the V3 screens of a public test UI and their V2
counterparts (see the docs page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Generic, TypeVar

import attrs

from .. import catalog
from .._prepared import PreparedCall
from .._results import CallMeta, Status
from ..errors import RequestValidationError
from ..models.unemployment_data_v3.be.fgov.kszbcss.intf.unemployment_data_service import v3 as intf
from ..models.unemployment_data_v3.be.fgov.kszbcss.types.common.v3 import PeriodType
from ..models.unemployment_data_v3.be.fgov.kszbcss.types.unemployment_data.v3 import (
    DateCriteriaType,
    PeriodCriteriaType,
    QuarterCriteriaType,
    QuarterType,
)
from ..soa import SoaReply, prepare_soa_call
from ._args import check_period, ssin_argument, xml_date
from ._facade import C, Facade, operation
from ._social_common import Month, Quarter, check_max_months, euros

__all__ = [
    "ActivationPaidSum",
    "HistoryItem",
    "PaidSum",
    "ScheduledPayment",
    "Situation",
    "UnemploymentData",
    "UnemploymentPayment",
    "UnemploymentResult",
    "UnemploymentRight",
]

_SERVICE = catalog.service("UnemploymentData")

#: The longest paid-sums period (cbss-facts §3.8).
MAX_PAID_SUMS_MONTHS = 48
#: UDS000x: "no data" codes of the service (their exact meanings are not public).
NO_DATA = frozenset(f"UDS000{n}" for n in range(10))

ItemT = TypeVar("ItemT")
QuarterLike = Quarter | str | tuple[int, int] | dt.date


def _month(value: Any) -> Month:
    return Month(value.year, value.month)


def _date(value: Any) -> dt.date | None:
    return value.to_date() if value is not None else None


def _euros(cents: Any) -> Decimal:
    found = euros(cents)
    assert found is not None
    return found


@attrs.frozen
class UnemploymentPayment:
    """One monthly payment: allowances paid, theoretical daily amount, total, dossier status."""

    month: Month
    paid_on: dt.date | None
    allowances: int
    daily_amount: Decimal
    amount: Decimal
    dossier_status: str


@attrs.frozen
class PaidSum:
    """What was paid for one month (``accepted_amount`` when CBSS gives it)."""

    month: Month
    dossier_status: str
    allowances: int
    paid_amount: Decimal
    accepted_amount: Decimal | None


@attrs.frozen
class ActivationPaidSum:
    """An activation allowance paid for a month (``activation_type`` as CBSS codes it)."""

    month: Month
    activation_type: str
    amount: Decimal


@attrs.frozen
class ScheduledPayment:
    """A payment scheduled for a month."""

    month: Month
    expected_on: dt.date
    amount: Decimal


@attrs.frozen
class UnemploymentRight:
    """A right: allowance kind, family category (head of household, single, cohabitant), daily amount."""

    start: dt.date
    end: dt.date | None
    allowance_kind: str
    family_category: str
    daily_amount: Decimal


@attrs.frozen
class HistoryItem:
    """An exemption, sanction or scale code over a period."""

    start: dt.date
    end: dt.date | None
    code: str
    description: str | None


@attrs.frozen
class Situation:
    """A status on a date (no earning capacity, work disability, young availability)."""

    applicable: bool
    start: dt.date | None
    end: dt.date | None
    code: str | None


@attrs.frozen
class UnemploymentResult(Generic[ItemT]):
    """An UnemploymentData reply: ``items`` read from it (amounts in ``Decimal`` euros).

    ``items`` is empty when CBSS found nothing (``status.value ==
    "NO_DATA_FOUND"``, often with a ``UDS000x`` code); ``response`` is the
    bound generated reply.
    """

    meta: CallMeta
    status: Status
    items: tuple[ItemT, ...]
    response: Any = attrs.field(repr=False)

    @property
    def data_found(self) -> bool:
        return self.status.value == "DATA_FOUND"

    @property
    def total(self) -> Decimal:
        """The sum of the items' amounts (payments, paid sums, activation, scheduled)."""
        total = Decimal("0.00")
        for item in self.items:
            value = getattr(item, "amount", None)
            if value is None:
                value = getattr(item, "paid_amount", None)
            if isinstance(value, Decimal):
                total += value
        return total


# --------------------------------------------------------------------------- readers


def _payments(response: Any) -> tuple[UnemploymentPayment, ...]:
    part = response.payments
    return tuple(
        UnemploymentPayment(
            month=_month(p.paid_month),
            paid_on=_date(p.payment_date),
            allowances=p.nbr_of_allowances,
            daily_amount=_euros(p.theoric_daily_allowance_amount),
            amount=_euros(p.paid_amount),
            dossier_status=p.dossier_status.value,
        )
        for p in (part.payment if part is not None else ())
    )


def _paid_sums(response: Any) -> tuple[PaidSum, ...]:
    part = response.paid_sums
    return tuple(
        PaidSum(
            month=_month(p.related_month),
            dossier_status=p.dossier_status.value,
            allowances=p.nbr_of_allowances,
            paid_amount=_euros(p.paid_amount),
            accepted_amount=euros(p.accepted_amount),
        )
        for p in (part.paid_sum if part is not None else ())
    )


def _activation(response: Any) -> tuple[ActivationPaidSum, ...]:
    part = response.activation_paid_sums
    return tuple(
        ActivationPaidSum(
            month=_month(p.related_month),
            activation_type=p.activation_type,
            amount=_euros(p.paid_amount),
        )
        for p in (part.activation_paid_sum if part is not None else ())
    )


def _scheduled(response: Any) -> tuple[ScheduledPayment, ...]:
    part = response.scheduled_payments
    return tuple(
        ScheduledPayment(
            month=_month(p.related_month),
            expected_on=p.expected_payment_date.to_date(),
            amount=_euros(p.amount),
        )
        for p in (part.scheduled_payment if part is not None else ())
    )


def _rights(response: Any) -> tuple[UnemploymentRight, ...]:
    part = response.rights
    return tuple(
        UnemploymentRight(
            start=r.period.begin_date.to_date(),
            end=_date(r.period.end_date),
            allowance_kind=r.allowance_kind,
            family_category=r.family_category.value,
            daily_amount=_euros(r.daily_amount),
        )
        for r in (part.right if part is not None else ())
    )


def _history(response: Any) -> tuple[HistoryItem, ...]:
    part = response.history
    return tuple(
        HistoryItem(
            start=h.period.begin_date.to_date(),
            end=_date(h.period.end_date),
            code=h.code,
            description=h.description,
        )
        for h in (part.item if part is not None else ())
    )


def _situation(response: Any) -> tuple[Situation, ...]:
    found = response.situation
    if found is None:
        return ()
    period = found.period
    return (
        Situation(
            applicable=found.applicable,
            start=period.begin_date.to_date() if period is not None else None,
            end=_date(period.end_date) if period is not None else None,
            code=found.code,
        ),
    )


# --------------------------------------------------------------------------- criteria


def _by_date(number: str, on: dt.date | None) -> DateCriteriaType:
    return DateCriteriaType(ssin=number, date=xml_date(on, field="on") if on is not None else None)


def _by_period(
    number: str, start: dt.date, end: dt.date, max_months: int | None
) -> PeriodCriteriaType:
    begin = xml_date(start, field="start")
    finish = xml_date(end, field="end")
    if max_months is not None:
        check_max_months(start, end, max_months, field="end")
    else:
        check_period(start, end, field="end")
    return PeriodCriteriaType(ssin=number, period=PeriodType(begin_date=begin, end_date=finish))


def _by_quarter(number: str, quarter: QuarterLike) -> QuarterCriteriaType:
    chosen = Quarter.of(quarter, field="quarter")
    if chosen.year < 1900:
        raise RequestValidationError("quarter must be in 1900 or later", field="quarter")
    return QuarterCriteriaType(
        ssin=number, quarter_criteria=QuarterType(quarter=chosen.quarter, year=chosen.year)
    )


def _prepare(
    facade: Facade[Any],
    name: str,
    number: str,
    criteria: object,
    read: Callable[[Any], tuple[ItemT, ...]],
    legal_context: str | None,
) -> PreparedCall[UnemploymentResult[ItemT]]:
    op = _SERVICE.operation(name)
    request_type = getattr(intf, name[0].upper() + name[1:] + "Request")
    response_type = getattr(intf, name[0].upper() + name[1:] + "Response")

    def build(reply: SoaReply[Any]) -> UnemploymentResult[ItemT]:
        assert reply.status is not None
        return UnemploymentResult(
            meta=reply.meta,
            status=reply.status,
            items=read(reply.response),
            response=reply.response,
        )

    return prepare_soa_call(
        facade.client,
        _SERVICE,
        op,
        request_type,
        {"search_criteria": criteria},
        response_type=response_type,
        build=build,
        legal_context=legal_context,
        subject=number,
        no_data_codes=NO_DATA,
    )


class UnemploymentData(Facade[C]):
    """CBSS ``UnemploymentDataService`` v3 (SOA), legal context ``SOCIAL_INVESTIGATION_OF_PCSA``.

    Every operation takes the person's ``ssin`` and an optional
    ``legal_context``; dates are ``datetime.date``; quarters are a
    :class:`Quarter`, ``"2024Q1"``, ``(2024, 1)`` or a date inside the quarter.
    """

    service_key = "UnemploymentData"

    @operation
    def payments(
        self, ssin: str, *, on: dt.date | None = None, legal_context: str | None = None
    ) -> PreparedCall[UnemploymentResult[UnemploymentPayment]]:
        """``consultPayments``: the monthly payments up to *on* (default: the latest)."""
        number = ssin_argument(ssin)
        return _prepare(
            self, "consultPayments", number, _by_date(number, on), _payments, legal_context
        )

    @operation
    def paid_sums(
        self, ssin: str, *, start: dt.date, end: dt.date, legal_context: str | None = None
    ) -> PreparedCall[UnemploymentResult[PaidSum]]:
        """``consultPaidSums``: what was paid per month from *start* to *end* (48 months at most)."""
        number = ssin_argument(ssin)
        criteria = _by_period(number, start, end, MAX_PAID_SUMS_MONTHS)
        return _prepare(self, "consultPaidSums", number, criteria, _paid_sums, legal_context)

    @operation
    def activation_paid_sums(
        self, ssin: str, *, quarter: QuarterLike, legal_context: str | None = None
    ) -> PreparedCall[UnemploymentResult[ActivationPaidSum]]:
        """``consultActivationPaidSums``: activation allowances paid in *quarter*."""
        number = ssin_argument(ssin)
        criteria = _by_quarter(number, quarter)
        return _prepare(
            self, "consultActivationPaidSums", number, criteria, _activation, legal_context
        )

    @operation
    def scheduled_payment(
        self, ssin: str, *, quarter: QuarterLike, legal_context: str | None = None
    ) -> PreparedCall[UnemploymentResult[ScheduledPayment]]:
        """``consultScheduledPayment``: the payments scheduled for the months of *quarter*."""
        number = ssin_argument(ssin)
        criteria = _by_quarter(number, quarter)
        return _prepare(
            self, "consultScheduledPayment", number, criteria, _scheduled, legal_context
        )

    @operation
    def rights(
        self, ssin: str, *, on: dt.date | None = None, legal_context: str | None = None
    ) -> PreparedCall[UnemploymentResult[UnemploymentRight]]:
        """``consultRights``: the rights on *on* (default: the latest)."""
        number = ssin_argument(ssin)
        return _prepare(self, "consultRights", number, _by_date(number, on), _rights, legal_context)

    @operation
    def exemption_history(
        self, ssin: str, *, start: dt.date, end: dt.date, legal_context: str | None = None
    ) -> PreparedCall[UnemploymentResult[HistoryItem]]:
        """``consultExemptionHistory``: exemptions overlapping *start*–*end*."""
        number = ssin_argument(ssin)
        criteria = _by_period(number, start, end, None)
        return _prepare(self, "consultExemptionHistory", number, criteria, _history, legal_context)

    @operation
    def sanction_history(
        self, ssin: str, *, start: dt.date, end: dt.date, legal_context: str | None = None
    ) -> PreparedCall[UnemploymentResult[HistoryItem]]:
        """``consultSanctionHistory``: sanctions overlapping *start*–*end*."""
        number = ssin_argument(ssin)
        criteria = _by_period(number, start, end, None)
        return _prepare(self, "consultSanctionHistory", number, criteria, _history, legal_context)

    @operation
    def scale_code_history(
        self, ssin: str, *, start: dt.date, end: dt.date, legal_context: str | None = None
    ) -> PreparedCall[UnemploymentResult[HistoryItem]]:
        """``consultScaleCodeHistory``: scale codes overlapping *start*–*end*."""
        number = ssin_argument(ssin)
        criteria = _by_period(number, start, end, None)
        return _prepare(self, "consultScaleCodeHistory", number, criteria, _history, legal_context)

    @operation
    def no_earning_capacity(
        self, ssin: str, *, on: dt.date | None = None, legal_context: str | None = None
    ) -> PreparedCall[UnemploymentResult[Situation]]:
        """``consultNoEarningCapacity``: the no-earning-capacity status on *on*."""
        number = ssin_argument(ssin)
        criteria = _by_date(number, on)
        return _prepare(
            self, "consultNoEarningCapacity", number, criteria, _situation, legal_context
        )

    @operation
    def work_disability(
        self, ssin: str, *, on: dt.date | None = None, legal_context: str | None = None
    ) -> PreparedCall[UnemploymentResult[Situation]]:
        """``consultWorkDisability``: the work-disability status on *on*."""
        number = ssin_argument(ssin)
        criteria = _by_date(number, on)
        return _prepare(self, "consultWorkDisability", number, criteria, _situation, legal_context)

    @operation
    def young_availability(
        self, ssin: str, *, on: dt.date | None = None, legal_context: str | None = None
    ) -> PreparedCall[UnemploymentResult[Situation]]:
        """``consultYoungAvailability``: the availability status of a young jobseeker on *on*."""
        number = ssin_argument(ssin)
        criteria = _by_date(number, on)
        return _prepare(
            self, "consultYoungAvailability", number, criteria, _situation, legal_context
        )
