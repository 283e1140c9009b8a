"""Simulated OCMWCPASPensionRegisterConsult (SSDN): the pension cadastre of the population.

Who has which pension (the simulator's own rules, derived from the person):

* from the month after their 65th birthday, a legal retirement pension
  (first pillar, institution ``SFP``), 1,300–2,200 euros gross a month;
* about 40 % of them also an occupational pension (second pillar,
  institution ``ASSUR``), 80–600 euros, paid one month later;
* a widowed person (civil state 30) of 45 or more a survival pension
  (first pillar) from the month after the civil-state change;
* payments are monthly; net is 89 % of gross.

``RequestedData`` is honoured: ``FirstOnly`` drops the second pillar,
``RightsOnly`` drops payments, ``RightsMinimumPayments`` keeps the last one,
``Focus`` selects payments by reference month or by payment month.  Labels
follow ``Language``.  A period starting before 2009-01-01 (before the
cadastre opened) is refused with the SSDN error :data:`BEFORE_CADASTRE`
(a simulator code).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from xsdata.models.datatype import XmlDate, XmlPeriod

from ...models.pension_register_20090706.be.fgov.ksz_bcss.xsd.ssdn.pension_register import (
    CodeLabelType,
    OpenPeriodType,
    PaymentType,
    PensionItemType,
    PenskadOpenPKConsultReply,
    PenskadOpenPKConsultRequest,
)
from .._registry import (
    SimContext,
    SimRequest,
    SimulatedBusinessError,
    SimulatedSsdnError,
    SsdnAnswer,
    handler,
)
from ._common import detail

__all__ = ["BEFORE_CADASTRE", "CADASTRE_START", "build_pension_reply", "pension_rights"]

#: SSDN reason code (simulator's own): the period starts before the cadastre opened.
BEFORE_CADASTRE = "32039001"
CADASTRE_START = dt.date(2009, 1, 1)

_LABELS = {
    "SFP": {
        "FR": "Service fédéral des Pensions",
        "NL": "Federale Pensioendienst",
        "DE": "Föderaler Pensionsdienst",
    },
    "ASSUR": {"FR": "Assurance groupe", "NL": "Groepsverzekering", "DE": "Gruppenversicherung"},
    "RET": {"FR": "Pension de retraite", "NL": "Rustpensioen", "DE": "Ruhestandspension"},
    "SUR": {"FR": "Pension de survie", "NL": "Overlevingspensioen", "DE": "Hinterbliebenenpension"},
    "COMP": {"FR": "Pension complémentaire", "NL": "Aanvullend pensioen", "DE": "Zusatzpension"},
}


class _Right:
    __slots__ = ("benefit", "cents", "delay", "institution", "pillar", "start")

    def __init__(
        self, pillar: str, institution: str, benefit: str, start: dt.date, cents: int, delay: int
    ) -> None:
        self.pillar = pillar
        self.institution = institution
        self.benefit = benefit
        self.start = start
        self.cents = cents
        self.delay = delay  # months between the month a payment concerns and the month it is paid


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def pension_rights(person: Any) -> list[_Right]:
    """The simulated pension rights of a person (see the module docstring)."""
    rng = random.Random(f"PensionRegister/{person.ssin}")  # noqa: S311 - test data, not security
    rights = []
    birth = person.birth_date
    retirement = _next_month(dt.date(birth.year + 65, birth.month, min(birth.day, 28)))
    rights.append(_Right("First", "SFP", "RET", retirement, rng.randint(130_000, 220_000), 0))
    if rng.random() < 0.4:
        rights.append(_Right("Second", "ASSUR", "COMP", retirement, rng.randint(8_000, 60_000), 1))
    states = getattr(person, "civil_states", ()) or ()
    if states and states[-1].code == 30:
        widowed = states[-1].since
        fortyfive = dt.date(birth.year + 45, birth.month, min(birth.day, 28))
        start = _next_month(max(widowed, fortyfive))
        rights.append(_Right("First", "SFP", "SUR", start, rng.randint(90_000, 150_000), 0))
    return rights


def _label(code: str, language: str) -> CodeLabelType:
    return CodeLabelType(code=code, label=_LABELS[code].get(language, _LABELS[code]["FR"]))


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


def _period(day: dt.date) -> XmlPeriod:
    return XmlPeriod(f"{day.year:04d}-{day.month:02d}")


def build_pension_reply(
    ctx: SimContext, request: PenskadOpenPKConsultRequest
) -> PenskadOpenPKConsultReply:
    """The cadastre's answer to one request (see the module docstring)."""
    person = ctx.population.get(request.target_ssin)
    if person is None:
        raise SimulatedBusinessError("MSG00005", "The SSIN is unknown.")
    first = request.period.start_date.to_date()
    last = request.period.end_date.to_date()
    if first < CADASTRE_START:
        raise SimulatedSsdnError(
            [
                detail(
                    "ERROR",
                    BEFORE_CADASTRE,
                    "The pension register has no data before 2009-01-01.",
                    (("StartDate", first.isoformat()),),
                )
            ]
        )
    data = request.requested_data
    language = request.language.value
    today = ctx.now.date()
    items = []
    for right in pension_rights(person):
        if right.start > last or right.start > today:
            continue
        if right.pillar == "Second" and data.pillar.value == "FirstOnly":
            continue
        payments = []
        if data.requested_information.value != "RightsOnly":
            by_reference = data.focus.value == "ReferencePeriod"
            low = first.replace(day=1)
            for month in _months(max(_add_months(low, -right.delay), right.start), last):
                paid = _add_months(month, right.delay)
                selected = month if by_reference else paid
                if not low <= selected <= last or paid > today:
                    continue
                payments.append(
                    PaymentType(
                        reference_month=_period(month),
                        payment_month=_period(paid),
                        gross_amount=right.cents,
                        net_amount=right.cents * 89 // 100,
                    )
                )
            if data.requested_information.value == "RightsMinimumPayments":
                payments = payments[-1:]
        items.append(
            PensionItemType(
                pillar=right.pillar,
                institution=_label(right.institution, language),
                benefit=_label(right.benefit, language),
                right_period=OpenPeriodType(start_date=XmlDate.from_date(right.start)),
                monthly_gross_amount=right.cents,
                payment=payments,
            )
        )
    return PenskadOpenPKConsultReply(pension_item=items)


@handler("PensionRegister", "consult")
def consult(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: Any = request.model
    return SsdnAnswer(build_pension_reply(ctx, model))
