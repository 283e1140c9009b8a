"""ManageAccess (OCMWCPASManageAccess 20050930): the CPAS sector repertory.

A CPAS registers ("integrates") a person in the sector repertory when it
opens a social inquiry, which is what later lets CBSS answer consultations
about that person; it unregisters when the file closes; it lists current
registrations.  Registering and unregistering change state at CBSS: the SDK
never retries them.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

import attrs

from .. import catalog
from .._organization import CPAS_SECTOR
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..models.manage_access_20050930.be.fgov.ksz_bcss.xsd.ssdn.common import StartingPeriodType
from ..models.manage_access_20050930.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.manage_access import (
    ActionType,
    IdentityType,
    ManageAccessReply,
    ManageAccessRequest,
    ProofOfAuthenticationType,
    RegisterType,
    RegistrationType,
)
from ..ssdn import SsdnResultParts, prepare_ssdn_call
from ._args import (
    check_period,
    check_text,
    coerce_enum,
    digits_argument,
    incomplete_date,
    ssin_argument,
    xml_date,
)
from ._facade import C, Facade, operation
from ._ssdn_results import SsdnResult

__all__ = ["ManageAccess", "ManageAccessResult", "ProofOfAuthentication", "Purpose"]

_SERVICE = catalog.service("ManageAccess")


class Purpose(IntEnum):
    """Purpose ("quality") codes of sector 17 (CPAS), from the CBSS list of quality codes."""

    FILE_UNDER_INVESTIGATION = 1
    INTEGRATION_INCOME = 2
    EQUIVALENT_INCOME = 3
    OTHER_AID = 4
    COHABITANT = 5
    EMPLOYED_VIA_CPAS = 6
    DEBT_MEDIATION = 7
    SERVICE_FILE = 8
    OTHER_GUIDANCE = 9
    SUPERVISOR = 11
    PARTICIPANT = 12
    COLLABORATOR_UNDER_INVESTIGATION = 20
    COLLABORATOR = 21
    HEATING_ALLOWANCE = 40


@attrs.frozen
class ProofOfAuthentication:
    """What proves the CPAS met the person: any of a SIS card number (10 digits), an
    identity card number (12 digits), or last name + birth date (first name optional)."""

    sis_card_number: str | None = None
    identity_card_number: str | None = None
    last_name: str | None = None
    first_name: str | None = None
    birth_date: dt.date | str | None = None


@attrs.frozen
class ManageAccessResult(SsdnResult[ManageAccessReply]):
    """ManageAccess result: the registrations CBSS reports (register and repertory, org unit, period)."""

    @property
    def registrations(self) -> tuple[RegistrationType, ...]:
        return tuple(self.reply.registrations) if self.reply is not None else ()


def _build(parts: SsdnResultParts[ManageAccessReply]) -> ManageAccessResult:
    return ManageAccessResult(
        meta=parts.meta, warnings=parts.warnings, reply=parts.response, no_data=parts.no_data
    )


def _proof(proof: ProofOfAuthentication | None) -> ProofOfAuthenticationType:
    if proof is None:
        return ProofOfAuthenticationType()
    person = None
    if proof.last_name is not None or proof.birth_date is not None:
        if proof.last_name is None or proof.birth_date is None:
            raise RequestValidationError(
                "proof by person data needs last_name and birth_date", field="proof"
            )
        person = IdentityType(
            last_name=check_text(proof.last_name, field="proof.last_name", max_length=48) or "",
            first_name=check_text(proof.first_name, field="proof.first_name", max_length=48),
            birth_date=incomplete_date(proof.birth_date, field="proof.birth_date")[0],
        )
    return ProofOfAuthenticationType(
        siscard_number=digits_argument(proof.sis_card_number, 10, field="proof.sis_card_number"),
        identity_card_number=digits_argument(
            proof.identity_card_number, 12, field="proof.identity_card_number"
        ),
        person_data=person,
    )


class ManageAccess(Facade[C]):
    """CBSS ``OCMWCPASManageAccess`` 20050930 (SSDN)."""

    service_key = "ManageAccess"

    def _prepare(
        self,
        action: ActionType,
        ssin: str,
        *,
        purpose: Purpose | int | None,
        start: dt.date,
        end: dt.date | None,
        proof: ProofOfAuthentication | None,
        register: str | None,
    ) -> PreparedCall[ManageAccessResult]:
        number = ssin_argument(ssin)
        check_period(start, end)
        code = None if purpose is None else coerce_enum(Purpose, purpose, field="purpose").value
        if code is None and action is not ActionType.LIST:
            raise RequestValidationError(
                "purpose is required to register or unregister", field="purpose"
            )
        request = ManageAccessRequest(
            ssin=number,
            purpose=code,
            period=StartingPeriodType(
                start_date=xml_date(start, field="start"),
                end_date=None if end is None else xml_date(end, field="end"),
            ),
            action=action,
            sector=CPAS_SECTOR,
            query_register=(
                None if register is None else coerce_enum(RegisterType, register, field="register")
            ),
            proof_of_authentication=_proof(proof),
        )
        op = _SERVICE.operation(action.value.lower())
        return prepare_ssdn_call(
            self._client,
            _SERVICE,
            op,
            request,
            reply_type=ManageAccessReply,
            build=_build,
            subject=number,
        )

    @operation
    def register(
        self,
        ssin: str,
        purpose: Purpose | int,
        *,
        start: dt.date,
        end: dt.date | None = None,
        proof: ProofOfAuthentication | None = None,
    ) -> PreparedCall[ManageAccessResult]:
        """Register (integrate) *ssin* for *purpose* from *start* (to *end*). Never retried."""
        return self._prepare(
            ActionType.REGISTER,
            ssin,
            purpose=purpose,
            start=start,
            end=end,
            proof=proof,
            register=None,
        )

    @operation
    def unregister(
        self,
        ssin: str,
        purpose: Purpose | int,
        *,
        start: dt.date,
        end: dt.date | None = None,
        proof: ProofOfAuthentication | None = None,
    ) -> PreparedCall[ManageAccessResult]:
        """Withdraw the registration of *ssin* for *purpose* (same period as registered). Never retried."""
        return self._prepare(
            ActionType.UNREGISTER,
            ssin,
            purpose=purpose,
            start=start,
            end=end,
            proof=proof,
            register=None,
        )

    @operation
    def list(
        self,
        ssin: str,
        *,
        start: dt.date,
        end: dt.date | None = None,
        purpose: Purpose | int | None = None,
        register: str = "ALL",
        proof: ProofOfAuthentication | None = None,
    ) -> PreparedCall[ManageAccessResult]:
        """List the registrations of *ssin* in the period (``register``: PRIMARY, SECONDARY or ALL)."""
        return self._prepare(
            ActionType.LIST,
            ssin,
            purpose=purpose,
            start=start,
            end=end,
            proof=proof,
            register=register,
        )
