"""ListOfAttestations (OCMWCPASListOfAttestations 20080317): the attests the SPP IS keeps.

For a person and one *request type* the SPP IS answers with what it knows:
whether part of their work income is exempted (article 35 exemption:
since when, for how many paid days), whether an individualised social
integration project (GPMI/PIIS) runs and for which period, and the attests
themselves (installation premium, forms…) with the CPAS that sent them.
Note the plural in the ServiceId.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Any

import attrs

from .. import catalog
from .._prepared import PreparedCall
from .._redact import mask_national_numbers
from ..errors import RequestValidationError
from ..models.list_of_attestations_20080317.be.fgov.ksz_bcss.xsd.ssdn.common import PeriodType
from ..models.list_of_attestations_20080317.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.manage_attests import (
    AttestationType,
    CodeDescriptionType,
    ListOfAttestationsReply,
    ListOfAttestationsRequest,
    UnqualifiedPeriodType,
)
from ..ssdn import SsdnResultParts, prepare_ssdn_call
from ._args import check_period, ssin_argument, xml_date
from ._facade import C, Facade, operation
from ._ssdn_results import SsdnResult

__all__ = [
    "Art35Exemption",
    "AttestKind",
    "CodedValue",
    "GpmiPiis",
    "ListOfAttestations",
    "ListOfAttestationsResult",
    "SppAttestation",
]

_SERVICE = catalog.service("ListOfAttestations")
_LIST = _SERVICE.operation("list")
_REQUEST_TYPE = re.compile(r"^[A-Z0-9_]{1,40}$")


class AttestKind(str, Enum):
    """The request types seen in public client code. Others exist (the SPP IS also lists forms
    and Law-of-1965 statuses) whose wire values are not public: pass them as text."""

    EXEMPTIONS_ART35 = "EXONERATIONSART35"
    INSTALLATION_PREMIUM = "PRIME_INSTALLATION"
    GPMI_PIIS = "GPMI_PIIS"


@attrs.frozen
class CodedValue:
    """A code with its French and Dutch labels (CBSS sends one label ``"fr / nl"``)."""

    code: str
    fr: str | None = None
    nl: str | None = None

    @classmethod
    def of(cls, value: CodeDescriptionType | None) -> CodedValue | None:
        if value is None:
            return None
        text = value.description or ""
        fr, _, nl = text.partition("/")
        return cls(value.code.strip(), fr.strip() or None, nl.strip() or None)


@attrs.frozen
class Art35Exemption:
    """Article 35 exemption: whether it applies, since when, how many paid days were exempted."""

    has_exemption: bool
    first_date: dt.date | None = None
    exempted_days: int | None = None


@attrs.frozen
class GpmiPiis:
    """An individualised social integration project: whether one exists, its period, its extension."""

    has_attestation: bool
    start: dt.date | None = None
    end: dt.date | None = None
    extension_start: dt.date | None = None
    extension_end: dt.date | None = None


@attrs.frozen
class SppAttestation:
    """One attest kept by the SPP IS (``reply`` is the generated element)."""

    ssin: str | None = attrs.field(default=None, repr=lambda v: mask_national_numbers(str(v)))
    cpas_cbe_number: str | None = None
    entry_date: dt.date | None = None
    attest_type: CodedValue | None = None
    form_type: CodedValue | None = None
    duration_days: int | None = None
    duration_weeks: int | None = None
    duration_months: int | None = None
    decision_date: dt.date | None = None
    reference: int | None = None
    status: int | None = None
    relation_type: CodedValue | None = None
    reply: AttestationType | None = attrs.field(default=None, repr=False, eq=False)


def _date(value: Any) -> dt.date | None:
    return None if value is None else value.to_date()


def _cbe(value: int | None) -> str | None:
    return None if value is None else f"{value:010d}"


def _attestation(item: AttestationType) -> SppAttestation:
    duration = item.duration
    return SppAttestation(
        ssin=item.social_security_user,
        cpas_cbe_number=_cbe(item.cpas_kbobce_code),
        entry_date=_date(item.entry_date),
        attest_type=CodedValue.of(item.attest_type),
        form_type=CodedValue.of(item.form_type),
        duration_days=duration.days if duration is not None else None,
        duration_weeks=duration.weeks if duration is not None else None,
        duration_months=duration.months if duration is not None else None,
        decision_date=_date(item.decision_date),
        reference=item.reference,
        status=item.status,
        relation_type=CodedValue.of(item.relation_type),
        reply=item,
    )


def _bounds(period: UnqualifiedPeriodType | None) -> tuple[dt.date | None, dt.date | None]:
    if period is None:
        return None, None
    return _date(period.start_date), _date(period.end_date)


@attrs.frozen
class ListOfAttestationsResult(SsdnResult[ListOfAttestationsReply]):
    """ListOfAttestations result: ``art35``, ``gpmi_piis`` and ``attestations`` (what CBSS sent)."""

    @property
    def art35(self) -> Art35Exemption | None:
        part = self.reply.exoneration_art35 if self.reply is not None else None
        if part is None:
            return None
        return Art35Exemption(
            part.has_exoneration, _date(part.first_exoneration_date), part.payment_exonerated_days
        )

    @property
    def gpmi_piis(self) -> GpmiPiis | None:
        part = self.reply.gpmi_piis if self.reply is not None else None
        if part is None:
            return None
        start, end = _bounds(part.period)
        extension_start, extension_end = _bounds(part.prolongation_period)
        return GpmiPiis(part.has_attestation, start, end, extension_start, extension_end)

    @property
    def attestations(self) -> tuple[SppAttestation, ...]:
        if self.reply is None:
            return ()
        return tuple(_attestation(a) for a in self.reply.attestation)


def _build(parts: SsdnResultParts[ListOfAttestationsReply]) -> ListOfAttestationsResult:
    return ListOfAttestationsResult(
        meta=parts.meta, warnings=parts.warnings, reply=parts.response, no_data=parts.no_data
    )


def _request_type(value: AttestKind | str) -> str:
    if isinstance(value, AttestKind):
        return value.value
    if isinstance(value, str):
        text = value.strip().upper()
        for kind in AttestKind:
            if text in (kind.value, kind.name):
                return kind.value
        if _REQUEST_TYPE.match(text):
            return text
    raise RequestValidationError(
        "request_type must be an AttestKind or a CBSS request type "
        "(upper-case letters, digits and _, at most 40)",
        field="request_type",
    )


class ListOfAttestations(Facade[C]):
    """CBSS ``OCMWCPASListOfAttestations`` 20080317 (SSDN). No legal context."""

    service_key = "ListOfAttestations"

    @operation
    def list(
        self,
        ssin: str,
        request_type: AttestKind | str,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> PreparedCall[ListOfAttestationsResult]:
        """The attests of *ssin* of one *request_type*, optionally limited to ``start``–``end``
        (give both or neither; the public client sends a ten-year window)."""
        number = ssin_argument(ssin)
        kind = _request_type(request_type)
        period = None
        if (start is None) != (end is None):
            raise RequestValidationError(
                "give both start and end, or neither", field="start" if start is None else "end"
            )
        if start is not None and end is not None:
            begin = xml_date(start, field="start")
            finish = xml_date(end, field="end")
            check_period(start, end)
            period = PeriodType(start_date=begin, end_date=finish)
        request = ListOfAttestationsRequest(
            social_security_user=number, request_type=kind, search_period=period
        )
        return prepare_ssdn_call(
            self._client,
            _SERVICE,
            _LIST,
            request,
            reply_type=ListOfAttestationsReply,
            build=_build,
            subject=number,
        )
