"""Employer identification (classic flow A701) through the SSDN ``XMLite`` wrapper.

Dolsis and Dimona name employers by their NSSO registration number; a CPAS
wanting the employer's enterprise (CBE) number and name asks the classic
flow A701.  Classic flows travel through the SSDN ``XMLite`` service: a
``Message`` with a fixed-width legacy ``ClassicPrefix`` and the flow written
in XML.

The layout of the ClassicPrefix is not public.  :func:`classic_prefix`
builds one from the parts the public record names (flow name, user id,
SSIN, time, period) in an order and widths of our own; callers who know the
real layout pass their own string with ``classic_prefix=``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import ConfigurationError, RequestValidationError
from ..models.xmlite_a701_20051206.be.fgov.ksz_bcss.xml_schema import (
    A701,
    A701RequestType,
    RequestEmployerType,
    RequestFirmIdType,
)
from ..models.xmlite_a701_20051206.be.fgov.ksz_bcss.xsd.message import (
    DataType,
    HeaderType,
    Message,
    XmlType,
)
from ..ssdn import SsdnResultParts, prepare_ssdn_call
from ._facade import C, Facade, operation
from ._ssdn_results import SsdnResult

__all__ = [
    "EmployerIdentification",
    "EmployerIdentificationResult",
    "classic_prefix",
    "nsso_number_argument",
]

_SERVICE = catalog.service("EmployerIdentification")
_IDENTIFY = _SERVICE.operation("identify")

#: Attributes of the A701 flow element (cbss-facts §1.2).
PROCESS_TYPE = "L"
FLOW_VERSION = "001"

_NSSO = re.compile(r"^(0\d{9}|51\d{8})$")
_PRINTABLE = re.compile(r"^[\x20-\x7e]{1,1024}$")


def nsso_number_argument(value: object, *, field: str = "nsso_number") -> str:
    """An NSSO registration number as 10 digits (``0`` + 9 digits, or ``51`` + 8 for temporary ones).

    Spaces, dots, dashes and slashes are ignored; a 9-digit number gets its
    leading zero back.
    """
    if not isinstance(value, str):
        raise RequestValidationError(f"{field} must be a string of digits", field=field)
    digits = re.sub(r"[\s./-]", "", value)
    if len(digits) == 9 and digits.isdigit():
        digits = "0" + digits
    if not _NSSO.match(digits):
        raise RequestValidationError(
            f"{field} must be an NSSO registration number (0 + 9 digits, or 51 + 8 digits)",
            field=field,
        )
    return digits


def classic_prefix(
    flow: str,
    *,
    user_id: str,
    moment: dt.datetime,
    ssin: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> str:
    """A ClassicPrefix built from its documented parts — **modeled layout**.

    56 characters: flow name (4, padded with spaces), user id (11 digits),
    SSIN (11 digits, zeros when the flow is not about a person), UTC time
    ``yyyyMMddHHmmss`` (14), period begin and end ``yyyyMMdd`` (8 + 8, zeros
    when none).  The real layout is not public; this one only fixes the
    parts the public record names.
    """
    if not re.fullmatch(r"[A-Z][0-9A-Z]{3}", flow):
        raise RequestValidationError("flow must be a classic flow name such as A701", field="flow")
    if not re.fullmatch(r"\d{1,11}", user_id):
        raise ConfigurationError("the SSDN user id must be at most 11 digits")
    if ssin is not None and not re.fullmatch(r"\d{11}", ssin):
        raise RequestValidationError("ssin must be 11 digits", field="ssin")
    if moment.tzinfo is None:
        raise RequestValidationError("moment must be an aware datetime", field="moment")
    begin, end = ("00000000", "00000000")
    if period is not None:
        begin, end = (day.strftime("%Y%m%d") for day in period)
    stamp = moment.astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    return f"{flow:<4}{user_id.rjust(11, '0')}{ssin or '0' * 11}{stamp}{begin}{end}"


@attrs.frozen
class EmployerIdentificationResult(SsdnResult[Message]):
    """An A701 reply: the employer's NSSO number, enterprise number and name.

    ``found`` is false when the reply carries no attestation (employer
    unknown); ``reply_prefix`` is the ClassicPrefix CBSS sent back, as is.
    """

    @property
    def _attestation(self) -> Any:
        if self.reply is None or self.reply.data.xml.a701 is None:
            return None
        return self.reply.data.xml.a701.attestation

    @property
    def found(self) -> bool:
        return self._attestation is not None

    @property
    def nsso_number(self) -> str | None:
        attestation = self._attestation
        if attestation is None:
            return None
        number: str = attestation.employer.firm_id.nlossregistration_nbr
        return number

    @property
    def enterprise_number(self) -> str | None:
        attestation = self._attestation
        if attestation is None:
            return None
        company: str | None = attestation.employer.firm_id.company_id
        return company

    @property
    def name(self) -> str | None:
        attestation = self._attestation
        if attestation is None:
            return None
        office = attestation.employer.registered_office
        if office is None:
            return None
        name: str = office.name
        return name

    @property
    def reply_prefix(self) -> str | None:
        if self.reply is None:
            return None
        prefix: str = self.reply.header.classic_prefix
        return prefix


def _build(parts: SsdnResultParts[Message]) -> EmployerIdentificationResult:
    return EmployerIdentificationResult(
        meta=parts.meta, warnings=parts.warnings, reply=parts.response, no_data=parts.no_data
    )


class EmployerIdentification(Facade[C]):
    """Classic flow A701 through SSDN ``XMLite`` 20051206."""

    service_key = "EmployerIdentification"

    @operation
    def identify(
        self, nsso_number: str, *, classic_prefix: str | None = None
    ) -> PreparedCall[EmployerIdentificationResult]:
        """The employer registered at the NSSO under *nsso_number*.

        Args:
            nsso_number: NSSO registration number (10 digits; a 9-digit form
                gets its leading zero back).
            classic_prefix: the ClassicPrefix to send instead of the modeled
                one (see :func:`classic_prefix`); printable ASCII, 1–1024
                characters.
        """
        number = nsso_number_argument(nsso_number)
        if classic_prefix is None:
            user = getattr(self._client, "ssdn_user", None)
            if user is None:
                raise ConfigurationError(
                    "SSDN services need the client's ssdn_user (SsdnUser) and organization "
                    "(Organization)"
                )
            prefix = _build_prefix(user.user_id)
        else:
            if not isinstance(classic_prefix, str) or not _PRINTABLE.match(classic_prefix):
                raise RequestValidationError(
                    "classic_prefix must be 1-1024 printable ASCII characters",
                    field="classic_prefix",
                )
            prefix = classic_prefix
        payload = Message(
            header=HeaderType(classic_prefix=prefix),
            data=DataType(
                xml=XmlType(
                    a701=A701(
                        request=A701RequestType(
                            employer=RequestEmployerType(
                                firm_id=RequestFirmIdType(nlossregistration_nbr=number)
                            )
                        ),
                        process_type=PROCESS_TYPE,
                        version=FLOW_VERSION,
                    )
                )
            ),
        )
        return prepare_ssdn_call(
            self._client,
            _SERVICE,
            _IDENTIFY,
            payload,
            reply_type=Message,
            build=_build,
        )


def _build_prefix(user_id: str) -> str:
    return classic_prefix("A701", user_id=user_id, moment=dt.datetime.now(dt.timezone.utc))
