"""IdentifyPerson (OCMWCPASIdentifyPerson 20050930): find or check a person.

Two uses: check an SSIN (optionally against identity data the CPAS holds —
SIS card, identity card, name and birth date) and phonetic search on name,
birth date (with a tolerance) and gender when the SSIN is not known.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..models.identify_person_20050930.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.identify_person import (
    IdentifyPersonReply,
    IdentifyPersonRequest,
    LimitedLegalDataType,
    PersonDataType,
    PhoneticCriteriaType,
    SearchCriteriaType,
    VerificationDataType,
)
from ..models.identify_person_20050930.be.fgov.ksz_bcss.xsd.ssdn.person import GenderCodeType
from ..ssdn import SsdnResultParts, prepare_ssdn_call
from ._args import (
    check_int_range,
    check_text,
    coerce_enum,
    digits_argument,
    incomplete_date,
    ssin_argument,
)
from ._facade import C, Facade, operation
from ._ssdn_results import SsdnResult

__all__ = ["Gender", "IdentifyPerson", "IdentifyPersonResult"]

_SERVICE = catalog.service("IdentifyPerson")
_IDENTIFY = _SERVICE.operation("identify")
_SEARCH = _SERVICE.operation("search")

#: Reason code of a phonetic search without any match: a result, not an error.
NO_MATCH = "32007004"


class Gender(IntEnum):
    """SSDN gender codes."""

    UNKNOWN = 0
    MALE = 1
    FEMALE = 2


@attrs.frozen
class IdentifyPersonResult(SsdnResult[IdentifyPersonReply]):
    """IdentifyPerson result: ``persons`` found (at most 100 for a phonetic search)."""

    @property
    def persons(self) -> tuple[LimitedLegalDataType, ...]:
        if self.reply is None or self.reply.search_results is None:
            return ()
        return tuple(self.reply.search_results.limited_legal_data)


def _build(parts: SsdnResultParts[IdentifyPersonReply]) -> IdentifyPersonResult:
    return IdentifyPersonResult(
        meta=parts.meta, warnings=parts.warnings, reply=parts.response, no_data=parts.no_data
    )


class IdentifyPerson(Facade[C]):
    """CBSS ``OCMWCPASIdentifyPerson`` 20050930 (SSDN)."""

    service_key = "IdentifyPerson"

    @operation
    def identify(
        self,
        ssin: str,
        *,
        sis_card_number: str | None = None,
        identity_card_number: str | None = None,
        last_name: str | None = None,
        first_name: str | None = None,
        middle_name: str | None = None,
        birth_date: dt.date | str | None = None,
    ) -> PreparedCall[IdentifyPersonResult]:
        """Check *ssin* and get the person's legal data.

        Verification data are optional: a SIS card number (10 digits), an
        identity card number (12 digits), or ``last_name`` + ``birth_date``
        (with optional first/middle names).  A mismatch comes back as warning
        ``22007007`` on the result, not as an error.
        """
        number = ssin_argument(ssin)
        verification = _verification(
            sis_card_number, identity_card_number, last_name, first_name, middle_name, birth_date
        )
        request = IdentifyPersonRequest(
            search_criteria=SearchCriteriaType(ssin=number), verification_data=verification
        )
        return prepare_ssdn_call(
            self._client,
            _SERVICE,
            _IDENTIFY,
            request,
            reply_type=IdentifyPersonReply,
            build=_build,
            subject=number,
        )

    @operation
    def search(
        self,
        last_name: str,
        birth_date: dt.date | str,
        *,
        first_name: str | None = None,
        middle_name: str | None = None,
        gender: Gender | int | None = None,
        tolerance: int | None = None,
        maximum: int | None = None,
    ) -> PreparedCall[IdentifyPersonResult]:
        """Phonetic search.

        ``birth_date`` may be incomplete (``"1938-06-00"``): then a
        ``tolerance`` is required (in months when the day is unknown, years
        when the month is unknown).  ``maximum`` (1–80) caps the matches.  No
        match is a result with ``no_data=True`` and no persons.
        """
        name = check_text(last_name, field="last_name", max_length=48)
        birth, complete = incomplete_date(birth_date, field="birth_date")
        tol = check_int_range(tolerance, 0, 99, field="tolerance")
        if not complete and tol is None:
            raise RequestValidationError(
                "an incomplete birth_date needs a tolerance", field="tolerance"
            )
        criteria = PhoneticCriteriaType(
            last_name=name or "",
            first_name=check_text(first_name, field="first_name", max_length=48),
            middle_name=check_text(middle_name, field="middle_name", max_length=48),
            birth_date=birth,
            gender=(
                None
                if gender is None
                else GenderCodeType(coerce_enum(Gender, gender, field="gender").value)
            ),
            tolerance=tol,
            maximum=check_int_range(maximum, 1, 80, field="maximum"),
        )
        request = IdentifyPersonRequest(
            search_criteria=SearchCriteriaType(phonetic_criteria=criteria)
        )
        return prepare_ssdn_call(
            self._client,
            _SERVICE,
            _SEARCH,
            request,
            reply_type=IdentifyPersonReply,
            build=_build,
            no_data_codes=(NO_MATCH,),
        )


def _verification(
    sis_card_number: str | None,
    identity_card_number: str | None,
    last_name: str | None,
    first_name: str | None,
    middle_name: str | None,
    birth_date: dt.date | str | None,
) -> VerificationDataType | None:
    person = None
    if last_name is not None or birth_date is not None:
        if last_name is None or birth_date is None:
            raise RequestValidationError(
                "person verification needs both last_name and birth_date", field="last_name"
            )
        person = PersonDataType(
            last_name=check_text(last_name, field="last_name", max_length=48) or "",
            first_name=check_text(first_name, field="first_name", max_length=48),
            middle_name=check_text(middle_name, field="middle_name", max_length=48),
            birth_date=incomplete_date(birth_date, field="birth_date")[0],
        )
    elif first_name is not None or middle_name is not None:
        raise RequestValidationError(
            "first_name/middle_name verify only together with last_name and birth_date",
            field="first_name",
        )
    sis = digits_argument(sis_card_number, 10, field="sis_card_number")
    card = digits_argument(identity_card_number, 12, field="identity_card_number")
    if sis is None and card is None and person is None:
        return None
    return VerificationDataType(siscard_number=sis, identity_card_number=card, person_data=person)
