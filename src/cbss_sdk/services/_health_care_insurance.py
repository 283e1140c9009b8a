"""HealthCareInsurance ``getInsuranceOrganizationInformations``: a person's health insurance on a date.

A CPAS checks the mutuality (insuring organisation), whether the person is
entitled to reimbursements, the CT1/CT2 codes, the increased intervention
(BIM/VT), the maximum charge, a medical house, the third-party payer…
before granting medical help.  Each kind of data is asked for with its own
flag; the answer carries one part per flag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..models.health_care_insurance_v1.be.fgov.kszbcss.intf.health_care_insurance_service.v1 import (
    GetInsuranceOrganizationInformationsRequest,
    GetInsuranceOrganizationInformationsResponse,
)
from ..models.health_care_insurance_v1.be.fgov.kszbcss.types.health_care_insurance.v1 import (
    CriterionType,
    DesiredDataType,
    InsuranceResultType,
    TemporalCriteriaType,
)
from ..soa import SoaReply, prepare_soa_call
from ._args import coerce_enum, ssin_argument, xml_date
from ._facade import C, Facade, operation
from ._social_common import SoaResult

__all__ = ["HealthCareInsurance", "InsuranceData", "InsuranceResult"]

_SERVICE = catalog.service("HealthCareInsurance")
_INSURANCE = _SERVICE.operation("getInsuranceOrganizationInformations")


class InsuranceData(str, Enum):
    """The kinds of data ``insurance`` can ask for (the ``desiredData`` flags)."""

    INSURING_ORGANIZATION = "insuringOrganization"
    REIMBURSEMENT_RIGHT = "reimbursementRight"
    CT1CT2 = "ct1ct2"
    PAYING_THIRD_PARTY = "payingThirdParty"
    MAXIMUM_CHARGE = "maximumCharge"
    MEDICAL_HOUSE = "medicalHouse"
    INCREASED_INTERVENTION = "increasedIntervention"
    STATUS_COMPLEMENTARY_INSURANCE = "statusComplementaryInsurance"
    GLOBAL_MEDICAL_FILE = "globalMedicalFile"
    SFDF_L891 = "sfdfL891"


# Python field name of each flag in the generated DesiredDataType.
_FLAG_FIELDS = {
    InsuranceData.INSURING_ORGANIZATION: "insuring_organization",
    InsuranceData.REIMBURSEMENT_RIGHT: "reimbursement_right",
    InsuranceData.CT1CT2: "ct1ct2",
    InsuranceData.PAYING_THIRD_PARTY: "paying_third_party",
    InsuranceData.MAXIMUM_CHARGE: "maximum_charge",
    InsuranceData.MEDICAL_HOUSE: "medical_house",
    InsuranceData.INCREASED_INTERVENTION: "increased_intervention",
    InsuranceData.STATUS_COMPLEMENTARY_INSURANCE: "status_complementary_insurance",
    InsuranceData.GLOBAL_MEDICAL_FILE: "global_medical_file",
    InsuranceData.SFDF_L891: "sfdf_l891",
}


@attrs.frozen
class InsuranceResult(SoaResult[GetInsuranceOrganizationInformationsResponse]):
    """A ``getInsuranceOrganizationInformations`` reply.

    ``result`` is the generated ``InsuranceResultType`` (``None`` when CBSS
    found nothing); the shortcuts read its most used parts.  CBSS may add
    fieldName/fieldValue remarks in ``status.information``.
    """

    @property
    def result(self) -> InsuranceResultType | None:
        found: InsuranceResultType | None = self.response.result
        return found

    @property
    def mutuality_code(self) -> str | None:
        """The 3-digit code of the insuring organisation (mutuality)."""
        organization = self.result.insuring_organization if self.result is not None else None
        return organization.code if organization is not None else None

    @property
    def increased_intervention(self) -> bool | None:
        """Whether the increased intervention (BIM/VT) applies; ``None`` when not asked or not sent."""
        part = self.result.increased_intervention if self.result is not None else None
        return bool(part.applicable) if part is not None else None

    @property
    def ct1ct2(self) -> tuple[str, str] | None:
        part = self.result.ct1ct2 if self.result is not None else None
        return (part.ct1, part.ct2) if part is not None else None


def _build(reply: SoaReply[GetInsuranceOrganizationInformationsResponse]) -> InsuranceResult:
    assert reply.status is not None
    return InsuranceResult(meta=reply.meta, status=reply.status, response=reply.response)


def _desired(data: Iterable[InsuranceData | str] | None) -> DesiredDataType:
    if data is None:
        wanted = set(InsuranceData)
    else:
        if isinstance(data, (str, InsuranceData)):
            data = [data]
        wanted = {coerce_enum(InsuranceData, item, field="data") for item in data}
        if not wanted:
            raise RequestValidationError("ask for at least one kind of data", field="data")
    return DesiredDataType(**{_FLAG_FIELDS[item]: item in wanted for item in InsuranceData})


class HealthCareInsurance(Facade[C]):
    """CBSS ``HealthCareInsurance`` (SOA), legal context ``social inquiry and financial help``."""

    service_key = "HealthCareInsurance"

    @operation
    def insurance(
        self,
        ssin: str,
        *,
        on: dt.date | None = None,
        data: Iterable[InsuranceData | str] | None = None,
        legal_context: str | None = None,
    ) -> PreparedCall[InsuranceResult]:
        """CBSS operation ``getInsuranceOrganizationInformations``.

        Args:
            ssin: national number (or BIS number) of the person.
            on: the date of the situation (``None``: today, sent as ``today``).
            data: the kinds of data wanted (:class:`InsuranceData` members or
                their CBSS names such as ``"increasedIntervention"``); ``None``
                asks for all of them.
            legal_context: overrides ``social inquiry and financial help``.
        """
        number = ssin_argument(ssin)
        temporal = (
            TemporalCriteriaType(today=True)
            if on is None
            else TemporalCriteriaType(date=xml_date(on, field="on"))
        )
        criterion = CriterionType(
            ssin=number, temporal_criteria=temporal, desired_data=_desired(data)
        )
        return prepare_soa_call(
            self._client,
            _SERVICE,
            _INSURANCE,
            GetInsuranceOrganizationInformationsRequest,
            {"criterion": criterion},
            response_type=GetInsuranceOrganizationInformationsResponse,
            build=_build,
            legal_context=legal_context,
            subject=number,
        )
