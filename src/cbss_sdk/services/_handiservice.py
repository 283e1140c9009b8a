"""Handiservice ``consultFile``: the disability file of a person at the DG Persons with disabilities.

A CPAS needs it to know whether an applicant receives (or applied for) an
income-replacement or integration allowance or the allowance for assistance
to the elderly, is medically recognised, holds social cards, and what was
paid over a period.  The DGPH accepts a payment period of two years at most,
in order: the facade checks both before anything is sent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..models.handiservice_v2.be.fgov.kszbcss.intf.handiservice_service.v2 import (
    ConsultFileRequest,
    ConsultFileResponse,
)
from ..models.handiservice_v2.be.fgov.kszbcss.types.handiservice.v2 import (
    FileType,
    InformationAtReferenceDateType,
    PaymentsPeriodType,
    RecognitionType,
    RequestType,
    RightType,
    SocialCardType,
    WantedInformationType,
)
from ..soa import SoaReply, prepare_soa_call
from ._args import ssin_argument, xml_date
from ._facade import C, Facade, operation
from ._social_common import Month, SoaResult, check_flag, check_max_months

__all__ = ["DisabilityPayment", "Handiservice", "HandiserviceResult"]

_SERVICE = catalog.service("Handiservice")
_CONSULT = _SERVICE.operation("consultFile")

#: The longest payment period the DGPH accepts (HAN00020 beyond).
MAX_PAYMENT_MONTHS = 24
#: The person has no file at the DGPH: an outcome, not an error.
UNKNOWN_AT_SOURCE = frozenset({"MSG00021", "SSK00003"})
#: Nothing was asked for: an outcome, not an error.
NOTHING_ASKED = frozenset({"HAN00022", "HAN00023"})


@attrs.frozen
class DisabilityPayment:
    """One payment of a disability allowance, in euros."""

    paid_on: dt.date
    kind: str
    month: Month
    amount: Decimal


@attrs.frozen
class HandiserviceResult(SoaResult[ConsultFileResponse]):
    """A ``consultFile`` reply.

    ``file`` is the generated ``FileType`` (``None`` when nothing was found);
    ``known_at_source`` is false when the DGPH does not know the person
    (``MSG00021``/``SSK00003``: no disability file).  The accessors return
    empty tuples for the parts not asked for or absent.
    """

    @property
    def file(self) -> FileType | None:
        found: FileType | None = self.response.file
        return found

    @property
    def known_at_source(self) -> bool:
        return self.status.code not in UNKNOWN_AT_SOURCE

    @property
    def requests(self) -> tuple[RequestType, ...]:
        part = self.file.evolution_of_request if self.file is not None else None
        return tuple(part.request) if part is not None else ()

    @property
    def recognitions(self) -> tuple[RecognitionType, ...]:
        part = self.file.handicap_recognition if self.file is not None else None
        return tuple(part.recognition) if part is not None else ()

    @property
    def rights(self) -> tuple[RightType, ...]:
        part = self.file.rights if self.file is not None else None
        return tuple(part.right) if part is not None else ()

    @property
    def social_cards(self) -> tuple[SocialCardType, ...]:
        part = self.file.social_cards if self.file is not None else None
        return tuple(part.social_card) if part is not None else ()

    @property
    def payments(self) -> tuple[DisabilityPayment, ...]:
        part = self.file.payments if self.file is not None else None
        if part is None:
            return ()
        return tuple(
            DisabilityPayment(
                paid_on=p.payment_date.to_date(),
                kind=p.kind.value,
                month=Month(p.related_month.year, p.related_month.month),
                amount=p.amount,
            )
            for p in part.payment
        )

    @property
    def total_paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal("0.00"))


def _build(reply: SoaReply[ConsultFileResponse]) -> HandiserviceResult:
    assert reply.status is not None
    return HandiserviceResult(meta=reply.meta, status=reply.status, response=reply.response)


class Handiservice(Facade[C]):
    """CBSS ``Handiservice`` v2 (SOA), legal context ``social inquiry`` by default."""

    service_key = "Handiservice"

    @operation
    def consult_file(
        self,
        ssin: str,
        *,
        reference_date: dt.date | None = None,
        evolution_of_request: bool = True,
        handicap_recognition: bool = True,
        rights: bool = True,
        social_cards: bool = True,
        payments_start: dt.date | None = None,
        payments_end: dt.date | None = None,
        legal_context: str | None = None,
    ) -> PreparedCall[HandiserviceResult]:
        """CBSS operation ``consultFile``: the disability file of *ssin*.

        Args:
            ssin: national number (or BIS number) of the person.
            reference_date: the day the file is read at (default: today).
            evolution_of_request: include the applications and where they stand.
            handicap_recognition: include the medical recognitions.
            rights: include the allowance rights.
            social_cards: include the social cards.
            payments_start: with ``payments_end``, also list the payments of
                that period (ordered, two years at most).
            payments_end: last day of the payment period.
            legal_context: overrides ``social inquiry``.

        Raises:
            RequestValidationError: nothing asked for, a bad or too long period.
            HandiClientNotAuthorized, HandiInformationNotAuthorized, HandiSourceError:
                refusals of the service.
        """
        number = ssin_argument(ssin)
        flags = {
            name: check_flag(value, field=name)
            for name, value in (
                ("evolution_of_request", evolution_of_request),
                ("handicap_recognition", handicap_recognition),
                ("rights", rights),
                ("social_cards", social_cards),
            )
        }
        reference = reference_date if reference_date is not None else dt.date.today()
        reference_xml = xml_date(reference, field="reference_date")
        payments = None
        if payments_start is not None or payments_end is not None:
            if payments_start is None or payments_end is None:
                raise RequestValidationError(
                    "a payment period needs both payments_start and payments_end",
                    field="payments_start",
                )
            start_xml = xml_date(payments_start, field="payments_start")
            end_xml = xml_date(payments_end, field="payments_end")
            check_max_months(payments_start, payments_end, MAX_PAYMENT_MONTHS, field="payments_end")
            payments = PaymentsPeriodType(start_date=start_xml, end_date=end_xml)
        if not any(flags.values()) and payments is None:
            raise RequestValidationError(
                "ask for at least one part of the file (a flag or a payment period)",
                field="rights",
            )
        wanted = WantedInformationType(
            ssin=number,
            information_at_reference_date=InformationAtReferenceDateType(
                reference_date=reference_xml, **flags
            ),
            payments_at_period=payments,
        )
        return prepare_soa_call(
            self._client,
            _SERVICE,
            _CONSULT,
            ConsultFileRequest,
            {"wanted_information": wanted},
            response_type=ConsultFileResponse,
            build=_build,
            legal_context=legal_context,
            subject=number,
            no_data_codes=UNKNOWN_AT_SOURCE | NOTHING_ASKED,
        )
